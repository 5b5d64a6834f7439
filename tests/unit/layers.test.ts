import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies point one way: handler (functions/) → use case → domain, with adapters behind
 * ports. These checks read the sources, so a wrong import fails the build of the suite, not a review.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(ROOT, rel)).isDirectory() ? sources(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}
const importsOf = (file: string) =>
  [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
/** Every import of `files` that matches `forbidden`, as "file → import". */
const offending = (files: string[], forbidden: RegExp) =>
  files.flatMap((f) =>
    importsOf(f)
      .filter((i) => forbidden.test(i))
      .map((i) => `${f} → ${i}`),
  );

describe('layers', () => {
  it('keeps the domain free of AWS, adapters, the key scheme and rendering', () => {
    expect(offending(sources('shared/domain'), /^@aws-sdk|^#shared\/adapters|^#shared\/keys|^#templates|^#functions/)).toEqual([]);
  });

  it('keeps use cases from rendering pages or mails, and from reading forms', () => {
    expect(offending(sources('shared/use-cases'), /^#templates|^#functions|^#shared\/forms/)).toEqual([]);
  });

  it('keeps templates free of adapters and the SDK', () => {
    expect(offending(sources('templates'), /^@aws-sdk|^#shared\/adapters|^#functions/)).toEqual([]);
  });

  it('imports node:http nowhere a function runs (its ES facade loads undici: ≈ 20 ms of a page function’s import)', () => {
    expect(offending(['functions', 'shared', 'templates'].flatMap(sources), /^(node:)?http$/)).toEqual([]);
  });

  it('pastes no URL together: every link comes from the route table', () => {
    const pasted = ['functions', 'templates', 'shared']
      .flatMap(sources)
      .filter((f) => /\/c\/\$\{|[`'"]\/[vf]\/\$\{/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(pasted).toEqual([]);
  });
});
