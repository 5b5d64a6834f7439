/**
 * What a council is consulted on and what it hears, by the law it works under.
 *
 * Until March 2023 each city's ordinance listed the handlings that needed the council's
 * opinion (本人外収集, 目的外利用, 委託, …) and registered 個人情報取扱事務 by 業務届出. Since
 * 1 April 2023 the Act on the Protection of Personal Information applies to cities directly:
 * the council is consulted where the city judges expert opinion especially needed (法第129条,
 * under its 施行条例), reviews PIA evaluations (番号法第28条), and hears the 個人情報ファイル簿
 * (法第75条) and leak reports. A council chooses its basis and the kinds it takes in its settings.
 */
import * as z from 'zod/mini';
import type { Council } from './council.ts';

export const LEGAL_BASES = {
  act2023: '個人情報保護法・施行条例(令和5年4月以降)',
  ordinance: '個人情報保護条例(令和5年3月までの諮問事由)',
} as const;
export type LegalBasis = keyof typeof LEGAL_BASES;

/** The kinds of consultation (諮問の種類) a council can take. */
export const CONSULTATION_KINDS = {
  /** 施行条例に基づく個別の諮問(法第129条): specific handling the city asks about. */
  individual: '個別諮問(施行条例・法第129条)',
  /** The pre-2023 ordinance's triggers (本人外収集, 目的外利用, 委託, …). */
  ordinance_trigger: '条例の諮問事由による諮問',
  /** 特定個人情報保護評価書の第三者点検 (番号法第28条、全項目評価). */
  pia_review: '特定個人情報保護評価書の第三者点検',
  /** 条例・規則の制定改廃. */
  ordinance_change: '条例・規則の制定改廃',
  /** 包括諮問: a class of handling approved once; later cases in it are reported (事後報告). */
  blanket: '包括諮問',
} as const;
export type ConsultationKind = keyof typeof CONSULTATION_KINDS;

/** The kinds of report (報告事項) a council hears. */
export const REPORT_KINDS = {
  /** 個人情報ファイル簿の作成・変更・廃止(法第75条). */
  file_register: '個人情報ファイル簿の作成・変更・廃止',
  /** 業務届出(旧条例の個人情報取扱事務の登録). */
  business_register: '業務届出(個人情報取扱事務の登録)',
  /** 漏えい等事案. */
  incident: '漏えい等事案',
  /** 包括諮問に基づく事後報告. */
  post_report: '包括諮問に基づく事後報告',
} as const;
export type ReportKind = keyof typeof REPORT_KINDS;

/** What a council takes when its settings say nothing: the kinds of its basis. */
export const DEFAULT_KINDS: Record<LegalBasis, { consultationKinds: ConsultationKind[]; reportKinds: ReportKind[] }> = {
  act2023: { consultationKinds: ['individual', 'pia_review', 'ordinance_change'], reportKinds: ['file_register', 'incident'] },
  ordinance: { consultationKinds: ['ordinance_trigger'], reportKinds: ['business_register', 'incident'] },
};

export interface CouncilBasis {
  legalBasis: LegalBasis;
  consultationKinds: ConsultationKind[];
  reportKinds: ReportKind[];
}

/**
 * A council's basis and kinds, with defaults: a council made before the setting existed works
 * under its ordinance, as it did.
 */
export function councilBasis(council: Pick<Council, 'legalBasis' | 'consultationKinds' | 'reportKinds'>): CouncilBasis {
  const legalBasis = council.legalBasis ?? 'ordinance';
  const defaults = DEFAULT_KINDS[legalBasis];
  return {
    legalBasis,
    consultationKinds: council.consultationKinds?.length ? council.consultationKinds : defaults.consultationKinds,
    reportKinds: council.reportKinds?.length ? council.reportKinds : defaults.reportKinds,
  };
}

/** The register a council keeps of the departments' files: 個人情報ファイル簿, or 業務届出 under an old ordinance. */
export const registerVariant = (council: Pick<Council, 'legalBasis' | 'consultationKinds' | 'reportKinds'>): 'file_register' | 'business_register' =>
  councilBasis(council).reportKinds.includes('business_register') && !councilBasis(council).reportKinds.includes('file_register')
    ? 'business_register'
    : 'file_register';

/** Kinds of consultation a council may tick in its settings, in the order the page lists them. */
const consultationKind = z.lazy(() =>
  z.enum(Object.keys(CONSULTATION_KINDS) as [ConsultationKind, ...ConsultationKind[]], {
    error: '諮問の種類の選択が正しくありません。',
  }),
);
const reportKind = z.lazy(() => z.enum(Object.keys(REPORT_KINDS) as [ReportKind, ...ReportKind[]], { error: '報告事項の種類の選択が正しくありません。' }));
/** A group of checkboxes as posted: none, one (a string) or several. */
const ticked = (v: unknown) => (v === undefined || v === '' ? [] : [v].flat().filter((x) => x !== ''));

/**
 * The settings form's 根拠法令 part. A form drawn before the setting existed posts no basis: the
 * council's basis and kinds are then left as they are (`legalBasis` undefined). With a basis, at
 * least one kind of consultation is needed.
 */
export const legalBasisInput = {
  legalBasis: z.optional(z.enum(Object.keys(LEGAL_BASES) as [LegalBasis, ...LegalBasis[]], { error: '根拠法令を選んでください。' })),
  consultationKinds: z.pipe(z.transform(ticked), z.array(consultationKind).check(z.maxLength(Object.keys(CONSULTATION_KINDS).length))),
  reportKinds: z.pipe(z.transform(ticked), z.array(reportKind).check(z.maxLength(Object.keys(REPORT_KINDS).length))),
};

/** The check the settings form adds over legalBasisInput: a council with a basis takes at least one kind of consultation. */
export const atLeastOneKind = z.superRefine((v: { legalBasis?: LegalBasis | undefined; consultationKinds: ConsultationKind[] }, ctx) => {
  if (v.legalBasis && v.consultationKinds.length === 0)
    ctx.addIssue({ code: 'custom', path: ['consultationKinds'], message: '受け付ける諮問の種類を一つ以上選んでください。', input: v });
});

/** Kinds a department can choose on the new-case page (the PIA review has its own page). */
export const FORM_KINDS = ['ordinance_trigger', 'individual', 'ordinance_change', 'blanket'] as const satisfies readonly ConsultationKind[];
export type FormKind = (typeof FORM_KINDS)[number];
export const isFormKind = (k: unknown): k is FormKind => (FORM_KINDS as readonly unknown[]).includes(k);

/** The kinds a department of the council may file through the consultation form. */
export const formKindsOf = (council: Pick<Council, 'legalBasis' | 'consultationKinds' | 'reportKinds'>): FormKind[] =>
  councilBasis(council).consultationKinds.filter(isFormKind);

/** The kind a case was filed as; a case made before kinds existed reads as its council's usual kind. */
export const caseKind = (form: { kind?: string | undefined }, council: Pick<Council, 'legalBasis' | 'consultationKinds' | 'reportKinds'>): ConsultationKind =>
  form.kind && Object.hasOwn(CONSULTATION_KINDS, form.kind)
    ? (form.kind as ConsultationKind)
    : councilBasis(council).legalBasis === 'ordinance'
      ? 'ordinance_trigger'
      : 'individual';

/** Whether the council takes 事後報告 under its blanket approvals. */
export const takesPostReports = (council: Pick<Council, 'legalBasis' | 'consultationKinds' | 'reportKinds'>) => {
  const b = councilBasis(council);
  return b.reportKinds.includes('post_report') || b.consultationKinds.includes('blanket');
};
