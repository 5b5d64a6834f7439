/**
 * Japanese era dates (和暦) and fiscal years (年度, 1 April – 31 March).
 * Dates are calendar dates in Japan (Asia/Tokyo); callers pass 'YYYY-MM-DD'
 * or a Date that is converted to its Tokyo calendar date.
 *
 * Era names, their first days, 元年 and weekdays come from ICU's Japanese calendar
 * (`Intl.DateTimeFormat('ja-JP-u-ca-japanese')`), so the next era arrives with a Node
 * update instead of an edit here. Lambda's Node runtimes and this project's Node carry
 * full ICU; a build with small ICU would fall back to English and fail the unit tests.
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

// Made on first use: building a formatter costs more than a cold start should pay up front.
let formatters: { tokyo: Intl.DateTimeFormat; utc: Intl.DateTimeFormat; tokyoDay: Intl.DateTimeFormat } | undefined;
const fmt = () =>
  (formatters ??= {
    // 令和元年5月1日(水): the `year` part is 元 in year one of an era.
    tokyo: new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
      era: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      weekday: 'short',
      timeZone: 'Asia/Tokyo',
    }),
    utc: new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' }),
    tokyoDay: new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'Asia/Tokyo' }),
  });

type Part = Intl.DateTimeFormatPartTypes;
const partsOf = (format: Intl.DateTimeFormat, instant: Date) => {
  const parts = new Map<Part, string>(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return (type: Part) => parts.get(type) ?? '';
};

/** The Tokyo calendar date of an instant, or the parts of a 'YYYY-MM-DD' string. */
export function calendarDate(value: Date | string): CalendarDate {
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (!m) throw new RangeError(`not a date: ${value}`);
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  }
  if (Number.isNaN(value.getTime())) throw new RangeError('not a date: Invalid Date');
  // Through the time-zone database, not a fixed +9 h: Japan kept summer time in 1948–1951.
  const part = partsOf(fmt().tokyoDay, value);
  return { year: Number(part('year')), month: Number(part('month')), day: Number(part('day')) };
}

const iso = (d: CalendarDate) => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/**
 * ICU's reading of a date in the Japanese calendar. A string is read as that calendar day
 * (midnight UTC, formatted in UTC); an instant as its day in Tokyo. A well-formed string
 * naming no real day (a draft's 2月30日) is read where Date rolls it (3月2日) for its era and
 * weekday, while the month and day shown stay as written.
 */
function japanese(value: Date | string) {
  const d = calendarDate(value);
  if (iso(d) < FIRST_GREGORIAN_DAY) throw new RangeError(`date before the Gregorian calendar in Japan: ${iso(d)}`);
  let part: (type: Part) => string;
  if (typeof value === 'string') {
    const instant = new Date(0);
    instant.setUTCFullYear(d.year, d.month - 1, d.day);
    part = partsOf(fmt().utc, instant);
  } else {
    part = partsOf(fmt().tokyo, value);
  }
  const yearText = part('year');
  return { era: part('era'), year: yearText === '元' ? 1 : Number(yearText), yearText, month: d.month, day: d.day, weekday: part('weekday') };
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

/** 「2026-11-30 15:04」: a moment in Japan time, for a spreadsheet column people read and sort (not 和暦, not UTC). */
export function formatTokyoDateTime(value: Date | string): string {
  const d = new Date(new Date(value).getTime() + 9 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)}`;
}

/** 和暦 for a stored 'YYYY-MM-DD' day; anything else (a day not yet given) as it was typed. */
export const eraDateOrAsTyped = (value: string | undefined, options: { weekday?: boolean } = {}) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatEraDate(value, { weekday: options.weekday ?? false }) : (value ?? '');
