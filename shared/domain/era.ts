/**
 * Japanese era dates (和暦) and fiscal years (年度, 1 April – 31 March).
 * Dates are calendar dates in Japan (Asia/Tokyo); callers pass 'YYYY-MM-DD'
 * or a Date that is converted to its Tokyo calendar date.
 */

interface Era {
  name: string;
  /** First day of the era, as 'YYYY-MM-DD'. */
  start: string;
}

/** Newest first. Eras before Heisei are not needed for current council records. */
const ERAS: readonly Era[] = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
];

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'] as const;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** The Tokyo calendar date of an instant, or the parts of a 'YYYY-MM-DD' string. */
export function calendarDate(value: Date | string): CalendarDate {
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (!m) throw new RangeError(`not a date: ${value}`);
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  }
  const tokyo = new Date(value.getTime() + 9 * 3600_000);
  return { year: tokyo.getUTCFullYear(), month: tokyo.getUTCMonth() + 1, day: tokyo.getUTCDate() };
}

const iso = (d: CalendarDate) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** The era and year within it; year 1 is written 元年. */
export function eraYear(value: Date | string): { era: string; year: number } {
  const d = calendarDate(value);
  const key = iso(d);
  const era = ERAS.find((e) => key >= e.start);
  if (!era) throw new RangeError(`date before supported eras: ${key}`);
  return { era: era.name, year: d.year - Number(era.start.slice(0, 4)) + 1 };
}

const yearLabel = (year: number) => (year === 1 ? '元' : String(year));

/** 令和4年7月11日(月) */
export function formatEraDate(value: Date | string, { weekday = true } = {}): string {
  const d = calendarDate(value);
  const { era, year } = eraYear(value);
  const wd = weekday ? `(${WEEKDAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()]})` : '';
  return `${era}${yearLabel(year)}年${d.month}月${d.day}日${wd}`;
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
  const { era } = eraYear(asOf);
  const start = ERAS.find((e) => e.name === era)!;
  const year = fy - Number(start.start.slice(0, 4)) + 1;
  return `${era}${yearLabel(Math.max(1, year))}年度`;
}
