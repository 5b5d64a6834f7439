/**
 * What waits for a person (the home page): by role, the cases, meetings, votes and follow-ups
 * that need them now. Made by shared/use-cases/home.ts, drawn by templates/pages/home.ts.
 */
import type { Consultation } from './consultation.ts';
import type { Council } from './council.ts';
import type { FollowUp } from './followups.ts';
import { type Incident, incidentDeadlines, type PpcReport } from './incidents.ts';
import type { AgendaItem, Meeting } from './meeting.ts';
import type { PiaReview } from './pia.ts';
import type { Principal } from './principal.ts';

/** A follow-up due within this many days is shown as waiting (overdue ones always are). */
export const FOLLOW_UP_HORIZON_DAYS = 30;

/** A deliberation item with the meeting it is on. */
export interface ItemOnMeeting {
  meeting: Meeting;
  item: AgendaItem;
}

/** A PIA review (特定個人情報保護評価書の第三者点検) that waits for the person, with what it waits for. */
export interface PiaWaiting {
  review: PiaReview;
  note: string;
  alarm: boolean;
}

/** An open 漏えい等事案 whose report to the 個人情報保護委員会 is still owed: the next one, its last day, and whether that passed. */
export interface IncidentWaiting {
  incident: Incident;
  report: PpcReport;
  due: string;
  overdue: boolean;
}

/**
 * The open incidents that still owe the 個人情報保護委員会 a report (the 速報 first, then the 確報),
 * the most pressing first: every one is shown, however far its 確報 is, since the law counts the days.
 */
export function incidentsWaiting(incidents: readonly Incident[], today: string): IncidentWaiting[] {
  return incidents
    .filter((i) => i.status === 'open')
    .flatMap((incident) => {
      const deadlines = incidentDeadlines(incident);
      const report = (['preliminary', 'final'] as const).find((r) => !incident.reports[r]);
      return report ? [{ incident, report, due: deadlines[report].due, overdue: today > deadlines[report].due }] : [];
    })
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

/** What waits for the person signed in, by role, in their own council; for no one signed in, nothing but the way to sign in. */
export type HomeView =
  | { kind: 'anonymous' }
  | {
      kind: 'department';
      viewer: Principal;
      council: Council;
      today: string;
      /** Its drafts not yet submitted. */
      drafts: Consultation[];
      /** Cases the secretariat returned, to revise and submit again. */
      returned: Consultation[];
      /** Conditions it (or its vendors) must report on, due within the horizon or overdue. */
      followUps: FollowUp[];
      /** Its own incidents that still owe the 個人情報保護委員会 a report. */
      incidents: IncidentWaiting[];
      /** 評価書の第三者点検 waiting for them. */
      pia?: PiaWaiting[];
    }
  | {
      kind: 'secretariat';
      viewer: Principal;
      council: Council;
      today: string;
      toScreen: Consultation[];
      /** Accepted, not yet on a meeting's agenda. */
      toSchedule: Consultation[];
      stalled: Consultation[];
      /** Meetings not yet held or in session, soonest first. */
      meetings: Meeting[];
      /** Owners' answers to check. */
      toReview: FollowUp[];
      /** Follow-ups past their due date without an answer. */
      overdue: FollowUp[];
      /** Items whose vote is over and waits for the chair's wording of the conditions. */
      awaitingChair: ItemOnMeeting[];
      /** Answers drafted from decisions, to be approved (by the chair, or on the chair's instruction) before they are sent. */
      answersToApprove: Consultation[];
      /** The council's incidents that still owe the 個人情報保護委員会 a report. */
      incidents: IncidentWaiting[];
      /** 評価書の第三者点検 waiting for them. */
      pia?: PiaWaiting[];
    }
  | {
      kind: 'member';
      viewer: Principal;
      council: Council;
      today: string;
      /** Written votes open to this member that they have not cast. */
      votes: ItemOnMeeting[];
      meetings: Meeting[];
      /** For the chair: conditions to word and confirm. */
      awaitingChair: ItemOnMeeting[];
      /** For the chair: drafted answers to approve. */
      answersToApprove: Consultation[];
      /** 評価書の第三者点検 waiting for them. */
      pia?: PiaWaiting[];
    };
