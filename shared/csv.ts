import { stringify } from 'csv-stringify/sync';

/**
 * A CSV file for people to open in Excel: RFC 4180 quoting, a UTF-8 byte-order mark and
 * CRLF record ends, so Excel reads the Japanese as UTF-8 rather than Shift_JIS.
 *
 * Every cell is text someone typed (a case title, a condition, a name in the audit trail),
 * and a spreadsheet may run a cell that begins with `=`, `+`, `-`, `@`, a tab or a CR (or
 * the full-width ＝＋－＠) as a formula: csv-stringify's `escape_formulas` gives such a cell a
 * leading `'`, which keeps it text (OWASP "CSV injection"). Reading the file back therefore
 * yields that `'` too.
 */
export function excelCsv(rows: readonly (readonly string[])[]): Buffer {
  // quote_record_delimiter: with a record delimiter given, csv-stringify would otherwise quote
  // only cells holding CRLF, leaving a bare LF (a textarea's line break) to split the record.
  return Buffer.from(stringify(rows as string[][], { bom: true, record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true }), 'utf8');
}
