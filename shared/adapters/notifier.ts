import { businessSummary } from '#shared/domain/consultation-form.ts';
import type { DomainEvent, Notifier } from '#shared/domain/events.ts';
import { href } from '#shared/routes.ts';
import { agendaMail } from '#templates/mail/agenda.ts';
import { answerApprovalMail, answerIssuedMail } from '#templates/mail/answer.ts';
import {
  caseWithdrawnMail,
  consultationAcceptedMail,
  consultationReturnedMail,
  consultationScheduledMail,
  consultationSubmittedMail,
  vendorReportedMail,
} from '#templates/mail/consultation.ts';
import { followUpAnsweredMail, followUpEscalationMail, followUpRequestMail, followUpReturnedMail } from '#templates/mail/followups.ts';
import { incidentDeadlineMail } from '#templates/mail/incidents.ts';
import { meetingCancelledMail, meetingChangedMail } from '#templates/mail/meeting-change.ts';
import { memberRegisteredMail } from '#templates/mail/member-registered.ts';
import { minutesFinalMail } from '#templates/mail/minutes.ts';
import { piaChairMail, piaOpinionMail, piaReminderMail, piaReviewRequestMail } from '#templates/mail/pia.ts';
import { postReportAcceptedMail, postReportFiledMail } from '#templates/mail/post-reports.ts';
import { staffInvitedMail } from '#templates/mail/staff-invited.ts';
import { chairReviewMail, voteInvitationMail, voteReminderMail } from '#templates/mail/voting.ts';
import type { Mail, Mailer } from './mailer.ts';

/**
 * Tells people what happened: each domain event becomes its mail from `templates/mail`, with
 * absolute links into the app built from the route table.
 */
export class MailNotifier implements Notifier {
  constructor(
    private readonly mailer: Pick<Mailer, 'send'>,
    private readonly appBaseUrl: string,
  ) {}

  async notify(event: DomainEvent): Promise<void> {
    const mail = this.mailFor(event);
    if (mail?.to.length) await this.mailer.send(mail);
  }

  private url(path: string) {
    return `${this.appBaseUrl}${path}`;
  }

  private mailFor(e: DomainEvent): Mail | undefined {
    switch (e.type) {
      case 'member.registered':
        return memberRegisteredMail({ council: e.council, member: e.member, rosterUrl: this.url(href('MembersList', { councilId: e.council.councilId })) });
      case 'staff.invited':
        return staffInvitedMail({ council: e.council, staff: e.staff, signInUrl: this.url(href('AuthSignIn', {})) });
      case 'consultation.submitted':
        return consultationSubmittedMail({
          council: e.council,
          departmentName: e.department?.name ?? '',
          form: e.form,
          url: this.url(href('ConsultationView', e.consultation)),
          resubmission: e.resubmission,
          response: e.response,
        });
      case 'consultation.returned':
        return consultationReturnedMail({
          council: e.council,
          to: [e.department.email],
          title: e.consultation.form.title,
          comment: e.comment,
          round: e.round,
          url: this.url(href('ConsultationView', e.consultation)),
        });
      case 'consultation.accepted':
        return consultationAcceptedMail({
          council: e.council,
          to: [e.department.email],
          title: e.consultation.form.title,
          number: e.number,
          businesses: businessSummary(e.consultation.form) || undefined,
          url: this.url(href('ConsultationView', e.consultation)),
        });
      case 'consultation.scheduled':
        return consultationScheduledMail({
          council: e.council,
          to: [e.department.email],
          consultation: e.consultation,
          meeting: e.meeting,
          name: e.name,
          departmentName: e.department.name,
          contactName: e.consultation.form.contactName,
          url: this.url(href('ConsultationView', e.consultation)),
        });
      case 'consultation.withdrawn':
        return caseWithdrawnMail({
          council: e.council,
          to: [e.council.secretariatEmail, ...(e.department ? [e.department.email] : [])],
          title: e.consultation.form.title,
          departmentName: e.department?.name ?? '',
          reason: e.reason,
          by: e.by === 'secretariat' ? '事務局' : (e.department?.name ?? '所管課'),
          url: this.url(href('ConsultationView', e.consultation)),
        });
      case 'consultation.vendor_reported':
        return vendorReportedMail({
          council: e.council,
          departmentName: e.department?.name ?? '',
          consultation: e.consultation,
          report: e.report,
          url: this.url(href('ConsultationView', e.consultation)),
          departmentEmail: e.department?.email,
        });
      case 'post_report.filed':
        return postReportFiledMail({
          council: e.council,
          departmentName: e.department?.name ?? '',
          departmentEmail: e.department?.email,
          blanket: e.blanket,
          report: e.report,
          url: this.url(href('BlanketApprovals', { councilId: e.council.councilId })),
        });
      case 'post_report.accepted':
        return postReportAcceptedMail({
          council: e.council,
          to: [e.department.email],
          departmentName: e.department.name,
          blanket: e.blanket,
          report: e.report,
          meeting: e.meeting,
          meetingName: e.meetingName,
          url: this.url(href('BlanketApprovals', { councilId: e.council.councilId })),
        });
      case 'meeting.changed':
        return meetingChangedMail({ ...e, url: this.url(href('MeetingView', { councilId: e.council.councilId, meetingId: e.meeting.meetingId })) });
      case 'meeting.cancelled':
        return meetingCancelledMail({ ...e, url: this.url(href('MeetingView', { councilId: e.council.councilId, meetingId: e.meeting.meetingId })) });
      case 'agenda.sent':
        return agendaMail({
          council: e.council,
          to: e.members.map((m) => m.email),
          meeting: e.meeting,
          name: e.name,
          agenda: e.agenda,
          cases: e.cases,
          meetingUrl: this.url(href('MeetingView', { councilId: e.council.councilId, meetingId: e.meeting.meetingId })),
          caseUrl: (consultationId) => this.url(href('ConsultationView', { councilId: e.council.councilId, consultationId })),
        });
      case 'vote.invited':
        return voteInvitationMail({
          council: e.council,
          member: e.member,
          meetingName: e.meetingName,
          deadline: e.deadline,
          item: e.item,
          cases: e.cases,
          url: this.url(href('VoteView', { token: e.token })),
          again: e.again,
        });
      case 'vote.reminded':
        return voteReminderMail({
          council: e.council,
          member: e.member,
          meetingName: e.meetingName,
          deadline: e.deadline,
          item: e.item,
          milestone: e.milestone,
          url: this.url(href('VoteView', { token: e.token })),
        });
      case 'conditions.awaiting_chair':
        return chairReviewMail({
          council: e.council,
          chair: e.chair,
          meetingName: e.meetingName,
          item: e.item,
          proposed: e.proposed,
          ...(e.atMeeting ? { atMeeting: true } : {}),
          url: this.url(href('ConditionsView', { councilId: e.council.councilId, meetingId: e.meetingId, itemId: e.item.itemId })),
        });
      case 'answer.awaiting_approval':
        return answerApprovalMail({
          council: e.council,
          chair: e.chair,
          answer: e.answer,
          meetingName: e.meetingName,
          url: this.url(href('AnswerView', { councilId: e.council.councilId, consultationId: e.consultationId })),
        });
      case 'answer.issued':
        return answerIssuedMail({
          council: e.council,
          to: [e.department.email],
          answer: e.answer,
          url: this.url(href('AnswerView', { councilId: e.council.councilId, consultationId: e.consultationId })),
        });
      case 'minutes.finalized':
        return minutesFinalMail({
          council: e.council,
          name: e.name,
          to: e.members.map((m) => m.email),
          url: this.url(href('MinutesEdit', { councilId: e.council.councilId, meetingId: e.meetingId })),
        });
      case 'followup.requested':
        return followUpRequestMail({
          council: e.council,
          followUp: e.followUp,
          url: this.url(href('FollowUpLinkView', { token: e.token })),
          forward: e.followUp.owner === 'vendor',
          reminder: e.reminder,
        });
      case 'followup.answered':
        return followUpAnsweredMail({ council: e.council, followUp: e.followUp, answeredBy: e.answeredBy, url: this.url(href('FollowUpView', e.followUp)) });
      case 'followup.more_asked':
        return followUpReturnedMail({
          council: e.council,
          followUp: e.followUp,
          comment: e.comment,
          url: this.url(href('FollowUpLinkView', { token: e.token })),
        });
      case 'followup.overdue':
        return followUpEscalationMail({
          council: e.council,
          followUp: e.followUp,
          to: [e.department?.managerEmail, e.council.secretariatEmail].filter((x): x is string => Boolean(x)),
          url: this.url(href('FollowUpView', e.followUp)),
        });
      case 'incident.deadline':
        return incidentDeadlineMail({
          council: e.council,
          incident: e.incident,
          departmentName: e.department?.name,
          report: e.report,
          due: e.due,
          kind: e.kind,
          to:
            e.kind === 'overdue'
              ? [e.department?.managerEmail, e.council.secretariatEmail].filter((x): x is string => Boolean(x))
              : [e.department?.email].filter((x): x is string => Boolean(x)),
          url: this.url(href('IncidentView', e.incident)),
        });
      case 'pia.review_requested':
        return piaReviewRequestMail({
          council: e.council,
          member: e.member,
          review: e.review,
          url: this.url(href('PiaLinkView', { token: e.token })),
          again: e.again,
        });
      case 'pia.awaiting_chair':
        return piaChairMail({ council: e.council, chair: e.chair, review: e.review, url: this.url(href('PiaView', e.review)) });
      case 'pia.opinion_issued':
        return piaOpinionMail({ council: e.council, department: e.department, review: e.review, url: this.url(href('PiaView', e.review)) });
      case 'pia.reevaluation_reminder':
        return piaReminderMail({ ...e, url: this.url(href('PiaView', e.review)) });
    }
  }
}
