import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';
import { FUNCTIONS } from '#infra/routes.ts';

const run = promisify(execFile);
// Inside the repository (ignored by git), so that a bundle run here finds the AWS SDK in node_modules as Lambda's runtime provides it.
mkdirSync(path.join(REPO_ROOT, '.local'), { recursive: true });
const out = mkdtempSync(path.join(REPO_ROOT, '.local', 'synth-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The asset directory of a function in the synthesized template, by the start of its logical id. */
function assetOf(logicalIdPrefix: string): string {
  const template = JSON.parse(readFileSync(path.join(out, 'CouncilApp.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const [, fn] = Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(logicalIdPrefix))!;
  return path.join(out, fn.Metadata!['aws:asset:path']!);
}

describe('cdk synth', () => {
  it('synthesizes both stacks offline, with no AWS credentials, bundling every function', async () => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('CDK_')) delete env[k];
    // The limit only catches a hang (bundling runs in the synth's own process, in seconds).
    await run('npx', ['cdk', 'synth', '--quiet', '--output', out], { env, timeout: 300_000 });
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['CouncilData.template.json', 'CouncilApp.template.json']));
    // One bundle per handler module (the export function and its on-failure destination share one).
    expect(files.filter((f) => f.startsWith('asset.')).length).toBe(new Set(Object.values(FUNCTIONS).map((f) => f.entry)).size);
  }, 330_000);

  it('splits the staff pages by area: the handler file holds none of a page, which it loads on the first request', async () => {
    const dir = assetOf('StaffPages');
    const entry = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    const chunks = readdirSync(path.join(dir, 'chunks')).filter((f) => f.endsWith('.mjs'));
    expect(chunks.length).toBeGreaterThan(17);
    const helpText = '立場ごとに説明しています';
    expect(entry).not.toContain(helpText);
    // A fresh Node process, as Lambda runs the asset: `index.handler` with the function's settings, and the help page asked for.
    const script = `const { handler } = await import(${JSON.stringify(path.join(dir, 'index.mjs'))});
const res = await handler({ version: '2.0', rawPath: '/help', rawQueryString: '', headers: {}, isBase64Encoded: false,
  requestContext: { http: { method: 'GET', path: '/help', sourceIp: '192.0.2.1' }, requestId: 'r1', stage: '$default' } },
  { awsRequestId: 'r1', getRemainingTimeInMillis: () => 10000 });
process.stdout.write(JSON.stringify({ status: res.statusCode, body: res.body }));`;
    const { stdout } = await run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: {
        PATH: process.env['PATH'],
        TABLE_NAME: 'council',
        MAIL_FROM: 'no-reply@example.jp',
        APP_BASE_URL: 'http://127.0.0.1:1',
        AWS_REGION: 'ap-northeast-1',
      },
      timeout: 30_000,
    });
    const res = JSON.parse(stdout) as { status: number; body: string };
    expect(res.status).toBe(200);
    expect(res.body).toContain(helpText);
  }, 60_000);
});
