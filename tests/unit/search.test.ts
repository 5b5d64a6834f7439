import { describe, expect, it } from 'vitest';
import type { Consultation } from '#shared/domain/consultation.ts';
import type { Principal } from '#shared/domain/principal.ts';
import {
  caseDocument,
  isSearchVisible,
  normalizeText,
  overlap,
  passesFilters,
  queryGrams,
  rank,
  readSearchQuery,
  type SearchDocument,
  snippet,
} from '#shared/domain/search.ts';
import { searchPage, snippetHtml } from '#templates/pages/search.ts';

const doc = (over: Partial<SearchDocument>): SearchDocument => ({
  kind: 'case',
  recordId: 'x',
  fiscalYear: 2026,
  title: '',
  text: '',
  at: '2026-05-01T00:00:00.000Z',
  ...over,
});
const texts = (docs: { doc: SearchDocument }[]) => docs.map((r) => r.doc.recordId);

describe('normalisation', () => {
  it('makes full-width letters and digits half-width, half-width kana full-width, and lower-cases', () => {
    expect(normalizeText('ＡＢＣ株式会社　第１２号')).toBe('abc株式会社 第12号');
    expect(normalizeText('ｼｽﾃﾑ移行')).toBe('システム移行');
    expect(normalizeText('  住民票\n\tの写し ')).toBe('住民票 の写し');
  });

  it('splits a query into the bigrams of each word; a one-character word stays whole', () => {
    expect(queryGrams('住民票')).toEqual(['住民', '民票']);
    expect(queryGrams('票')).toEqual(['票']);
    expect(queryGrams('住民票 委託')).toEqual(['住民', '民票', '委託']);
    // Half-width kana, full-width letters: the same grams as the text they were typed for; katakana read as hiragana.
    expect(queryGrams('ｼｽﾃﾑ')).toEqual(queryGrams('システム'));
    expect(queryGrams('システム')).toEqual(['しす', 'すて', 'てむ']);
    expect(queryGrams('ＡＢＣ')).toEqual(['ab', 'bc']);
    expect(queryGrams('   ')).toEqual([]);
  });

  it('matches katakana and hiragana alike, and a one-character query by substring', () => {
    const text = normalizeText('コンビニ交付のしすてむ更新');
    expect(overlap(text, queryGrams('こんびに'))).toBe(3);
    expect(overlap(text, queryGrams('システム'))).toBe(3);
    expect(overlap(text, queryGrams('票'))).toBe(0);
    expect(overlap(text, queryGrams('交'))).toBe(1);
  });
});

describe('ranking', () => {
  const docs = [
    doc({ recordId: 'partial-new', text: normalizeText('住民票の交付'), at: '2026-09-01T00:00:00.000Z' }),
    doc({ recordId: 'all-old', text: normalizeText('住民票コンビニ交付'), at: '2023-06-01T00:00:00.000Z' }),
    doc({ recordId: 'all-new', text: normalizeText('住民票のコンビニ交付サービス'), at: '2026-06-01T00:00:00.000Z' }),
    doc({ recordId: 'little', text: normalizeText('コンビニエンスストア'), at: '2026-10-01T00:00:00.000Z' }),
    doc({ recordId: 'none', text: normalizeText('介護保険の認定調査'), at: '2026-11-01T00:00:00.000Z' }),
  ];

  it('puts records with every bigram first (newest first among them), then by overlap; too little overlap is not found', () => {
    // 住民票 コンビニ: 住民 民票 こん んび びに — five grams, at least three needed.
    const ranked = rank(docs, queryGrams('住民票 コンビニ'));
    expect(texts(ranked)).toEqual(['all-new', 'all-old', 'little']);
    expect(ranked.map((r) => r.all)).toEqual([true, true, false]);
    // 住民 民票 only: two grams, both needed.
    expect(texts(rank(docs, queryGrams('住民票')))).toEqual(['partial-new', 'all-new', 'all-old']);
    expect(rank(docs, [])).toEqual([]);
  });

  it('finds by a one-character query as a substring', () => {
    expect(texts(rank(docs, queryGrams('介')))).toEqual(['none']);
  });
});

describe('snippets', () => {
  it('shows the text around the first match with every match marked', () => {
    const text = normalizeText(`${'前置き'.repeat(30)}住民票のコンビニ交付を委託する。住民票の写しも対象。`);
    const parts = snippet(text, '住民票', 40);
    expect(parts[0]).toEqual({ text: '…', hit: false });
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(['住民票', '住民票']);
    expect(parts.map((p) => p.text).join('')).toContain('住民票のコンビニ交付を委託する。');
  });

  it('escapes markup in a record: only the marks are tags', () => {
    const text = normalizeText('<script>alert("x")</script>の<b>住民票</b>交付');
    const out = snippetHtml(snippet(text, '住民票')).toString();
    expect(out).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;の&lt;b&gt;<mark>住民票</mark>&lt;/b&gt;交付');
  });

  it('marks katakana matches found by a hiragana query, keeping the text as written', () => {
    const parts = snippet(normalizeText('コンビニ交付'), 'こんびに');
    expect(parts).toEqual([
      { text: 'コンビニ', hit: true },
      { text: '交付', hit: false },
    ]);
  });
});

describe('who sees what', () => {
  const person = (role: Principal['role'], departmentId?: string): Principal => ({ userId: 'u', name: 'n', role, councilId: 'sakura', departmentId });

  it('a department sees its own cases’ records only, never minutes; the council’s side sees all', () => {
    const own = doc({ departmentId: 'fukushi' });
    const other = doc({ departmentId: 'shimin' });
    const minutes = doc({ kind: 'minutes' });
    expect([own, other, minutes].map((d) => isSearchVisible(d, person('department', 'fukushi')))).toEqual([true, false, false]);
    for (const role of ['secretariat', 'member', 'chair'] as const) expect([own, other, minutes].every((d) => isSearchVisible(d, person(role)))).toBe(true);
    expect(isSearchVisible(own, person('operator'))).toBe(false);
  });

  it('a draft has no document', () => {
    const c = {
      consultationId: 'c1',
      councilId: 'sakura',
      departmentId: 'fukushi',
      form: { title: '下書き' },
      status: 'draft',
      createdAt: '2026-05-01T00:00:00.000Z',
    };
    expect(caseDocument(c as unknown as Consultation)).toBeUndefined();
    const submitted = {
      ...c,
      status: 'screening',
      submittedAt: '2026-05-02T00:00:00.000Z',
      updatedAt: '2026-05-02T00:00:00.000Z',
      form: { title: '<b>提出済み</b>' },
    };
    expect(caseDocument(submitted as unknown as Consultation)).toMatchObject({
      kind: 'case',
      title: '<b>提出済み</b>',
      fiscalYear: 2026,
      departmentId: 'fukushi',
    });
  });
});

describe('the query and the filters', () => {
  it('reads a link, leaving out what it does not understand', () => {
    const q = readSearchQuery((k) => ({ q: ' 住民票 ', kind: 'bogus', year: '20x', page: '3', department: '<x>', vendor: 'ＡＢＣ' })[k]);
    expect(q).toEqual({ q: '住民票', kind: undefined, department: undefined, vendor: 'ＡＢＣ', year: undefined, page: 3 });
    expect(readSearchQuery(() => undefined).page).toBe(1);
  });

  it('filters by kind, department, year and vendor (typed full-width or half-width)', () => {
    const d = doc({ kind: 'answer', departmentId: 'shimin', fiscalYear: 2023, vendor: 'ＡＢＣ株式会社' });
    const q = readSearchQuery(() => undefined);
    expect(passesFilters(d, { ...q, vendor: 'abc' })).toBe(true);
    expect(passesFilters(d, { ...q, vendor: 'xyz' })).toBe(false);
    expect(passesFilters(d, { ...q, kind: 'answer', department: 'shimin', year: 2023 })).toBe(true);
    expect(passesFilters(d, { ...q, kind: 'case' })).toBe(false);
    expect(passesFilters(d, { ...q, department: 'fukushi' })).toBe(false);
    expect(passesFilters(d, { ...q, year: 2024 })).toBe(false);
  });
});

describe('the results page', () => {
  it('escapes titles, vendors and snippets, links each record to its page and marks the match', () => {
    const viewer: Principal = { userId: 'm', name: '委員', role: 'member', councilId: 'sakura' };
    const hit = doc({
      kind: 'condition',
      recordId: 'c1.f1',
      consultationId: 'c1',
      followUpId: 'f1',
      title: '<img src=x onerror=alert(1)>住民票',
      vendor: '"><script>x</script>',
      label: '条件1',
      text: normalizeText('<b>住民票</b>の交付'),
    });
    const page = searchPage({
      viewer,
      query: readSearchQuery((k) => ({ q: '住民票' })[k]),
      asked: true,
      departments: [],
      years: [2026],
      total: 1,
      hits: [{ doc: hit, all: true, snippet: snippet(hit.text, '住民票') }],
    });
    expect(page).toContain('<a href="/c/sakura/consultations/c1/followups/f1">条件1 &lt;img src=x onerror=alert(1)&gt;住民票</a>');
    expect(page).toContain('委託先:&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(page).toContain('<p class="snippet">&lt;b&gt;<mark>住民票</mark>&lt;/b&gt;の交付</p>');
    expect(page).not.toContain('<script>x');
    expect(page).not.toContain('<img');
    // A member sees no index button (the secretariat's), and no 次へ on a single page.
    expect(page).not.toContain('索引を作成');
    expect(page).not.toContain('次へ');
  });
});
