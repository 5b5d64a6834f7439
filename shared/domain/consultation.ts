import { z } from 'zod';
import { ID_PATTERN } from '#shared/keys.ts';
import type { ConsultationDraft } from './consultation-form.ts';
import { formatFiscalYear } from './era.ts';
import type { Principal, Role } from './principal.ts';

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
  stalled: '処理が止まっています(事務局が確認します)',
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

/** 諮問番号: numbered per council and fiscal year, without gaps or duplicates. */
export interface ConsultationNumber {
  fiscalYear: number;
  n: number;
}

/** 令和8年度諮問第3号 */
export const formatConsultationNumber = (num: ConsultationNumber) => `${formatFiscalYear(num.fiscalYear)}諮問第${num.n}号`;

export interface Consultation {
  councilId: string;
  consultationId: string;
  departmentId: string;
  /** The form as last saved; complete once submitted. */
  form: ConsultationDraft;
  status: ConsultationStatus;
  number?: ConsultationNumber;
  /** How many times the secretariat has returned it (差し戻し). */
  returns: number;
  /** The acceptance in progress (request id and when it began): a return cannot cross it. */
  acceptance?: string;
  acceptanceAt?: string;
  /** Set while a human step waits; resumes the workflow. Never logged, never rendered. */
  taskToken?: string;
  /** The meeting and agenda item it is on, once scheduled. */
  meetingId?: string;
  itemId?: string;
  createdBy: string;
  createdAt: string;
  submittedAt?: string;
  updatedAt: string;
  /** Optimistic-lock counter for edits of the form. */
  version: number;
}

/** One return and its answer; every round is kept. */
export interface ScreeningRound {
  round: number;
  comment: string;
  returnedAt: string;
  returnedBy: string;
  response?: string;
  respondedAt?: string;
  respondedBy?: string;
}

export interface Attachment {
  attachmentId: string;
  /** 資料1, 資料1-2 … */
  label: string;
  fileName: string;
  contentType: string;
  size: number;
  objectKey: string;
  uploadedAt: string;
  uploadedBy: string;
}

export interface AuditEvent {
  at: string;
  eventId: string;
  /** A signed-in role, or who acted without an account: 'link' (a member or vendor through a signed link), 'system' (the workflow). */
  actor: { userId: string; name: string; role: Role | 'link' | 'system' };
  action: string;
  detail?: string;
  sourceIp?: string;
}

export const ACTOR_LABELS: Record<AuditEvent['actor']['role'], string> = {
  department: '所管課',
  secretariat: '事務局',
  member: '委員',
  chair: '会長',
  link: 'メールのリンク',
  system: 'システム',
};

/** The department that owns the case may edit it while it is a draft or returned to them. */
export function isEditableBy(c: Consultation, principal: Principal): boolean {
  return principal.role === 'department' && principal.departmentId === c.departmentId && (c.status === 'draft' || c.status === 'returned');
}

/** Who may read a case: the council's secretariat, members and chair; a department only its own. */
export function isVisibleTo(c: Consultation, principal: Principal): boolean {
  if (principal.councilId !== c.councilId) return false;
  return principal.role !== 'department' || principal.departmentId === c.departmentId;
}
