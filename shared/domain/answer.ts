import type { Consultation, ConsultationNumber, DecisionOutcome } from './consultation.ts';
import { consultedLines } from './consultation-form.ts';
import type { Council, Member } from './council.ts';
import type { ConsultationKind } from './legal-basis.ts';
import type { Decision, Meeting } from './meeting.ts';
import { meetingName } from './meeting.ts';

/**
 * The council's answer (答申書) on one consultation: drafted once from the decision, then
 * reviewed and approved (by the chair, or the secretariat on the chair's instruction) —
 * which dates it and gives it its document number (文書番号) — before it is sent.
 */
export interface Answer {
  consultationId: string;
  title: string;
  number?: ConsultationNumber;
  outcome: Exclude<DecisionOutcome, 'carried_over'>;
  conditions: string[];
  /** 意見・要望 attached to the approval: followed up, but not conditions. */
  opinions?: string[];
  /** What was consulted, as drafted: its 事務, triggers and any transfer abroad (absent on answers drafted before). */
  consulted?: string[];
  /** The kind of consultation answered, when not the ordinance's (a change of rules and a blanket approval read otherwise). */
  kind?: ConsultationKind;
  /** draft until approved; only an approved answer is sent. Absent on answers kept before review existed (sent as they were). */
  state?: 'draft' | 'approved';
  /** The day the council decided ('YYYY-MM-DD', Tokyo): the answer's date unless another is chosen. */
  decidedOn?: string;
  /** 文書番号 given on approval, e.g. 「さくら市個審第12号」, and its number within the fiscal year. */
  documentNumber?: string;
  documentNo?: number;
  approvedBy?: string;
  /** 「会長」 or 「事務局(会長の指示により)」 */
  approvedAs?: string;
  approvedAt?: string;
  /** The meeting (or written decision) that decided it, by name and date. */
  meetingName?: string;
  meetingDate?: string;
  councilName: string;
  /** Addressed to the head of the municipality (実施機関). */
  addressee: string;
  chairName?: string;
  /**
   * The office the answer is signed in, before the name: absent for 会長; 「会長職務代理者 副会長」 (or
   * 「会長職務代理者」) when the member who presided the deciding meeting in the chair's absence approved it.
   */
  signedAs?: string;
  /** The day the answer is dated ('YYYY-MM-DD', Tokyo): the decision's day in a draft, the chosen day once approved. */
  issuedOn: string;
  submittedAt?: string;
  /** When the chair was asked to approve the draft. */
  reviewRequestedAt?: string;
  /** When the department was mailed the answer. */
  mailedAt?: string;
}

/** 諮問のとおり実施することを認める / 意見を付して認める / 条件を付して認める / 認めない */
export const ANSWER_CONCLUSIONS: Record<Answer['outcome'], string> = {
  approved: '諮問のとおり実施することを認める。',
  approved_with_opinions: '諮問のとおり実施することを認める。なお、次の意見を付す。',
  approved_with_conditions: '次の条件を付して、実施することを認める。',
  rejected: '実施することを認めない。',
};

/** 条例・規則の制定改廃 and 包括諮問 are answered in their own words. */
const KIND_CONCLUSIONS: Partial<Record<ConsultationKind, Record<Answer['outcome'], string>>> = {
  ordinance_change: {
    approved: '諮問のとおり条例・規則を制定・改正・廃止することは、適当である。',
    approved_with_opinions: '諮問のとおり条例・規則を制定・改正・廃止することは、適当である。なお、次の意見を付す。',
    approved_with_conditions: '次の条件を付して、諮問のとおり条例・規則を制定・改正・廃止することは、適当である。',
    rejected: '諮問のとおり条例・規則を制定・改正・廃止することは、適当でない。',
  },
  blanket: {
    approved: '諮問の類型に該当する取扱いを、包括的に認める。該当する取扱いを行ったときは、審議会に事後報告すること。',
    approved_with_opinions: '諮問の類型に該当する取扱いを、包括的に認める。該当する取扱いを行ったときは、審議会に事後報告すること。なお、次の意見を付す。',
    approved_with_conditions: '次の条件を付して、諮問の類型に該当する取扱いを包括的に認める。該当する取扱いを行ったときは、審議会に事後報告すること。',
    rejected: '諮問の類型に該当する取扱いを、包括的に認めることはできない。個別に諮問すること。',
  },
};

/** The conclusion as the answer words it: by its outcome, and for a change of rules or a blanket approval by its kind. */
export const conclusionOf = (a: Pick<Answer, 'outcome' | 'kind'>) => (a.kind && KIND_CONCLUSIONS[a.kind]?.[a.outcome]) ?? ANSWER_CONCLUSIONS[a.outcome];

export function buildAnswer(v: {
  council: Council;
  consultation: Consultation;
  decision: Pick<Decision, 'outcome' | 'conditions' | 'opinions'>;
  meeting?: Meeting | undefined;
  chair?: Member | undefined;
  /** The day of the decision: the meeting's, or the day a written decision closed. */
  decidedOn: string;
}): Answer {
  if (v.decision.outcome === 'carried_over') throw new Error('a carried-over case gets no answer');
  const approval = v.decision.outcome !== 'rejected';
  return {
    consultationId: v.consultation.consultationId,
    title: v.consultation.form.title,
    ...(v.consultation.number ? { number: v.consultation.number } : {}),
    outcome: v.decision.outcome,
    conditions: v.decision.outcome === 'approved_with_conditions' ? v.decision.conditions : [],
    opinions: approval ? (v.decision.opinions ?? []) : [],
    consulted: consultedLines(v.consultation.form),
    ...(v.consultation.form.kind && v.consultation.form.kind !== 'ordinance_trigger' ? { kind: v.consultation.form.kind } : {}),
    state: 'draft',
    decidedOn: v.meeting?.kind === 'meeting' ? v.meeting.date : v.decidedOn,
    ...(v.meeting ? { meetingName: meetingName(v.council, v.meeting), meetingDate: v.meeting.date } : {}),
    councilName: v.council.name,
    addressee: `${v.council.municipality}長`,
    ...(v.chair ? { chairName: v.chair.name } : {}),
    issuedOn: v.meeting?.kind === 'meeting' ? v.meeting.date : v.decidedOn,
    ...(v.consultation.submittedAt ? { submittedAt: v.consultation.submittedAt } : {}),
  };
}

/** The signature under the council's name: 「会長 小林 千尋」, or the acting chair's 「会長職務代理者 副会長 田辺 和夫」. */
export const signatureOf = (a: Pick<Answer, 'chairName' | 'signedAs'>) => (a.chairName ? `${a.signedAs ?? '会長'} ${a.chairName}` : '');

/** The office an acting chair signs in: the vice-chair as such, any other member presiding as the acting chair alone. */
export const actingChairOffice = (council: Pick<Council, 'viceChairMemberId'>, memberId: string) =>
  council.viceChairMemberId === memberId ? '会長職務代理者 副会長' : '会長職務代理者';

/** An answer is sent only once approved (answers kept before review existed count as approved). */
export const isApproved = (a: Pick<Answer, 'state'>) => a.state !== 'draft';

/** The opinions heading's number and the others follow the conclusion: 1 結論, 2 条件, 3 意見, 4 経過. */
export function answerSections(a: Pick<Answer, 'conditions' | 'opinions' | 'meetingName'>) {
  let n = 1;
  return {
    conditions: a.conditions.length ? ++n : undefined,
    opinions: a.opinions?.length ? ++n : undefined,
    history: a.meetingName ? ++n : undefined,
  };
}
