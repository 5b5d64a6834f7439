import { completeForm } from './consultation-forms.ts';

/** A complete 個別諮問 (施行条例・法第129条): the personal-information sections, the question and its reason. */
export function individualForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const {
    triggers: _t,
    'vendor.name': _v,
    'vendor.certification': _c,
    'vendor.certificationExpiry': _e,
    'vendor.subcontractors': _s,
    ...personal
  } = completeForm();
  return {
    ...personal,
    kind: 'individual',
    title: '介護保険システムのクラウド移行に伴う個人情報の取扱い',
    question: '介護保険システムをガバメントクラウドへ移行するに当たり、要介護認定情報を取り扱うことについて',
    reason: '要配慮個人情報を大量に含み、クラウド事業者の安全管理措置の評価に専門的知見が特に必要なため',
    ...overrides,
  };
}

/** A complete 条例・規則の制定改廃. */
export function ordinanceChangeForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    kind: 'ordinance_change',
    title: 'さくら市個人情報の保護に関する法律施行条例の一部改正',
    contactName: '山下 潤',
    contactPhone: '内線 2141',
    'ordinance.name': 'さくら市個人情報の保護に関する法律施行条例',
    'ordinance.action': 'amend',
    'ordinance.summary': '開示請求の手数料を無料とし、審議会への諮問事項を改める。',
    'ordinance.effectiveOn': '2027-04-01',
    ...overrides,
  };
}

/** A complete 包括諮問: a class of handling approved once. */
export function blanketForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    kind: 'blanket',
    title: '災害時における避難行動要支援者名簿の提供に関する包括諮問',
    contactName: '長田 将夫',
    contactPhone: '内線 3321',
    purpose: '災害が発生し、又は発生するおそれがあるときに、避難支援等関係者へ名簿情報を速やかに提供するため。',
    'blanket.name': '災害時の避難行動要支援者名簿の提供',
    'blanket.scope': '災害対策基本法に基づく避難行動要支援者名簿の情報を、消防・警察・民生委員・自主防災組織に提供する取扱い',
    'blanket.conditions': '提供先に秘密保持を誓約させ、災害終了後に名簿を回収すること。',
    'blanket.reportMethod': '提供の後、次の審議会で事後報告する。',
    ...overrides,
  };
}
