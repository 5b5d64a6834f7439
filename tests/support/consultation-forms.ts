/** A complete, realistic consultation form as a department would fill it in (flat field names, as posted). */
export function completeForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    title: '生活保護受給者金銭管理支援業務委託',
    contactName: '長田 将夫',
    contactPhone: '内線 3321',
    triggers: ['outsourcing', 'sensitive'],
    purpose: '日常の金銭管理に支援が必要な生活保護受給者について、社会福祉法人に金銭管理の支援を委託するため。',
    'businesses.0.name': '生活保護に関する事務',
    'businesses.0.registration': '福-012',
    'items.0.name': '氏名',
    'items.1.name': '住所',
    'items.2.name': '口座番号',
    'items.3.name': '病歴',
    'items.3.sensitive': 'on',
    subjects: '金銭管理支援を希望する生活保護受給者',
    subjectCount: '120',
    'flows.0.from': '生活福祉課',
    'flows.0.to': '社会福祉法人さくら会',
    'flows.0.what': '対象者の氏名・住所・支給額',
    'flows.0.means': 'file_transfer',
    'vendor.name': '社会福祉法人さくら会',
    'vendor.certification': 'privacy_mark',
    'vendor.certificationExpiry': '2027-09-30',
    'vendor.subcontractors': '',
    technicalSafeguards: '受け渡しは暗号化したファイル転送サービスで行い、USBメモリは使わない。',
    operationalSafeguards: '書類は施錠できる書庫に保管し、取り扱う職員を名簿で限定する。',
    retention: '契約期間終了後5年',
    disposal: '契約終了時に受託者は書類を市に返還し、市が溶解処理する。',
    plannedStart: '2027-04-01',
    ...overrides,
  };
}

/**
 * The red team's form (issue 17): a title and `items.N.name` rows, 3,500 by default, url-encoded
 * as a browser posts them — about 64 KB, just inside what a page accepts.
 */
export function manyRowsBody(rows = 3500): string {
  const body = new URLSearchParams({ title: '大量の行', action: 'save', version: '1' });
  for (let i = 0; i < rows; i++) body.append(`items.${i}.name`, 'x');
  return body.toString();
}
