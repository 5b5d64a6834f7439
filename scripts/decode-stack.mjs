#!/usr/bin/env node
/**
 * Maps a stack trace from the functions' logs back to the sources, with the source maps that
 * every bundle carries (the functions run without --enable-source-maps unless deployed with
 * `-c council:sourceMaps=true`: infra/settings.ts).
 *
 *   node scripts/decode-stack.mjs <bundle dir> [trace file]     (the trace on stdin without a file)
 *
 * <bundle dir> is the function's bundle as deployed: its asset directory in cdk.out (the
 * function's Code in the template names it), holding index.mjs, chunks/ and their .map files.
 * Frames in /var/task/ are looked up under it; other frames are left as they are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [dir, file] = process.argv.slice(2);
if (!dir || !existsSync(path.join(dir, 'index.mjs'))) {
  process.stderr.write('usage: node scripts/decode-stack.mjs <bundle dir, holding index.mjs> [trace file]\n');
  process.exit(2);
}
const root = path.resolve(dir);
const maps = new Map();

/** The source map of one bundled file, or undefined when the bundle has none for it. */
function mapOf(bundled) {
  if (!maps.has(bundled)) {
    const mapFile = `${bundled}.map`;
    maps.set(bundled, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
  }
  return maps.get(bundled);
}

/** The bundled file a frame names, under <bundle dir>. */
function bundledFile(location) {
  const p = location.startsWith('file://') ? fileURLToPath(location) : location;
  if (p.startsWith('/var/task/')) return path.join(root, p.slice('/var/task/'.length));
  return p.startsWith(`${root}${path.sep}`) ? p : undefined;
}

const FRAME = /((?:file:\/\/)?\/[^\s():]+\.m?js):(\d+):(\d+)/g;
const decode = (line) =>
  line.replace(FRAME, (whole, location, l, c) => {
    const bundled = bundledFile(location);
    const entry = bundled && mapOf(bundled)?.findEntry(Number(l) - 1, Number(c) - 1);
    if (!entry?.originalSource) return whole;
    const source = path.relative(process.cwd(), path.resolve(path.dirname(bundled), entry.originalSource));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${entry.name ? ` [${entry.name}]` : ''}`;
  });

const trace = readFileSync(file ?? 0, 'utf8');
process.stdout.write(trace.split('\n').map(decode).join('\n'));
