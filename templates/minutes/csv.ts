import { excelCsv } from '#shared/csv.ts';
import type { MinutesDocument } from '#shared/domain/minutes.ts';

/**
 * Decisions and conditions, one row per condition (or per case without conditions).
 * Either edition, as an Excel-bound file (BOM, CRLF, formulas neutralised: see excelCsv).
 */
export function minutesCsv(doc: MinutesDocument): Buffer {
  const rows = [['議題', '諮問番号', '件名', '所管課', '審議の結果', '条件番号', '条件']];
  for (const d of doc.decisions) {
    if (d.conditions.length === 0) rows.push([d.item, d.number, d.title, d.department, d.outcome, '', '']);
    d.conditions.forEach((c, i) => rows.push([d.item, d.number, d.title, d.department, d.outcome, String(i + 1), c]));
  }
  return excelCsv(rows);
}
