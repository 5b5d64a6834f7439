import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eraYear, fiscalYear, formatEraDate, formatFiscalYear } from '#shared/domain/era.ts';

describe('era dates', () => {
  it('changes era between 2019-04-30 and 2019-05-01, writing year one as 元年', () => {
    expect(formatEraDate('2019-04-30')).toBe('平成31年4月30日(火)');
    expect(formatEraDate('2019-05-01')).toBe('令和元年5月1日(水)');
    expect(formatEraDate('2020-01-01', { weekday: false })).toBe('令和2年1月1日');
  });

  it('writes a real meeting date as the minutes do', () => {
    expect(formatEraDate('2022-07-11')).toBe('令和4年7月11日(月)');
  });

  it('changes Heisei at its first day', () => {
    expect(eraYear('1989-01-07')).toEqual({ era: '昭和', year: 64 });
    expect(eraYear('1989-01-08')).toEqual({ era: '平成', year: 1 });
  });

  it('reads an instant as its Tokyo calendar date', () => {
    // 2019-04-30T15:00Z is already 1 May in Tokyo.
    expect(eraYear(new Date('2019-04-30T15:00:00Z'))).toEqual({ era: '令和', year: 1 });
    expect(eraYear(new Date('2019-04-30T14:59:59Z'))).toEqual({ era: '平成', year: 31 });
  });
});

describe('fiscal years', () => {
  it('turns over between 31 March and 1 April', () => {
    expect(fiscalYear('2023-03-31')).toBe(2022);
    expect(fiscalYear('2023-04-01')).toBe(2023);
  });

  it('names the year in the era in force when the document is written', () => {
    expect(formatFiscalYear(2022)).toBe('令和4年度');
    expect(formatFiscalYear(2019, '2019-04-10')).toBe('平成31年度');
    expect(formatFiscalYear(2019, '2019-06-10')).toBe('令和元年度');
    expect(formatFiscalYear(2018)).toBe('平成30年度');
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
});
