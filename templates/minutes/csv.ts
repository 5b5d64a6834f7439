import type { MinutesDocument } from '#shared/domain/minutes.ts';

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * Decisions and conditions, one row per condition (or per case without conditions).
 * UTF-8 with a byte-order mark and CRLF line ends: Excel then opens it with Japanese intact.
 */
export function minutesCsv(doc: MinutesDocument): Buffer {
  const rows = [['議題', '諮問番号', '件名', '所管課', '審議の結果', '条件番号', '条件']];
  for (const d of doc.decisions) {
    if (d.conditions.length === 0) rows.push([d.item, d.number, d.title, d.department, d.outcome, '', '']);
    d.conditions.forEach((c, i) => rows.push([d.item, d.number, d.title, d.department, d.outcome, String(i + 1), c]));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8')]);
}
