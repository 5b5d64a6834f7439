import { describe, expect, it } from 'vitest';
import { readSearchQuery } from '#shared/domain/search.ts';
import { ForbiddenError } from '#shared/errors.ts';
import { finalizeMinutes, openMinutes, saveMinutes } from '#shared/use-cases/minutes.ts';
import { buildIndex, searchRecords, similarCases } from '#shared/use-cases/search.ts';
import { memoryDeps, seedCouncil } from '../../support/memory-deps.ts';
import { acceptedCase, newMeetingOf, submitCase } from '../../support/use-case-steps.ts';

const query = (over: Record<string, string>) => readSearchQuery((k) => over[k]);
const isSearchItem = (i: Record<string, unknown>) => String(i['pk']).includes('#SEARCH');

describe('the search index, kept by the use cases', () => {
  it('a submitted case is found at once, by its number once accepted; another council sees none of it', async () => {
    const deps = memoryDeps();
    const { people } = await seedCouncil(deps);
    const other = await seedCouncil(deps, 'kaede');
    const ref = await acceptedCase(deps, people, { title: '図書館利用者カードのICカード化' });
    const found = await searchRecords(deps, people.secretariat, 'sakura', query({ q: 'ICカード' }));
    expect(found.hits.map((h) => [h.doc.kind, h.doc.recordId, h.doc.label])).toEqual([['case', ref.consultationId, '令和8年度諮問第1号']]);
    expect((await searchRecords(deps, people.secretariat, 'sakura', query({ q: '諮問第1号' }))).hits).toHaveLength(1);
    expect((await searchRecords(deps, other.people.secretariat, 'kaede', query({ q: 'ICカード' }))).hits).toEqual([]);
    await expect(searchRecords(deps, other.people.secretariat, 'sakura', query({ q: 'ICカード' }))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('the one-off build indexes what was written without documents, a bounded batch a press, each press going on from the last', async () => {
    const deps = memoryDeps();
    const { people } = await seedCouncil(deps);
    for (let i = 0; i < 27; i++) await submitCase(deps, people.fukushi, { title: `過去の委託事業その${i + 1}` });
    // As if written before the index existed.
    await deps.items.deleteMany(
      deps.items
        .dump()
        .filter(isSearchItem)
        .map((i) => ({ pk: i['pk'] as string, sk: i['sk'] as string })),
    );
    expect((await searchRecords(deps, people.secretariat, 'sakura', query({ q: '委託事業' }))).total).toBe(0);

    await expect(buildIndex(deps, people.fukushi, 'sakura')).rejects.toBeInstanceOf(ForbiddenError);
    const first = await buildIndex(deps, people.secretariat, 'sakura', 0);
    expect(first).toMatchObject({ indexed: 25, doneAt: undefined });
    expect(first.position).toBeDefined();
    expect((await searchRecords(deps, people.secretariat, 'sakura', query({ q: '委託事業' }))).total).toBe(25);
    const second = await buildIndex(deps, people.secretariat, 'sakura', 0);
    expect(second).toMatchObject({ indexed: 27, position: undefined, startedAt: first.startedAt });
    expect(second.doneAt).toBeDefined();
    const all = await searchRecords(deps, people.secretariat, 'sakura', query({ q: '委託事業' }));
    expect(all.total).toBe(27);
    // 20 a page, 「次へ」 to the rest.
    expect([all.hits.length, all.next, all.prev]).toEqual([20, 2, undefined]);
    const page2 = await searchRecords(deps, people.secretariat, 'sakura', query({ q: '委託事業', page: '2' }));
    expect([page2.hits.length, page2.next, page2.prev]).toEqual([7, undefined, 1]);
    // Built again from the start: nothing twice.
    expect((await buildIndex(deps, people.secretariat, 'sakura')).indexed).toBe(27);
    expect((await searchRecords(deps, people.secretariat, 'sakura', query({ q: '委託事業' }))).total).toBe(27);
  });

  it('similar cases: by title and vendor, the viewer’s own department only, never the case itself', async () => {
    const deps = memoryDeps();
    const { people } = await seedCouncil(deps);
    const earlier = await submitCase(deps, people.fukushi, { title: '生活保護受給者金銭管理支援業務委託' });
    await submitCase(deps, people.shimin, { title: '生活保護受給者金銭管理支援業務委託(市民課)' });
    await submitCase(deps, people.fukushi, { title: '下水道台帳の電子化', 'vendor.name': '株式会社みずほ測量' });
    const current = await submitCase(deps, people.fukushi, { title: '生活保護受給者の金銭管理支援(更新)' });
    const c = await deps.consultations.get(current);
    expect((await similarCases(deps, people.fukushi, c)).map((d) => d.recordId)).toEqual([earlier.consultationId]);
    // The secretariat's view of the same form would list both departments' cases.
    expect(await similarCases(deps, people.secretariat, c)).toHaveLength(2);
  });

  it('final minutes are found by the council’s side, never by a department; a draft is not', async () => {
    const deps = memoryDeps();
    const { people } = await seedCouncil(deps);
    const meeting = await newMeetingOf(deps, people, 'meeting');
    const { minutes } = await openMinutes(deps, people.secretariat, 'sakura', meeting.meetingId);
    const { version, status: _s, updatedAt: _u, updatedBy: _b, meetingId: _m, ...content } = minutes;
    await saveMinutes(deps, people.secretariat, 'sakura', meeting.meetingId, {
      minutes: { ...content, other: '防犯カメラの設置基準について意見交換した。' },
      version,
    });
    const find = (who: typeof people.secretariat) => searchRecords(deps, who, 'sakura', query({ q: '防犯カメラ' }));
    expect((await find(people.member)).total).toBe(0);
    await finalizeMinutes(deps, people.secretariat, 'sakura', meeting.meetingId, { confirm: 'yes' });
    const found = await find(people.member);
    expect(found.hits.map((h) => [h.doc.kind, h.doc.meetingId])).toEqual([['minutes', meeting.meetingId]]);
    expect(found.hits[0]!.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['防犯カメラ']);
    expect((await find(people.chair)).total).toBe(1);
    expect((await find(people.fukushi)).total).toBe(0);
    expect((await searchRecords(deps, people.fukushi, 'sakura', query({ q: '防犯カメラ', kind: 'minutes' }))).total).toBe(0);
  });
});
