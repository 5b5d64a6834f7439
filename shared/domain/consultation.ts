import { z } from 'zod';
import { ID_PATTERN } from '#shared/keys.ts';

/**
 * The consultation lifecycle (諮問の流れ). The Step Functions workflow is the source
 * of truth for where a case is; each of its states writes one of these statuses as it
 * is entered, so a page never shows a state the workflow is not in.
 */
export const CONSULTATION_STATUSES = {
  draft: '下書き',
  submitted: '提出済み',
  screening: '受付審査中',
  returned: '差し戻し中',
  accepted: '受付済み(日程調整待ち)',
  scheduled: '審議予定',
  in_deliberation: '審議中',
  answered: '答申済み',
  followups_open: '条件の履行確認中',
  closed: '完了',
  withdrawn: '取り下げ',
} as const;
export type ConsultationStatus = keyof typeof CONSULTATION_STATUSES;

/** 可 / 条件付き可 / 否 / 継続審議 */
export const DECISION_OUTCOMES = {
  approved: '可',
  approved_with_conditions: '条件付き可',
  rejected: '否',
  carried_over: '継続審議',
} as const;
export type DecisionOutcome = keyof typeof DECISION_OUTCOMES;

export const SCREENING_OUTCOMES = { accepted: '受付', returned: '差し戻し' } as const;
export type ScreeningOutcome = keyof typeof SCREENING_OUTCOMES;

/** The error a human step is failed with when the department withdraws the case. */
export const WITHDRAWN_ERROR = 'Consultation.Withdrawn';

/** What the workflow hands its task handlers: which case, and the status being entered. */
export const stepEvent = z.object({
  councilId: z.string().regex(ID_PATTERN),
  consultationId: z.string().regex(ID_PATTERN),
  status: z.enum(Object.keys(CONSULTATION_STATUSES) as [ConsultationStatus, ...ConsultationStatus[]]),
});
export type StepEvent = z.infer<typeof stepEvent>;

/** A human step additionally carries the token that resumes the workflow. */
export const humanStepEvent = stepEvent.extend({ taskToken: z.string().min(1) });
export type HumanStepEvent = z.infer<typeof humanStepEvent>;
