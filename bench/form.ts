/**
 * Section 6 of `npm run bench` (cheap, in this process): parsing the red team's 64 KB 審議票 of
 * 3,500 `items.N.name` rows as a page does — the body read, the draft and the complete form
 * checked, each error mapped back to its row — and drawing the page that shows the form again
 * with its errors. `tsx bench/form.ts` prints the figure alone.
 */
import { pathToFileURL } from 'node:url';
import { MAX_FORM_BYTES, readForm } from '#functions/http/kit.ts';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import { consultationDraft, consultationSubmission, formToObject, postedPath } from '#shared/domain/consultation-form.ts';
import type { Council } from '#shared/domain/council.ts';
import { checkForm } from '#shared/forms.ts';
import { consultationFormPage } from '#templates/pages/consultations.ts';
import { manyRowsBody } from '../tests/support/consultation-forms.ts';
import { median, round } from './lib/stats.ts';

export interface FormParseResult {
  rows: number;
  bodyBytes: number;
  /** readForm + the draft and submission checks, first run (cold JIT) and median of the rest. */
  parseFirstMs: number;
  parseMedianMs: number;
  renderMedianMs: number;
  pageKiB: number;
  errors: number;
  runs: number;
}

export function measureFormParsing(rows = 3500, runs = 25): FormParseResult {
  const body = manyRowsBody(rows);
  if (Buffer.byteLength(body) > MAX_FORM_BYTES) throw new Error(`the bench form is ${Buffer.byteLength(body)} bytes, over the ${MAX_FORM_BYTES} a page takes`);
  const viewer = DEMO_IDENTITIES.find((u) => u.role === 'department')!;
  const council = { councilId: viewer.councilId, name: '審議会' } as Council;
  const parse: number[] = [];
  const render: number[] = [];
  let page = '';
  let errors = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const form = readForm({ body, isBase64Encoded: false } as Parameters<typeof readForm>[0]);
    const draft = checkForm(consultationDraft, form, formToObject, postedPath);
    const complete = checkForm(consultationSubmission, form, formToObject, postedPath);
    const t1 = performance.now();
    const shown = draft.ok ? complete : draft;
    if (shown.ok) throw new Error('the bench form was accepted; it should be refused');
    page = consultationFormPage({ viewer, council, department: undefined, state: shown, action: '/' });
    render.push(performance.now() - t1);
    parse.push(t1 - t0);
    errors = Object.keys(shown.errors).length;
  }
  return {
    rows,
    bodyBytes: Buffer.byteLength(body),
    parseFirstMs: round(parse[0]!, 1),
    parseMedianMs: round(median(parse.slice(1)), 2),
    renderMedianMs: round(median(render.slice(1)), 2),
    pageKiB: round(Buffer.byteLength(page) / 1024, 1),
    errors,
    runs,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = measureFormParsing();
  process.stdout.write(
    `64 KB form (${r.rows} rows, ${r.bodyBytes} bytes): parse ${r.parseMedianMs} ms median (first ${r.parseFirstMs} ms), ` +
      `error page ${r.renderMedianMs} ms, ${r.pageKiB} KiB, ${r.errors} errors — target < 50 ms: ${r.parseMedianMs < 50 ? 'ok' : 'MISSED'}\n`,
  );
}
