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
