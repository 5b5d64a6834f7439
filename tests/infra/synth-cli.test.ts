import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#infra/routes.ts';

const out = mkdtempSync(path.join(tmpdir(), 'council-synth-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('cdk synth', () => {
  it('synthesizes both stacks offline, with no AWS credentials, bundling every function', async () => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('CDK_')) delete env[k];
    // Bundling every function takes ≈ 90 s on a busy 2-core machine: the limit only catches a hang.
    await promisify(execFile)('npx', ['cdk', 'synth', '--quiet', '--output', out], { env, timeout: 300_000 });
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['CouncilData.template.json', 'CouncilApp.template.json']));
    // One bundle per handler module (the export function and its on-failure destination share one).
    expect(files.filter((f) => f.startsWith('asset.')).length).toBe(new Set(Object.values(FUNCTIONS).map((f) => f.entry)).size);
  }, 330_000);
});
