import * as z from 'zod/mini';
import type { WordDocument } from './documents.ts';
import { formatEraDate } from './era.ts';
import { addMonths } from './followups.ts';
import { isoDate, requiredText } from './schema.ts';

/**
 * 特定個人情報保護評価書の第三者点検 (番号法第28条): a city evaluating a My Number file hears the
 * council's review of its 評価書 before submitting it to the 個人情報保護委員会, and evaluates it
 * again within five years (or before a major change). One review record per evaluation, kept
 * under the council and listed by its department; not a consultation.
 */

/** 評価書の種類, from the most thorough. */
export const PIA_TYPES = { full: '全項目評価', priority: '重点項目評価', basic: '基礎項目評価' } as const;
export type PiaType = keyof typeof PIA_TYPES;
const THOROUGHNESS: Record<PiaType, number> = { full: 3, priority: 2, basic: 1 };

/** What the threshold judgement (しきい値判断) requires: one of the evaluations, or none (fewer than 1,000 people). */
export type PiaRequirement = PiaType | 'none';
export const PIA_REQUIREMENT_LABELS: Record<PiaRequirement, string> = { ...PIA_TYPES, none: '評価の実施は義務付けられない(対象人数1,000人未満)' };

export interface PiaThreshold {
  /** 対象人数: people whose 特定個人情報 the file holds. */
  subjects: number;
  /** 取扱者数: staff and contractors who handle it. */
  handlers: number;
  /** 特定個人情報に関する重大事故 within the past year (that the city caused or learnt of). */
  seriousIncident: boolean;
}

/**
 * しきい値判断 as 特定個人情報保護評価指針 sets it:
 *  - fewer than 1,000 people: no evaluation is required;
 *  - 1,000 to 9,999: 基礎項目評価;
 *  - 10,000 to 99,999: 重点項目評価 if 500 or more handle it or a serious incident happened, else 基礎項目評価;
 *  - 100,000 to 299,999: 全項目評価 if 500 or more handle it or a serious incident happened, else 重点項目評価;
 *  - 300,000 or more: 全項目評価.
 */
export function requiredEvaluation(t: PiaThreshold): PiaRequirement {
  const heavy = t.handlers >= 500 || t.seriousIncident;
  if (t.subjects < 1_000) return 'none';
  if (t.subjects < 10_000) return 'basic';
  if (t.subjects < 100_000) return heavy ? 'priority' : 'basic';
  if (t.subjects < 300_000) return heavy ? 'full' : 'priority';
  return 'full';
}

/** Whether the chosen 評価書 is at least as thorough as the one required (a city may always do more). */
export const satisfies = (chosen: PiaType, required: PiaRequirement) => required === 'none' || THOROUGHNESS[chosen] >= THOROUGHNESS[required];

/** The 評価書's sections as the 全項目評価書 has them; the department edits the list before the review opens. */
export const DEFAULT_PIA_SECTIONS = [
  'I 基本情報',
  'II 特定個人情報ファイルの概要',
  'III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策',
  'IV その他のリスク対策',
  'V 開示請求、問合せ',
  'VI 評価実施手続',
] as const;

/** The council's opinion (意見) on the 評価書. */
export const PIA_VERDICTS = {
  conforming: '適合している',
  conditional: '条件付きで適合',
  needs_revision: '見直しが必要',
} as const;
export type PiaVerdict = keyof typeof PIA_VERDICTS;

export type PiaStatus = 'preparing' | 'reviewing' | 'drafting' | 'awaiting_chair' | 'issued';
export const PIA_STATUS_LABELS: Record<PiaStatus, string> = {
  preparing: '準備中(評価書の提出待ち)',
  reviewing: '委員による点検中',
  drafting: '意見案の作成中',
  awaiting_chair: '会長の承認待ち',
  issued: '意見を送付済み',
};

/** One revision (版) of the 評価書: the file, its date and what changed. */
export interface PiaVersion {
  n: number;
  date: string;
  note: string;
  fileName: string;
  contentType: string;
  size: number;
  objectKey: string;
  uploadedAt: string;
  uploadedBy: string;
}

/** A file uploaded and checked, waiting to be registered as the next 版 (with its date and note). */
export type PiaPendingFile = Omit<PiaVersion, 'n' | 'date' | 'note'>;

export interface PiaOpinion {
  verdict: PiaVerdict;
  /** One finding per section, in the sections' order ('' for none). */
  findings: string[];
  /** 総評 */
  summary: string;
  /** 文書番号 given on approval (the council's answers' series; its number is the review's documentNo), and the date it carries. */
  documentNumber?: string | undefined;
  issuedOn?: string | undefined;
  approvedBy?: string | undefined;
  approvedAs?: string | undefined;
  approvedAt?: string | undefined;
  mailedAt?: string | undefined;
}

export interface PiaReview {
  reviewId: string;
  councilId: string;
  departmentId: string;
  /** 評価対象の事務の名称 */
  businessName: string;
  evaluationType: PiaType;
  threshold: PiaThreshold & { required: PiaRequirement };
  status: PiaStatus;
  sections: string[];
  versions: PiaVersion[];
  pendingFile?: PiaPendingFile | undefined;
  /** The member review: who was mailed a link, until when, and when it closed. */
  review?: { openedAt: string; openedBy: string; deadline: string; memberIds: string[]; closedAt?: string | undefined } | undefined;
  opinion?: PiaOpinion | undefined;
  /** Dated steps the department records after the opinion. */
  publicComment?: { from: string; to: string } | undefined;
  submittedOn?: string | undefined;
  publishedOn?: string | undefined;
  /** A major change reported (重要な変更): re-evaluation before it takes effect. */
  majorChange?: { on: string; note: string; reportedAt: string } | undefined;
  /** 再評価 due date: five years after the submission, or the major change's date if earlier. */
  reevaluationDue?: string | undefined;
  /** The opinion's number in the council's 文書番号 series, claimed once on approval (see PiaRepository.assignDocumentNumber). */
  documentNo?: number | undefined;
  /** Reminders mailed, as `${milestone}:${due}` (each once per due date). */
  reminders: string[];
  createdAt: string;
  createdBy: string;
  version: number;
}

/** A member's comments, one per section (in the sections' order). */
export interface PiaComment {
  reviewId: string;
  memberId: string;
  memberName: string;
  comments: string[];
  savedAt: string;
}

/** One entry of a review's audit trail. */
export interface PiaAuditEvent {
  at: string;
  eventId: string;
  actor: { userId: string; name: string; role: string };
  action: string;
  detail?: string | undefined;
}

/** The re-evaluation due date: five years after submission, brought forward to a major change. */
export function reevaluationDue(v: Pick<PiaReview, 'submittedOn' | 'majorChange'>): string | undefined {
  const five = v.submittedOn ? addMonths(v.submittedOn, 60) : undefined;
  const change = v.majorChange?.on;
  // ISO dates sort as they fall: the earlier of the two.
  return [five, change].filter((d): d is string => Boolean(d)).sort()[0];
}

/** Reminder milestones before the due date. */
export const PIA_REMINDERS = { '6m': 6, '1m': 1 } as const;
export type PiaReminder = keyof typeof PIA_REMINDERS;
export const PIA_REMINDER_LABELS: Record<PiaReminder, string> = { '6m': '6か月前', '1m': '1か月前' };

/**
 * The reminders due today for a review: each milestone once per due date, from the day it is
 * reached. When both are reached at once (a due date brought forward), only the nearer one goes.
 */
export function remindersDue(r: Pick<PiaReview, 'reevaluationDue' | 'reminders'>, today: string): PiaReminder[] {
  const due = r.reevaluationDue;
  if (!due || today > due) return [];
  const reached = (Object.keys(PIA_REMINDERS) as PiaReminder[]).filter((m) => today >= addMonths(due, -PIA_REMINDERS[m]));
  const nearest = reached.at(-1);
  return nearest && !r.reminders.includes(`${nearest}:${due}`) ? [nearest] : [];
}

/** The earliest day a reminder can be due for a due date: the job reads reviews due up to six months ahead. */
export const reminderHorizon = (today: string) => addMonths(today, PIA_REMINDERS['6m']);

// ── Forms: one schema per message ───────────────────────────────────────────────────────

const count = (label: string) =>
  z.pipe(
    z
      .string({ error: `${label}を入力してください。` })
      .check(z.trim(), z.minLength(1, `${label}を入力してください。`), z.regex(/^\d{1,9}$/, `${label}は0以上の整数(半角数字)で入力してください。`)),
    z.transform(Number),
  );

/** The department's new review record. */
export const piaReviewInput = z.lazy(() =>
  z.object({
    businessName: requiredText('評価対象の事務の名称', 200),
    evaluationType: z.enum(Object.keys(PIA_TYPES) as [PiaType, ...PiaType[]], '評価書の種類を選んでください。'),
    subjects: count('対象人数'),
    handlers: count('取扱者数'),
    seriousIncident: z.enum(['yes', 'no'], '重大事故の有無を選んでください。'),
  }),
);
export type PiaReviewInput = z.output<typeof piaReviewInput>;

/** The 評価書's sections, one per line. */
export const piaSectionsInput = z.lazy(() =>
  z.object({
    sections: z.pipe(
      z.string({ error: '項目を入力してください。' }),
      z.transform((s) =>
        s
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ),
  }),
);

/** A checked upload registered as the next 版. */
export const piaVersionInput = z.lazy(() =>
  z.object({
    date: isoDate('版の日付'),
    note: requiredText('変更内容', 500),
  }),
);

/** The secretariat opens the member review, until a deadline. */
export const piaOpenInput = z.lazy(() => z.object({ deadline: isoDate('点検の期限') }));

/** A member's comments: `c0`, `c1` … one per section, each optional. */
export const MAX_COMMENT = 2000;
export const piaCommentInput = (sections: number) =>
  z.object({
    comments: z.array(z.string().check(z.trim(), z.maxLength(MAX_COMMENT, `意見は${MAX_COMMENT}文字以内で入力してください。`))).check(z.length(sections)),
  });
/** The form's `c0`, `c1` … fields as the array the schema reads. */
export const commentsOf = (form: Record<string, string | string[]>, sections: number) => ({
  comments: Array.from({ length: sections }, (_, i) => [form[`c${i}`] ?? ''].flat()[0] ?? ''),
});

/** The secretariat's draft of the opinion (the form's 総評 is `general`, its findings `f0`, `f1` …). */
export const piaOpinionInput = (sections: number) =>
  z.object({
    verdict: z.enum(Object.keys(PIA_VERDICTS) as [PiaVerdict, ...PiaVerdict[]], '意見(結論)を選んでください。'),
    summary: z.string().check(z.trim(), z.maxLength(4000, '総評は4000文字以内で入力してください。')),
    findings: z.array(z.string().check(z.trim(), z.maxLength(4000, '指摘事項は4000文字以内で入力してください。'))).check(z.length(sections)),
    intent: z.enum(['save', 'submit']),
  });
export const findingsOf = (form: Record<string, string | string[]>, sections: number) => ({
  verdict: [form['verdict'] ?? ''].flat()[0],
  summary: [form['general'] ?? ''].flat()[0] ?? '',
  findings: Array.from({ length: sections }, (_, i) => [form[`f${i}`] ?? ''].flat()[0] ?? ''),
  intent: [form['intent'] ?? 'save'].flat()[0],
});

/** The chair's approval: the date the opinion carries (the secretariat: on the chair's instruction). */
export const piaApprovalInput = z.lazy(() =>
  z.object({
    issuedOn: isoDate('意見の日付'),
    onInstruction: z.optional(z.literal('yes')),
  }),
);

/** The department's dated steps after the opinion. */
export const piaStepInput = z.lazy(() =>
  z.discriminatedUnion('step', [
    z.object({ step: z.literal('public_comment'), from: isoDate('意見募集の開始日'), to: isoDate('意見募集の終了日') }),
    z.object({ step: z.literal('submitted'), on: isoDate('提出日') }),
    z.object({ step: z.literal('published'), on: isoDate('公表日') }),
    z.object({ step: z.literal('major_change'), on: isoDate('変更の予定日'), note: requiredText('変更の内容', 500) }),
  ]),
);
export type PiaStepInput = z.output<typeof piaStepInput>;

/** A member's findings on a section, for the opinion's draft: each comment with its member. */
export function prefillFindings(sections: readonly string[], comments: readonly PiaComment[]): string[] {
  return sections.map((_, i) =>
    comments
      .filter((c) => c.comments[i]?.trim())
      .map((c) => `・${c.comments[i]!.trim()}(${c.memberName}委員)`)
      .join('\n'),
  );
}

/**
 * The opinion as a Word document (laid out by the minutes' renderer, as the 答申書 is): 文書番号 and
 * date, addressed to the head of the municipality, from the council and its chair, then the
 * opinion, the summary and each section's findings.
 */
export function piaOpinionDocument(v: {
  review: PiaReview;
  council: { name: string; municipality: string };
  chairName?: string | undefined;
  departmentName?: string | undefined;
}): WordDocument {
  const r = v.review;
  const o = r.opinion;
  if (!o) throw new Error('no opinion yet');
  const version = r.versions.at(-1);
  return {
    title: `特定個人情報保護評価書の第三者点検について(意見)${o.documentNumber ? '' : '(案)'}`,
    lead: [
      { text: [o.documentNumber ?? '', o.issuedOn ? formatEraDate(o.issuedOn, { weekday: false }) : ''].filter(Boolean).join('\n'), align: 'right' },
      { text: `${v.council.municipality}長 様` },
      { text: [v.council.name, v.chairName ? `会長 ${v.chairName}` : ''].filter(Boolean).join('\n'), align: 'right' },
    ],
    sections: [
      {
        heading: '',
        blocks: [
          {
            text: `行政手続における特定の個人を識別するための番号の利用等に関する法律第28条の規定により、${v.departmentName ? `${v.departmentName}から` : ''}点検を求められた「${r.businessName}」の特定個人情報保護評価書(${PIA_TYPES[r.evaluationType]}${version ? `・第${version.n}版` : ''})について、下記のとおり意見を述べます。`,
          },
          { text: '記', align: 'center' },
        ],
      },
      { heading: '1 意見', blocks: [{ text: PIA_VERDICTS[o.verdict] }, ...(o.summary ? [{ text: o.summary }] : [])] },
      { heading: '2 項目ごとの指摘事項', blocks: r.sections.map((s, i) => ({ text: `(${i + 1}) ${s}\n${o.findings[i] || '指摘事項なし'}` })) },
    ],
    closing: [{ text: '以上', align: 'right' }],
  };
}
