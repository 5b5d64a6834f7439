import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import type { Answer } from './answer.ts';
import type { ConsultationDraft } from './consultation-form.ts';
import { formatFiscalYear } from './era.ts';
import type { FollowUp } from './followups.ts';
import type { Principal, Role } from './principal.ts';

/**
 * The consultation lifecycle (諮問の流れ). The Step Functions workflow is the source
 * of truth for where a case is; each of its states writes one of these statuses as it
 * is entered, so a page never shows a state the workflow is not in.
 */
export const CONSULTATION_STATUSES = {
  draft: '下書き',
  // Submitted, the workflow not yet in screening: the same word as the secretariat's queue, where it shows 準備中.
  submitted: '受付審査中(準備中)',
  screening: '受付審査中',
  returned: '差し戻し中',
  accepted: '受付済み(日程調整待ち)',
  scheduled: '審議予定',
  in_deliberation: '審議中',
  answer_review: '答申案の確認待ち',
  answered: '答申済み',
  followups_open: '条件の履行確認中',
  closed: '完了',
  withdrawn: '取り下げ',
  stalled: '処理が止まっています(事務局が再実行します)',
} as const;
export type ConsultationStatus = keyof typeof CONSULTATION_STATUSES;

/** 可 / 可(意見付き) / 条件付き可 / 否 / 継続審議 */
export const DECISION_OUTCOMES = {
  approved: '可',
  approved_with_opinions: '可(意見付き)',
  approved_with_conditions: '条件付き可',
  rejected: '否',
  carried_over: '継続審議',
} as const;
export type DecisionOutcome = keyof typeof DECISION_OUTCOMES;

/**
 * An approval's outcome from what is attached to it: any condition (付帯条件, binding) makes it
 * 条件付き可; opinions or requests alone (意見・要望, followed up but not binding) make it 可(意見付き).
 */
export const approvalOutcome = (conditions: readonly string[], opinions: readonly string[] = []): DecisionOutcome =>
  conditions.length ? 'approved_with_conditions' : opinions.length ? 'approved_with_opinions' : 'approved';

export const SCREENING_OUTCOMES = { accepted: '受付', returned: '差し戻し' } as const;
export type ScreeningOutcome = keyof typeof SCREENING_OUTCOMES;

/** The error a human step is failed with when the department withdraws the case. */
export const WITHDRAWN_ERROR = 'Consultation.Withdrawn';
/** The error a human step is failed with when a newer execution carries the case on. */
export const CONTINUED_ERROR = 'Consultation.Continued';

/** What the workflow hands its task handlers: which case, and the status being entered. */
export const stepEvent = z.object({
  councilId: z.string().check(z.regex(ID_PATTERN)),
  consultationId: z.string().check(z.regex(ID_PATTERN)),
  status: z.enum(Object.keys(CONSULTATION_STATUSES) as [ConsultationStatus, ...ConsultationStatus[]]),
});
export type StepEvent = z.infer<typeof stepEvent>;

/** A human step additionally carries the token that resumes the workflow, and which execution waits. */
export const humanStepEvent = z.lazy(() =>
  z.extend(stepEvent, {
    taskToken: z.string().check(z.minLength(1)),
    executionName: z.optional(z.string().check(z.minLength(1))),
  }),
);
export type HumanStepEvent = z.infer<typeof humanStepEvent>;

/**
 * 諮問番号: numbered per council and fiscal year, without gaps or duplicates — or, where the
 * council numbers its cases as one running series (`running`), across the years; the fiscal
 * year is then the one the number was given in (where the register lists the case).
 */
export interface ConsultationNumber {
  fiscalYear: number;
  n: number;
  running?: true;
}

/** 令和8年度諮問第3号 (per fiscal year), or 諮問第3号 (a running series) */
export const formatConsultationNumber = (num: ConsultationNumber) => (num.running ? `諮問第${num.n}号` : `${formatFiscalYear(num.fiscalYear)}諮問第${num.n}号`);

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
  /** A return made and not yet recorded by the workflow (the case still reads 'screening'): no acceptance may cross it. */
  returningAt?: string;
  /** Set while a human step waits; resumes the workflow. Never logged, never rendered. */
  taskToken?: string;
  /** The execution that carries the case now (the latest, when one continued another). */
  execution?: { name: string; startedAt: string };
  /** A newer execution is taking over (see renewLongWaits): its name, and when it began. */
  renewal?: { name: string; at: string };
  /** Why the workflow stopped, while the case is stalled. */
  stalled?: StallRecord;
  /** The meeting and agenda item it is on, once scheduled. */
  meetingId?: string;
  itemId?: string;
  /** A case brought in from the council's earlier records (過去の諮問の取込): what was decided and when, and who imported it. */
  imported?: ImportedDecision;
  /** The vendor its department reported after the decision, when the form said 「選定中」. */
  vendorReport?: VendorReport;
  createdBy: string;
  createdAt: string;
  submittedAt?: string;
  updatedAt: string;
  /** Optimistic-lock counter for edits of the form. */
  version: number;
}

/** What the council's earlier records say of an imported case (no workflow ever ran it). */
export interface ImportedDecision {
  outcome: DecisionOutcome;
  /** 審議日 and 答申日 ('YYYY-MM-DD'); no answer date for a case carried over. */
  decidedOn: string;
  answeredOn?: string;
  importedAt: string;
  importedBy: string;
}

/** 委託先の報告: the vendor chosen after the council's decision, for a case whose form said 「選定中」. */
export interface VendorReport {
  name: string;
  address: string;
  /** The day the vendor was chosen (契約・決定日), 'YYYY-MM-DD'. */
  chosenOn: string;
  reportedAt: string;
  reportedBy: string;
}

/** The vendor of a case as it stands: the one reported after a 「選定中」, else the form's (undefined while still being chosen). */
export function currentVendorName(c: Pick<Consultation, 'form' | 'vendorReport'>): string | undefined {
  return c.vendorReport?.name ?? (c.form.vendor?.selecting ? undefined : c.form.vendor?.name);
}

/** A department reports its vendor once the council has decided, if its form said 「選定中」 and none is reported yet. */
export function awaitsVendorReport(c: Pick<Consultation, 'form' | 'vendorReport' | 'status'>): boolean {
  return Boolean(c.form.vendor?.selecting) && (c.form.triggers ?? []).includes('outsourcing') && !c.vendorReport && DECIDED_STATUSES.includes(c.status);
}

/** Statuses after the council's answer. */
export const DECIDED_STATUSES: readonly ConsultationStatus[] = ['answered', 'followups_open', 'closed'];

/** A workflow that stopped on a step that kept failing: what to redrive, and what the secretariat reads. */
export interface StallRecord {
  executionArn: string;
  /** The status the case was in when the step failed. */
  previousStatus: ConsultationStatus;
  error: string;
  cause: string;
  at: string;
  /** Set when the secretariat asked for a re-run; cleared by the next step that succeeds. */
  redrivenAt?: string;
}

/**
 * The case id, minted by the server from the form's request id: the same form sent twice
 * makes one case, and no one can pick an id (or one that collides with another council's).
 */
export function caseIdFor(councilId: string, userId: string, requestId: string): string {
  return createHash('sha256').update(`${councilId}\n${userId}\n${requestId}`).digest('base64url').slice(0, 22);
}

/**
 * The name of the n-th execution carrying a case: unique across councils, within the 80
 * characters (letters, digits, - and _) Step Functions allows, and stable for idempotent starts.
 */
export function executionNameFor(ref: { councilId: string; consultationId: string }, cycle: number): string {
  return `case-${createHash('sha256').update(`${ref.councilId}/${ref.consultationId}`).digest('base64url').slice(0, 32)}-${cycle}`;
}

/** The cycle of an execution name (1 for the first execution of a case). */
export const cycleOf = (executionName: string) => Number(/-(\d+)$/.exec(executionName)?.[1] ?? 1);

/** Statuses in which a case waits for a person, with a token, inside an execution. */
export const WAITING_STATUSES = [
  'screening',
  'returned',
  'accepted',
  'scheduled',
  'in_deliberation',
  'answer_review',
] as const satisfies readonly ConsultationStatus[];

/** A department may withdraw its case until it is on a meeting's agenda; a draft or a stalled case too. */
export function isWithdrawable(c: Consultation): boolean {
  if (c.status === 'draft' || c.status === 'stalled') return true;
  return (['screening', 'returned', 'accepted'] as ConsultationStatus[]).includes(c.status) && !c.meetingId;
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
  operator: '運用管理者',
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

/**
 * A case its department has never submitted: a draft, or a draft it withdrew. Only the department knows
 * of it. (A submitted case keeps the status 'draft' until its workflow records 'submitted'; the
 * submission time already tells it apart.)
 */
export function isUnsubmitted(c: Pick<Consultation, 'status' | 'submittedAt'>): boolean {
  return !c.submittedAt && (c.status === 'draft' || c.status === 'withdrawn');
}

/**
 * Who may read a case: its own department always; the council's secretariat, members and chair
 * once it has been submitted (an unsubmitted draft is the department's working paper).
 */
export function isVisibleTo(c: Consultation, principal: Principal): boolean {
  if (principal.councilId !== c.councilId) return false;
  if (principal.role === 'department') return principal.departmentId === c.departmentId;
  return !isUnsubmitted(c);
}

/** A case with everything kept in its partition: rounds, attachments, the latest audit events, follow-ups, the answer. */
export interface ConsultationBundle {
  consultation: Consultation;
  rounds: ScreeningRound[];
  attachments: Attachment[];
  audit: AuditEvent[];
  followUps: FollowUp[];
  answer?: Answer;
}
