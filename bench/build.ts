/**
 * Section 1, step one: bundles handlers exactly as CDK does at synth — the same options
 * (infra/constructs/bundle.ts: ESM, node24, minified, split by module, source maps) — with
 * esbuild, into bench/results/build.
 *
 * Two ways to treat the AWS SDK, both measured:
 *  - 'sdk-external': as deployed (the SDK left out; @smithy/* is only reached through the SDK,
 *    so it stays out too). The SDK then resolves from node_modules — the bundles are written
 *    inside the repository for that — standing in for the copy the Lambda runtime ships.
 *  - 'sdk-bundled': everything in the bundle.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_ENTRY_FILE, bundleOptions, type SdkMode } from '#infra/constructs/bundle.ts';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';

export type { SdkMode };
export const SDK_MODES: SdkMode[] = ['sdk-external', 'sdk-bundled'];
export const BUILD_DIR = path.join(REPO_ROOT, 'bench/results/build');

export interface Bundle {
  name: string;
  mode: SdkMode;
  /** The entry file (the handler); the chunks it loads lie beside it. */
  file: string;
  /** Bytes of the entry file: what a cold start reads before its first request. */
  bytes: number;
  /** Bytes of the entry and every chunk, source maps aside. */
  totalBytes: number;
  /** Bytes in the output by origin: zod, @aws-sdk, @smithy, @middy, other packages, the app's own code. */
  composition: Record<string, number>;
}

export async function bundle(name: string, entry: string, mode: SdkMode): Promise<Bundle> {
  const outdir = path.join(BUILD_DIR, mode, name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, BUNDLE_ENTRY_FILE);
  const result = await build({ ...bundleOptions(REPO_ROOT, entry, outdir, mode), metafile: true });
  const totalBytes = Object.entries(result.metafile.outputs)
    .filter(([out]) => !out.endsWith('.map'))
    .reduce((sum, [, o]) => sum + o.bytes, 0);
  return { name, mode, file, bytes: statSync(file).size, totalBytes, composition: composition(result.metafile) };
}

function composition(meta: Metafile): Record<string, number> {
  const out: Record<string, number> = { zod: 0, '@aws-sdk': 0, '@smithy': 0, '@middy': 0, 'other packages': 0, app: 0 };
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const key = !pkg
        ? 'app'
        : pkg === 'zod'
          ? 'zod'
          : pkg.startsWith('@aws-sdk/')
            ? '@aws-sdk'
            : pkg.startsWith('@smithy/')
              ? '@smithy'
              : pkg.startsWith('@middy/')
                ? '@middy'
                : 'other packages';
      out[key]! += bytesInOutput;
    }
  }
  return out;
}
