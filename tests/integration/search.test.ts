import { describe, expect, it } from 'vitest';
import { dynamo } from '#shared/adapters/aws.ts';
import { createDynamoRepositories } from '#shared/adapters/repositories.ts';
import type { Answer } from '#shared/domain/answer.ts';
import type { Consultation } from '#shared/domain/consultation.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, unescapeHtml, useLocalStack } from '../support/local-stack.ts';

/**
 * Issue 16, part 6, on the local stack through the pages: 先例検索 finds an earlier case by a word of
 * its title — across fiscal years, narrowed by the filters, within what each person may see —
 * follows a case edited after submission, indexes (once, from the search page) what was written
 * before the index existed, and the case form lists similar earlier cases after a draft save.
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const welfare = asUser(base, 'u-fukushi');
const citizens = asUser(base, 'u-shimin');
const member = asUser(base, 'm-maeda');
const repos = () => createDynamoRepositories(dynamo, process.env['TABLE_NAME']!);

/** A closed case of an earlier year, written straight to the table as an older version (or the history import) left it: no search document. */
async function pastCase(over: { id: string; title: string; departmentId: string; fiscalYear: number; n: number; vendor: string; answer?: Partial<Answer> }) {
  const at = `${over.fiscalYear}-06-01T01:00:00.000Z`;
  const c: Consultation = {
    councilId: 'sakura',
    consultationId: over.id,
    departmentId: over.departmentId,
    form: {
      title: over.title,
      triggers: ['outsourcing'],
      purpose: '窓口の混雑を減らし、市民の利便性を高めるため。',
      businesses: [{ name: '住民基本台帳事務' }],
      vendor: { selecting: false, name: over.vendor, certification: 'privacy_mark' },
    } as unknown as Consultation['form'],
    status: 'closed',
    number: { fiscalYear: over.fiscalYear, n: over.n },
    returns: 0,
    createdBy: 'u-import',
    createdAt: at,
    submittedAt: at,
    updatedAt: at,
    version: 1,
  };
  const ref = { councilId: 'sakura', consultationId: over.id };
  if (over.answer)
    await repos().consultations.putAnswer(ref, {
      consultationId: over.id,
      title: over.title,
      number: c.number!,
      outcome: 'approved_with_conditions',
      conditions: [],
      state: 'approved',
      councilName: 'さくら市個人情報保護審議会',
      addressee: 'さくら市長',
      issuedOn: `${over.fiscalYear}-07-10`,
      ...over.answer,
    });
  expect(await repos().consultations.create(c)).toBe(true);
}

const search = async (who: ReturnType<typeof asUser>, query: Record<string, string>) => {
  const res = await who.get(`/c/sakura/search?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  return res.text();
};
/** The results' links and titles, in order. */
const results = (page: string) =>
  [...page.matchAll(/<li><p><span class="status">([^<]+)<\/span> <a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({
    kind: m[1]!,
    href: m[2]!,
    title: unescapeHtml(m[3]!),
  }));
const titles = (page: string) => results(page).map((r) => r.title);

describe('先例検索', () => {
  let convenience: string;
  let careCase: string;

  it('indexes, from the search page, the records written before the index existed', async () => {
    await pastCase({
      id: 'past-konbini',
      title: '住民票の写しのコンビニ交付業務委託',
      departmentId: 'shimin',
      fiscalYear: 2023,
      n: 7,
      vendor: 'ＡＢＣ株式会社',
      answer: { documentNumber: 'さくら市個審第9号', conditions: ['交付端末の操作ログを1年間保存すること。'] },
    });
    await pastCase({
      id: 'past-kinsen',
      title: '生活保護受給者の金銭管理支援業務委託',
      departmentId: 'fukushi',
      fiscalYear: 2024,
      n: 3,
      vendor: '社会福祉法人さくら会',
    });

    const before = await search(secretariat, { q: 'コンビニ' });
    expect(before).toContain('索引はまだ作成していません');
    expect(titles(before)).toEqual([]);
    // Only the secretariat builds it.
    expect((await welfare.post('/c/sakura/search/index', {})).status).toBe(403);

    const built = await secretariat.post('/c/sakura/search/index', {});
    expect(built.status).toBe(303);
    expect(built.headers.get('location')).toBe('/c/sakura/search?notice=built');
    const after = await search(secretariat, { q: 'コンビニ' });
    expect(after).toContain('索引を作り直す');
    expect(results(after)).toEqual([
      { kind: '答申', href: '/c/sakura/consultations/past-konbini/answer', title: 'さくら市個審第9号 住民票の写しのコンビニ交付業務委託' },
      { kind: '諮問', href: '/c/sakura/consultations/past-konbini', title: '令和5年度諮問第7号 住民票の写しのコンビニ交付業務委託' },
    ]);
    // The answer's condition is in its text: found by a word of it, highlighted.
    const byCondition = await search(secretariat, { q: '操作ログ' });
    expect(titles(byCondition)).toEqual(['さくら市個審第9号 住民票の写しのコンビニ交付業務委託']);
    expect(byCondition).toContain('<mark>操作ログ</mark>');
  });

  it('finds a case by a word of its title first, in either fiscal year, and the filters narrow it', async () => {
    careCase = await acceptedCase(base, '介護認定調査票の電子化業務委託', 'u-fukushi');
    convenience = await acceptedCase(base, '住民票コンビニ交付端末の更新', 'u-shimin', { 'vendor.name': 'XYZシステム株式会社' });

    const care = results(await search(secretariat, { q: '介護認定' }));
    expect(care[0]).toMatchObject({ kind: '諮問', href: careCase });

    // Both years' cases have every bigram: the newer first. Half-width kana in the query find full-width text.
    const both = await search(secretariat, { q: 'ｺﾝﾋﾞﾆ交付', kind: 'case' });
    expect(results(both).map((r) => r.href)).toEqual([convenience, '/c/sakura/consultations/past-konbini']);
    expect(both).toContain('令和5年度');

    expect(titles(await search(secretariat, { q: 'コンビニ交付', year: '2023', kind: 'case' }))).toEqual([
      '令和5年度諮問第7号 住民票の写しのコンビニ交付業務委託',
    ]);
    expect(results(await search(secretariat, { q: 'コンビニ交付', year: '2026' })).map((r) => r.href)).toEqual([convenience]);
    expect(results(await search(secretariat, { q: '業務委託', department: 'fukushi', kind: 'case' })).map((r) => r.href)).toEqual([
      careCase,
      '/c/sakura/consultations/past-kinsen',
    ]);
    // The vendor typed half-width finds the one stored full-width.
    expect(results(await search(secretariat, { vendor: 'abc' })).map((r) => r.href)).toEqual([
      '/c/sakura/consultations/past-konbini/answer',
      '/c/sakura/consultations/past-konbini',
    ]);
    // Members find cases too; a word nobody wrote finds nothing.
    expect(results(await search(member, { q: '介護認定' }))[0]?.href).toBe(careCase);
    expect(await search(secretariat, { q: '下水道' })).toContain('条件に合う記録はありません。');
  });

  it('indexes an answer when it is approved and its conditions when they are followed up', async () => {
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const meeting = (
      await secretariat.post('/c/sakura/meetings', {
        requestId: inputValue(form, 'requestId'),
        kind: 'meeting',
        date: '2026-12-14',
        startTime: '10:00',
        venue: '特別会議室',
        publicObservation: 'yes',
      })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    await secretariat.post(`${meeting}/items`, { kind: 'deliberation', consultationIds: [careCase.split('/').pop()!] });
    await waitFor(() => statusOf(secretariat, careCase), '審議予定');
    await secretariat.post(`${meeting}/open`, {});
    await waitFor(() => statusOf(secretariat, careCase), '審議中');
    const item = /<li id="item-([^"]+)">/.exec(await (await secretariat.get(meeting)).text())![1]!;
    const everyone = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
    const condition = '委託先から年1回、調査票の取扱いについて監査報告を受けること。';
    expect((await secretariat.post(`${meeting}/items/${item}/decision`, { mode: 'all', present: everyone, conditions: condition })).status).toBe(303);
    await approveAnswer(base, careCase);
    await waitFor(async () => results(await search(secretariat, { q: '監査報告' })).length, 2);
    const found = results(await search(secretariat, { q: '監査報告' }));
    expect(found.map((r) => r.kind).sort()).toEqual(['条件', '答申']);
    expect(found.find((r) => r.kind === '答申')!.href).toBe(`${careCase}/answer`);
    expect(found.find((r) => r.kind === '条件')!.href).toMatch(new RegExp(`^${careCase}/followups/[^/]+$`));
    // The department finds its own answer and condition; the other department does not.
    expect(results(await search(welfare, { q: '監査報告', kind: 'condition' }))).toHaveLength(1);
    expect(results(await search(citizens, { q: '監査報告' }))).toEqual([]);
  });

  it('shows a department its own cases only, whatever the link asks for', async () => {
    expect(results(await search(welfare, { q: '介護認定', kind: 'case' }))[0]?.href).toBe(careCase);
    expect(titles(await search(welfare, { q: 'コンビニ' }))).toEqual([]);
    expect(titles(await search(welfare, { q: 'コンビニ', department: 'shimin' }))).toEqual([]);
    expect(results(await search(citizens, { q: 'コンビニ交付', kind: 'case' })).map((r) => r.href)).toEqual([
      convenience,
      '/c/sakura/consultations/past-konbini',
    ]);
    expect(titles(await search(citizens, { q: '介護認定' }))).toEqual([]);
  });

  it('finds a case edited after submission by its new title, not its old one', async () => {
    const form = await (await welfare.get('/c/sakura/consultations/new')).text();
    const created = await welfare.post(
      '/c/sakura/consultations',
      completeForm({ requestId: inputValue(form, 'requestId'), title: '子ども医療費助成の受給資格確認業務委託', action: 'submit' }),
    );
    const path = created.headers.get('location')!.replace(/\?.*$/, '');
    await waitFor(() => statusOf(secretariat, path), '受付審査中');
    expect(results(await search(secretariat, { q: '子ども医療費' })).map((r) => r.href)).toEqual([path]);

    expect((await secretariat.post(`${path}/screening`, { decision: 'return', comment: '件名を事業の名称に合わせてください。' })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, path), '差し戻し中');
    const version = inputValue(await (await welfare.get(`${path}/edit`)).text(), 'version');
    const resubmitted = await welfare.post(
      path,
      completeForm({ version, action: 'submit', title: 'ひまわり医療費助成の資格確認業務委託', response: '事業の名称に合わせました。' }),
    );
    expect(resubmitted.status).toBe(303);
    await waitFor(() => statusOf(secretariat, path), '受付審査中');

    expect(results(await search(secretariat, { q: 'ひまわり医療費' })).map((r) => r.href)).toEqual([path]);
    expect(titles(await search(secretariat, { q: '子ども' }))).toEqual([]);
  });

  it('lists similar earlier cases on the case form after 「類似の諮問を探す」 saves the draft', async () => {
    const form = await (await welfare.get('/c/sakura/consultations/new')).text();
    expect(form).not.toContain('類似の過去の諮問');
    const saved = await welfare.post('/c/sakura/consultations', {
      requestId: inputValue(form, 'requestId'),
      title: '生活保護受給者の金銭管理支援(令和9年度)',
      triggers: 'outsourcing',
      'vendor.name': '社会福祉法人さくら会',
      action: 'similar',
    });
    expect(saved.status).toBe(303);
    const edit = saved.headers.get('location')!;
    expect(edit).toMatch(/^\/c\/sakura\/consultations\/[^/]+\/edit#similar$/);
    const page = await (await welfare.get(edit.replace(/#.*$/, ''))).text();
    const section = page.slice(page.indexOf('<section id="similar"'), page.indexOf('</section>', page.indexOf('<section id="similar"')));
    const listed = [...section.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    // The earlier case of the same department first; another department's cases are never listed to a department.
    expect(listed[0]).toEqual(['/c/sakura/consultations/past-kinsen', '令和6年度諮問第3号 生活保護受給者の金銭管理支援業務委託']);
    expect(section).not.toContain('コンビニ');
    // The draft itself is neither listed nor searchable.
    expect(listed.map((l) => l[1])).not.toContain('生活保護受給者の金銭管理支援(令和9年度)');
    const draft = edit.replace(/\/edit#similar$/, '');
    expect(results(await search(secretariat, { q: '金銭管理支援(令和9年度)' })).map((r) => r.href)).not.toContain(draft);

    // Saved again with another title, the list follows the draft.
    const version = inputValue(page, 'version');
    const again = await welfare.post(edit.replace(/\/edit#similar$/, ''), { version, title: '介護認定調査票の電子化', action: 'similar' });
    expect(again.status).toBe(303);
    const second = await (await welfare.get(edit.replace(/#.*$/, ''))).text();
    const secondSection = second.slice(second.indexOf('<section id="similar"'), second.indexOf('</section>', second.indexOf('<section id="similar"')));
    expect(secondSection).toContain(`href="${careCase}"`);
    expect(secondSection).not.toContain('past-kinsen');
  });
});
