import * as z from 'zod/mini';
import { isoDate, isRealDate } from './schema.ts';

/**
 * The consultation form (審議票): one schema for the page, the API and the tests.
 * `consultationSubmission` is what a department must complete to submit;
 * `consultationDraft` accepts any partial form (so nothing typed is ever lost) but
 * still limits lengths and types.
 */

export const TRIGGERS = {
  third_party_collection: '本人外収集',
  sensitive: '要配慮個人情報の収集',
  purpose_change: '目的外利用・提供',
  computer_processing: '電子計算機処理(新規・重要な変更)',
  online_link: 'オンライン結合(クラウド化を含む)',
  outsourcing: '委託・再委託',
} as const;
export type Trigger = keyof typeof TRIGGERS;

export const TRANSFER_MEANS = {
  paper: '紙',
  usb: 'USBメモリ等の電子媒体',
  file_transfer: 'ファイル転送サービス',
  online: 'オンライン回線',
  email: '電子メール',
  other: 'その他',
} as const;
export type TransferMeans = keyof typeof TRANSFER_MEANS;

export const CERTIFICATIONS = {
  privacy_mark: 'プライバシーマーク',
  isms: 'ISMS(ISO/IEC 27001)',
  both: 'プライバシーマーク及びISMS',
  none: 'なし',
} as const;
export type Certification = keyof typeof CERTIFICATIONS;

/** Labels for every field, used in errors, on the page and in the printed form. */
export const FIELD_LABELS = {
  title: '件名',
  contactName: '担当者',
  contactPhone: '電話番号(内線)',
  triggers: '諮問の区分',
  purpose: '目的',
  businessName: '個人情報取扱事務の名称',
  businessRegistration: '登録番号',
  items: '個人情報の項目',
  subjects: '対象者の範囲',
  subjectCount: '対象者数',
  flows: '個人情報の流れ',
  vendor: '委託先',
  linkedSystem: '結合先',
  technicalSafeguards: '安全対策(電算処理面)',
  operationalSafeguards: '安全対策(運用面)',
  retention: '保存期間',
  disposal: '廃棄方法',
  plannedStart: '開始予定日',
} as const;

/** The most rows each repeated group of the form may have. */
export const ROW_LIMITS = { items: 100, flows: 50 } as const;

const text = (label: string, max: number) =>
  z.string({ error: `${label}を入力してください。` }).check(z.trim(), z.maxLength(max, `${label}は${max}文字以内で入力してください。`));
const required = (label: string, max: number) => text(label, max).check(z.minLength(1, `${label}を入力してください。`));

const checkbox = z.pipe(
  z.optional(z.union([z.literal('on'), z.literal('true'), z.literal(true), z.literal(''), z.literal(false)], { error: 'チェックの値が正しくありません。' })),
  z.transform((v) => v === 'on' || v === 'true' || v === true),
);

export const dataItem = z.object({
  name: required('項目名', 60),
  sensitive: checkbox,
});

export const dataFlow = z.object({
  from: required('送付元', 60),
  to: required('送付先', 60),
  what: required('送付する情報', 120),
  means: z.enum(Object.keys(TRANSFER_MEANS) as [TransferMeans, ...TransferMeans[]], { error: '送付方法を選んでください。' }),
});

export const vendor = z.object({
  name: required('委託先の名称', 80),
  certification: z.enum(Object.keys(CERTIFICATIONS) as [Certification, ...Certification[]], { error: '認証の有無を選んでください。' }),
  certificationExpiry: z
    .optional(z.string().check(z.trim()))
    .check(z.refine((v) => !v || (/^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v)), '認証の有効期限を年-月-日の形で入力してください。')),
  subcontractors: z.optional(text('再委託先', 400)),
});

export const linkedSystem = z.object({
  party: required('結合先', 80),
  system: required('結合するシステム', 80),
  line: required('回線', 80),
});

const trigger = z.enum(Object.keys(TRIGGERS) as [Trigger, ...Trigger[]], { error: '諮問の区分の選択が正しくありません。' });

const fields = {
  title: required(FIELD_LABELS.title, 100),
  contactName: required(FIELD_LABELS.contactName, 40),
  contactPhone: required(FIELD_LABELS.contactPhone, 30),
  triggers: z.pipe(
    z
      .array(trigger, { error: '諮問の区分を選んでください。' })
      .check(z.minLength(1, '諮問の区分を一つ以上選んでください。'), z.maxLength(6, '諮問の区分の選択が正しくありません。')),
    z.transform((ts) => [...new Set(ts)]),
  ),
  purpose: required(FIELD_LABELS.purpose, 2000),
  businessName: required(FIELD_LABELS.businessName, 100),
  businessRegistration: z.optional(text(FIELD_LABELS.businessRegistration, 30)),
  items: z
    .array(dataItem, { error: '個人情報の項目を入力してください。' })
    .check(z.minLength(1, '個人情報の項目を一つ以上入力してください。'), z.maxLength(ROW_LIMITS.items, `個人情報の項目は${ROW_LIMITS.items}件までです。`)),
  subjects: required(FIELD_LABELS.subjects, 400),
  subjectCount: z.pipe(
    z.pipe(
      // Digits only: Number() alone would also take '0x10' or '1e3'.
      z.transform((v: unknown) =>
        typeof v === 'string' ? (v.trim() === '' ? undefined : /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : Number.NaN) : v,
      ),
      z.number({ error: (issue) => (issue.input === undefined ? '対象者数を入力してください。' : '対象者数は数字で入力してください。') }),
    ),
    z
      .number()
      .check(z.int('対象者数は整数で入力してください。'), z.gte(0, '対象者数は0以上で入力してください。'), z.lte(100_000_000, '対象者数が大きすぎます。')),
  ),
  flows: z
    .array(dataFlow, { error: '個人情報の流れを入力してください。' })
    .check(z.minLength(1, '個人情報の流れを一つ以上入力してください。'), z.maxLength(ROW_LIMITS.flows, `個人情報の流れは${ROW_LIMITS.flows}件までです。`)),
  vendor: z.optional(vendor),
  linkedSystem: z.optional(linkedSystem),
  technicalSafeguards: required(FIELD_LABELS.technicalSafeguards, 4000),
  operationalSafeguards: required(FIELD_LABELS.operationalSafeguards, 4000),
  retention: required(FIELD_LABELS.retention, 200),
  disposal: required(FIELD_LABELS.disposal, 400),
  plannedStart: isoDate(FIELD_LABELS.plannedStart),
};

/**
 * Sections that do not apply to the ticked triggers are dropped before validation, so a
 * vendor typed before 委託 was unticked neither blocks the submission nor reaches the council.
 */
function dropInapplicable(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const form = { ...(input as Record<string, unknown>) };
  const triggers = Array.isArray(form['triggers']) ? (form['triggers'] as unknown[]) : [];
  if (!triggers.includes('outsourcing')) delete form['vendor'];
  if (!triggers.includes('online_link')) delete form['linkedSystem'];
  const vendor = form['vendor'] as Record<string, unknown> | undefined;
  if (vendor?.['certification'] === 'none') form['vendor'] = { ...vendor, certificationExpiry: undefined };
  return form;
}

/** A complete form, ready to submit. Vendor fields are required for 委託, the linked system for オンライン結合. */
export const consultationSubmission = z.pipe(
  z.transform(dropInapplicable),
  z.object(fields).check(
    z.superRefine((form, ctx) => {
      if (form.triggers.includes('outsourcing')) {
        if (!form.vendor) ctx.addIssue({ code: 'custom', path: ['vendor', 'name'], message: '委託の場合は委託先の名称を入力してください。' });
        else if (form.vendor.certification !== 'none' && !form.vendor.certificationExpiry) {
          ctx.addIssue({ code: 'custom', path: ['vendor', 'certificationExpiry'], message: '認証の有効期限を年-月-日の形で入力してください。' });
        }
      }
      if (form.triggers.includes('online_link') && !form.linkedSystem) {
        ctx.addIssue({ code: 'custom', path: ['linkedSystem', 'party'], message: 'オンライン結合の場合は結合先を入力してください。' });
      }
    }),
  ),
);
export type ConsultationForm = z.output<typeof consultationSubmission>;

/** A draft: every field optional and free of cross-field rules, but still bounded. */
export const consultationDraft = z.object({
  title: required(FIELD_LABELS.title, 100),
  contactName: z.optional(text(FIELD_LABELS.contactName, 40)),
  contactPhone: z.optional(text(FIELD_LABELS.contactPhone, 30)),
  triggers: z.optional(z.array(trigger).check(z.maxLength(6, '諮問の区分の選択が正しくありません。'))),
  purpose: z.optional(text(FIELD_LABELS.purpose, 2000)),
  businessName: z.optional(text(FIELD_LABELS.businessName, 100)),
  businessRegistration: z.optional(text(FIELD_LABELS.businessRegistration, 30)),
  items: z.optional(
    z
      .array(z.object({ name: z.optional(text('項目名', 60)), sensitive: checkbox }))
      .check(z.maxLength(ROW_LIMITS.items, `個人情報の項目は${ROW_LIMITS.items}件までです。`)),
  ),
  subjects: z.optional(text(FIELD_LABELS.subjects, 400)),
  subjectCount: z.optional(z.union([z.number(), text(FIELD_LABELS.subjectCount, 12)])),
  flows: z.optional(
    z
      .array(
        z.object({
          from: z.optional(text('送付元', 60)),
          to: z.optional(text('送付先', 60)),
          what: z.optional(text('送付する情報', 120)),
          means: z.optional(text('送付方法', 20)),
        }),
      )
      .check(z.maxLength(ROW_LIMITS.flows, `個人情報の流れは${ROW_LIMITS.flows}件までです。`)),
  ),
  vendor: z.optional(
    z.object({
      name: z.optional(text('委託先の名称', 80)),
      certification: z.optional(text('認証', 20)),
      certificationExpiry: z.optional(text('有効期限', 10)),
      subcontractors: z.optional(text('再委託先', 400)),
    }),
  ),
  linkedSystem: z.optional(
    z.object({ party: z.optional(text('結合先', 80)), system: z.optional(text('結合するシステム', 80)), line: z.optional(text('回線', 80)) }),
  ),
  technicalSafeguards: z.optional(text(FIELD_LABELS.technicalSafeguards, 4000)),
  operationalSafeguards: z.optional(text(FIELD_LABELS.operationalSafeguards, 4000)),
  retention: z.optional(text(FIELD_LABELS.retention, 200)),
  disposal: z.optional(text(FIELD_LABELS.disposal, 400)),
  plannedStart: z.optional(text(FIELD_LABELS.plannedStart, 10)),
});
export type ConsultationDraft = z.output<typeof consultationDraft>;

type FormValue = string | string[] | undefined;

/** Single fields, and the fields of the one-off sections, the form may post. */
const SCALAR_FIELDS = new Set([
  'title',
  'contactName',
  'contactPhone',
  'purpose',
  'businessName',
  'businessRegistration',
  'subjects',
  'subjectCount',
  'technicalSafeguards',
  'operationalSafeguards',
  'retention',
  'disposal',
  'plannedStart',
]);
const SECTION_FIELDS: Record<'vendor' | 'linkedSystem', ReadonlySet<string>> = {
  vendor: new Set(['name', 'certification', 'certificationExpiry', 'subcontractors']),
  linkedSystem: new Set(['party', 'system', 'line']),
};
type RowGroup = keyof typeof ROW_LIMITS;
const ROW_FIELDS: Record<RowGroup, ReadonlySet<string>> = {
  items: new Set(['name', 'sensitive']),
  flows: new Set(['from', 'to', 'what', 'means']),
};
/** `items.12.name`: a row index written plainly (no leading zeros), below 1000. */
const ROW_FIELD = /^(items|flows)\.(0|[1-9]\d{0,2})\.(\w+)$/;
/** At most this many distinct triggers reach the schema: one more than there are, so an odd form still gets its error. */
const MAX_TRIGGERS = Object.keys(TRIGGERS).length + 1;

const lastOf = (raw: FormValue) => (Array.isArray(raw) ? raw[raw.length - 1] : raw);
const isBlankRow = (row: Record<string, unknown>) => Object.entries(row).every(([key, v]) => key === 'sensitive' || typeof v !== 'string' || v.trim() === '');

/** A posted form sorted into its parts in one pass over its fields. */
interface GroupedForm {
  scalars: Record<string, unknown>;
  triggers: string[] | undefined;
  sections: Partial<Record<keyof typeof SECTION_FIELDS, Record<string, unknown>>>;
  /** Whether any field of the group was posted, even one that is ignored. */
  posted: Record<RowGroup, boolean>;
  /** The non-blank rows by their index as posted, in order. */
  kept: Record<RowGroup, { index: number; row: Record<string, unknown> }[]>;
}

/**
 * Every field name is looked at once: known names are sorted into scalars, sections and rows,
 * anything else (or a crafted name) is ignored, never walked into. The result is kept per form
 * object, since the checks of one request read the same form for the values and for every error path.
 */
const groupedForms = new WeakMap<object, GroupedForm>();
function grouped(form: Record<string, FormValue>): GroupedForm {
  const known = groupedForms.get(form);
  if (known) return known;
  const scalars: Record<string, unknown> = {};
  const sections: GroupedForm['sections'] = {};
  const rows: Record<RowGroup, Map<number, Record<string, unknown>>> = { items: new Map(), flows: new Map() };
  const posted = { items: false, flows: false };
  let triggers: string[] | undefined;
  for (const [name, raw] of Object.entries(form)) {
    if (name === 'triggers') {
      triggers = [...new Set(([] as string[]).concat(raw ?? []).filter(Boolean))].slice(0, MAX_TRIGGERS);
      continue;
    }
    if (SCALAR_FIELDS.has(name)) {
      scalars[name] = lastOf(raw);
      continue;
    }
    const dot = name.indexOf('.');
    const head = dot === -1 ? name : name.slice(0, dot);
    if (head === 'vendor' || head === 'linkedSystem') {
      const field = name.slice(dot + 1);
      if (dot !== -1 && SECTION_FIELDS[head].has(field)) (sections[head] ??= {})[field] = lastOf(raw);
      continue;
    }
    if (head !== 'items' && head !== 'flows') continue;
    posted[head] = true;
    const m = ROW_FIELD.exec(name);
    if (!m || !ROW_FIELDS[head].has(m[3]!)) continue;
    const index = Number(m[2]);
    const row = rows[head].get(index) ?? {};
    row[m[3]!] = lastOf(raw);
    rows[head].set(index, row);
  }
  const kept = (g: Map<number, Record<string, unknown>>) =>
    [...g]
      .filter(([, row]) => !isBlankRow(row))
      .sort(([a], [b]) => a - b)
      .map(([index, row]) => ({ index, row }));
  const result = { scalars, triggers, sections, posted, kept: { items: kept(rows.items), flows: kept(rows.flows) } };
  groupedForms.set(form, result);
  return result;
}

/**
 * Turns flat form fields (`items.0.name`, `vendor.name`, repeated `triggers`) into the
 * nested shape the schemas read, in time linear in the size of the form. Rows left entirely
 * blank are dropped, so the spare empty rows a page offers never count as input. A group with
 * more rows than it may have passes one row over its limit, so the schema's limit error shows
 * while the rows beyond it are never validated (a form of thousands of rows costs no more than this).
 */
export function formToObject(form: Record<string, FormValue>): Record<string, unknown> {
  const g = grouped(form);
  const out: Record<string, unknown> = { ...g.scalars };
  if (g.triggers) out['triggers'] = g.triggers;
  for (const [section, values] of Object.entries(g.sections)) if (!isBlankRow(values)) out[section] = values;
  for (const group of ['items', 'flows'] as const) {
    if (g.kept[group].length === 0 && !g.posted[group]) continue;
    out[group] = g.kept[group].slice(0, ROW_LIMITS[group] + 1).map((k) => ({ ...k.row }));
  }
  return out;
}

/** Maps an error path on the compacted rows (`flows.0.means`) back to the row as posted (`flows.1.means`). */
export function postedPath(form: Record<string, FormValue>, path: string): string {
  const m = /^(items|flows)\.(\d+)(\..*)?$/.exec(path);
  if (!m) return path;
  const original = grouped(form).kept[m[1] as RowGroup][Number(m[2])]?.index;
  return original === undefined ? path : `${m[1]}.${original}${m[3] ?? ''}`;
}

/** The reverse: a stored draft as flat form values, for redisplay. */
export function objectToForm(draft: Partial<ConsultationDraft> | Record<string, unknown>): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  const walk = (value: unknown, prefix: string) => {
    if (value === undefined || value === null) return;
    if (prefix === 'triggers') form['triggers'] = value as string[];
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${prefix}.${i}`));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    else if (typeof value === 'boolean') {
      if (value) form[prefix] = 'on';
    } else form[prefix] = String(value);
  };
  walk(draft, '');
  return form;
}
