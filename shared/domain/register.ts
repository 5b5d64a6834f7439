/**
 * 諮問一覧 (the register): every submitted case of a council, filtered and paged. The query a
 * list's URL carries, the page it shows, and which cases a query matches.
 */
import * as z from 'zod/mini';
import { CONSULTATION_STATUSES, type Consultation, type ConsultationStatus, formatConsultationNumber } from './consultation.ts';
import { businessesOf, TRIGGERS, type Trigger } from './consultation-form.ts';
import { ID_PATTERN } from './ids.ts';

/** Rows on one page of 諮問一覧. */
export const REGISTER_PAGE_SIZE = 20;
/**
 * Cases one page may read to find its rows when filters leave out most of them. Past it, the
 * page shows what it found and 「次へ」 searches on from where it stopped: a page never reads a
 * council's whole history.
 */
export const REGISTER_READ_BUDGET = 500;

/** Every status a submitted case can be in (a draft is not on the register). */
export const REGISTER_STATUSES = (Object.keys(CONSULTATION_STATUSES) as ConsultationStatus[]).filter((s) => s !== 'draft') as [
  ConsultationStatus,
  ...ConsultationStatus[],
];

/** A position on the register, as a page's 「次へ」/「前へ」 link carries it: the register's sort key of a case shown (or a department's own list's). */
const POSITION = /^(\d{4}#(N\d{5}|U\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z#[A-Za-z0-9_-]{1,64})|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)$/;
/** A position on a department's own list (readRegister): the createdAt of a case shown, the index's sort key. */
const OWN_POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
export const isOwnPosition = (position: string) => OWN_POSITION.test(position);

/** Anything not understood in a link (an edited URL, an old bookmark) is left out, not refused. */
const optional = <T extends z.ZodMiniType>(schema: T) =>
  z.catch(
    z.pipe(
      z.transform((v: unknown) => (v === '' ? undefined : v)),
      z.optional(schema),
    ),
    undefined,
  );

/** 諮問一覧's filters, order and position, as its search form and its page links send them. */
export const registerQuery = z.object({
  status: optional(z.enum(REGISTER_STATUSES)),
  department: optional(z.string().check(z.regex(ID_PATTERN))),
  year: optional(z.coerce.number().check(z.int(), z.gte(1989), z.lte(2200))),
  trigger: optional(z.enum(Object.keys(TRIGGERS) as [Trigger, ...Trigger[]])),
  q: optional(
    z.pipe(
      z.string().check(z.trim(), z.maxLength(100)),
      z.transform((v) => v || undefined),
    ),
  ),
  order: z.catch(z.enum(['newest', 'oldest']), 'newest'),
  after: optional(z.string().check(z.regex(POSITION))),
  before: optional(z.string().check(z.regex(POSITION))),
});
export type RegisterQuery = z.output<typeof registerQuery>;
export const REGISTER_QUERY_KEYS = Object.keys(registerQuery.shape) as (keyof RegisterQuery)[];

/** The query of a list's URL: its filters, order and position, each read on its own. */
export const readRegisterQuery = (param: (name: string) => string | undefined): RegisterQuery =>
  registerQuery.parse(Object.fromEntries(REGISTER_QUERY_KEYS.map((k) => [k, param(k)])));

/** One page of the register, with where the pages before and after it begin. */
export interface RegisterPage {
  query: RegisterQuery;
  rows: Consultation[];
  /** Position for 「次へ」 (`after`), when there may be more. */
  next?: string | undefined;
  /** Position for 「前へ」 (`before`), when there are rows before these. */
  prev?: string | undefined;
  /** The read budget ran out before the page was full: this many cases were searched, and 「次へ」 searches on. */
  searchedOnly?: number | undefined;
}

/** Whether the list is filtered or paged (then the work queues above it are left out). */
export const isBrowsing = (q: RegisterQuery) => Object.entries(q).some(([k, v]) => k !== 'order' && v !== undefined);

const normalize = (text: string) => text.normalize('NFKC').toLowerCase();

/** The text a keyword is looked for in: title, every 事務, vendor (as reported too), linked party, country abroad and the 諮問番号. */
function searchable(c: Consultation): string {
  const f = c.form;
  return normalize(
    [
      f.title,
      ...businessesOf(f).map((b) => b.name),
      f.vendor?.name,
      c.vendorReport?.name,
      f.linkedSystem?.party,
      f.abroad?.country,
      c.number ? formatConsultationNumber(c.number) : undefined,
    ]
      .filter((x): x is string => typeof x === 'string')
      .join('\n'),
  );
}

export function registerMatcher(q: RegisterQuery): (c: Consultation) => boolean {
  const keyword = q.q ? normalize(q.q) : undefined;
  return (c) =>
    (!q.status || c.status === q.status) &&
    (!q.department || c.departmentId === q.department) &&
    (!q.trigger || (c.form.triggers ?? []).includes(q.trigger)) &&
    (!keyword || searchable(c).includes(keyword));
}
