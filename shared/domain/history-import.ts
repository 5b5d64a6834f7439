/**
 * 過去の諮問の取込: a council's past cases and decisions from a CSV file (as Excel writes it),
 * read into rows that can be written — or into row-level errors in Japanese. Nothing here
 * reads or writes storage: the use case checks the rows against what the council already holds.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { type ConsultationNumber, DECISION_OUTCOMES, type DecisionOutcome, formatConsultationNumber } from './consultation.ts';
import type { Department } from './council.ts';
import { eraYear, fiscalYear } from './era.ts';
import { isRealDate } from './schema.ts';

/** Largest file the import reads, and most cases in one file. */
export const IMPORT_MAX_BYTES = 1024 * 1024;
export const IMPORT_MAX_ROWS = 2000;

/** The columns of the file, in the template's order; the last one may be left out. */
export const IMPORT_COLUMNS = ['諮問番号', '年度', '件名', '担当課', '諮問日', '審議日', '答申日', '結果', '条件', '条件の状況', '事務の名称'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const OPTIONAL_COLUMNS: readonly Column[] = ['事務の名称'];

/** 条件の状況: done, or still being met (then followed up). */
export const CONDITION_STATES = { 完了: true, 対応中: false } as const;

/** One past case, ready to be written. */
export interface ImportRow {
  /** The row's line in the spreadsheet (the header is line 1). */
  line: number;
  number: ConsultationNumber;
  title: string;
  /** The personal-data business (個人情報取扱事務) the case is filed under; its title when not given. */
  businessName: string;
  departmentId: string;
  departmentName: string;
  /** 諮問日, 審議日 and 答申日 as 'YYYY-MM-DD' (no answer date for a case carried over). */
  consultedOn: string;
  decidedOn: string;
  answeredOn?: string | undefined;
  outcome: DecisionOutcome;
  /** The conditions (条件付き可) or opinions (可(意見付き)), each done or still open. */
  conditions: { text: string; done: boolean }[];
}

export type ImportParse = { ok: true; rows: ImportRow[] } | { ok: false; errors: string[]; rows: ImportRow[] };

/** The case id of an imported case: one per council and number, so writing it twice writes it once. */
export const importedCaseId = (councilId: string, number: ConsultationNumber) =>
  `imp-${createHash('sha256').update(`${councilId}\n${number.fiscalYear}\n${number.n}`).digest('base64url').slice(0, 22)}`;

/** The confirm button's form: which checked upload to write. */
export const importConfirmInput = z.lazy(() =>
  z.object({
    key: z
      .string({ error: '取り込むファイルを指定してください。' })
      .check(z.regex(/^imports\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}\/[^/]{1,200}$/, '取り込むファイルの指定が正しくありません。')),
  }),
);
export type ImportConfirmCommand = z.output<typeof importConfirmInput>;

// ── Reading the bytes ───────────────────────────────────────────────────────────────────────

/**
 * The file's text: UTF-8 with or without a byte-order mark, or Shift_JIS (CP932) as Excel saves
 * 「CSV (コンマ区切り)」. Undefined when it is neither.
 */
export function decodeCsv(bytes: Uint8Array): string | undefined {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (bom) return undefined;
  }
  try {
    return new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * RFC 4180 records: comma-separated, fields in double quotes may hold commas, line breaks and
 * doubled quotes; records end with CRLF, LF or CR. A record's `line` is its row in a spreadsheet
 * (a cell with line breaks is still one row), counting blank rows.
 */
export function parseCsv(text: string): { records: { line: number; fields: string[] }[] } | { unclosedAt: number } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: records.length + 1, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else field += ch;
  }
  if (quoted) return { unclosedAt: records.length + 1 };
  if (field !== '' || fields.length) endRecord();
  return { records };
}

// ── Reading the cells ───────────────────────────────────────────────────────────────────────

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();

/** Eras a council's records can carry, with the Western year of their first year and their first day. */
const ERAS = [
  { name: '令和', letter: 'R', start: 2019, first: '2019-05-01' },
  { name: '平成', letter: 'H', start: 1989, first: '1989-01-08' },
  { name: '昭和', letter: 'S', start: 1926, first: '1926-12-25' },
] as const;
const eraByName = (s: string) => ERAS.find((e) => e.name === s || e.letter === s.toUpperCase());
const ERA_PATTERN = '(令和|平成|昭和|[RHSrhs])';

/** 年度: 「令和5」「令和5年度」「R5」「令和元年度」, or the Western 2023 / 2023年度. */
export function readFiscalYear(cell: string): number | undefined {
  const s = norm(cell).replace(/\s/g, '');
  const western = /^(\d{4})(年度)?$/.exec(s);
  if (western) return Number(western[1]);
  const era = new RegExp(`^${ERA_PATTERN}(\\d{1,2}|元)(年度?)?$`).exec(s);
  if (!era) return undefined;
  const e = eraByName(era[1]!)!;
  const year = era[2] === '元' ? 1 : Number(era[2]);
  if (year < 1) return undefined;
  return e.start + year - 1;
}

/**
 * A day: ISO 2023-06-01, 2023/6/1, 2023年6月1日, or 和暦 令和5年6月1日, R5.6.1, R5/6/1 (元年 too).
 * An era date must be a day of that era (平成31年5月1日 is 令和元年).
 */
export function readDate(cell: string): string | undefined {
  const s = norm(cell).replace(/\s/g, '');
  const pad = (n: string) => n.padStart(2, '0');
  const western = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (western) {
    const iso = `${western[1]}-${pad(western[2]!)}-${pad(western[3]!)}`;
    return isRealDate(iso) ? iso : undefined;
  }
  const era = new RegExp(`^${ERA_PATTERN}(\\d{1,2}|元)[./年](\\d{1,2})[./月](\\d{1,2})日?$`).exec(s);
  if (!era) return undefined;
  const e = eraByName(era[1]!)!;
  const year = era[2] === '元' ? 1 : Number(era[2]);
  const iso = `${e.start + year - 1}-${pad(era[3]!)}-${pad(era[4]!)}`;
  if (!isRealDate(iso) || iso < e.first) return undefined;
  const read = eraYear(iso);
  return read.era === e.name && read.year === year ? iso : undefined;
}

/** 諮問番号: 3, 第3号, or the whole 令和5年度諮問第3号. */
function readNumber(cell: string): number | undefined {
  const s = norm(cell).replace(/\s/g, '');
  const m = /^(?:.*?第)?(\d{1,5})号?$/.exec(s);
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

const OUTCOMES = new Map((Object.entries(DECISION_OUTCOMES) as [DecisionOutcome, string][]).map(([k, label]) => [norm(label), k]));
/** Line breaks, 「;」 and 「;」 separate several conditions in one cell. */
const splitList = (cell: string) =>
  cell
    .split(/\r\n|\r|\n|;|;/)
    .map((s) => s.trim())
    .filter(Boolean);

/** How a department is named in the file: its full name (市民部 市民課), or its own name (市民課) when that is unique. */
function departmentFinder(departments: readonly Pick<Department, 'departmentId' | 'name'>[]) {
  const full = new Map(departments.map((d) => [norm(d.name).replace(/\s/g, ''), d]));
  const last = new Map<string, (typeof departments)[number][]>();
  for (const d of departments) {
    const own = norm(d.name).split(' ').at(-1)!;
    last.set(own, [...(last.get(own) ?? []), d]);
  }
  return (cell: string) => {
    const s = norm(cell);
    const exact = full.get(s.replace(/\s/g, ''));
    if (exact) return exact;
    const byOwn = last.get(s);
    return byOwn?.length === 1 ? byOwn[0] : undefined;
  };
}

const MAX_TITLE = 200;
const MAX_CONDITION = 1000;

/**
 * Reads the whole file: every problem of every row, each as 「N行目 …」, or the rows to write.
 * `today` ('YYYY-MM-DD', Tokyo) bounds the dates: a past case is decided by now.
 */
export function parseHistoryCsv(bytes: Uint8Array, departments: readonly Pick<Department, 'departmentId' | 'name'>[], today: string): ImportParse {
  const fail = (...errors: string[]): ImportParse => ({ ok: false, errors, rows: [] });
  if (bytes.length === 0) return fail('ファイルが空です。見出しの行と取り込む諮問の行があるCSVファイルを選んでください。');
  if (bytes.length > IMPORT_MAX_BYTES) return fail('ファイルが大きすぎます(1MBまで)。ファイルを分けて、一つずつ取り込んでください。');
  const text = decodeCsv(bytes);
  if (text === undefined) return fail('文字コードを読み取れません。UTF-8 または Shift_JIS(Excelの「CSV(コンマ区切り)」)で保存したファイルを選んでください。');
  const parsed = parseCsv(text.replace(/^\uFEFF/, ''));
  if ('unclosedAt' in parsed) return fail(`${parsed.unclosedAt}行目 引用符(")が閉じられていません。`);
  const records = parsed.records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = records.shift();
  if (!header) return fail('ファイルが空です。見出しの行と取り込む諮問の行があるCSVファイルを選んでください。');

  // The header: every column known and named once; every required column there.
  const errors: string[] = [];
  const at = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = norm(raw).replace(/\s/g, '') as Column;
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name))
      errors.push(`${header.line}行目(見出し) 「${raw.trim()}」という列は取り込めません。テンプレートの列名にしてください。`);
    else if (at.has(name)) errors.push(`${header.line}行目(見出し) 「${name}」の列が2つあります。`);
    else at.set(name, i);
  });
  for (const c of IMPORT_COLUMNS) if (!at.has(c) && !OPTIONAL_COLUMNS.includes(c)) errors.push(`${header.line}行目(見出し) 「${c}」の列がありません。`);
  if (errors.length) return fail(...errors);
  if (records.length === 0) return fail('取り込む諮問の行がありません。見出しの次の行から1件ずつ書いてください。');
  if (records.length > IMPORT_MAX_ROWS)
    return fail(`行が多すぎます(${records.length}件)。1回に取り込めるのは${IMPORT_MAX_ROWS}件までです。ファイルを分けてください。`);

  const findDepartment = departmentFinder(departments);
  const seen = new Map<string, number>();
  const rows: ImportRow[] = [];
  for (const { line, fields } of records) {
    const cell = (c: Column) => (at.has(c) ? (fields[at.get(c)!] ?? '') : '').trim();
    const problems: string[] = [];
    const say = (message: string) => problems.push(`${line}行目 ${message}`);

    const n = readNumber(cell('諮問番号'));
    if (!cell('諮問番号')) say('諮問番号を入力してください。');
    else if (n === undefined) say(`諮問番号「${cell('諮問番号')}」を読み取れません。「3」や「第3号」のように書いてください。`);

    const fy = readFiscalYear(cell('年度'));
    if (!cell('年度')) say('年度を入力してください。');
    else if (fy === undefined) say(`年度「${cell('年度')}」を読み取れません。「令和5」「R5」「2023」のように書いてください。`);
    else if (fy > fiscalYear(today)) say(`年度「${cell('年度')}」はまだ来ていません。過去の諮問だけを取り込めます。`);

    const title = norm(cell('件名'));
    if (!title) say('件名を入力してください。');
    else if (title.length > MAX_TITLE) say(`件名は${MAX_TITLE}文字以内にしてください。`);

    const departmentCell = cell('担当課');
    const department = departmentCell ? findDepartment(departmentCell) : undefined;
    if (!departmentCell) say('担当課を入力してください。');
    else if (!department) say(`担当課「${departmentCell}」は登録されていません。先に「部・課」のページで登録するか、登録した名前で書いてください。`);

    const date = (c: Column, required: boolean) => {
      const v = cell(c);
      if (!v) {
        if (required) say(`${c}を入力してください。`);
        return undefined;
      }
      const d = readDate(v);
      if (!d) say(`${c}「${v}」を読み取れません。「令和5年6月1日」「R5.6.1」「2023-06-01」のように書いてください。`);
      else if (d > today) say(`${c}「${v}」は今日より後の日付です。`);
      return d && d <= today ? d : undefined;
    };
    const consultedOn = date('諮問日', true);
    const decidedOn = date('審議日', true);

    const outcomeCell = cell('結果');
    const outcome = OUTCOMES.get(norm(outcomeCell));
    if (!outcomeCell) say('結果を入力してください。');
    else if (!outcome) say(`結果「${outcomeCell}」は使えません。「可」「条件付き可」「可(意見付き)」「否」「継続審議」のどれかにしてください。`);

    let answeredOn: string | undefined;
    if (outcome === 'carried_over') {
      if (cell('答申日')) say('継続審議の諮問には答申日を書かないでください。');
    } else {
      answeredOn = cell('答申日') ? date('答申日', false) : decidedOn;
    }
    if (consultedOn && decidedOn && decidedOn < consultedOn) say('審議日が諮問日より前になっています。');
    if (decidedOn && answeredOn && answeredOn < decidedOn) say('答申日が審議日より前になっています。');

    const texts = splitList(cell('条件')).map(norm);
    const states = splitList(cell('条件の状況')).map(norm);
    if (outcome === 'approved_with_conditions' && texts.length === 0) say('条件付き可の諮問には条件を書いてください。');
    if (outcome === 'approved_with_opinions' && texts.length === 0) say('可(意見付き)の諮問には意見を「条件」の列に書いてください。');
    if (outcome && outcome !== 'approved_with_conditions' && outcome !== 'approved_with_opinions' && (texts.length || states.length)) {
      say(`結果が「${DECISION_OUTCOMES[outcome]}」の諮問には条件を書かないでください。`);
    }
    if (texts.some((t) => t.length > MAX_CONDITION)) say(`条件は一つ${MAX_CONDITION}文字以内にしてください。`);
    const badState = states.find((s) => !Object.hasOwn(CONDITION_STATES, s));
    if (badState !== undefined) say(`条件の状況「${badState}」は使えません。条件ごとに「完了」か「対応中」を書いてください。`);
    else if (texts.length && states.length !== texts.length) {
      say(`条件が${texts.length}つなのに、条件の状況が${states.length}つです。条件と同じ順に、一つずつ「完了」か「対応中」を書いてください。`);
    }

    if (n !== undefined && fy !== undefined) {
      const number = { fiscalYear: fy, n };
      const key = `${fy}#${n}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) say(`${formatConsultationNumber(number)}は${earlier}行目と重複しています。`);
      else seen.set(key, line);
      if (!problems.length && department && consultedOn && decidedOn && outcome) {
        rows.push({
          line,
          number,
          title,
          businessName: norm(cell('事務の名称')) || title,
          departmentId: department.departmentId,
          departmentName: department.name,
          consultedOn,
          decidedOn,
          answeredOn,
          outcome,
          conditions: texts.map((text, i) => ({ text, done: CONDITION_STATES[states[i] as keyof typeof CONDITION_STATES] })),
        });
      }
    }
    errors.push(...problems);
  }
  return errors.length ? { ok: false, errors, rows } : { ok: true, rows };
}
