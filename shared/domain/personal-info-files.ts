/**
 * 個人情報ファイル簿 (法第75条) — or, for a council still under its old ordinance, 業務届出 (the
 * register of 個人情報取扱事務): each department keeps its own entries, every change kept with
 * who, when and what; the secretariat reports the year's starts, changes and abolitions to the
 * council, and publishes the current register (HTML and CSV) on the city's website.
 *
 * One schema per variant: a council's registerVariant() decides which one its forms take.
 */
import * as z from 'zod/mini';
import { eraYear, formatEraDate, formatFiscalYear } from './era.ts';
import { ID_PATTERN } from './ids.ts';
import { isoDate, requiredText } from './schema.ts';

export type RegisterVariant = 'file_register' | 'business_register';

/** What a variant is called where people read it. */
export const REGISTER_TEXT: Record<
  RegisterVariant,
  { register: string; file: string; started: string; reportTitle: (period: string) => string; publicTitle: (municipality: string) => string }
> = {
  file_register: {
    register: '個人情報ファイル簿',
    file: '個人情報ファイル',
    started: '作成日',
    reportTitle: (period) => `個人情報ファイル簿の作成等の状況について(${period})`,
    publicTitle: (municipality) => `${municipality} 個人情報ファイル簿`,
  },
  business_register: {
    register: '業務届出(個人情報取扱事務登録簿)',
    file: '個人情報取扱事務',
    started: '開始日',
    reportTitle: (period) => `個人情報取扱事務の届出の状況について(${period})`,
    publicTitle: (municipality) => `${municipality} 個人情報取扱事務登録簿`,
  },
};

/** The smallest file the 個人情報ファイル簿 covers (法第75条第2項第3号, 施行令第20条: fewer than 1,000 people are left out). */
export const MIN_HEADCOUNT = 1000;

type FieldKind = 'text' | 'long' | 'list' | 'yesno' | 'number';
export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  hint?: string;
}

/** The fields of each variant, in the register's order: the form, the page, the public HTML and the CSV all follow it. */
export const FILE_FIELDS: Record<RegisterVariant, readonly FieldSpec[]> = {
  file_register: [
    { key: 'name', label: '個人情報ファイルの名称', kind: 'text', required: true },
    { key: 'agency', label: '行政機関等の名称', kind: 'text', required: true, hint: '例:さくら市長、さくら市教育委員会' },
    { key: 'purpose', label: '利用目的', kind: 'long', required: true },
    { key: 'items', label: '記録項目', kind: 'list', required: true, hint: '1行に1項目(例:氏名、住所、生年月日)' },
    { key: 'scope', label: '記録範囲', kind: 'long', required: true, hint: '例:市内に住所を有する者' },
    { key: 'sources', label: '記録情報の収集方法', kind: 'long', required: true },
    { key: 'sensitive', label: '要配慮個人情報の有無', kind: 'yesno', required: true },
    { key: 'recipients', label: '記録情報の経常的提供先', kind: 'long', required: false, hint: 'なければ空欄' },
    { key: 'headcount', label: '本人の数', kind: 'number', required: true, hint: '半角数字(1,000人以上のファイルが対象)' },
    { key: 'requestOffice', label: '開示請求等を受理する組織の名称及び所在地', kind: 'long', required: true },
    { key: 'specialProvisions', label: '訂正及び利用停止に関する他の法令の規定による特別の手続等', kind: 'long', required: false },
    { key: 'remarks', label: '備考', kind: 'long', required: false },
  ],
  business_register: [
    { key: 'name', label: '事務の名称', kind: 'text', required: true },
    { key: 'purpose', label: '事務の目的', kind: 'long', required: true },
    { key: 'subjects', label: '対象者の範囲', kind: 'long', required: true },
    { key: 'items', label: '記録項目', kind: 'list', required: true, hint: '1行に1項目(例:氏名、住所、生年月日)' },
    { key: 'sources', label: '収集方法', kind: 'long', required: true },
    { key: 'offsiteCollection', label: '本人外収集の有無', kind: 'yesno', required: true },
    { key: 'otherUse', label: '目的外利用の有無', kind: 'yesno', required: true },
    { key: 'externalProvision', label: '外部提供の有無', kind: 'yesno', required: true },
    { key: 'computerProcessing', label: '電算処理の有無', kind: 'yesno', required: true },
    { key: 'onlineLink', label: 'オンライン結合の有無', kind: 'yesno', required: true },
    { key: 'outsourcing', label: '委託の有無', kind: 'yesno', required: true },
    { key: 'remarks', label: '備考', kind: 'long', required: false },
  ],
};

export const YES_NO = { yes: '有', no: '無' } as const;
export type YesNo = keyof typeof YES_NO;

const LIMITS = { text: 200, long: 1000 } as const;

/**
 * The most an entry's item may take (DynamoDB's limit is 400 KB): its history lives in the item, so a
 * change that would take it past this is refused (at the field limits above, a change records at
 * most about 70 KB; a typical one well under 5 KB).
 */
export const MAX_ENTRY_BYTES = 350_000;

const required = (label: string, kind: 'text' | 'long') => requiredText(label, LIMITS[kind]);
const optional = (label: string) =>
  z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(LIMITS.long, `${label}は${LIMITS.long}文字以内で入力してください。`))),
    z.transform((v) => v || undefined),
  );
const yesNo = (label: string) => z.enum(['yes', 'no'], { error: `${label}を選んでください。` });

/** 記録項目: one per line (a textarea), blank lines dropped; at least one, each at most 100 characters, at most 100. */
const itemList = z.lazy(() =>
  z.pipe(
    z.pipe(
      z.union([z.string(), z.array(z.string())], { error: '記録項目を入力してください。' }),
      z.transform((v) =>
        [v]
          .flat()
          .flatMap((s) => s.split(/\r?\n/))
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ),
    z
      .array(z.string().check(z.maxLength(100, '記録項目は1項目100文字以内で入力してください。')))
      .check(z.minLength(1, '記録項目を1つ以上入力してください。'), z.maxLength(100, '記録項目は100項目以内で入力してください。')),
  ),
);

/** 本人の数: a whole number typed with or without digit-group commas, 1,000 or more. */
const headcount = z.lazy(() =>
  z.pipe(
    z.pipe(
      z.string({ error: '本人の数を入力してください。' }).check(
        z.trim(),
        z.minLength(1, '本人の数を入力してください。'),
        z.refine((v) => /^\d{1,3}(,\d{3})*$|^\d+$/.test(v), '本人の数は半角数字で入力してください。'),
      ),
      z.transform((v) => Number(v.replaceAll(',', ''))),
    ),
    z
      .number()
      .check(
        z.gte(MIN_HEADCOUNT, `本人の数が${MIN_HEADCOUNT.toLocaleString('ja-JP')}人未満のファイルは、個人情報ファイル簿に載せる対象ではありません。`),
        z.lte(1_000_000_000, '本人の数が大きすぎます。'),
      ),
  ),
);

/** A 個人情報ファイル as its department describes it (法第75条第1項、第74条第1項各号). */
export const fileRegisterContent = z.object({
  name: required('個人情報ファイルの名称', 'text'),
  agency: required('行政機関等の名称', 'text'),
  purpose: required('利用目的', 'long'),
  items: itemList,
  scope: required('記録範囲', 'long'),
  sources: required('記録情報の収集方法', 'long'),
  sensitive: yesNo('要配慮個人情報の有無'),
  recipients: optional('記録情報の経常的提供先'),
  headcount,
  requestOffice: required('開示請求等を受理する組織の名称及び所在地', 'long'),
  specialProvisions: optional('訂正及び利用停止に関する他の法令の規定による特別の手続等'),
  remarks: optional('備考'),
});
export type FileRegisterContent = z.output<typeof fileRegisterContent>;

/** A 個人情報取扱事務 as the old ordinance's 業務届出 described it. */
export const businessRegisterContent = z.object({
  name: required('事務の名称', 'text'),
  purpose: required('事務の目的', 'long'),
  subjects: required('対象者の範囲', 'long'),
  items: itemList,
  sources: required('収集方法', 'long'),
  offsiteCollection: yesNo('本人外収集の有無'),
  otherUse: yesNo('目的外利用の有無'),
  externalProvision: yesNo('外部提供の有無'),
  computerProcessing: yesNo('電算処理の有無'),
  onlineLink: yesNo('オンライン結合の有無'),
  outsourcing: yesNo('委託の有無'),
  remarks: optional('備考'),
});
export type BusinessRegisterContent = z.output<typeof businessRegisterContent>;

export type FileContent = FileRegisterContent | BusinessRegisterContent;

const departmentChoice = z.lazy(() =>
  z.optional(
    z.pipe(
      z.string(),
      z.transform((v) => v.trim() || undefined),
    ),
  ),
);

/** A new entry: its content, when it started (作成日 / 開始日) and — for the secretariat — whose it is. */
export const createFileCommands = {
  file_register: z.extend(fileRegisterContent, { startedOn: isoDate('作成日'), departmentId: departmentChoice }),
  business_register: z.extend(businessRegisterContent, { startedOn: isoDate('開始日'), departmentId: departmentChoice }),
} as const;
export type CreateFileCommand = z.output<(typeof createFileCommands)[RegisterVariant]>;

const version = z.lazy(() => z.coerce.number({ error: '版が正しくありません。' }).check(z.int(), z.positive()));

/** A change: the new content, the day it takes effect (変更日), from the version the form showed. */
export const changeFileCommands = {
  file_register: z.extend(fileRegisterContent, { changedOn: isoDate('変更日'), version }),
  business_register: z.extend(businessRegisterContent, { changedOn: isoDate('変更日'), version }),
} as const;
export type ChangeFileCommand = z.output<(typeof changeFileCommands)[RegisterVariant]>;

/** 廃止: the day and why, from the version the page showed. */
export const abolishFileCommand = z.lazy(() =>
  z.object({
    abolishedOn: isoDate('廃止日'),
    reason: requiredText('廃止の理由', 500),
    version,
  }),
);
export type AbolishFileCommand = z.output<typeof abolishFileCommand>;

/** One change to an entry, kept for good: who, when, which day it took effect, and what changed. */
export interface FileHistoryEntry {
  version: number;
  at: string;
  by: { userId: string; name: string };
  action: 'created' | 'changed' | 'abolished';
  /** The day it took effect: 作成日, 変更日 or 廃止日. */
  on: string;
  changes?: { field: string; label: string; before: string; after: string }[];
  reason?: string;
}

/** What each step is called: a file is 作成 (made); a 事務 under the old ordinance is 開始 (begun). */
export const HISTORY_ACTIONS: Record<RegisterVariant, Record<FileHistoryEntry['action'], string>> = {
  file_register: { created: '作成', changed: '変更', abolished: '廃止' },
  business_register: { created: '開始', changed: '変更', abolished: '廃止' },
};

export interface PersonalInfoFile {
  councilId: string;
  fileId: string;
  departmentId: string;
  variant: RegisterVariant;
  content: FileContent;
  startedOn: string;
  abolished?: { on: string; reason: string } | undefined;
  history: FileHistoryEntry[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The content fields of a command (the variant's schema keys), without the form's own fields. */
export function contentOf(variant: RegisterVariant, command: Record<string, unknown>): FileContent {
  const content: Record<string, unknown> = {};
  for (const f of FILE_FIELDS[variant]) if (command[f.key] !== undefined) content[f.key] = command[f.key];
  return content as unknown as FileContent;
}

/** A field's value as people read it (the page, the public register, the CSV, the history). */
export function fieldText(spec: Pick<FieldSpec, 'kind'>, value: unknown, { listSeparator = '、' } = {}): string {
  if (value === undefined || value === null || value === '') return '';
  if (spec.kind === 'list') return (value as string[]).join(listSeparator);
  if (spec.kind === 'yesno') return YES_NO[value as YesNo] ?? '';
  if (spec.kind === 'number') return `${(value as number).toLocaleString('ja-JP')}人`;
  return String(value);
}

/** What a form shows for an entry: its values as typed (記録項目 one per line). */
export function formValuesOf(file: Pick<PersonalInfoFile, 'variant' | 'content'>): Record<string, string> {
  const values: Record<string, string> = {};
  const content = file.content as unknown as Record<string, unknown>;
  for (const f of FILE_FIELDS[file.variant]) {
    const v = content[f.key];
    if (v === undefined) continue;
    values[f.key] = f.kind === 'list' ? (v as string[]).join('\n') : String(v);
  }
  return values;
}

/** The fields whose value differs between two contents, with both values as people read them. */
export function contentChanges(variant: RegisterVariant, before: FileContent, after: FileContent): NonNullable<FileHistoryEntry['changes']> {
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  return FILE_FIELDS[variant]
    .filter((f) => JSON.stringify(b[f.key] ?? null) !== JSON.stringify(a[f.key] ?? null))
    .map((f) => ({ field: f.key, label: f.label, before: fieldText(f, b[f.key]), after: fieldText(f, a[f.key]) }));
}

/** 変更日s: the days the entry was changed, in order. */
export const changeDays = (file: Pick<PersonalInfoFile, 'history'>) => file.history.filter((h) => h.action === 'changed').map((h) => h.on);

// ── The yearly report ────────────────────────────────────────────────────────────────────────

export const PERIOD_KINDS = { fiscal: '年度(4月〜翌年3月)', calendar: '暦年(1月〜12月)' } as const;
export type PeriodKind = keyof typeof PERIOD_KINDS;

/** The period a report covers: its first and last day, and its name (令和7年度, 令和7年). */
export interface ReportPeriod {
  kind: PeriodKind;
  year: number;
  from: string;
  to: string;
  label: string;
  /** A key-safe name of the period: the agenda item made for it is found again by it. */
  key: string;
}

export function reportPeriod(kind: PeriodKind, year: number): ReportPeriod {
  if (kind === 'fiscal') {
    return { kind, year, from: `${year}-04-01`, to: `${year + 1}-03-31`, label: formatFiscalYear(year), key: `fy${year}` };
  }
  const { era, year: y } = eraYear(`${year}-12-31`);
  return { kind, year, from: `${year}-01-01`, to: `${year}-12-31`, label: `${era}${y === 1 ? '元' : y}年`, key: `cy${year}` };
}

/** The secretariat's choice: a period and the planned meeting whose agenda takes the report. */
export const yearlyReportCommand = z.lazy(() =>
  z.object({
    periodKind: z.enum(['fiscal', 'calendar'], { error: '期間の区切りを選んでください。' }),
    year: z.pipe(
      z.string({ error: '年を入力してください。' }).check(z.trim(), z.regex(/^\d{4}$/, '年は西暦4桁の半角数字で入力してください(例:2025)。')),
      z.transform(Number),
    ),
    meetingId: z.string({ error: '報告する会議を選んでください。' }).check(z.regex(ID_PATTERN, '報告する会議を選んでください。')),
  }),
);
export type YearlyReportCommand = z.output<typeof yearlyReportCommand>;

/** One line of the report: an entry started, changed or abolished within the period. */
export interface RegisterEvent {
  on: string;
  action: FileHistoryEntry['action'];
  fileId: string;
  departmentId: string;
  name: string;
  /** The fields changed (変更), or the reason (廃止). */
  detail?: string;
}

const inPeriod = (day: string, p: Pick<ReportPeriod, 'from' | 'to'>) => day >= p.from && day <= p.to;

/** Every start, change and abolition whose day falls within the period, by day then department then name. */
export function registerEvents(files: readonly PersonalInfoFile[], period: Pick<ReportPeriod, 'from' | 'to'>): RegisterEvent[] {
  const events: RegisterEvent[] = [];
  for (const f of files) {
    const base = { fileId: f.fileId, departmentId: f.departmentId, name: f.content.name };
    for (const h of f.history) {
      if (!inPeriod(h.on, period)) continue;
      if (h.action === 'created') events.push({ ...base, on: h.on, action: 'created' });
      if (h.action === 'changed') events.push({ ...base, on: h.on, action: 'changed', detail: (h.changes ?? []).map((c) => c.label).join('、') });
      if (h.action === 'abolished') events.push({ ...base, on: h.on, action: 'abolished', ...(h.reason ? { detail: h.reason } : {}) });
    }
  }
  const rank = { created: 0, changed: 1, abolished: 2 };
  return events.sort(
    (a, b) => rank[a.action] - rank[b.action] || a.on.localeCompare(b.on) || a.departmentId.localeCompare(b.departmentId) || a.name.localeCompare(b.name),
  );
}

/** The report item's details: counts, then the list under 作成 / 変更 / 廃止, each line dated in 和暦 with its department. */
export function reportText(
  variant: RegisterVariant,
  period: ReportPeriod,
  events: readonly RegisterEvent[],
  departmentName: (departmentId: string) => string,
): string {
  const text = REGISTER_TEXT[variant];
  const count = (a: FileHistoryEntry['action']) => events.filter((e) => e.action === a).length;
  const actions = HISTORY_ACTIONS[variant];
  const lines = [
    `${period.label}(${formatEraDate(period.from, { weekday: false })}〜${formatEraDate(period.to, { weekday: false })})の${text.file}の${Object.values(actions).join('・')}`,
    `${actions.created} ${count('created')}件、${actions.changed} ${count('changed')}件、${actions.abolished} ${count('abolished')}件`,
  ];
  for (const action of ['created', 'changed', 'abolished'] as const) {
    const of = events.filter((e) => e.action === action);
    lines.push('', `【${actions[action]}】`);
    if (!of.length) lines.push('なし');
    for (const e of of) {
      const detail = e.detail ? (action === 'changed' ? `(変更した項目:${e.detail})` : `(理由:${e.detail})`) : '';
      lines.push(`・${formatEraDate(e.on, { weekday: false })} ${departmentName(e.departmentId)} ${e.name}${detail}`);
    }
  }
  return lines.join('\n');
}

/** The current entries of the public register: not abolished, by department then name. */
export function currentFiles(files: readonly PersonalInfoFile[], departmentName: (id: string) => string): PersonalInfoFile[] {
  return files
    .filter((f) => !f.abolished)
    .sort((a, b) => departmentName(a.departmentId).localeCompare(departmentName(b.departmentId), 'ja') || a.content.name.localeCompare(b.content.name, 'ja'));
}

/** The public register's columns (no internal ids): the variant's fields, the department, the dates. */
export function publicColumns(variant: RegisterVariant): string[] {
  const fields = FILE_FIELDS[variant].map((f) => f.label);
  return [fields[0]!, '所管課', ...fields.slice(1), REGISTER_TEXT[variant].started, '変更日'];
}

/** One entry as a row of the public register, in publicColumns' order (記録項目 one per line in a cell). */
export function publicRow(file: PersonalInfoFile, departmentName: string): string[] {
  const content = file.content as unknown as Record<string, unknown>;
  const values = FILE_FIELDS[file.variant].map((f) => fieldText(f, content[f.key], { listSeparator: '\n' }));
  const era = (d: string) => formatEraDate(d, { weekday: false });
  return [values[0]!, departmentName, ...values.slice(1), era(file.startedOn), changeDays(file).map(era).join('\n')];
}
