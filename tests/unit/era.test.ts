import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarDate,
  eraDateOrAsTyped,
  eraYear,
  fiscalYear,
  formatEraDate,
  formatFiscalYear,
  formatTokyoDateTime,
  formatTokyoTime,
  formatWesternDate,
} from '#shared/domain/era.ts';
import { formatCount } from '#shared/domain/schema.ts';

/**
 * The hand-kept era table era.ts used before it read ICU's Japanese calendar: an oracle
 * for every date since 昭和 began, so a Node update that changed the output would show here.
 */
const OLD_ERAS = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
] as const;
function oldFormat(iso: string, weekday: boolean): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const era = OLD_ERAS.find((e) => iso >= e.start)!;
  const year = y - Number(era.start.slice(0, 4)) + 1;
  const wd = '日月火水木金土'[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${era.name}${year === 1 ? '元' : year}年${m}月${d}日${weekday ? `(${wd})` : ''}`;
}

/** A calendar day as 'YYYY-MM-DD' (years 1000–9999 only, so no sign or padding questions). */
const isoDay = (min: string, max: string) =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('era dates', () => {
  it('changes era between 2019-04-30 and 2019-05-01, writing year one as 元年', () => {
    expect(formatEraDate('2019-04-30')).toBe('平成31年4月30日(火)');
    expect(formatEraDate('2019-05-01')).toBe('令和元年5月1日(水)');
    expect(formatEraDate('2019-12-31')).toBe('令和元年12月31日(火)');
    expect(formatEraDate('2020-01-01', { weekday: false })).toBe('令和2年1月1日');
    expect(eraYear('2019-05-01')).toEqual({ era: '令和', year: 1 });
  });

  it('writes a real meeting date as the minutes do', () => {
    expect(formatEraDate('2022-07-11')).toBe('令和4年7月11日(月)');
  });

  it('changes every era of the Gregorian period on its first day', () => {
    const boundaries = [
      ['1912-07-29', '明治45年7月29日(月)', '1912-07-30', '大正元年7月30日(火)'],
      ['1926-12-24', '大正15年12月24日(金)', '1926-12-25', '昭和元年12月25日(土)'],
      ['1989-01-07', '昭和64年1月7日(土)', '1989-01-08', '平成元年1月8日(日)'],
      ['2019-04-30', '平成31年4月30日(火)', '2019-05-01', '令和元年5月1日(水)'],
    ];
    for (const [last, lastText, first, firstText] of boundaries) {
      expect(formatEraDate(last!)).toBe(lastText);
      expect(formatEraDate(first!)).toBe(firstText);
      expect(eraYear(first!).year).toBe(1);
    }
    expect(eraYear('1989-01-07')).toEqual({ era: '昭和', year: 64 });
    expect(eraYear('1989-01-08')).toEqual({ era: '平成', year: 1 });
  });

  it('starts at 明治6年, when Japan took up the Gregorian calendar, and refuses what is not a date', () => {
    expect(formatEraDate('1873-01-01')).toBe('明治6年1月1日(水)');
    expect(() => formatEraDate('1872-12-31')).toThrow(RangeError);
    expect(() => eraYear(new Date('1872-12-31T00:00:00Z'))).toThrow(RangeError);
    expect(() => formatEraDate('令和元年')).toThrow(RangeError);
    expect(() => formatEraDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('keeps a day that does not exist as written (a draft’s 開始予定日), with the weekday Date rolls it to', () => {
    expect(formatEraDate('2019-02-30')).toBe('平成31年2月30日(土)');
  });

  it('reads an instant as its Tokyo calendar date', () => {
    // 2019-04-30T15:00Z is already 1 May in Tokyo.
    expect(eraYear(new Date('2019-04-30T15:00:00Z'))).toEqual({ era: '令和', year: 1 });
    expect(eraYear(new Date('2019-04-30T14:59:59Z'))).toEqual({ era: '平成', year: 31 });
    expect(formatEraDate(new Date('2019-04-30T15:00:00Z'))).toBe('令和元年5月1日(水)');
    expect(formatEraDate(new Date('2019-04-30T14:59:59.999Z'))).toBe('平成31年4月30日(火)');
    // The weekday turns with the Tokyo day, not the UTC one.
    expect(formatEraDate(new Date('2022-07-10T15:00:00Z'))).toBe('令和4年7月11日(月)');
    expect(formatWesternDate(new Date('2022-07-10T15:00:00Z'))).toBe('2022年7月11日');
    expect(calendarDate(new Date('2022-07-10T14:59:59Z'))).toEqual({ year: 2022, month: 7, day: 10 });
  });

  it('reads instants of 1948–1951 with Japan’s summer time, which a fixed +9 h missed', () => {
    // 1949-06-30T14:30Z was 00:30 on 1 July under JST+1.
    expect(calendarDate(new Date('1949-06-30T14:30:00Z'))).toEqual({ year: 1949, month: 7, day: 1 });
    expect(formatEraDate(new Date('1949-06-30T14:30:00Z'), { weekday: false })).toBe('昭和24年7月1日');
  });

  it('writes every day since 昭和 began as the hand-kept table did', () => {
    fc.assert(
      fc.property(isoDay('1926-12-25', '2199-12-31'), fc.boolean(), (iso, weekday) => {
        expect(formatEraDate(iso, { weekday })).toBe(oldFormat(iso, weekday));
      }),
    );
  });

  it('writes an instant as the Tokyo calendar day it falls on', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1952-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const tokyoDay = new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
        expect(formatEraDate(d)).toBe(formatEraDate(tokyoDay));
        expect(eraYear(d)).toEqual(eraYear(tokyoDay));
      }),
    );
  });
});

describe('fiscal years', () => {
  it('turns over between 31 March and 1 April', () => {
    expect(fiscalYear('2023-03-31')).toBe(2022);
    expect(fiscalYear('2023-04-01')).toBe(2023);
  });

  it('turns over at midnight in Tokyo, not in UTC', () => {
    expect(fiscalYear(new Date('2023-03-31T14:59:59Z'))).toBe(2022);
    expect(fiscalYear(new Date('2023-03-31T15:00:00Z'))).toBe(2023);
    expect(formatFiscalYear(2019, new Date('2019-04-30T14:59:59Z'))).toBe('平成31年度');
    expect(formatFiscalYear(2019, new Date('2019-04-30T15:00:00Z'))).toBe('令和元年度');
  });

  it('names the year in the era in force when the document is written', () => {
    expect(formatFiscalYear(2022)).toBe('令和4年度');
    expect(formatFiscalYear(2019, '2019-04-10')).toBe('平成31年度');
    expect(formatFiscalYear(2019, '2019-06-10')).toBe('令和元年度');
    expect(formatFiscalYear(2018)).toBe('平成30年度');
  });

  it('names fiscal years across the change of era', () => {
    // Fiscal 2019 (2019-04-01 – 2020-03-31) began in 平成 and ended in 令和.
    expect(formatFiscalYear(2019)).toBe('平成31年度');
    expect(formatFiscalYear(2019, '2019-04-30')).toBe('平成31年度');
    expect(formatFiscalYear(2019, '2019-05-01')).toBe('令和元年度');
    expect(formatFiscalYear(2019, '2020-03-31')).toBe('令和元年度');
    expect(formatFiscalYear(2020)).toBe('令和2年度');
    // Fiscal 1988 ended in 平成: written then, it is 平成元年度 (never 平成0年度).
    expect(formatFiscalYear(1988)).toBe('昭和63年度');
    expect(formatFiscalYear(1988, '1989-01-08')).toBe('平成元年度');
    expect(formatFiscalYear(1989)).toBe('平成元年度');
    expect(formatFiscalYear(1990)).toBe('平成2年度');
  });

  it('places every date in the fiscal year that contains it', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const fy = fiscalYear(iso);
        expect(iso >= `${fy}-04-01` && iso <= `${fy + 1}-03-31`).toBe(true);
      }),
    );
  });

  it('names a fiscal year, written on any of its days, as that day’s era year or 元年', () => {
    fc.assert(
      fc.property(isoDay('1927-04-01', '2199-12-31'), (iso) => {
        const fy = fiscalYear(iso);
        const { era, year } = eraYear(iso);
        // April–December share the fiscal year's Western year; January–March are a year on.
        const expected = iso.slice(5, 7) >= '04' ? year : Math.max(1, year - 1);
        expect(formatFiscalYear(fy, iso)).toBe(`${era}${expected === 1 ? '元' : expected}年度`);
      }),
    );
  });

  it('writes a moment in Japan time for spreadsheets, and a stored day in 和暦 (a typed one as typed)', () => {
    expect(formatTokyoDateTime('2026-11-30T15:04:05.123Z')).toBe('2026-12-01 00:04:05');
    expect(eraDateOrAsTyped('2014-04-01')).toBe('平成26年4月1日');
    expect(eraDateOrAsTyped('未定')).toBe('未定');
    expect(eraDateOrAsTyped(undefined)).toBe('');
  });

  /**
   * ICU's Japanese calendar is the authority for era names and first days; era.ts keeps them in a
   * table so a page need not load that calendar. When a Node update brings the next era, this
   * fails until its row is added to ERAS.
   */
  it('writes every day since 明治6年 as ICU’s Japanese calendar does', () => {
    const icu = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
      era: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      weekday: 'short',
      timeZone: 'UTC',
    });
    for (let t = Date.UTC(1873, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      const expected = icu.format(new Date(`${iso}T00:00:00Z`));
      // One expect per difference only: 83,000 days through expect would take seconds.
      if (formatEraDate(iso) !== expected) expect(`${iso}: ${formatEraDate(iso)}`).toBe(`${iso}: ${expected}`);
    }
  });

  it('writes a moment as toLocaleString does in Japan time', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1952-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        expect(formatTokyoTime(d)).toBe(d.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' }));
        expect(formatTokyoTime(d.toISOString())).toBe(d.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' }));
      }),
    );
  });
});

describe('counts', () => {
  it('writes whole numbers as toLocaleString does in Japanese', () => {
    fc.assert(
      fc.property(
        fc.integer().map((n) => n + 0),
        (n) => {
          expect(formatCount(n)).toBe(n.toLocaleString('ja-JP'));
        },
      ),
    );
    for (const n of [0, 999, 1000, 100_000_000, 123_456_789_012]) expect(formatCount(n)).toBe(n.toLocaleString('ja-JP'));
  });
});
