type Form = Record<string, string | string[]>;

/** A 個人情報ファイル as a department types it. */
export const fileForm = (over: Form = {}): Form => ({
  name: '住民基本台帳ファイル',
  agency: 'さくら市長',
  purpose: '住民の居住関係を公証し、住民に関する記録を適正に管理するため',
  items: '氏名\n生年月日\r\n\n性別\n住所 ',
  scope: '市内に住所を有する者及び有していた者',
  sources: '本人からの届出、他の市区町村からの通知',
  sensitive: 'no',
  recipients: '',
  headcount: '123,456',
  requestOffice: 'さくら市総務部総務課(さくら市中央1-1-1)',
  specialProvisions: '住民基本台帳法第34条の2',
  remarks: '',
  ...over,
});

/** A 個人情報取扱事務 as the old ordinance's 業務届出 asked for it. */
export const businessForm = (over: Form = {}): Form => ({
  name: '生活保護事務',
  purpose: '生活保護法に基づく保護の決定及び実施',
  subjects: '保護の申請者及び被保護者',
  items: '氏名\n住所\n収入',
  sources: '本人からの申請',
  offsiteCollection: 'yes',
  otherUse: 'no',
  externalProvision: 'no',
  computerProcessing: 'yes',
  onlineLink: 'no',
  outsourcing: 'yes',
  ...over,
});

/** Sets a council's legal basis in the table, as the settings page (issue #16, part 1) stores it. */
export async function setLegalBasis(tableName: string, councilId: string, legalBasis: 'act2023' | 'ordinance') {
  const [{ UpdateCommand }, { dynamo }, { keys }] = await Promise.all([
    import('@aws-sdk/lib-dynamodb'),
    import('#shared/adapters/aws.ts'),
    import('#shared/keys.ts'),
  ]);
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.council(councilId),
      UpdateExpression: 'SET legalBasis = :b',
      ExpressionAttributeValues: { ':b': legalBasis },
    }),
  );
}
