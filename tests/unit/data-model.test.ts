import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regenerateDataModel } from '#shared/adapters/store/data-model-doc.ts';

const FILE = 'docs/data-model.md';

describe('docs/data-model.md', () => {
  it('is what the entity definitions and access patterns say', () => {
    const committed = readFileSync(FILE, 'utf8');
    const generated = regenerateDataModel(committed);
    if (process.env['UPDATE_DOCS']) {
      writeFileSync(FILE, generated);
      return;
    }
    expect(committed, `${FILE} is out of date with shared/adapters/store: rewrite it with\n  UPDATE_DOCS=1 npx vitest run tests/unit/data-model.test.ts`).toBe(
      generated,
    );
  });

  it('keeps its hand-written sections', () => {
    const text = readFileSync(FILE, 'utf8');
    for (const heading of ['## Tenancy', '## Items: type, version and validation', '## Invariants and how they hold']) expect(text).toContain(heading);
  });

  it('refuses a document that lost a generated part’s markers', () => {
    expect(() => regenerateDataModel('# Data model\n')).toThrow(/no markers for the generated part "table"/);
  });
});
