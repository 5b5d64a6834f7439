/**
 * Section 1, step one: bundles handlers the way CDK does (infra/constructs/house-function.ts:
 * NodejsFunction with ESM, target node24, minify, source maps, main fields module,main, the
 * createRequire banner, the repo's tsconfig), with esbuild, into bench/results/build.
 *
 * Two ways to treat the AWS SDK, both measured:
 *  - 'sdk-external': as CDK deploys by default here (externals ['@aws-sdk/*']; @smithy/* is
 *    only reached through the SDK, so it stays out too). The SDK then resolves from
 *    node_modules — the bundles are written inside the repository for that — standing in for
 *    the copy the Lambda runtime ships.
 *  - 'sdk-bundled': everything in one file (CDK's bundleAwsSDK: true).
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';

export type SdkMode = 'sdk-external' | 'sdk-bundled';
export const SDK_MODES: SdkMode[] = ['sdk-external', 'sdk-bundled'];
export const BUILD_DIR = path.join(REPO_ROOT, 'bench/results/build');

export interface Bundle {
  name: string;
  mode: SdkMode;
  file: string;
  bytes: number;
  /** Bytes in the output by origin: zod, @aws-sdk, @smithy, @middy, other packages, the app's own code. */
  composition: Record<string, number>;
}

/** The bundling options of HouseFunction, with the SDK treated per `mode`. */
const BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export async function bundle(name: string, entry: string, mode: SdkMode): Promise<Bundle> {
  const outdir = path.join(BUILD_DIR, mode, name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: true,
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
    external: mode === 'sdk-external' ? ['@aws-sdk/*'] : [],
    metafile: true,
    logLevel: 'error',
  });
  return { name, mode, file, bytes: statSync(file).size, composition: composition(result.metafile) };
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
