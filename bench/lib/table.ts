/** Prints rows as a plain-text table (numbers right-aligned; CJK characters counted two columns wide). */
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;
const width = (s: string) => [...s].reduce((n, ch) => n + (WIDE.test(ch) ? 2 : 1), 0);
const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' && !Number.isFinite(v) ? '–' : String(v));

export function printTable(title: string, rows: Record<string, unknown>[]): void {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const widths = columns.map((c) => Math.max(width(c), ...rows.map((r) => width(cell(r[c])))));
  const pad = (s: string, w: number, right: boolean) => (right ? ' '.repeat(w - width(s)) + s : s + ' '.repeat(w - width(s)));
  const line = (values: string[], numeric: boolean[]) => `| ${values.map((v, i) => pad(v, widths[i]!, numeric[i]!)).join(' | ')} |`;
  const out = [
    '',
    title,
    line(
      columns,
      columns.map(() => false),
    ),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) =>
      line(
        columns.map((c) => cell(r[c])),
        columns.map((c) => typeof r[c] === 'number'),
      ),
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
