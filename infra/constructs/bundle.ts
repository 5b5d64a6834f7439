/**
 * How every function is bundled: by CDK at synth (HouseFunction's asset) and by the bench,
 * from this one definition. ESM for Node 24, minified, split by dynamic import: the page
 * functions load each area's module on its first request (functions/http/staff-areas.ts, link-areas.ts), so each
 * becomes a chunk file that a cold container reads only when asked for it. Source maps name
 * the files and lines in stack traces; they leave out the sources' text (Node parses a map
 * whole when the module loads, and the text tripled its size for nothing a trace shows).
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/** How the bundle treats the AWS SDK: left to the copy the Lambda runtime ships (as deployed), or bundled in. */
export type SdkMode = 'sdk-external' | 'sdk-bundled';

/** The handler file in the bundle's directory: `index.handler` for Lambda. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/** Some dependencies are CommonJS; give them a `require` inside each ESM chunk. */
const REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export function bundleOptions(repoRoot: string, entry: string, outdir: string, sdk: SdkMode = 'sdk-external'): BuildOptions {
  return {
    entryPoints: { index: path.join(repoRoot, entry) },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    tsconfig: path.join(repoRoot, 'tsconfig.json'),
    external: sdk === 'sdk-external' ? ['@aws-sdk/*'] : [],
    logLevel: 'error',
  };
}
