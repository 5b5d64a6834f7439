import type { Consultation, ConsultationNumber, DecisionOutcome } from './consultation.ts';
import type { Council, Member } from './council.ts';
import type { Decision, Meeting } from './meeting.ts';
import { meetingName } from './meeting.ts';

/** The council's answer (答申書) on one consultation: built once from the decision and kept. */
export interface Answer {
  consultationId: string;
  title: string;
  number?: ConsultationNumber;
  outcome: Exclude<DecisionOutcome, 'carried_over'>;
  conditions: string[];
  /** The meeting (or written decision) that decided it, by name and date. */
  meetingName?: string;
  meetingDate?: string;
  councilName: string;
  /** Addressed to the head of the municipality (実施機関). */
  addressee: string;
  chairName?: string;
  /** The day the answer is dated ('YYYY-MM-DD', Tokyo). */
  issuedOn: string;
  submittedAt?: string;
  /** When the department was mailed the answer. */
  mailedAt?: string;
}

/** 諮問のとおり実施することを認める / 条件を付して認める / 認めない */
export const ANSWER_CONCLUSIONS: Record<Answer['outcome'], string> = {
  approved: '諮問のとおり実施することを認める。',
  approved_with_conditions: '次の条件を付して、実施することを認める。',
  rejected: '実施することを認めない。',
};

export function buildAnswer(v: {
  council: Council;
  consultation: Consultation;
  decision: Pick<Decision, 'outcome' | 'conditions'>;
  meeting?: Meeting | undefined;
  chair?: Member | undefined;
  issuedOn: string;
}): Answer {
  if (v.decision.outcome === 'carried_over') throw new Error('a carried-over case gets no answer');
  return {
    consultationId: v.consultation.consultationId,
    title: v.consultation.form.title,
    ...(v.consultation.number ? { number: v.consultation.number } : {}),
    outcome: v.decision.outcome,
    conditions: v.decision.outcome === 'approved_with_conditions' ? v.decision.conditions : [],
    ...(v.meeting ? { meetingName: meetingName(v.council, v.meeting), meetingDate: v.meeting.date } : {}),
    councilName: v.council.name,
    addressee: `${v.council.municipality}長`,
    ...(v.chair ? { chairName: v.chair.name } : {}),
    issuedOn: v.issuedOn,
    ...(v.consultation.submittedAt ? { submittedAt: v.consultation.submittedAt } : {}),
  };
}
