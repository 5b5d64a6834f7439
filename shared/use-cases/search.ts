/**
 * 先例検索: keeping the search index and reading it.
 *
 * The index lives in the table (no search cluster): one small document per record, in the
 * council's partition of the record's fiscal year. The use cases that write a record write its
 * document right after it, through the functions below — `indexDocument` for any record, and the
 * `index…` helpers that build the document from a case, an answer, conditions or minutes. A new
 * kind of record (e.g. the file register, 個人情報ファイル簿) needs one call:
 *
 *     await indexDocument(deps, councilId, { kind, recordId, fiscalYear, title, text: normalizeText(…), at, … });
 *
 * (add its kind to SEARCH_KINDS, and a link to its page in templates/pages/search.ts).
 *
 * A search reads the partitions of the years it asks for (all the council's years when none is
 * chosen), matches in the function and ranks (shared/domain/search.ts). Records written before the
 * index existed are indexed once by the secretariat's 「索引を作成」 on the search page
 * (`buildIndex`), a bounded batch per press that goes on where the last one stopped.
 */
import type { Deps } from '#shared/adapters/deps.ts';
import type { SearchBuild } from '#shared/adapters/store/entities.ts';
import type { Answer } from '#shared/domain/answer.ts';
import type { Consultation } from '#shared/domain/consultation.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import { type Meeting, meetingName } from '#shared/domain/meeting.ts';
import type { Minutes } from '#shared/domain/minutes.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import {
  answerDocument,
  caseDocument,
  conditionDocument,
  foldKana,
  isSearchVisible,
  minutesDocument,
  normalizeText,
  passesFilters,
  queryGrams,
  type Ranked,
  rank,
  SEARCH_PAGE_SIZE,
  type SearchDocument,
  type SearchQuery,
  SIMILAR_LIMIT,
  snippet,
} from '#shared/domain/search.ts';

type IndexDeps = Pick<Deps, 'search'>;

/** Puts one record's document in the council's index (replacing the one it had). */
export async function indexDocument(deps: IndexDeps, councilId: string, doc: SearchDocument): Promise<void> {
  await deps.search.put(councilId, doc);
}

/**
 * A case's document, after its form, number or vendor changed. A case filed under the year it was
 * submitted and numbered in the next (submitted on 31 March, accepted in April) leaves the first.
 */
export async function indexCase(deps: IndexDeps, c: Consultation): Promise<void> {
  const doc = caseDocument(c);
  if (!doc) return;
  await indexDocument(deps, c.councilId, doc);
  const submittedIn = fiscalYear(c.submittedAt ?? c.createdAt);
  if (submittedIn !== doc.fiscalYear) await deps.search.remove(c.councilId, submittedIn, 'case', doc.recordId);
}

/** An approved answer's document. */
export async function indexAnswer(deps: IndexDeps, c: Consultation, answer: Answer): Promise<void> {
  const doc = answerDocument(answer, c);
  if (doc) await indexDocument(deps, c.councilId, doc);
}

/** The documents of a case's conditions and opinions followed up. */
export async function indexConditions(deps: IndexDeps, c: Consultation, followUps: readonly FollowUp[]): Promise<void> {
  for (const fu of followUps) if (!fu.source) await indexDocument(deps, c.councilId, conditionDocument(fu, c));
}

/** Final minutes' document. */
export async function indexMinutes(deps: IndexDeps & Pick<Deps, 'councils'>, councilId: string, meeting: Meeting, minutes: Minutes): Promise<void> {
  const council = await deps.councils.getCouncil(councilId);
  const doc = minutesDocument(minutes, meeting, meetingName(council, meeting));
  if (doc) await indexDocument(deps, councilId, doc);
}

/** Every document of the years asked for, read a few partitions at a time. */
async function documentsOf(deps: IndexDeps, councilId: string, year: number | undefined): Promise<SearchDocument[]> {
  const years = year !== undefined ? [year] : await deps.search.years(councilId);
  const out: SearchDocument[] = [];
  for (let i = 0; i < years.length; i += 4) {
    const batch = await Promise.all(years.slice(i, i + 4).map((y) => deps.search.documents(councilId, y)));
    out.push(...batch.flat());
  }
  return out;
}

export interface SearchHit {
  doc: SearchDocument;
  matched: number;
  all: boolean;
  snippet: ReturnType<typeof snippet>;
}

/**
 * The search page: the records the viewer may see that match the words (ranked) or, with filters
 * and no words, every record the filters leave (newest first); a page of 20. Nothing is listed
 * before a word or a filter is given.
 */
export async function searchRecords(deps: Pick<Deps, 'search' | 'councils'>, principal: Principal | undefined, councilId: string, query: SearchQuery) {
  const viewer = requireRole(principal, councilId, 'department', 'secretariat', 'member', 'chair');
  const [departments, years, build] = await Promise.all([
    deps.councils.listDepartments(councilId),
    deps.search.years(councilId),
    viewer.role === 'secretariat' ? deps.search.build(councilId) : undefined,
  ]);
  // A department searches its own records only, whatever the link says.
  const effective = viewer.role === 'department' ? { ...query, department: viewer.departmentId } : query;
  const asked = Boolean(query.q || query.kind || query.department || query.vendor || query.year !== undefined);
  let ranked: Ranked<SearchDocument>[] = [];
  if (asked) {
    const docs = (await documentsOf(deps, councilId, query.year)).filter((d) => isSearchVisible(d, viewer) && passesFilters(d, effective));
    const grams = query.q ? queryGrams(query.q) : [];
    ranked = query.q ? rank(docs, grams) : docs.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((doc) => ({ doc, matched: 0, all: true }));
  }
  const from = (query.page - 1) * SEARCH_PAGE_SIZE;
  const hits: SearchHit[] = ranked
    .slice(from, from + SEARCH_PAGE_SIZE)
    .map((r) => ({ ...r, snippet: query.q ? snippet(r.doc.text, query.q) : snippet(r.doc.text, '', 90) }));
  return {
    viewer,
    query,
    asked,
    departments,
    years,
    build,
    total: ranked.length,
    hits,
    next: from + SEARCH_PAGE_SIZE < ranked.length ? query.page + 1 : undefined,
    prev: query.page > 1 ? query.page - 1 : undefined,
  };
}

/**
 * 「類似の過去の諮問」 on the case form: up to five other cases the viewer may see whose title and
 * vendor share the most bigrams with this case's, at least a third of them (two at the least).
 */
export async function similarCases(deps: IndexDeps, viewer: Principal, c: Consultation): Promise<SearchDocument[]> {
  const words = [c.form.title, c.vendorReport?.name ?? c.form.vendor?.name].filter((w): w is string => Boolean(w?.trim()));
  const grams = queryGrams(words.join(' '));
  if (grams.length === 0) return [];
  const need = Math.max(2, Math.ceil(grams.length / 3));
  const docs = (await documentsOf(deps, c.councilId, undefined)).filter(
    (d) => d.kind === 'case' && d.recordId !== c.consultationId && isSearchVisible(d, viewer),
  );
  return docs
    .map((doc) => {
      const folded = foldKana(normalizeText(`${doc.title} ${doc.vendor ?? ''}`));
      return { doc, matched: grams.reduce((n, g) => n + (folded.includes(g) ? 1 : 0), 0) };
    })
    .filter((r) => r.matched >= need)
    .sort((a, b) => b.matched - a.matched || (a.doc.at < b.doc.at ? 1 : a.doc.at > b.doc.at ? -1 : 0))
    .slice(0, SIMILAR_LIMIT)
    .map((r) => r.doc);
}

/** How long one press of 「索引を作成」 works before it answers (the page function's timeout is 28 s deployed, 10 s locally). */
export const BUILD_BUDGET_MS = 5000;
/** Cases read at a time from the register while building. */
const BUILD_SLICE = 25;

/**
 * The one-off build (the secretariat's 「索引を作成」 / 「索引を作り直す」): every final minutes, then
 * every submitted case from the oldest — its document, its approved answer's, its conditions' —
 * until the time budget is spent; the marker keeps where it stopped, and the next press goes on
 * from there. Documents are put whole, so a press repeated or a record indexed meanwhile is harmless.
 */
export async function buildIndex(
  deps: Pick<Deps, 'search' | 'councils' | 'consultations' | 'meetings' | 'minutes' | 'clock'>,
  principal: Principal | undefined,
  councilId: string,
  budgetMs = BUILD_BUDGET_MS,
): Promise<SearchBuild> {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const deadline = Date.now() + budgetMs;
  const now = deps.clock.now().toISOString();
  const current = await deps.search.build(councilId);
  const resuming = current !== undefined && current.doneAt === undefined;
  let build: SearchBuild = resuming ? current : { startedAt: now, startedBy: viewer.userId, indexed: 0 };
  if (!resuming) {
    for (const meeting of await deps.meetings.list(councilId)) {
      const minutes = await deps.minutes.get(councilId, meeting.meetingId);
      if (minutes?.status === 'final') {
        await indexMinutes(deps, councilId, meeting, minutes);
        build.indexed++;
      }
    }
  }
  let position = build.position;
  let done = false;
  // At least one slice a press, however little time is left: every press makes progress.
  do {
    const slice = await deps.consultations.registerSlice(councilId, { order: 'oldest', after: position, limit: BUILD_SLICE });
    await Promise.all(
      slice.map(async ({ consultation }) => {
        const bundle = await deps.consultations.bundle(consultation, 0);
        await indexCase(deps, bundle.consultation);
        if (bundle.answer) await indexAnswer(deps, bundle.consultation, bundle.answer);
        await indexConditions(deps, bundle.consultation, bundle.followUps);
      }),
    );
    build.indexed += slice.length;
    position = slice.at(-1)?.position ?? position;
    if (slice.length < BUILD_SLICE) {
      done = true;
      break;
    }
  } while (Date.now() < deadline);
  build = { ...build, position: done ? undefined : position, doneAt: done ? deps.clock.now().toISOString() : undefined };
  await deps.search.saveBuild(councilId, build);
  return build;
}
