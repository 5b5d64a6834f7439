import { beforeEach, describe, expect, it, vi } from 'vitest';
import { newId } from '#shared/adapters/runtime.ts';
import type { Consultation, ConsultationStatus } from '#shared/domain/consultation.ts';
import { REGISTER_READ_BUDGET, type RegisterQuery, readRegisterQuery } from '#shared/domain/register.ts';
import { ForbiddenError } from '#shared/errors.ts';
import { createConsultation, listConsultations } from '#shared/use-cases/consultations.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptCase, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

/** The query a list's URL carries, read as the page reads it. */
const query = (params: Record<string, string> = {}): RegisterQuery => readRegisterQuery((k) => params[k]);
const titles = (rows: Consultation[]) => rows.map((c) => c.form.title);

/**
 * Cases as the workflow leaves them, written straight through the repository (a year's worth
 * through the use cases would take the test longer than it says anything more): numbered n of
 * `fiscalYear`, in `status`, of `departmentId`.
 */
async function storedCases(n: number, over: (i: number) => Partial<Consultation> & { fiscalYear?: number } = () => ({})) {
  for (let i = 1; i <= n; i++) {
    const { fiscalYear = 2026, ...rest } = over(i);
    const submittedAt = new Date(Date.UTC(fiscalYear, 4, 1, 0, i)).toISOString();
    await deps.consultations.create({
      councilId: 'sakura',
      consultationId: `k${fiscalYear}-${String(i).padStart(3, '0')}`,
      departmentId: 'fukushi',
      form: { title: `${fiscalYear}年度の諮問 ${i}`, triggers: ['outsourcing'] },
      status: 'accepted' as ConsultationStatus,
      number: { fiscalYear, n: i },
      returns: 0,
      createdBy: 'u',
      createdAt: submittedAt,
      submittedAt,
      updatedAt: submittedAt,
      version: 2,
      ...rest,
    });
  }
}

const secretariatList = (q: RegisterQuery) => listConsultations(deps, sakura.people.secretariat, 'sakura', q);

describe('諮問一覧: every submitted case of the council', () => {
  it('lists submitted cases of every status, unnumbered first then by number, newest year first; no drafts', async () => {
    await createConsultation(deps, { principal: sakura.people.fukushi }, 'sakura', newId(), {
      draft: { title: 'まだ下書き' },
    });
    const first = await submitCase(deps, sakura.people.fukushi, { title: '最初に受け付けた諮問' });
    await acceptCase(deps, sakura.people, first);
    const second = await submitCase(deps, sakura.people.shimin, { title: '二番目に受け付けた諮問' });
    await acceptCase(deps, sakura.people, second);
    await submitCase(deps, sakura.people.fukushi, { title: '受付審査中の諮問' });
    await storedCases(2, (i) => ({ fiscalYear: 2025, status: 'closed', form: { title: `昨年度の諮問 ${i}` } }));

    const { register, queues } = await secretariatList(query());
    expect(titles(register.rows)).toEqual(['受付審査中の諮問', '二番目に受け付けた諮問', '最初に受け付けた諮問', '昨年度の諮問 2', '昨年度の諮問 1']);
    expect(register).toMatchObject({ next: undefined, prev: undefined, searchedOnly: undefined });
    // The work queues stay on top of the first, unfiltered page.
    expect(queues?.kind).toBe('secretariat');

    const oldest = await secretariatList(query({ order: 'oldest' }));
    expect(titles(oldest.register.rows)).toEqual(['昨年度の諮問 1', '昨年度の諮問 2', '最初に受け付けた諮問', '二番目に受け付けた諮問', '受付審査中の諮問']);
    expect(oldest.queues?.kind).toBe('secretariat');
    expect((await secretariatList(query({ status: 'closed' }))).queues).toBeUndefined();
  });

  it('pages forward and back from the case last shown, without gaps or repeats, whatever was added meanwhile', async () => {
    await storedCases(45);
    const seen: string[] = [];
    let page = (await secretariatList(query())).register;
    const pages = [page];
    seen.push(...titles(page.rows));
    while (page.next) {
      page = (await secretariatList(query({ after: page.next }))).register;
      pages.push(page);
      seen.push(...titles(page.rows));
    }
    expect(pages.map((p) => p.rows.length)).toEqual([20, 20, 5]);
    expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => `2026年度の諮問 ${45 - i}`));
    expect(pages[0]!.prev).toBeUndefined();

    // Back from the last page: the same pages again, the first one without a way further back.
    const back = (await secretariatList(query({ before: pages[2]!.prev! }))).register;
    expect(titles(back.rows)).toEqual(titles(pages[1]!.rows));
    const front = (await secretariatList(query({ before: back.prev! }))).register;
    expect(titles(front.rows)).toEqual(titles(pages[0]!.rows));
    expect(front.prev).toBeUndefined();
    expect(front.next).toBe(pages[0]!.next);

    // A case numbered while someone reads page 2 does not push a case off the next page.
    await storedCases(1, () => ({ consultationId: 'late', number: { fiscalYear: 2026, n: 46 }, form: { title: '後から受け付けた諮問' } }));
    const third = (await secretariatList(query({ after: pages[1]!.next! }))).register;
    expect(titles(third.rows)).toEqual(titles(pages[2]!.rows));
  });

  it('finds a case of last year by fiscal year, and filters by status, department, trigger and a keyword', async () => {
    await storedCases(30);
    await storedCases(3, (i) => ({
      fiscalYear: 2025,
      status: i === 2 ? 'closed' : 'followups_open',
      departmentId: i === 3 ? 'shimin' : 'fukushi',
      form: {
        title: ['住民票コンビニ交付', '図書館システムのクラウド化', 'ＵＳＢ媒体の持出管理'][i - 1]!,
        triggers: i === 2 ? ['online_link'] : ['outsourcing'],
      },
    }));

    const lastYear = (await secretariatList(query({ year: '2025' }))).register;
    expect(titles(lastYear.rows)).toEqual(['ＵＳＢ媒体の持出管理', '図書館システムのクラウド化', '住民票コンビニ交付']);
    expect(titles((await secretariatList(query({ year: '2025', status: 'closed' }))).register.rows)).toEqual(['図書館システムのクラウド化']);
    expect(titles((await secretariatList(query({ department: 'shimin' }))).register.rows)).toEqual(['ＵＳＢ媒体の持出管理']);
    expect(titles((await secretariatList(query({ trigger: 'online_link' }))).register.rows)).toEqual(['図書館システムのクラウド化']);
    // Width and case do not matter to the keyword; the 諮問番号 is searched too.
    expect(titles((await secretariatList(query({ q: 'usb' }))).register.rows)).toEqual(['ＵＳＢ媒体の持出管理']);
    expect(titles((await secretariatList(query({ q: '令和7年度諮問第1号' }))).register.rows)).toEqual(['住民票コンビニ交付']);
    expect((await secretariatList(query({ q: '該当なし' }))).register).toMatchObject({ rows: [], next: undefined });
  });

  it('reads a bounded number of cases per page; a rare match further on is found by 「次へ」', async () => {
    await storedCases(REGISTER_READ_BUDGET + 30, (i) => ({ form: { title: i === 1 ? '一番古い特別な諮問' : `通常の諮問 ${i}` } }));
    const read = vi.spyOn(deps.items, 'query');
    const counted = async () => (await Promise.all(read.mock.results.map((r) => r.value as Promise<unknown[]>))).reduce((n, items) => n + items.length, 0);

    const first = (await secretariatList(query({ q: '特別' }))).register;
    expect(first.rows).toEqual([]);
    expect(first.searchedOnly).toBe(REGISTER_READ_BUDGET);
    expect(first.next).toBeDefined();
    // A filtered page reads no queues: the departments and the register's slices, within the budget (+1 per slice).
    expect(await counted()).toBeLessThanOrEqual(REGISTER_READ_BUDGET + 10);

    const onward = (await secretariatList(query({ q: '特別', after: first.next! }))).register;
    expect(titles(onward.rows)).toEqual(['一番古い特別な諮問']);
    expect(onward).toMatchObject({ next: undefined, searchedOnly: undefined });
  });

  it('ignores what it does not understand in a link instead of failing', async () => {
    await storedCases(3);
    const q = query({ status: 'nonsense', year: 'abc', after: 'C#other#CASE#x', order: 'sideways', department: '../x', q: ' ' });
    expect(q).toEqual({ order: 'newest' });
    expect((await secretariatList(q)).register.rows).toHaveLength(3);
  });

  it('shows a department its own submitted cases only, with its drafts and returned cases on top', async () => {
    await storedCases(2);
    await storedCases(2, (i) => ({ consultationId: `shimin-${i}`, departmentId: 'shimin', form: { title: `市民課の諮問 ${i}` } }));
    await createConsultation(deps, { principal: sakura.people.shimin }, 'sakura', newId(), { draft: { title: '市民課の下書き' } });
    await createConsultation(deps, { principal: sakura.people.fukushi }, 'sakura', newId(), { draft: { title: '生活福祉課の下書き' } });

    const list = await listConsultations(deps, sakura.people.shimin, 'sakura', query({ department: 'fukushi' }));
    expect(titles(list.register.rows)).toEqual(['市民課の諮問 2', '市民課の諮問 1']);
    // Visibility is the case's own rule, not the query's: staff of no department see none.
    const { departmentId: _, ...nowhere } = sakura.people.shimin;
    expect((await listConsultations(deps, nowhere, 'sakura')).register.rows).toEqual([]);
    const home = await listConsultations(deps, sakura.people.shimin, 'sakura');
    expect(home.queues?.kind === 'department' && titles(home.queues.drafts)).toEqual(['市民課の下書き']);
  });

  it('is not for members or the chair (their navigation does not offer it)', async () => {
    for (const who of [sakura.people.member, sakura.people.chair]) await expect(listConsultations(deps, who, 'sakura')).rejects.toBeInstanceOf(ForbiddenError);
  });
});
