import path from 'node:path';
import { REPO_ROOT } from '../constructs/house-function.ts';
import { DEMO_COUNCIL } from './demo-data.ts';
import { startLocalStack } from './stack.ts';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const stack = await startLocalStack({
  // LOCAL_DATA_DIR: another folder for the data (the crash tests run stacks of their own).
  dataDir: process.env['LOCAL_DATA_DIR'] ?? path.join(REPO_ROOT, '.local'),
  ports: {
    http: port('PORT', 3000),
    dynamodb: port('DYNAMODB_PORT', 8000),
    ses: port('SES_PORT', 8005),
    sfn: port('SFN_PORT', 8083),
    s3: port('S3_PORT', 4569),
    secrets: port('SECRETS_PORT', 8084),
    lambda: port('LAMBDA_PORT', 8085),
    idp: port('IDP_PORT', 8086),
  },
}).catch((e: NodeJS.ErrnoException & { port?: number }) => {
  if (e.code !== 'EADDRINUSE') throw e;
  console.error(
    `ポート ${e.port} は既に使われています。別のローカル環境が動いていないか確認してください。` +
      `\n(PORT, DYNAMODB_PORT, SES_PORT, SFN_PORT, S3_PORT でポートを変えられます)`,
  );
  process.exit(1);
});

const { http, ses, dynamodb, sfn, s3 } = stack.urls;
console.log(`
個人情報保護審議会 審議システム — ローカル環境を起動しました(データ: .local/)
  トップページ          ${http}/
  サインイン            ${http}/auth/signin
  諮問一覧              ${http}/c/${DEMO_COUNCIL.councilId}/consultations
  委員名簿              ${http}/c/${DEMO_COUNCIL.councilId}/members
  送信メールの確認       ${ses}/
  DynamoDB (${process.env['LOCAL_DYNAMODB_ENDPOINT'] ? '外部' : 'dynalite'})   ${dynamodb}
  Step Functions        ${sfn}
  S3(添付資料)          ${s3}
  認証(Cognito の代わり) ${stack.urls.idp}
デモデータ: ${stack.seeded} 件を追加 / 再開した処理(ワークフロー・バックグラウンド処理): ${stack.resumed} 件
停止するには Ctrl-C を押してください。
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('停止しています…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
