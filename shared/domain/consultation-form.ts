import * as z from 'zod/mini';
import { deferred, schemasOf } from '#shared/lazy-schema.ts';
import { FORM_KINDS } from './legal-basis.ts';
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
  abroad: '外国にある第三者への提供',
} as const;
export type Trigger = keyof typeof TRIGGERS;

/**
 * Why personal information may go to a third party abroad (個人情報保護法第71条第1項): the
 * person's consent, a country whose system the Commission recognises as equivalent (EU・英国),
 * or a recipient with a system that keeps taking measures equivalent to the Act's (基準に適合する体制).
 */
export const ABROAD_BASES = {
  consent: '本人の同意(外国にある第三者への提供を認める旨の同意)',
  equivalent_country: '我が国と同等の水準にある国(EU・英国)',
  equivalent_measures: '相当措置を継続的に講ずる体制(基準に適合する体制)',
} as const;
export type AbroadBasis = keyof typeof ABROAD_BASES;

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
  businesses: '個人情報取扱事務の名称',
  businessName: '個人情報取扱事務の名称',
  businessRegistration: '登録番号',
  items: '個人情報の項目',
  subjects: '対象者の範囲',
  subjectCount: '対象者数',
  flows: '個人情報の流れ',
  vendor: '委託先',
  linkedSystem: '結合先',
  abroad: '外国にある第三者への提供',
  technicalSafeguards: '安全対策(電算処理面)',
  operationalSafeguards: '安全対策(運用面)',
  retention: '保存期間',
  disposal: '廃棄方法',
  plannedStart: '開始予定日',
  kind: '諮問の種類',
  question: '諮問する事項',
  reason: '諮問の理由(専門的知見が特に必要な理由)',
  ordinance: '条例・規則',
  blanket: '包括諮問の類型',
} as const;

/** 条例・規則の制定改廃: what changes. */
export const ORDINANCE_ACTIONS = { enact: '制定', amend: '改正', repeal: '廃止' } as const;
export type OrdinanceAction = keyof typeof ORDINANCE_ACTIONS;

/** The fields of the sections only some kinds have, by section, with their labels. */
export const KIND_SECTION_LABELS = {
  ordinance: { name: '条例・規則の名称', action: '制定・改正・廃止', summary: '制定・改正の概要', effectiveOn: '施行予定日' },
  blanket: { name: '類型の名称', scope: '対象となる取扱いの範囲', conditions: '条件', reportMethod: '報告の方法' },
} as const;

/** The most rows each repeated group of the form may have. */
export const ROW_LIMITS = { items: 100, flows: 50, businesses: 20 } as const;

const MAX_TRIGGER_CHOICES = Object.keys(TRIGGERS).length;

/**
 * The form's schemas, built on the first parse of either (see #shared/lazy-schema.ts): a page that
 * only shows a case never builds them.
 */
const formSchemas = schemasOf(() => {
  const text = (label: string, max: number) =>
    z.string({ error: `${label}を入力してください。` }).check(z.trim(), z.maxLength(max, `${label}は${max}文字以内で入力してください。`));
  const required = (label: string, max: number) => text(label, max).check(z.minLength(1, `${label}を入力してください。`));

  const checkbox = z.pipe(
    z.optional(z.union([z.literal('on'), z.literal('true'), z.literal(true), z.literal(''), z.literal(false)], { error: 'チェックの値が正しくありません。' })),
    z.transform((v) => v === 'on' || v === 'true' || v === true),
  );

  const dataItem = z.object({
    name: required('項目名', 60),
    sensitive: checkbox,
  });

  const dataFlow = z.object({
    from: required('送付元', 60),
    to: required('送付先', 60),
    what: required('送付する情報', 120),
    means: z.enum(Object.keys(TRANSFER_MEANS) as [TransferMeans, ...TransferMeans[]], { error: '送付方法を選んでください。' }),
  });

  /**
   * 委託先: chosen (name and certification), or 「選定中」 — not chosen yet, reported after the
   * decision (see reportVendor). A vendor still being chosen carries no name or certification.
   */
  const vendor = z.object({
    selecting: checkbox,
    name: z.optional(required('委託先の名称', 80)),
    certification: z.optional(z.enum(Object.keys(CERTIFICATIONS) as [Certification, ...Certification[]], { error: '認証の有無を選んでください。' })),
    certificationExpiry: z
      .optional(z.string().check(z.trim()))
      .check(z.refine((v) => !v || (/^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v)), '認証の有効期限を年-月-日の形で入力してください。')),
    subcontractors: z.optional(text('再委託先', 400)),
  });

  const linkedSystem = z.object({
    party: required('結合先', 80),
    system: required('結合するシステム', 80),
    line: required('回線', 80),
  });

  /** One 個人情報取扱事務 the case concerns, as registered: its name, and its registration number if known. */
  const business = z.object({
    name: required(FIELD_LABELS.businesses, 100),
    registration: z.optional(text(FIELD_LABELS.businessRegistration, 30)),
  });

  /** 外国にある第三者への提供: the country, the case of the law it relies on, and the recipient's safeguards. */
  const abroad = z.object({
    country: required('提供先の国名', 60),
    basis: z.enum(Object.keys(ABROAD_BASES) as [AbroadBasis, ...AbroadBasis[]], { error: '提供の根拠(相当措置・基準に適合する体制など)を選んでください。' }),
    measures: required('提供先と講じられている措置', 2000),
  });

  const trigger = z.enum(Object.keys(TRIGGERS) as [Trigger, ...Trigger[]], { error: '諮問の区分の選択が正しくありません。' });

  const fields = {
    title: required(FIELD_LABELS.title, 100),
    contactName: required(FIELD_LABELS.contactName, 40),
    contactPhone: required(FIELD_LABELS.contactPhone, 30),
    triggers: z.pipe(
      z
        .array(trigger, { error: '諮問の区分を選んでください。' })
        .check(z.minLength(1, '諮問の区分を一つ以上選んでください。'), z.maxLength(MAX_TRIGGER_CHOICES, '諮問の区分の選択が正しくありません。')),
      z.transform((ts) => [...new Set(ts)]),
    ),
    purpose: required(FIELD_LABELS.purpose, 2000),
    businesses: z.pipe(
      // None posted at all reads as none typed: the error goes beside the first row all the same.
      z.transform((v: unknown) => v ?? []),
      z.array(business, { error: `${FIELD_LABELS.businesses}を入力してください。` }).check(
        // Beside the first row's input (always drawn), where the name is missing.
        z.superRefine((rows, ctx) => {
          if (rows.length === 0) ctx.addIssue({ code: 'custom', path: [0, 'name'], message: `${FIELD_LABELS.businesses}を入力してください。`, input: rows });
        }),
        z.maxLength(ROW_LIMITS.businesses, `個人情報取扱事務は${ROW_LIMITS.businesses}件までです。`),
      ),
    ),
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
    abroad: z.optional(abroad),
    technicalSafeguards: required(FIELD_LABELS.technicalSafeguards, 4000),
    operationalSafeguards: required(FIELD_LABELS.operationalSafeguards, 4000),
    retention: required(FIELD_LABELS.retention, 200),
    disposal: required(FIELD_LABELS.disposal, 400),
    plannedStart: isoDate(FIELD_LABELS.plannedStart),
  };

  const isTicked = (v: unknown) => v === 'on' || v === 'true' || v === true;

  /**
   * Sections that do not apply are dropped before validation, so a vendor typed before 委託 was
   * unticked neither blocks the submission nor reaches the council. A form without a kind (posted
   * before kinds existed) is the ordinance's form; a kind without the old triggers keeps only 外国にある第三者への提供.
   */
  function dropInapplicable(input: unknown): unknown {
    if (typeof input !== 'object' || input === null) return input;
    const form = { ...(input as Record<string, unknown>) };
    form['kind'] ??= 'ordinance_trigger';
    const posted = Array.isArray(form['triggers']) ? (form['triggers'] as unknown[]) : [];
    if (form['kind'] !== 'ordinance_trigger') {
      // Only a transfer abroad is a trigger outside the ordinance's form (and none for a change of rules).
      const kept = form['kind'] === 'ordinance_change' ? [] : posted.filter((t) => t === 'abroad');
      if (kept.length) form['triggers'] = kept;
      else delete form['triggers'];
    }
    const triggers = Array.isArray(form['triggers']) ? (form['triggers'] as unknown[]) : [];
    if (!triggers.includes('outsourcing')) delete form['vendor'];
    if (!triggers.includes('online_link')) delete form['linkedSystem'];
    if (!triggers.includes('abroad')) delete form['abroad'];
    const vendor = form['vendor'] as Record<string, unknown> | undefined;
    // 選定中: whatever was typed of a vendor before the box was ticked does not count.
    if (vendor && isTicked(vendor['selecting'])) form['vendor'] = { selecting: vendor['selecting'] };
    else if (vendor?.['certification'] === 'none') form['vendor'] = { ...vendor, certificationExpiry: undefined };
    return form;
  }

  /** 外国にある第三者への提供, ticked: its country, basis and measures are needed. */
  const abroadNeeded = (form: { triggers?: readonly string[] | undefined; abroad?: unknown }, ctx: z.core.$RefinementCtx<unknown>) => {
    if ((form.triggers ?? []).includes('abroad') && !form.abroad) {
      ctx.addIssue({ code: 'custom', path: ['abroad', 'country'], message: '外国にある第三者への提供の場合は提供先の国名を入力してください。', input: form });
      ctx.addIssue({ code: 'custom', path: ['abroad', 'basis'], message: '提供の根拠(相当措置・基準に適合する体制など)を選んでください。', input: form });
      ctx.addIssue({ code: 'custom', path: ['abroad', 'measures'], message: '提供先と講じられている措置を入力してください。', input: form });
    }
  };

  /** The personal-information sections every kind about a handling has: purpose, 事務, items, subjects, flows, safeguards, retention. */
  const { title, contactName, contactPhone, triggers: oldTriggers, vendor: vendorField, linkedSystem: linkedField, abroad: abroadField, ...personal } = fields;
  const basics = { title, contactName, contactPhone };
  /** Outside the ordinance's form, 外国にある第三者への提供 is the one trigger left. */
  const abroadOnly = z.optional(z.array(z.literal('abroad', { error: '諮問の区分の選択が正しくありません。' })).check(z.maxLength(1)));
  /** A section that is required as a whole: posted blank, its fields are each said to be missing. */
  const blankAsEmpty = z.transform((v: unknown) => (v ?? {}) as Record<string, unknown>);

  /** 条例の諮問事由による諮問: the ordinance's form, with its triggers. Vendor fields are required for 委託, the linked system for オンライン結合. */
  const triggerCase = z.object({ kind: z.literal('ordinance_trigger'), ...fields }).check(
    z.superRefine((form, ctx) => {
      if (form.triggers.includes('outsourcing')) {
        const v = form.vendor;
        if (!v) ctx.addIssue({ code: 'custom', path: ['vendor', 'name'], message: '委託の場合は委託先の名称を入力するか、「選定中」を選んでください。' });
        else if (!v.selecting) {
          if (!v.name) ctx.addIssue({ code: 'custom', path: ['vendor', 'name'], message: '委託先の名称を入力してください。' });
          if (!v.certification) ctx.addIssue({ code: 'custom', path: ['vendor', 'certification'], message: '認証の有無を選んでください。' });
          else if (v.certification !== 'none' && !v.certificationExpiry) {
            ctx.addIssue({ code: 'custom', path: ['vendor', 'certificationExpiry'], message: '認証の有効期限を年-月-日の形で入力してください。' });
          }
        }
      }
      abroadNeeded(form, ctx);
      if (form.triggers.includes('online_link') && !form.linkedSystem) {
        ctx.addIssue({ code: 'custom', path: ['linkedSystem', 'party'], message: 'オンライン結合の場合は結合先を入力してください。' });
      }
    }),
  );

  /** 個別諮問(施行条例・法第129条): what the city asks the council's opinion on and why, with the same personal-information sections. */
  const individualCase = z
    .object({
      kind: z.literal('individual'),
      ...basics,
      question: required(FIELD_LABELS.question, 2000),
      reason: required(FIELD_LABELS.reason, 4000),
      ...personal,
      triggers: abroadOnly,
      abroad: abroadField,
    })
    .check(z.superRefine(abroadNeeded));

  /** 条例・規則の制定改廃: which rules, what changes, from when (no data flow). */
  const ordinanceChangeCase = z.object({
    kind: z.literal('ordinance_change'),
    ...basics,
    ordinance: z.pipe(
      blankAsEmpty,
      z.object({
        name: required(KIND_SECTION_LABELS.ordinance.name, 100),
        action: z.enum(Object.keys(ORDINANCE_ACTIONS) as [OrdinanceAction, ...OrdinanceAction[]], { error: '制定・改正・廃止のいずれかを選んでください。' }),
        summary: required(KIND_SECTION_LABELS.ordinance.summary, 4000),
        effectiveOn: isoDate(KIND_SECTION_LABELS.ordinance.effectiveOn),
      }),
    ),
  });

  /** 包括諮問: a class of handling approved once; the later cases that fit it are reported (事後報告). */
  const blanketCase = z
    .object({
      kind: z.literal('blanket'),
      ...basics,
      purpose: fields.purpose,
      blanket: z.pipe(
        blankAsEmpty,
        z.object({
          name: required(KIND_SECTION_LABELS.blanket.name, 100),
          scope: required(KIND_SECTION_LABELS.blanket.scope, 4000),
          conditions: required(KIND_SECTION_LABELS.blanket.conditions, 4000),
          reportMethod: required(KIND_SECTION_LABELS.blanket.reportMethod, 1000),
        }),
      ),
      triggers: abroadOnly,
      abroad: abroadField,
    })
    .check(z.superRefine(abroadNeeded));

  /** A complete form, ready to submit: one schema per kind, chosen by the form's kind. */
  const consultationSubmission = z.pipe(
    z.transform(dropInapplicable),
    z.discriminatedUnion('kind', [triggerCase, individualCase, ordinanceChangeCase, blanketCase], { error: '諮問の種類を選んでください。' }),
  );

  /** A draft: every field optional and free of cross-field rules, but still bounded. */
  const consultationDraft = z.object({
    title: required(FIELD_LABELS.title, 100),
    contactName: z.optional(text(FIELD_LABELS.contactName, 40)),
    contactPhone: z.optional(text(FIELD_LABELS.contactPhone, 30)),
    triggers: z.optional(z.array(trigger).check(z.maxLength(MAX_TRIGGER_CHOICES, '諮問の区分の選択が正しくありません。'))),
    purpose: z.optional(text(FIELD_LABELS.purpose, 2000)),
    businesses: z.optional(
      z
        .array(z.object({ name: z.optional(text(FIELD_LABELS.businesses, 100)), registration: z.optional(text(FIELD_LABELS.businessRegistration, 30)) }))
        .check(z.maxLength(ROW_LIMITS.businesses, `個人情報取扱事務は${ROW_LIMITS.businesses}件までです。`)),
    ),
    /** Forms saved before a case could name several 事務 (read through businessesOf). */
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
        selecting: checkbox,
        name: z.optional(text('委託先の名称', 80)),
        certification: z.optional(text('認証', 20)),
        certificationExpiry: z.optional(text('有効期限', 10)),
        subcontractors: z.optional(text('再委託先', 400)),
      }),
    ),
    linkedSystem: z.optional(
      z.object({ party: z.optional(text('結合先', 80)), system: z.optional(text('結合するシステム', 80)), line: z.optional(text('回線', 80)) }),
    ),
    abroad: z.optional(
      z.object({
        country: z.optional(text('提供先の国名', 60)),
        basis: z.optional(text('提供の根拠', 40)),
        measures: z.optional(text('提供先と講じられている措置', 2000)),
      }),
    ),
    technicalSafeguards: z.optional(text(FIELD_LABELS.technicalSafeguards, 4000)),
    operationalSafeguards: z.optional(text(FIELD_LABELS.operationalSafeguards, 4000)),
    retention: z.optional(text(FIELD_LABELS.retention, 200)),
    disposal: z.optional(text(FIELD_LABELS.disposal, 400)),
    plannedStart: z.optional(text(FIELD_LABELS.plannedStart, 10)),
    kind: z.optional(z.enum(FORM_KINDS, { error: '諮問の種類を選んでください。' })),
    question: z.optional(text(FIELD_LABELS.question, 2000)),
    reason: z.optional(text(FIELD_LABELS.reason, 4000)),
    ordinance: z.optional(
      z.object({
        name: z.optional(text(KIND_SECTION_LABELS.ordinance.name, 100)),
        action: z.optional(text(KIND_SECTION_LABELS.ordinance.action, 10)),
        summary: z.optional(text(KIND_SECTION_LABELS.ordinance.summary, 4000)),
        effectiveOn: z.optional(text(KIND_SECTION_LABELS.ordinance.effectiveOn, 10)),
      }),
    ),
    blanket: z.optional(
      z.object({
        name: z.optional(text(KIND_SECTION_LABELS.blanket.name, 100)),
        scope: z.optional(text(KIND_SECTION_LABELS.blanket.scope, 4000)),
        conditions: z.optional(text(KIND_SECTION_LABELS.blanket.conditions, 4000)),
        reportMethod: z.optional(text(KIND_SECTION_LABELS.blanket.reportMethod, 1000)),
      }),
    ),
  });
  return {
    dataItem,
    dataFlow,
    vendor,
    linkedSystem,
    business,
    abroad,
    triggerCase,
    individualCase,
    ordinanceChangeCase,
    blanketCase,
    consultationSubmission,
    consultationDraft,
  };
});
type FormSchemas = ReturnType<typeof formSchemas>;

/** One 個人情報取扱事務 the case concerns, as registered: its name, and its registration number if known. */
export type Business = z.output<FormSchemas['business']>;
/** A complete form, ready to submit: one schema per kind, chosen by the form's kind. */
export const consultationSubmission = deferred(formSchemas, 'consultationSubmission');
/** A complete form of any kind; the fields of the other kinds read as absent. */
export type ConsultationForm = ConsultationDraft & z.output<FormSchemas['consultationSubmission']>;
/** A draft: every field optional and free of cross-field rules, but still bounded. */
export const consultationDraft = deferred(formSchemas, 'consultationDraft');
export type ConsultationDraft = z.output<FormSchemas['consultationDraft']>;

type FormValue = string | string[] | undefined;

/** Single fields, and the fields of the one-off sections, the form may post. */
const SCALAR_FIELDS = new Set([
  'title',
  'contactName',
  'contactPhone',
  'purpose',
  'subjects',
  'subjectCount',
  'technicalSafeguards',
  'operationalSafeguards',
  'retention',
  'disposal',
  'plannedStart',
  'kind',
  'question',
  'reason',
]);
type Section = 'vendor' | 'linkedSystem' | 'abroad' | 'ordinance' | 'blanket';
const SECTION_FIELDS: Record<Section, ReadonlySet<string>> = {
  ordinance: new Set(Object.keys(KIND_SECTION_LABELS.ordinance)),
  blanket: new Set(Object.keys(KIND_SECTION_LABELS.blanket)),
  vendor: new Set(['selecting', 'name', 'certification', 'certificationExpiry', 'subcontractors']),
  linkedSystem: new Set(['party', 'system', 'line']),
  abroad: new Set(['country', 'basis', 'measures']),
};
const isSection = (name: string): name is Section => Object.hasOwn(SECTION_FIELDS, name);
/** The single 事務 fields of forms drawn before a case could name several: read as the first row. */
const LEGACY_BUSINESS_FIELDS: Record<string, keyof Business> = { businessName: 'name', businessRegistration: 'registration' };
type RowGroup = keyof typeof ROW_LIMITS;
const ROW_FIELDS: Record<RowGroup, ReadonlySet<string>> = {
  items: new Set(['name', 'sensitive']),
  flows: new Set(['from', 'to', 'what', 'means']),
  businesses: new Set(['name', 'registration']),
};
const ROW_GROUPS = Object.keys(ROW_FIELDS) as RowGroup[];
const isRowGroup = (name: string): name is RowGroup => Object.hasOwn(ROW_FIELDS, name);
/** `items.12.name`: a row index written plainly (no leading zeros), below 1000. */
const ROW_FIELD = /^(items|flows|businesses)\.(0|[1-9]\d{0,2})\.(\w+)$/;
/** At most this many distinct triggers reach the schema: one more than there are, so an odd form still gets its error. */
const MAX_TRIGGERS = Object.keys(TRIGGERS).length + 1;

const lastOf = (raw: FormValue) => (Array.isArray(raw) ? raw[raw.length - 1] : raw);
const isBlankRow = (row: Record<string, unknown>) => Object.entries(row).every(([key, v]) => key === 'sensitive' || typeof v !== 'string' || v.trim() === '');

/** A posted form sorted into its parts in one pass over its fields. */
interface GroupedForm {
  scalars: Record<string, unknown>;
  triggers: string[] | undefined;
  sections: Partial<Record<Section, Record<string, unknown>>>;
  /** A first 事務 posted the old way (businessName, businessRegistration). */
  legacyBusiness: Record<string, unknown> | undefined;
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
  const rows: Record<RowGroup, Map<number, Record<string, unknown>>> = { items: new Map(), flows: new Map(), businesses: new Map() };
  const posted = { items: false, flows: false, businesses: false };
  let triggers: string[] | undefined;
  let legacyBusiness: Record<string, unknown> | undefined;
  for (const [name, raw] of Object.entries(form)) {
    if (name === 'triggers') {
      triggers = [...new Set(([] as string[]).concat(raw ?? []).filter(Boolean))].slice(0, MAX_TRIGGERS);
      continue;
    }
    if (SCALAR_FIELDS.has(name)) {
      scalars[name] = lastOf(raw);
      continue;
    }
    if (Object.hasOwn(LEGACY_BUSINESS_FIELDS, name)) {
      (legacyBusiness ??= {})[LEGACY_BUSINESS_FIELDS[name]!] = lastOf(raw);
      continue;
    }
    const dot = name.indexOf('.');
    const head = dot === -1 ? name : name.slice(0, dot);
    if (isSection(head)) {
      const field = name.slice(dot + 1);
      if (dot !== -1 && SECTION_FIELDS[head].has(field)) (sections[head] ??= {})[field] = lastOf(raw);
      continue;
    }
    if (!isRowGroup(head)) continue;
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
  const result = {
    scalars,
    triggers,
    sections,
    legacyBusiness,
    posted,
    kept: { items: kept(rows.items), flows: kept(rows.flows), businesses: kept(rows.businesses) },
  };
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
  for (const group of ROW_GROUPS) {
    if (g.kept[group].length === 0 && !g.posted[group]) continue;
    out[group] = g.kept[group].slice(0, ROW_LIMITS[group] + 1).map((k) => ({ ...k.row }));
  }
  // A form drawn before several 事務 could be named (a page left open over an update) posts its one 事務 this way.
  if (!g.posted.businesses && g.legacyBusiness) out['businesses'] = isBlankRow(g.legacyBusiness) ? [] : [g.legacyBusiness];
  return out;
}

/** Maps an error path on the compacted rows (`flows.0.means`) back to the row as posted (`flows.1.means`). */
export function postedPath(form: Record<string, FormValue>, path: string): string {
  const m = /^(items|flows|businesses)\.(\d+)(\..*)?$/.exec(path);
  if (!m) return path;
  const original = grouped(form).kept[m[1] as RowGroup][Number(m[2])]?.index;
  return original === undefined ? path : `${m[1]}.${original}${m[3] ?? ''}`;
}

/** The reverse: a stored draft as flat form values, for redisplay. */
export function objectToForm(draft: Partial<ConsultationDraft> | Record<string, unknown>): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  const { businessName, businessRegistration, ...rest } = draft as Partial<ConsultationDraft>;
  // However it was saved, the 事務 come back as rows (a row as typed, a name-less one too).
  if (rest.businesses === undefined && (businessName !== undefined || businessRegistration !== undefined)) {
    rest.businesses = [{ name: businessName, registration: businessRegistration }];
  }
  draft = rest;
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

type BusinessFields = Pick<ConsultationDraft, 'businesses' | 'businessName' | 'businessRegistration'>;

/**
 * The 事務 a case names, in the order given, those without a name left out. Forms saved before a
 * case could name several have one, in `businessName` / `businessRegistration`.
 */
export function businessesOf(form: Partial<BusinessFields>): Business[] {
  const rows =
    form.businesses ?? (form.businessName || form.businessRegistration ? [{ name: form.businessName, registration: form.businessRegistration }] : []);
  return rows.flatMap((b) => (b.name?.trim() ? [{ name: b.name.trim(), ...(b.registration?.trim() ? { registration: b.registration.trim() } : {}) }] : []));
}

/** How lists and mails name a case's 事務: 「住民基本台帳事務」, or 「住民基本台帳事務 他3件」. */
export function businessSummary(form: Partial<BusinessFields>): string {
  const all = businessesOf(form);
  if (all.length === 0) return '';
  return all.length === 1 ? all[0]!.name : `${all[0]!.name} 他${all.length - 1}件`;
}

/**
 * What was consulted, as the answer (答申書) restates it: the 事務, the triggers, and for a
 * transfer abroad the country and the case of the law it relies on.
 */
export function consultedLines(form: Partial<ConsultationDraft>): string[] {
  const businesses = businessesOf(form).map((b) => b.name);
  const triggers = (form.triggers ?? []).map((t) => TRIGGERS[t]);
  const abroad = (form.triggers ?? []).includes('abroad') ? form.abroad : undefined;
  const abroadLine = abroad
    ? [`${TRIGGERS.abroad}:提供先の国 ${abroad.country ?? ''}(${ABROAD_BASES[abroad.basis as AbroadBasis] ?? abroad.basis ?? ''})`]
    : [];
  const o = form.ordinance;
  const b = form.blanket;
  switch (form.kind) {
    case 'ordinance_change':
      return [
        `条例・規則:${o?.name ?? ''}の${ORDINANCE_ACTIONS[o?.action as OrdinanceAction] ?? o?.action ?? ''}`,
        ...(o?.effectiveOn ? [`施行予定日:${o.effectiveOn}`] : []),
      ];
    case 'blanket':
      return [`包括諮問の類型:${b?.name ?? ''}`, `対象となる取扱いの範囲:${b?.scope ?? ''}`, ...(b?.conditions ? [`条件:${b.conditions}`] : []), ...abroadLine];
    case 'individual':
      return [...(businesses.length ? [`個人情報取扱事務:${businesses.join('、')}`] : []), `諮問する事項:${form.question ?? ''}`, ...abroadLine];
    default:
      return [
        ...(businesses.length ? [`個人情報取扱事務:${businesses.join('、')}`] : []),
        ...(triggers.length ? [`諮問の区分:${triggers.join('、')}`] : []),
        ...abroadLine,
      ];
  }
}
