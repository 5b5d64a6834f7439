/**
 * 先例検索 (precedent search): the small search document kept for every record worth finding
 * again — a case (諮問), its answer (答申), a condition or opinion followed up (条件), a meeting's
 * minutes (会議録) — how text and queries are normalised, split into character bigrams (Japanese
 * has no spaces between words), matched, ranked and cut into a highlighted snippet. Pure: the
 * documents are stored and read by shared/use-cases/search.ts.
 */

import * as z from 'zod/mini';
import type { Answer } from './answer.ts';
import { type Consultation, formatConsultationNumber, isUnsubmitted } from './consultation.ts';
import { businessesOf } from './consultation-form.ts';
import { fiscalYear } from './era.ts';
import type { FollowUp } from './followups.ts';
import { ID_PATTERN } from './ids.ts';
import type { Meeting } from './meeting.ts';
import type { Minutes } from './minutes.ts';
import type { PersonalInfoFile } from './personal-info-files.ts';
import type { Principal } from './principal.ts';

export const SEARCH_KINDS = { case: '諮問', answer: '答申', condition: '条件', minutes: '会議録', file: 'ファイル簿' } as const;
export type SearchKind = keyof typeof SEARCH_KINDS;
const KIND_KEYS = Object.keys(SEARCH_KINDS) as [SearchKind, ...SearchKind[]];

/** Results on one page of the search. */
export const SEARCH_PAGE_SIZE = 20;
/** At most this much of a record's text is kept in its document (characters, after normalisation). */
export const SEARCH_TEXT_LIMIT = 6000;
/** The similar earlier cases shown on the case form. */
export const SIMILAR_LIMIT = 5;

/**
 * One indexed record. `text` is normalised (normalizeText) and capped; `title` is kept as written
 * for the result list. `departmentId` is the owning department of a case's records (none for minutes,
 * which only the council's side may read).
 */
export interface SearchDocument {
  kind: SearchKind;
  /** The record's id within its kind: a case's or answer's consultationId, `consultationId.followUpId` for a condition, a meetingId for minutes. */
  recordId: string;
  fiscalYear: number;
  title: string;
  /** 諮問番号, 文書番号 or the meeting's name: how people cite the record. */
  label?: string | undefined;
  departmentId?: string | undefined;
  vendor?: string | undefined;
  text: string;
  /** When the record was made or last changed (ISO): the newer first among equal matches. */
  at: string;
  /** Where the record's page is: its case, follow-up or meeting. */
  consultationId?: string | undefined;
  followUpId?: string | undefined;
  meetingId?: string | undefined;
  /** A register entry's page (個人情報ファイル簿 / 業務届出). */
  fileId?: string | undefined;
}

/** NFKC (full-width letters and digits, half-width kana made one), lower case, runs of space made one. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Katakana read as hiragana, one character for one (so a position in the folded text is the same
 * position in the text): 「ケース」 finds 「けーす」 and the other way round.
 */
export function foldKana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/**
 * What a query looks for: each word (split at spaces) as its character bigrams; a word of one
 * character as itself (matched as a substring). Distinct, in order.
 */
export function queryGrams(query: string): string[] {
  const grams = new Set<string>();
  for (const word of foldKana(normalizeText(query)).split(' ')) {
    const chars = Array.from(word);
    if (chars.length === 1) grams.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  }
  return [...grams];
}

/** How many of the grams the (normalised) text has. */
export function overlap(text: string, grams: readonly string[]): number {
  const folded = foldKana(text);
  return grams.reduce((n, g) => n + (folded.includes(g) ? 1 : 0), 0);
}

/**
 * A record is found when it has at least half of the query's bigrams (all of them for two or fewer):
 * a long query tolerates a word or two missing, a short one does not match by chance.
 */
export const minimumOverlap = (grams: number) => (grams <= 2 ? grams : Math.ceil(grams / 2));

export interface Ranked<T> {
  doc: T;
  matched: number;
  all: boolean;
}

/** Every document with enough of the grams, ranked: all grams present first, then by overlap, then newest. */
export function rank<T extends Pick<SearchDocument, 'text' | 'at'>>(docs: readonly T[], grams: readonly string[]): Ranked<T>[] {
  if (grams.length === 0) return [];
  const need = minimumOverlap(grams.length);
  return docs
    .map((doc) => {
      const matched = overlap(doc.text, grams);
      return { doc, matched, all: matched === grams.length };
    })
    .filter((r) => r.matched >= need)
    .sort((a, b) => Number(b.all) - Number(a.all) || b.matched - a.matched || (a.doc.at < b.doc.at ? 1 : a.doc.at > b.doc.at ? -1 : 0));
}

/** A piece of a snippet: text to show as it is (escaped by the template), marked when it matched. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

/**
 * About `width` characters of the text around the first place a whole word of the query — or else
 * any of its grams — occurs, with every occurrence of a gram marked. Plain text parts: the template
 * escapes them, so markup in a record shows as text.
 */
export function snippet(text: string, query: string, width = 90): SnippetPart[] {
  const grams = queryGrams(query);
  const folded = foldKana(text);
  const words = foldKana(normalizeText(query)).split(' ').filter(Boolean);
  const firstOf = (needles: readonly string[]) =>
    needles.map((n) => folded.indexOf(n)).reduce((best, at) => (at >= 0 && (best < 0 || at < best) ? at : best), -1);
  const found = firstOf(words);
  const at = found >= 0 ? found : firstOf(grams);
  let start = Math.max(0, Math.max(at, 0) - Math.floor(width / 3));
  let end = Math.min(text.length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  // Never cut a surrogate pair.
  if (start > 0 && /[\udc00-\udfff]/.test(text[start]!)) start--;
  if (end < text.length && /[\udc00-\udfff]/.test(text[end]!)) end++;
  const marked = new Array<boolean>(end - start).fill(false);
  const window = folded.slice(start, end);
  for (const g of grams) {
    for (let i = window.indexOf(g); i >= 0; i = window.indexOf(g, i + 1)) marked.fill(true, i, i + g.length);
  }
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', hit: false });
  let runStart = 0;
  for (let i = 1; i <= marked.length; i++) {
    if (i === marked.length || marked[i] !== marked[runStart]) {
      parts.push({ text: text.slice(start + runStart, start + i), hit: marked[runStart]! });
      runStart = i;
    }
  }
  if (end < text.length) parts.push({ text: '…', hit: false });
  return parts;
}

/** Whether the viewer may see the record: a department its own cases' records (never minutes); the council's side every record. */
export function isSearchVisible(doc: Pick<SearchDocument, 'kind' | 'departmentId'>, viewer: Principal): boolean {
  if (viewer.role === 'department') return doc.kind !== 'minutes' && doc.departmentId !== undefined && doc.departmentId === viewer.departmentId;
  return viewer.role === 'secretariat' || viewer.role === 'member' || viewer.role === 'chair';
}

// ── The documents, from the records ─────────────────────────────────────────────────────────

const joined = (parts: readonly (string | undefined | false)[]) =>
  normalizeText(parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ')).slice(0, SEARCH_TEXT_LIMIT);

/** The vendor a case names: the one reported after a 「選定中」, else the form's. */
export const vendorOf = (c: Pick<Consultation, 'form' | 'vendorReport'>) => c.vendorReport?.name ?? (c.form.vendor?.name || undefined);

/** The fiscal year a case is filed under: its number's, else its submission's (its creation's for one never submitted). */
export const caseYear = (c: Pick<Consultation, 'number' | 'submittedAt' | 'createdAt'>) =>
  c.number && !c.number.running ? c.number.fiscalYear : fiscalYear(c.submittedAt ?? c.createdAt);

/** A submitted case's document; none for a draft, which only its department sees and the search does not list. */
export function caseDocument(c: Consultation): SearchDocument | undefined {
  if (isUnsubmitted(c)) return undefined;
  const f = c.form;
  const vendor = vendorOf(c);
  const number = c.number ? formatConsultationNumber(c.number) : undefined;
  return {
    kind: 'case',
    recordId: c.consultationId,
    consultationId: c.consultationId,
    fiscalYear: caseYear(c),
    title: f.title,
    label: number,
    departmentId: c.departmentId,
    vendor,
    text: joined([
      f.title,
      number,
      ...businessesOf(f).map((b) => b.name),
      f.purpose,
      f.subjects,
      ...(f.items ?? []).map((i) => i.name),
      vendor,
      f.linkedSystem?.party,
      f.abroad?.country,
      f.technicalSafeguards,
      f.operationalSafeguards,
    ]),
    at: c.updatedAt,
  };
}

/** An approved answer's document (a draft is not yet the council's answer). */
export function answerDocument(a: Answer, c: Consultation): SearchDocument | undefined {
  if (a.state === 'draft') return undefined;
  return {
    kind: 'answer',
    recordId: c.consultationId,
    consultationId: c.consultationId,
    fiscalYear: fiscalYear(a.issuedOn),
    title: a.title,
    label: a.documentNumber ?? (a.number ? formatConsultationNumber(a.number) : undefined),
    departmentId: c.departmentId,
    vendor: vendorOf(c),
    text: joined([a.title, a.documentNumber, ...(a.consulted ?? []), ...a.conditions, ...(a.opinions ?? [])]),
    at: a.approvedAt ?? `${a.issuedOn}T00:00:00.000Z`,
  };
}

/** A condition's (or opinion's) document: its wording under its case's title. */
export function conditionDocument(fu: FollowUp, c: Pick<Consultation, 'consultationId' | 'departmentId' | 'form' | 'vendorReport' | 'number'>): SearchDocument {
  return {
    kind: 'condition',
    recordId: `${fu.consultationId}.${fu.followUpId}`,
    consultationId: fu.consultationId,
    followUpId: fu.followUpId,
    fiscalYear: fiscalYear(fu.createdAt),
    title: fu.title,
    label: `${fu.binding === false ? '意見' : '条件'}${fu.conditionIndex + 1}`,
    departmentId: c.departmentId,
    vendor: vendorOf(c),
    text: joined([fu.condition, fu.title, fu.ownerName, fu.evidence]),
    at: fu.createdAt,
  };
}

/** Final minutes' document: the meeting's name and every passage (the council's side reads the internal edition). */
export function minutesDocument(m: Minutes, meeting: Meeting, name: string): SearchDocument | undefined {
  if (m.status !== 'final') return undefined;
  return {
    kind: 'minutes',
    recordId: meeting.meetingId,
    meetingId: meeting.meetingId,
    fiscalYear: meeting.fiscalYear,
    title: `${name} 会議録`,
    label: name,
    text: joined([
      name,
      m.opening,
      ...m.items.flatMap((i) => [i.explanation, ...i.qa.flatMap((q) => [q.question, q.answer]), i.decision]),
      m.reports,
      m.other,
      m.nextMeeting,
      m.closing,
    ]),
    at: m.updatedAt,
  };
}

// ── The search page's query ─────────────────────────────────────────────────────────────────

/** Anything not understood in a link (an edited URL, an old bookmark) is left out, not refused. */
const optional = <T extends z.ZodMiniType>(schema: T) =>
  z.catch(
    z.pipe(
      z.transform((v: unknown) => (v === '' ? undefined : v)),
      z.optional(schema),
    ),
    undefined,
  );
const words = z.lazy(() =>
  z.pipe(
    z.string().check(z.trim(), z.maxLength(100)),
    z.transform((v) => v || undefined),
  ),
);

/** The search page's query: the words, the filters and the page. */
export const searchQuery = z.object({
  q: optional(words),
  kind: optional(z.enum(KIND_KEYS)),
  department: optional(z.string().check(z.regex(ID_PATTERN))),
  vendor: optional(words),
  year: optional(z.coerce.number().check(z.int(), z.gte(1989), z.lte(2200))),
  page: z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 1),
});
export type SearchQuery = z.output<typeof searchQuery>;
export const SEARCH_QUERY_KEYS = Object.keys(searchQuery.shape) as (keyof SearchQuery)[];

export const readSearchQuery = (param: (name: string) => string | undefined): SearchQuery =>
  searchQuery.parse(Object.fromEntries(SEARCH_QUERY_KEYS.map((k) => [k, param(k)])));

/** Whether a document passes the query's filters (kind, department, vendor, year). */
export function passesFilters(doc: SearchDocument, q: SearchQuery): boolean {
  return (
    (!q.kind || doc.kind === q.kind) &&
    (!q.department || doc.departmentId === q.department) &&
    (q.year === undefined || doc.fiscalYear === q.year) &&
    (!q.vendor || foldKana(normalizeText(doc.vendor ?? '')).includes(foldKana(normalizeText(q.vendor))))
  );
}

/**
 * A register entry (個人情報ファイル簿 / 業務届出): its name and every field as typed, filed under
 * the fiscal year it was made in; its department's, as its cases are. An abolished entry stays
 * findable (councils ask what was registered before), its 廃止 in the text.
 */
export function fileDocument(f: PersonalInfoFile): SearchDocument {
  const values = Object.values(f.content as unknown as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v.map(String) : [String(v)]));
  return {
    kind: 'file',
    recordId: f.fileId,
    fileId: f.fileId,
    fiscalYear: fiscalYear(f.createdAt),
    title: f.content.name,
    departmentId: f.departmentId,
    text: joined([...values, f.abolished ? `廃止 ${f.abolished.reason}` : undefined]),
    at: f.updatedAt,
  };
}
