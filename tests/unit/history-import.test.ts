import { describe, expect, it } from 'vitest';
import { excelCsv } from '#shared/csv.ts';
import { decodeCsv, IMPORT_COLUMNS, IMPORT_MAX_ROWS, importedCaseId, parseHistoryCsv, readDate, readFiscalYear } from '#shared/domain/history-import.ts';
import { shiftJis } from '../support/shift-jis.ts';

const DEPARTMENTS = [
  { departmentId: 'shimin', name: '市民部 市民課' },
  { departmentId: 'fukushi', name: '福祉部 生活福祉課' },
  { departmentId: 'kodomo-a', name: 'こども部 総務課' },
  { departmentId: 'somu', name: '総務部 総務課' },
];
const TODAY = '2026-11-30';
const HEADER = IMPORT_COLUMNS.slice(0, 10).join(',');
const utf8 = (text: string) => new TextEncoder().encode(text);
const parse = (text: string | Uint8Array) => parseHistoryCsv(typeof text === 'string' ? utf8(text) : text, DEPARTMENTS, TODAY);
/** The errors of a file made of the header and `lines`. */
const errorsOf = (...lines: string[]) => {
  const result = parse([HEADER, ...lines].join('\r\n'));
  return result.ok ? [] : result.errors;
};
const GOOD =
  '1,令和5,住民票の写しの交付事務の委託,市民課,令和5年5月10日,R5.6.1,2023-06-05,条件付き可,"委託契約書に条件を明記すること\nデータ消去証明書を提出すること",完了;対応中';

describe('年度 in the file', () => {
  it.each([
    ['令和5', 2023],
    ['R5', 2023],
    ['r5', 2023],
    ['令和5年度', 2023],
    ['令和 5 年度', 2023],
    ['令和元', 2019],
    ['令和元年度', 2019],
    ['平成31', 2019],
    ['H30', 2018],
    ['昭和63', 1988],
    ['2023', 2023],
    ['2023年度', 2023],
    ['２０２３', 2023],
    ['Ｒ５', 2023],
  ])('reads 「%s」 as fiscal year %i', (cell, year) => {
    expect(readFiscalYear(cell)).toBe(year);
  });

  it.each(['令和', 'R0', '令和5年4月', 'X5', '23', 'abc', ''])('does not read 「%s」', (cell) => {
    expect(readFiscalYear(cell)).toBeUndefined();
  });
});

describe('dates in the file', () => {
  it.each([
    ['令和5年6月1日', '2023-06-01'],
    ['R5.6.1', '2023-06-01'],
    ['R5/6/1', '2023-06-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['平成31年4月30日', '2019-04-30'],
    ['H30.12.28', '2018-12-28'],
    ['2023-06-01', '2023-06-01'],
    ['2023/6/1', '2023-06-01'],
    ['2023年6月1日', '2023-06-01'],
    ['２０２３－０６－０１', '2023-06-01'],
  ])('reads 「%s」 as %s', (cell, iso) => {
    expect(readDate(cell)).toBe(iso);
  });

  it.each([
    ['平成31年5月1日', 'a day of 令和元年, not of 平成'],
    ['令和元年4月30日', 'a day of 平成31年'],
    ['令和5年2月30日', 'a day that does not exist'],
    ['2023-13-01', 'a month that does not exist'],
    ['R5.6', 'no day'],
    ['6月1日', 'no year'],
  ])('refuses 「%s」 (%s)', (cell) => {
    expect(readDate(cell)).toBeUndefined();
  });
});

describe('the file’s encoding', () => {
  const text = [HEADER, GOOD].join('\r\n');

  it('reads UTF-8 with and without a byte-order mark, and Shift_JIS as Excel saves it, alike', () => {
    const withBom = parse(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]));
    const plain = parse(text);
    const sjis = parse(shiftJis(text));
    expect(withBom.ok && plain.ok && sjis.ok).toBe(true);
    expect(withBom.rows).toEqual(plain.rows);
    expect(sjis.rows).toEqual(plain.rows);
    expect(plain.rows[0]).toMatchObject({
      line: 2,
      number: { fiscalYear: 2023, n: 1 },
      title: '住民票の写しの交付事務の委託',
      businessName: '住民票の写しの交付事務の委託',
      departmentId: 'shimin',
      consultedOn: '2023-05-10',
      decidedOn: '2023-06-01',
      answeredOn: '2023-06-05',
      outcome: 'approved_with_conditions',
      conditions: [
        { text: '委託契約書に条件を明記すること', done: true },
        { text: 'データ消去証明書を提出すること', done: false },
      ],
    });
  });

  it('reads the template this product writes (BOM, CRLF, quoted cells), with the optional column', () => {
    const file = excelCsv([
      [...IMPORT_COLUMNS],
      [
        '第2号',
        'R5',
        '生活保護システムの更改',
        '福祉部 生活福祉課',
        'R5.7.1',
        'R5.8.1',
        '',
        '可(意見付き)',
        '運用状況を報告されたい',
        '対応中',
        '生活保護事務',
      ],
    ]);
    const result = parse(file);
    expect(result.ok).toBe(true);
    expect(result.rows[0]).toMatchObject({
      number: { n: 2 },
      departmentId: 'fukushi',
      answeredOn: '2023-08-01',
      outcome: 'approved_with_opinions',
      businessName: '生活保護事務',
    });
  });

  it('tells UTF-8 it cannot read from Shift_JIS, and refuses bytes that are neither', () => {
    expect(decodeCsv(shiftJis('条件付き可'))).toBe('条件付き可');
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0xff, 0xfe]))).toBeUndefined();
    expect(parse(new Uint8Array([0xff, 0xff, 0x00, 0xff]))).toEqual({
      ok: false,
      rows: [],
      errors: ['文字コードを読み取れません。UTF-8 または Shift_JIS(Excelの「CSV(コンマ区切り)」)で保存したファイルを選んでください。'],
    });
  });
});

describe('what is read from a row', () => {
  it('takes every outcome, conditions split by line breaks or 「;」, and a department by its own name when unique', () => {
    const result = parse(
      [
        HEADER,
        '1,R5,件名A,生活福祉課,R5.4.10,R5.5.1,,可,,',
        '2,R5,件名B,市民部 市民課,R5.4.10,R5.5.1,R5.5.8,否,,',
        '3,R5,件名C,市民課,R5.4.10,R5.5.1,,継続審議,,',
        '4,R5,件名D,市民課,R5.4.10,R5.5.1,,条件付き可,条件一;条件二;条件三,完了;対応中;完了',
        '5,2023,件名E,市民課,2023-04-10,2023-05-01,,可(意見付き),意見一,完了',
        '',
        '第6号,令和5年度,件名F,市民課,R5.4.10,R5.5.1,,可,,',
      ].join('\n'),
    );
    expect(result.ok).toBe(true);
    expect(result.rows.map((r) => [r.line, r.number.n, r.outcome, r.answeredOn])).toEqual([
      [2, 1, 'approved', '2023-05-01'],
      [3, 2, 'rejected', '2023-05-08'],
      [4, 3, 'carried_over', undefined],
      [5, 4, 'approved_with_conditions', '2023-05-01'],
      [6, 5, 'approved_with_opinions', '2023-05-01'],
      [8, 6, 'approved', '2023-05-01'],
    ]);
    expect(result.rows[3]!.conditions).toEqual([
      { text: '条件一', done: true },
      { text: '条件二', done: false },
      { text: '条件三', done: true },
    ]);
    expect(result.rows[0]!.departmentId).toBe('fukushi');
  });

  it('names an imported case by council and number only: the same row imported twice is the same case', () => {
    expect(importedCaseId('sakura', { fiscalYear: 2023, n: 1 })).toBe(importedCaseId('sakura', { fiscalYear: 2023, n: 1 }));
    expect(importedCaseId('sakura', { fiscalYear: 2023, n: 1 })).not.toBe(importedCaseId('momiji', { fiscalYear: 2023, n: 1 }));
    expect(importedCaseId('sakura', { fiscalYear: 2023, n: 1 })).not.toBe(importedCaseId('sakura', { fiscalYear: 2024, n: 1 }));
    expect(importedCaseId('sakura', { fiscalYear: 2023, n: 1 })).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe('every problem, in Japanese, by row', () => {
  it('refuses an empty file, one too large and one with too many rows', () => {
    const empty = ['ファイルが空です。見出しの行と取り込む諮問の行があるCSVファイルを選んでください。'];
    expect(parse('')).toEqual({ ok: false, rows: [], errors: empty });
    expect(parse('\r\n\r\n')).toEqual({ ok: false, rows: [], errors: empty });
    expect(parse(new Uint8Array(1024 * 1024 + 1).fill(0x41))).toMatchObject({
      errors: ['ファイルが大きすぎます(1MBまで)。ファイルを分けて、一つずつ取り込んでください。'],
    });
    expect(parse(HEADER)).toMatchObject({ errors: ['取り込む諮問の行がありません。見出しの次の行から1件ずつ書いてください。'] });
    const many = Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => `${i + 1},R5,件名,市民課,R5.4.1,R5.5.1,,可,,`);
    expect(parse([HEADER, ...many].join('\n'))).toMatchObject({
      errors: ['行が多すぎます(2001件)。1回に取り込めるのは2000件までです。ファイルを分けてください。'],
    });
  });

  it('refuses a header with a missing, an unknown or a repeated column', () => {
    expect(parse('諮問番号,年度,件名,担当課,諮問日,審議日,答申日,結果,条件\n1')).toMatchObject({ errors: ['1行目(見出し) 「条件の状況」の列がありません。'] });
    expect(parse(`${HEADER},備考\n1`)).toMatchObject({ errors: ['1行目(見出し) 「備考」という列は取り込めません。テンプレートの列名にしてください。'] });
    expect(parse(`${HEADER},件名\n1`)).toMatchObject({ errors: ['1行目(見出し) 「件名」の列が2つあります。'] });
  });

  it('refuses a quote left open, naming its row', () => {
    expect(parse(`${HEADER}\n${GOOD}\n2,R5,"閉じていない件名,市民課`)).toMatchObject({ errors: ['3行目 引用符(")が閉じられていません。'] });
  });

  it('says what is wrong with each cell', () => {
    expect(errorsOf(',,,,,,R5.5.1,,,')).toEqual([
      '2行目 諮問番号を入力してください。',
      '2行目 年度を入力してください。',
      '2行目 件名を入力してください。',
      '2行目 担当課を入力してください。',
      '2行目 諮問日を入力してください。',
      '2行目 審議日を入力してください。',
      '2行目 結果を入力してください。',
    ]);
    expect(errorsOf(`第X号,令和,${'長'.repeat(201)},人事課,R5.2.30,きのう,R5.13.1,保留,,`)).toEqual([
      '2行目 諮問番号「第X号」を読み取れません。「3」や「第3号」のように書いてください。',
      '2行目 年度「令和」を読み取れません。「令和5」「R5」「2023」のように書いてください。',
      '2行目 件名は200文字以内にしてください。',
      '2行目 担当課「人事課」は登録されていません。先に「部・課」のページで登録するか、登録した名前で書いてください。',
      '2行目 諮問日「R5.2.30」を読み取れません。「令和5年6月1日」「R5.6.1」「2023-06-01」のように書いてください。',
      '2行目 審議日「きのう」を読み取れません。「令和5年6月1日」「R5.6.1」「2023-06-01」のように書いてください。',
      '2行目 結果「保留」は使えません。「可」「条件付き可」「可(意見付き)」「否」「継続審議」のどれかにしてください。',
      '2行目 答申日「R5.13.1」を読み取れません。「令和5年6月1日」「R5.6.1」「2023-06-01」のように書いてください。',
    ]);
  });

  it('refuses a future year or date, dates out of order, and a department name that two departments share', () => {
    expect(errorsOf('1,R9,件名,総務課,R8.12.1,R8.12.2,R8.12.3,可,,')).toEqual([
      '2行目 年度「R9」はまだ来ていません。過去の諮問だけを取り込めます。',
      '2行目 担当課「総務課」は登録されていません。先に「部・課」のページで登録するか、登録した名前で書いてください。',
      '2行目 諮問日「R8.12.1」は今日より後の日付です。',
      '2行目 審議日「R8.12.2」は今日より後の日付です。',
      '2行目 答申日「R8.12.3」は今日より後の日付です。',
    ]);
    expect(errorsOf('1,R5,件名,市民課,R5.6.1,R5.5.1,R5.4.1,可,,')).toEqual([
      '2行目 審議日が諮問日より前になっています。',
      '2行目 答申日が審議日より前になっています。',
    ]);
    // The full name tells the two 総務課 apart.
    expect(errorsOf('1,R5,件名,総務部 総務課,R5.4.1,R5.5.1,,可,,')).toEqual([]);
  });

  it('checks the conditions against the outcome and their states one by one', () => {
    expect(
      errorsOf(
        '1,R5,件名,市民課,R5.4.1,R5.5.1,,条件付き可,,',
        '2,R5,件名,市民課,R5.4.1,R5.5.1,,可(意見付き),,',
        '3,R5,件名,市民課,R5.4.1,R5.5.1,,可,条件一,完了',
        '4,R5,件名,市民課,R5.4.1,R5.5.1,,否,,完了',
        '5,R5,件名,市民課,R5.4.1,R5.5.1,,条件付き可,条件一;条件二,完了',
        '6,R5,件名,市民課,R5.4.1,R5.5.1,,条件付き可,条件一,済み',
        `7,R5,件名,市民課,R5.4.1,R5.5.1,,条件付き可,${'長'.repeat(1001)},対応中`,
        '8,R5,件名,市民課,R5.4.1,R5.5.1,R5.5.2,継続審議,,',
      ),
    ).toEqual([
      '2行目 条件付き可の諮問には条件を書いてください。',
      '3行目 可(意見付き)の諮問には意見を「条件」の列に書いてください。',
      '4行目 結果が「可」の諮問には条件を書かないでください。',
      '5行目 結果が「否」の諮問には条件を書かないでください。',
      '6行目 条件が2つなのに、条件の状況が1つです。条件と同じ順に、一つずつ「完了」か「対応中」を書いてください。',
      '7行目 条件の状況「済み」は使えません。条件ごとに「完了」か「対応中」を書いてください。',
      '8行目 条件は一つ1000文字以内にしてください。',
      '9行目 継続審議の諮問には答申日を書かないでください。',
    ]);
  });

  it('refuses a number given twice in the file, and writes nothing of a file with any problem', () => {
    const result = parse([HEADER, GOOD, '2,R5,件名,市民課,R5.4.1,R5.5.1,,可,,', '第1号,2023,別の件名,市民課,R5.4.1,R5.5.1,,可,,'].join('\n'));
    expect(result).toMatchObject({ ok: false, errors: ['4行目 令和5年度諮問第1号は2行目と重複しています。'] });
  });
});
