import * as z from 'zod/mini';
import { formatEraDate } from './era.ts';
import { addDays, tokyoDate } from './followups.ts';
import { ID_PATTERN } from './ids.ts';
import { isoDate, isRealDate, requiredText } from './schema.ts';

/**
 * 漏えい等事案 (個人情報保護法第68条): a leak, loss, damage or suspected misuse of personal
 * information the city holds. The department reports it to the 個人情報保護委員会 — 速報 promptly
 * (about 3 to 5 days after it knew), 確報 within 30 days (60 where an unlawful purpose is
 * suspected) — notifies the people concerned, carries out recurrence-prevention measures
 * (followed up as the council's conditions are), and the incident is reported to the council.
 */
export const INCIDENT_KINDS = {
  leak: '漏えい',
  loss: '滅失',
  damage: '毀損',
  misuse: '不正利用のおそれ',
} as const;
export type IncidentKind = keyof typeof INCIDENT_KINDS;

export const SECONDARY_DAMAGE = {
  none: 'なし(確認されていない)',
  possible: 'おそれあり',
  occurred: 'あり',
} as const;
export type SecondaryDamage = keyof typeof SECONDARY_DAMAGE;

/** The two reports to the 個人情報保護委員会. */
export const PPC_REPORTS = { preliminary: '速報', final: '確報' } as const;
export type PpcReport = keyof typeof PPC_REPORTS;

export type IncidentStatus = 'open' | 'closed';
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = { open: '対応中', closed: '完了' };

/** What the department records of the incident itself (the form). */
export interface IncidentFacts {
  /** 件名: a short name (「USBメモリの紛失」). */
  title: string;
  /** 事案の概要. */
  overview: string;
  occurredOn: string;
  /** 覚知日: the day the city knew; the deadlines count from it. */
  foundOn: string;
  departmentId: string;
  /** 対象となった本人の数. */
  affectedCount: number;
  /** 漏えい等した個人情報の項目. */
  dataItems: string;
  /** Whether 要配慮個人情報 was among them. */
  sensitive: boolean;
  /** 委託先 involved, if any. */
  vendor?: string | undefined;
  kind: IncidentKind;
  /** 不正の目的によるおそれ: the 確報 is due in 60 days instead of 30. */
  unlawfulPurpose: boolean;
  cause: string;
  secondaryDamage: SecondaryDamage;
}

/** A report to the 個人情報保護委員会 as submitted. */
export interface PpcSubmission {
  submittedOn: string;
  at: string;
  by: string;
}

/** 本人への通知: when, how and to how many — or why not. */
export type PersonNotice =
  | { notified: true; notifiedOn: string; method: string; count: number; at: string; by: string }
  | { notified: false; reason: string; at: string; by: string };

/** One change of the record: who, when, what. */
export interface IncidentChange {
  at: string;
  by: string;
  what: string;
}

export interface Incident extends IncidentFacts {
  councilId: string;
  incidentId: string;
  status: IncidentStatus;
  reports: { preliminary?: PpcSubmission | undefined; final?: PpcSubmission | undefined };
  notice?: PersonNotice | undefined;
  /** Where the council heard it: the report item put on a meeting's agenda. */
  council?: { meetingId: string; itemId: string; at: string } | undefined;
  /** Measures (再発防止策) are follow-ups of this incident: how many were made (their ids count on). */
  measures: number;
  /** Reminders and escalations sent, as `<report>:<due>:<kind>`, so a job run twice mails once. */
  notified: string[];
  history: IncidentChange[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  closedAt?: string | undefined;
  version: number;
}

/** The days the 速報 window and the 確報 limit are counted in. */
export const PRELIMINARY_WINDOW = { from: 3, to: 5 } as const;
export const FINAL_DAYS = { usual: 30, unlawful: 60 } as const;

export interface Deadline {
  report: PpcReport;
  /** The last day (YYYY-MM-DD). */
  due: string;
  /** How the law words it, for people. */
  rule: string;
}

/**
 * The two deadlines from the day the city knew: the 速報 「概ね3〜5日以内」 (due on the fifth day),
 * the 確報 within 30 days, or 60 where an unlawful purpose is suspected.
 */
export function incidentDeadlines(i: Pick<IncidentFacts, 'foundOn' | 'unlawfulPurpose'>): Record<PpcReport, Deadline> {
  const finalDays = i.unlawfulPurpose ? FINAL_DAYS.unlawful : FINAL_DAYS.usual;
  return {
    preliminary: { report: 'preliminary', due: addDays(i.foundOn, PRELIMINARY_WINDOW.to), rule: '覚知から概ね3〜5日以内' },
    final: {
      report: 'final',
      due: addDays(i.foundOn, finalDays),
      rule: i.unlawfulPurpose ? '覚知から60日以内(不正の目的によるおそれがあるため)' : '覚知から30日以内',
    },
  };
}

/** 「令和8年12月5日(土)まで(覚知から概ね3〜5日以内)」. */
export const deadlineText = (d: Deadline) => `${formatEraDate(d.due)}まで(${d.rule})`;

export type IncidentNoticeKind = 'before' | 'dayof' | 'overdue';

/**
 * What the daily job should send for an incident today, per report not yet submitted: a reminder
 * to the department two days before (and the day before) — once —, one on the day, and an
 * escalation to the manager and the secretariat once overdue. Each once per report and due date.
 */
export function incidentNoticesDue(i: Pick<Incident, 'status' | 'foundOn' | 'unlawfulPurpose' | 'reports' | 'notified'>, now: Date) {
  if (i.status !== 'open') return [];
  const today = tokyoDate(now);
  const out: { report: PpcReport; due: string; kind: IncidentNoticeKind; key: string }[] = [];
  for (const d of Object.values(incidentDeadlines(i))) {
    if (i.reports[d.report]) continue;
    const kind: IncidentNoticeKind | undefined = today > d.due ? 'overdue' : today === d.due ? 'dayof' : today >= addDays(d.due, -2) ? 'before' : undefined;
    const key = `${d.report}:${d.due}:${kind}`;
    if (kind && !i.notified.includes(key)) out.push({ report: d.report, due: d.due, kind, key });
  }
  return out;
}

/** Whether a report is late: its due day has passed and it was not submitted (or was submitted after it). */
export const isOverdue = (i: Pick<Incident, 'reports' | 'foundOn' | 'unlawfulPurpose' | 'status'>, report: PpcReport, today: string) =>
  i.status === 'open' && !i.reports[report] && today > incidentDeadlines(i)[report].due;

// ── Forms ─────────────────────────────────────────────────────────────────────────────────

const optional = (label: string, max: number) =>
  z.pipe(
    z.pipe(
      z.optional(z.string().check(z.trim())),
      z.transform((v) => v || undefined),
    ),
    z.optional(z.string().check(z.maxLength(max, `${label}は${max}文字以内で入力してください。`))),
  );

const yesNo = (message: string) =>
  z.pipe(
    z.enum(['yes', 'no'], { error: message }),
    z.transform((v) => v === 'yes'),
  );

/** The incident form: what happened, to whom, which data, why. */
export const incidentInput = z.lazy(() =>
  z
    .object({
      title: requiredText('件名', 100),
      overview: requiredText('事案の概要', 4000),
      occurredOn: isoDate('発生日'),
      foundOn: isoDate('覚知日'),
      departmentId: z.string({ error: '所管課を選んでください。' }).check(z.regex(ID_PATTERN, '所管課を選んでください。')),
      affectedCount: z.pipe(
        z
          .string({ error: '対象となった本人の数を入力してください。' })
          .check(z.trim(), z.regex(/^\d{1,9}$/, '対象となった本人の数は0以上の整数で入力してください。')),
        z.transform(Number),
      ),
      dataItems: requiredText('漏えい等した個人情報の項目', 2000),
      sensitive: yesNo('要配慮個人情報が含まれるかを選んでください。'),
      vendor: optional('委託先', 100),
      kind: z.enum(Object.keys(INCIDENT_KINDS) as [IncidentKind, ...IncidentKind[]], { error: '事案の種類を選んでください。' }),
      unlawfulPurpose: yesNo('不正の目的によるおそれの有無を選んでください。'),
      cause: requiredText('原因', 4000),
      secondaryDamage: z.enum(Object.keys(SECONDARY_DAMAGE) as [SecondaryDamage, ...SecondaryDamage[]], { error: '二次被害の有無を選んでください。' }),
    })
    .check(
      z.refine((v) => !isRealDate(v.occurredOn) || !isRealDate(v.foundOn) || v.occurredOn <= v.foundOn, {
        message: '覚知日は発生日と同じ日か、それより後にしてください。',
        path: ['foundOn'],
      }),
    ),
);
export type IncidentInput = z.output<typeof incidentInput>;

/** The new-incident form's own id (a hidden field): posting it twice records one incident. */
export const requestIdInput = z.lazy(() =>
  z.object({
    requestId: z.string({ error: 'フォームを開き直してください。' }).check(z.regex(ID_PATTERN, 'フォームを開き直してください。')),
  }),
);

/** The version an edit was made over (optimistic lock). */
export const versionInput = z.lazy(() => z.object({ version: z.coerce.number().check(z.int(), z.positive()) }));

/** A report to the 個人情報保護委員会 submitted on a day. */
export const submissionInput = z.lazy(() =>
  z.object({
    report: z.enum(['preliminary', 'final'], { error: '速報か確報かを選んでください。' }),
    submittedOn: isoDate('提出日'),
  }),
);
export type SubmissionInput = z.output<typeof submissionInput>;

/** 本人への通知, or why the people were not notified. */
export const personNoticeInput = z.lazy(() =>
  z.discriminatedUnion(
    'notified',
    [
      z.object({
        notified: z.literal('yes'),
        notifiedOn: isoDate('通知日'),
        method: requiredText('通知の方法', 200),
        count: z.pipe(
          z.string({ error: '通知した人数を入力してください。' }).check(z.trim(), z.regex(/^\d{1,9}$/, '通知した人数は0以上の整数で入力してください。')),
          z.transform(Number),
        ),
      }),
      z.object({ notified: z.literal('no'), reason: requiredText('通知しない理由', 2000) }),
    ],
    { error: '本人へ通知したかどうかを選んでください。' },
  ),
);
export type PersonNoticeInput = z.output<typeof personNoticeInput>;

/** A recurrence-prevention measure: what, by when (the incident's department carries it out). */
export const measureInput = z.lazy(() =>
  z.object({
    text: requiredText('再発防止策の内容', 2000),
    due: isoDate('実施の期限'),
  }),
);
export type MeasureInput = z.output<typeof measureInput>;

/** The field labels, for the record's history. */
export const INCIDENT_FIELD_LABELS: Record<keyof IncidentFacts, string> = {
  title: '件名',
  overview: '事案の概要',
  occurredOn: '発生日',
  foundOn: '覚知日',
  departmentId: '所管課',
  affectedCount: '対象となった本人の数',
  dataItems: '個人情報の項目',
  sensitive: '要配慮個人情報',
  vendor: '委託先',
  kind: '事案の種類',
  unlawfulPurpose: '不正の目的によるおそれ',
  cause: '原因',
  secondaryDamage: '二次被害',
};

/** What changed between two versions of the facts, for the history: 「覚知日(2026-12-01 → 2026-12-02)、原因」. */
export function describeChanges(before: IncidentFacts, after: IncidentFacts): string {
  const short = (v: unknown) => (typeof v === 'boolean' ? (v ? 'あり' : 'なし') : String(v ?? ''));
  return (Object.keys(INCIDENT_FIELD_LABELS) as (keyof IncidentFacts)[])
    .filter((k) => short(before[k]) !== short(after[k]))
    .map((k) => {
      const a = short(before[k]);
      const b = short(after[k]);
      return a.length <= 20 && b.length <= 20 ? `${INCIDENT_FIELD_LABELS[k]}(${a || '空欄'} → ${b || '空欄'})` : INCIDENT_FIELD_LABELS[k];
    })
    .join('、');
}

/** The council's report item for an incident: 「漏えい等事案について(市民課)」 with a summary. */
export function reportItemOf(i: Incident, departmentName: string): { title: string; text: string } {
  const d = incidentDeadlines(i);
  const lines = [
    `件名:${i.title}`,
    `事案の種類:${INCIDENT_KINDS[i.kind]}`,
    `発生日:${formatEraDate(i.occurredOn, { weekday: false })} 覚知日:${formatEraDate(i.foundOn, { weekday: false })}`,
    `対象となった本人の数:${i.affectedCount}人(要配慮個人情報${i.sensitive ? 'を含む' : 'を含まない'})`,
    `個人情報の項目:${i.dataItems}`,
    ...(i.vendor ? [`委託先:${i.vendor}`] : []),
    `概要:${i.overview}`,
    `原因:${i.cause}`,
    `二次被害:${SECONDARY_DAMAGE[i.secondaryDamage]}`,
    `個人情報保護委員会への報告:速報 ${i.reports.preliminary ? `${formatEraDate(i.reports.preliminary.submittedOn, { weekday: false })}提出` : `未提出(期限 ${formatEraDate(d.preliminary.due, { weekday: false })})`}、確報 ${i.reports.final ? `${formatEraDate(i.reports.final.submittedOn, { weekday: false })}提出` : `未提出(期限 ${formatEraDate(d.final.due, { weekday: false })})`}`,
    `本人への通知:${i.notice ? (i.notice.notified ? `${formatEraDate(i.notice.notifiedOn, { weekday: false })} ${i.notice.method}により${i.notice.count}人に通知` : `通知せず(${i.notice.reason})`) : '未記録'}`,
  ];
  return { title: `漏えい等事案について(${departmentName})`, text: lines.join('\n') };
}
