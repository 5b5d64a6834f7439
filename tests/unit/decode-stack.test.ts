import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { bundleOptions } from '#infra/constructs/bundle.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'decode-stack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('maps a trace logged by a bundle run without --enable-source-maps back to the source lines', async () => {
  // A handler bundled exactly as the functions are, whose error is thrown from a chunk it loads on first use.
  writeFileSync(path.join(work, 'entry.ts'), "export async function handler() {\n  const { explode } = await import('./page.ts');\n  explode('x');\n}\n");
  writeFileSync(
    path.join(work, 'page.ts'),
    'export function explode(what: string): never {\n  const message = "no " + what;\n  throw new Error(message);\n}\n',
  );
  writeFileSync(path.join(work, 'run.mjs'), 'const { handler } = await import(process.argv[2]);\nawait handler();\n');
  const out = path.join(work, 'bundle');
  await build({ ...bundleOptions(work, 'entry.ts', out), tsconfig: path.join(ROOT, 'tsconfig.json') });

  const failed = await run(process.execPath, [path.join(work, 'run.mjs'), path.join(out, 'index.mjs')], { env: { PATH: process.env['PATH'] } }).catch(
    (e: { stderr: string }) => e,
  );
  const trace = (failed as { stderr: string }).stderr;
  // Without the runtime's source maps the trace names the minified chunk.
  expect(trace).toMatch(/chunks\/page-\w+\.mjs:\d+:\d+/);
  expect(trace).not.toMatch(/page\.ts/);

  const child = execFile(process.execPath, [path.join(ROOT, 'scripts/decode-stack.mjs'), out], { cwd: work });
  child.stdin!.end(trace);
  const decoded = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
  });
  expect(decoded).toMatch(/Error: no x/);
  expect(decoded).toMatch(/page\.ts:3:\d+/);
  expect(decoded).toMatch(/entry\.ts:3:\d+/);
});

it('refuses a directory that holds no bundle', async () => {
  await expect(run(process.execPath, [path.join(ROOT, 'scripts/decode-stack.mjs'), work])).rejects.toMatchObject({ code: 2 });
});
