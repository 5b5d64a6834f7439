/**
 * Japanese era dates (和暦) and fiscal years (年度, 1 April – 31 March).
 * Dates are calendar dates in Japan (Asia/Tokyo); callers pass 'YYYY-MM-DD'
 * or a Date that is converted to its Tokyo calendar date.
 *
 * Era names and first days are kept in ERAS below, not read from ICU's Japanese calendar
 * (`Intl.DateTimeFormat('ja-JP-u-ca-japanese')`) on each page: loading that calendar costs a
 * cold start a tenth of its floor. ICU stays the authority — a unit test compares every day
 * from 明治6年 on with it, so the Node update that brings the next era fails that test until
 * its row is added here. Instants before 1952 (Japan kept summer time in 1948–1951) are read
 * through the time-zone database.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Japan moved to the Gregorian calendar on 明治6年1月1日; before it ICU would put era names
 * on Gregorian months and days that no document of the time bears.
 */
const FIRST_GREGORIAN_DAY = '1873-01-01';

/** The eras of the Gregorian period, newest first: each one's first day, as ICU's Japanese calendar has it. */
export const ERAS = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
  { name: '大正', start: '1912-07-30' },
  { name: '明治', start: '1868-01-01' },
] as const;

const WEEKDAYS = '日月火水木金土';
/** From this instant on Tokyo is UTC+9 all year (its last summer time ended in September 1951). */
const FIXED_OFFSET_FROM = Date.UTC(1952, 0, 1);
const TOKYO_OFFSET_MS = 9 * 3600_000;

// Only for instants before 1952: made on first use.
let tokyoDay: Intl.DateTimeFormat | undefined;

/** The Tokyo calendar date of an instant, or the parts of a 'YYYY-MM-DD' string. */
export function calendarDate(value: Date | string): CalendarDate {
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (!m) throw new RangeError(`not a date: ${value}`);
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  }
  const time = value.getTime();
  if (Number.isNaN(time)) throw new RangeError('not a date: Invalid Date');
  if (time >= FIXED_OFFSET_FROM) {
    const tokyo = new Date(time + TOKYO_OFFSET_MS);
    return { year: tokyo.getUTCFullYear(), month: tokyo.getUTCMonth() + 1, day: tokyo.getUTCDate() };
  }
  // Through the time-zone database, not a fixed +9 h: Japan kept summer time in 1948–1951.
  tokyoDay ??= new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'Asia/Tokyo' });
  const parts = new Map(tokyoDay.formatToParts(value).map((p) => [p.type, p.value]));
  return { year: Number(parts.get('year')), month: Number(parts.get('month')), day: Number(parts.get('day')) };
}

const iso = (d: CalendarDate) => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/**
 * A date in the Japanese calendar. A well-formed string naming no real day (a draft's 2月30日)
 * is read where Date rolls it (3月2日) for its era and weekday, while the month and day shown
 * stay as written.
 */
function japanese(value: Date | string) {
  const d = calendarDate(value);
  if (iso(d) < FIRST_GREGORIAN_DAY) throw new RangeError(`date before the Gregorian calendar in Japan: ${iso(d)}`);
  const instant = new Date(0);
  instant.setUTCFullYear(d.year, d.month - 1, d.day);
  const day = instant.toISOString().slice(0, 10);
  const era = ERAS.find((e) => day >= e.start)!;
  const year = instant.getUTCFullYear() - Number(era.start.slice(0, 4)) + 1;
  return { era: era.name, year, yearText: year === 1 ? '元' : String(year), month: d.month, day: d.day, weekday: WEEKDAYS[instant.getUTCDay()]! };
}

/** The era and year within it; year 1 is written 元年. */
export function eraYear(value: Date | string): { era: string; year: number } {
  const { era, year } = japanese(value);
  return { era, year };
}

const yearLabel = (year: number) => (year === 1 ? '元' : String(year));

/** 令和4年7月11日(月) */
export function formatEraDate(value: Date | string, { weekday = true } = {}): string {
  const j = japanese(value);
  return `${j.era}${j.yearText}年${j.month}月${j.day}日${weekday ? `(${j.weekday})` : ''}`;
}

/** 2022年7月11日 */
export function formatWesternDate(value: Date | string): string {
  const d = calendarDate(value);
  return `${d.year}年${d.month}月${d.day}日`;
}

/** The fiscal year (年度) a date falls in, named by the Western year it starts in. */
export function fiscalYear(value: Date | string): number {
  const d = calendarDate(value);
  return d.month >= 4 ? d.year : d.year - 1;
}

/**
 * 令和4年度. Documents name a fiscal year in the era in force when they are written
 * (`asOf`, default the fiscal year's first day): a meeting on 2019-04-10 belongs to
 * 平成31年度, one on 2019-06-10 to 令和元年度 — the same fiscal year.
 */
export function formatFiscalYear(fy: number, asOf: Date | string = `${fy}-04-01`): string {
  const { era, year } = eraYear(asOf);
  // The Western year the era began in, from the era year ICU gives for `asOf`.
  const eraStart = calendarDate(asOf).year - year + 1;
  return `${era}${yearLabel(Math.max(1, fy - eraStart + 1))}年度`;
}

/** 「2026/11/30 9:04:05」: a moment in Japan time as `toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })` writes it, without loading ICU's formatter. */
export function formatTokyoTime(value: Date | string): string {
  const t = new Date(new Date(value).getTime() + TOKYO_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}/${t.getUTCMonth() + 1}/${t.getUTCDate()} ${t.getUTCHours()}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

/** 「2026-11-30 15:04」: a moment in Japan time, for a spreadsheet column people read and sort (not 和暦, not UTC). */
export function formatTokyoDateTime(value: Date | string): string {
  const d = new Date(new Date(value).getTime() + 9 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)}`;
}

/** 和暦 for a stored 'YYYY-MM-DD' day; anything else (a day not yet given) as it was typed. */
export const eraDateOrAsTyped = (value: string | undefined, options: { weekday?: boolean } = {}) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatEraDate(value, { weekday: options.weekday ?? false }) : (value ?? '');
