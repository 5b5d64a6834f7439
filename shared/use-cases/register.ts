import type { Deps } from '#shared/adapters/deps.ts';
import { type Consultation, isVisibleTo } from '#shared/domain/consultation.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { isOwnPosition, REGISTER_PAGE_SIZE, REGISTER_READ_BUDGET, type RegisterPage, type RegisterQuery, registerMatcher } from '#shared/domain/register.ts';

/**
 * A page of the council's register: every submitted case, newest (or oldest) first, filtered
 * by status, department, fiscal year, trigger and a keyword. The fiscal year narrows the read
 * itself; the other filters are applied to slices read in order, until the page is full or the
 * read budget is spent. 「次へ」 goes on after the last case shown, 「前へ」 reads backwards from
 * the first one.
 *
 * A department (without a fiscal year) reads its own index instead — its cases by creation,
 * newest first — so a page reads about a page of items however many years the council holds;
 * its positions are createdAt times, the register's are its sort keys, and one of the other
 * kind (an edited link) starts from the beginning.
 */
export async function readRegister(deps: Pick<Deps, 'consultations'>, viewer: Principal, councilId: string, query: RegisterQuery): Promise<RegisterPage> {
  const filter = registerMatcher(query);
  // Whatever the query says, a case the viewer may not see is never on their page (a department: its own only).
  // Drafts are not on the register; a department's own index has them, and they are left out here.
  const matches = (c: Consultation) => c.status !== 'draft' && isVisibleTo(c, viewer) && filter(c);
  const own = viewer.role === 'department' && viewer.departmentId !== undefined && query.year === undefined ? viewer.departmentId : undefined;
  const filtered = Boolean(query.status || query.department || query.trigger || query.q || (viewer.role === 'department' && !own));
  const backwards = query.before !== undefined && query.after === undefined;
  const order = backwards ? (query.order === 'newest' ? 'oldest' : 'newest') : query.order;
  const chunk = filtered ? 100 : REGISTER_PAGE_SIZE + 1;
  const slices = (options: { order: 'newest' | 'oldest'; after: string | undefined; limit: number }) =>
    own ? deps.consultations.departmentSlice(councilId, own, options) : deps.consultations.registerSlice(councilId, { ...options, fiscalYear: query.year });

  const found: { consultation: Consultation; position: string }[] = [];
  const given = backwards ? query.before : query.after;
  let position = given !== undefined && isOwnPosition(given) === Boolean(own) ? given : undefined;
  let read = 0;
  let exhausted = false;
  while (found.length <= REGISTER_PAGE_SIZE && read < REGISTER_READ_BUDGET) {
    const limit = Math.min(chunk, REGISTER_READ_BUDGET - read);
    const slice = await slices({ order, after: position, limit });
    read += slice.length;
    for (const entry of slice) {
      position = entry.position;
      if (matches(entry.consultation) && found.push(entry) > REGISTER_PAGE_SIZE) break;
    }
    if (slice.length < limit) {
      exhausted = found.length <= REGISTER_PAGE_SIZE;
      break;
    }
  }
  const shown = found.slice(0, REGISTER_PAGE_SIZE);
  const full = found.length > REGISTER_PAGE_SIZE;
  // Where reading stopped: after the last case shown when the page is full, else where the budget ran out.
  const onward = full ? shown.at(-1)?.position : exhausted ? undefined : position;
  const searchedOnly = !full && !exhausted ? read : undefined;
  if (!backwards) {
    const started = query.after !== undefined;
    return { query, rows: shown.map((e) => e.consultation), next: onward, prev: started ? shown[0]?.position : undefined, searchedOnly };
  }
  const rows = shown.reverse();
  return { query, rows: rows.map((e) => e.consultation), next: rows.at(-1)?.position ?? query.before, prev: onward, searchedOnly };
}
