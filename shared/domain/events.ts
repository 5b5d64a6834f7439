import type { Answer } from './answer.ts';
import type { PostReport } from './blanket.ts';
import type { Consultation, ConsultationNumber, VendorReport } from './consultation.ts';
import type { ConsultationForm } from './consultation-form.ts';
import type { Council, Department, Member } from './council.ts';
import type { FollowUp } from './followups.ts';
import type { Incident, IncidentNoticeKind, PpcReport } from './incidents.ts';
import type { AgendaItem, Meeting } from './meeting.ts';
import type { PiaReminder, PiaReview } from './pia.ts';
import type { StaffMember } from './staff.ts';

/**
 * What happened that somebody must be told. Use cases emit these; the notifier (an adapter)
 * turns each into a mail from `templates/mail`, with the links it needs. Each event carries
 * what was already read to decide it, so telling costs no further reads.
 */
export type DomainEvent =
  | { type: 'member.registered'; council: Council; member: Member }
  /** The secretariat invited a person: they are told where and as whom to sign in (never the password). */
  | { type: 'staff.invited'; council: Council; staff: StaffMember }
  | {
      type: 'consultation.submitted';
      council: Council;
      department: Department | undefined;
      consultation: Consultation;
      form: ConsultationForm;
      resubmission: boolean;
      response?: string | undefined;
    }
  | { type: 'consultation.returned'; council: Council; department: Department; consultation: Consultation; comment: string; round: number }
  | { type: 'consultation.scheduled'; council: Council; department: Department; consultation: Consultation; meeting: Meeting; name: string }
  | { type: 'consultation.accepted'; council: Council; department: Department; consultation: Consultation; number: ConsultationNumber }
  | {
      type: 'consultation.withdrawn';
      council: Council;
      department: Department | undefined;
      consultation: Consultation;
      reason: string;
      by: 'department' | 'secretariat';
    }
  | { type: 'consultation.vendor_reported'; council: Council; department: Department | undefined; consultation: Consultation; report: VendorReport }
  /** A department filed a post-report (事後報告) under an approved blanket consultation: the secretariat is to accept it. */
  | { type: 'post_report.filed'; council: Council; department: Department | undefined; blanket: Consultation; report: PostReport }
  /** The secretariat accepted it onto the next meeting's reports: the department is told where it will be heard. */
  | {
      type: 'post_report.accepted';
      council: Council;
      department: Department;
      blanket: Consultation;
      report: PostReport;
      meeting: Meeting;
      meetingName: string;
    }
  | { type: 'meeting.changed'; council: Council; meeting: Meeting; before: Meeting; name: string; member: Member }
  | { type: 'meeting.cancelled'; council: Council; meeting: Meeting; name: string; member: Member }
  | { type: 'agenda.sent'; council: Council; meeting: Meeting; name: string; agenda: AgendaItem[]; cases: Map<string, Consultation>; members: Member[] }
  /** `again`: the secretariat sent the member a new link to a vote still open. */
  | {
      type: 'vote.invited';
      council: Council;
      member: Member;
      meetingName: string;
      deadline: string;
      item: AgendaItem;
      cases: Consultation[];
      token: string;
      again?: boolean;
    }
  | {
      type: 'vote.reminded';
      council: Council;
      member: Member;
      meetingName: string;
      deadline: string;
      item: AgendaItem;
      milestone: '2days' | 'dayof';
      token: string;
    }
  | {
      type: 'conditions.awaiting_chair';
      council: Council;
      chair: Member;
      meetingId: string;
      meetingName: string;
      item: AgendaItem;
      proposed: string[];
      /** At a meeting, the wording left to the presiding officer (the vice-chair or an acting chair in the chair's absence). */
      atMeeting?: boolean;
    }
  | { type: 'answer.awaiting_approval'; council: Council; chair: Member; answer: Answer; meetingName?: string; consultationId: string }
  | { type: 'answer.issued'; council: Council; department: Department; answer: Answer; consultationId: string }
  | { type: 'minutes.finalized'; council: Council; meetingId: string; name: string; members: Member[] }
  | { type: 'followup.requested'; council: Council; followUp: FollowUp; token: string; reminder: boolean }
  | { type: 'followup.answered'; council: Council; followUp: FollowUp; answeredBy: string }
  | { type: 'followup.more_asked'; council: Council; followUp: FollowUp; comment: string; token: string }
  | { type: 'followup.overdue'; council: Council; followUp: FollowUp; department: Department | undefined }
  /** An incident's 速報 or 確報 is due soon or today (to the department), or overdue (to its manager and the secretariat). */
  | {
      type: 'incident.deadline';
      council: Council;
      incident: Incident;
      department: Department | undefined;
      report: PpcReport;
      due: string;
      kind: IncidentNoticeKind;
    }
  // 特定個人情報保護評価書の第三者点検
  /** `again`: the secretariat sent the member a new link to a review under way. */
  | { type: 'pia.review_requested'; council: Council; member: Member; review: PiaReview; token: string; again?: boolean }
  | { type: 'pia.awaiting_chair'; council: Council; chair: Member; review: PiaReview }
  | { type: 'pia.opinion_issued'; council: Council; department: Department; review: PiaReview }
  | { type: 'pia.reevaluation_reminder'; council: Council; department: Department; review: PiaReview; milestone: PiaReminder };

/** The port use cases tell through; resolves once the message has been handed to the mail service. */
export interface Notifier {
  notify(event: DomainEvent): Promise<void>;
}
