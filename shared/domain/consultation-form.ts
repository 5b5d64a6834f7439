import { z } from 'zod';

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

const text = (label: string, max: number) =>
  z
    .string({ error: `${label}を入力してください。` })
    .trim()
    .max(max, `${label}は${max}文字以内で入力してください。`);
const required = (label: string, max: number) => text(label, max).min(1, `${label}を入力してください。`);
const isoDate = (label: string) =>
  z
    .string({ error: `${label}を入力してください。` })
    .trim()
    .min(1, `${label}を入力してください。`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}は年-月-日の形で入力してください。`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `${label}が正しい日付ではありません。`);

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal(true), z.literal(''), z.literal(false)])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);

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
  certificationExpiry: z.string().trim().optional(),
  subcontractors: text('再委託先', 400).optional(),
});

export const linkedSystem = z.object({
  party: required('結合先', 80),
  system: required('結合するシステム', 80),
  line: required('回線', 80),
});

const fields = {
  title: required(FIELD_LABELS.title, 100),
  contactName: required(FIELD_LABELS.contactName, 40),
  contactPhone: required(FIELD_LABELS.contactPhone, 30),
  triggers: z
    .array(z.enum(Object.keys(TRIGGERS) as [Trigger, ...Trigger[]]), { error: '諮問の区分を選んでください。' })
    .min(1, '諮問の区分を一つ以上選んでください。'),
  purpose: required(FIELD_LABELS.purpose, 2000),
  businessName: required(FIELD_LABELS.businessName, 100),
  businessRegistration: text(FIELD_LABELS.businessRegistration, 30).optional(),
  items: z.array(dataItem, { error: '個人情報の項目を入力してください。' }).min(1, '個人情報の項目を一つ以上入力してください。').max(100),
  subjects: required(FIELD_LABELS.subjects, 400),
  subjectCount: z
    .preprocess(
      (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
      z.number({ error: (issue) => (issue.input === undefined ? '対象者数を入力してください。' : '対象者数は数字で入力してください。') }),
    )
    .pipe(
      z
        .number()
        .int('対象者数は整数で入力してください。')
        .min(0, '対象者数は0以上で入力してください。')
        .max(100_000_000, '対象者数が大きすぎます。'),
    ),
  flows: z.array(dataFlow, { error: '個人情報の流れを入力してください。' }).min(1, '個人情報の流れを一つ以上入力してください。').max(50),
  vendor: vendor.optional(),
  linkedSystem: linkedSystem.optional(),
  technicalSafeguards: required(FIELD_LABELS.technicalSafeguards, 4000),
  operationalSafeguards: required(FIELD_LABELS.operationalSafeguards, 4000),
  retention: required(FIELD_LABELS.retention, 200),
  disposal: required(FIELD_LABELS.disposal, 400),
  plannedStart: isoDate(FIELD_LABELS.plannedStart),
};

/** A complete form, ready to submit. Vendor fields are required for 委託, the linked system for オンライン結合. */
export const consultationSubmission = z
  .object(fields)
  .superRefine((form, ctx) => {
    if (form.triggers.includes('outsourcing')) {
      if (!form.vendor) ctx.addIssue({ code: 'custom', path: ['vendor', 'name'], message: '委託の場合は委託先の名称を入力してください。' });
      else if (form.vendor.certification !== 'none' && !/^\d{4}-\d{2}-\d{2}$/.test(form.vendor.certificationExpiry ?? '')) {
        ctx.addIssue({ code: 'custom', path: ['vendor', 'certificationExpiry'], message: '認証の有効期限を年-月-日の形で入力してください。' });
      }
    }
    if (form.triggers.includes('online_link') && !form.linkedSystem) {
      ctx.addIssue({ code: 'custom', path: ['linkedSystem', 'party'], message: 'オンライン結合の場合は結合先を入力してください。' });
    }
  })
  .transform((form) => ({
    ...form,
    // Sections that do not apply are not kept, so a stale vendor never reaches the council.
    vendor: form.triggers.includes('outsourcing') ? form.vendor : undefined,
    linkedSystem: form.triggers.includes('online_link') ? form.linkedSystem : undefined,
  }));
export type ConsultationForm = z.output<typeof consultationSubmission>;

/** A draft: every field optional and free of cross-field rules, but still bounded. */
export const consultationDraft = z.object({
  title: required(FIELD_LABELS.title, 100),
  contactName: text(FIELD_LABELS.contactName, 40).optional(),
  contactPhone: text(FIELD_LABELS.contactPhone, 30).optional(),
  triggers: z.array(z.enum(Object.keys(TRIGGERS) as [Trigger, ...Trigger[]])).max(6).optional(),
  purpose: text(FIELD_LABELS.purpose, 2000).optional(),
  businessName: text(FIELD_LABELS.businessName, 100).optional(),
  businessRegistration: text(FIELD_LABELS.businessRegistration, 30).optional(),
  items: z.array(z.object({ name: text('項目名', 60).optional(), sensitive: checkbox })).max(100).optional(),
  subjects: text(FIELD_LABELS.subjects, 400).optional(),
  subjectCount: z.union([z.number(), text(FIELD_LABELS.subjectCount, 12)]).optional(),
  flows: z
    .array(z.object({ from: text('送付元', 60).optional(), to: text('送付先', 60).optional(), what: text('送付する情報', 120).optional(), means: text('送付方法', 20).optional() }))
    .max(50)
    .optional(),
  vendor: z
    .object({ name: text('委託先の名称', 80).optional(), certification: text('認証', 20).optional(), certificationExpiry: text('有効期限', 10).optional(), subcontractors: text('再委託先', 400).optional() })
    .optional(),
  linkedSystem: z.object({ party: text('結合先', 80).optional(), system: text('結合するシステム', 80).optional(), line: text('回線', 80).optional() }).optional(),
  technicalSafeguards: text(FIELD_LABELS.technicalSafeguards, 4000).optional(),
  operationalSafeguards: text(FIELD_LABELS.operationalSafeguards, 4000).optional(),
  retention: text(FIELD_LABELS.retention, 200).optional(),
  disposal: text(FIELD_LABELS.disposal, 400).optional(),
  plannedStart: text(FIELD_LABELS.plannedStart, 10).optional(),
});
export type ConsultationDraft = z.output<typeof consultationDraft>;

type FormValue = string | string[] | undefined;

/**
 * Turns flat form fields (`items.0.name`, `vendor.name`, repeated `triggers`) into the
 * nested shape the schemas read. Rows left entirely blank are dropped, so the spare
 * empty rows a page offers never count as input.
 */
export function formToObject(form: Record<string, FormValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(form)) {
    if (name === 'triggers') {
      out['triggers'] = ([] as string[]).concat(raw ?? []).filter(Boolean);
      continue;
    }
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    const path = name.split('.');
    let node: Record<string, unknown> = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  for (const list of ['items', 'flows'] as const) {
    const rows = out[list] as Record<string, Record<string, unknown>> | undefined;
    if (!rows) continue;
    out[list] = Object.keys(rows)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => rows[k]!)
      .filter((row) => Object.entries(row).some(([key, v]) => key !== 'sensitive' && typeof v === 'string' && v.trim() !== ''));
  }
  for (const section of ['vendor', 'linkedSystem'] as const) {
    const s = out[section] as Record<string, unknown> | undefined;
    if (s && Object.values(s).every((v) => typeof v !== 'string' || v.trim() === '')) delete out[section];
  }
  return out;
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
