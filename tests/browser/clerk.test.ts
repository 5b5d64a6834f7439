import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import { ConsultationRepository } from '#shared/adapters/consultation-repository.ts';
import { fiscalYear, formatFiscalYear } from '#shared/domain/era.ts';
import { useBrowser } from '../support/browser.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;

async function signedIn(b: Browser, userId: string): Promise<Page> {
  const page = await (await b.newContext()).newPage();
  await page.goto(`${base()}/auth/signin`);
  await page.selectOption('#userId', userId);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base()}/`);
  return page;
}

/** What has the focus: its id, or its class when it has none. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const active = (globalThis as any).document.activeElement;
    return active?.id || active?.className || active?.tagName;
  });

/** Every problem of the ids and labels a page's controls need (duplicate ids, controls no label names, labels or links pointing nowhere). */
function controlProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const document = (globalThis as any).document;
    const problems: string[] = [];
    const ids = new Map<string, number>();
    for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
    for (const [id, n] of ids) if (n > 1) problems.push(`id="${id}" occurs ${n} times`);
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      const named = el.labels?.length || el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby');
      if (!named) problems.push(`${el.tagName.toLowerCase()} name="${el.getAttribute('name')}" has no label`);
    }
    for (const label of document.querySelectorAll('label[for]')) {
      if (!document.getElementById(label.getAttribute('for')!)) problems.push(`label for="${label.getAttribute('for')}" names nothing`);
    }
    for (const link of document.querySelectorAll('a[href^="#"]')) {
      if (link.getAttribute('href') !== '#' && !document.getElementById(decodeURIComponent(link.hash.slice(1))))
        problems.push(`link ${link.hash} leads nowhere`);
    }
    return problems;
  });
}

const pages: Page[] = [];
afterAll(async () => {
  for (const p of pages) await p.context().close();
});
const open = async (userId: string) => {
  const page = await signedIn(browser.browser, userId);
  pages.push(page);
  return page;
};

describe('a clerk’s day in a real browser', () => {
  it('a failed submission puts the focus on the error summary, which links to each field', { timeout: 60_000 }, async () => {
    const page = await open('u-fukushi');
    await page.goto(`${base()}/c/sakura/consultations/new`);
    expect(await page.getAttribute('#f-title', 'required')).toBe('');
    expect(await page.getAttribute('#f-title', 'aria-required')).toBe('true');
    await page.fill('#f-title', '図書館システムのクラウド化');
    await page.click('button[value=submit]');

    await expect.poll(() => page.textContent('.error-summary')).toContain('入力内容を確認してください');
    expect(await focused(page)).toContain('error-summary');
    const links = await page.$$eval('.error-summary a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    expect(links.length).toBeGreaterThan(3);
    expect(links).toContainEqual(['#f-purpose', expect.stringContaining('目的')]);
    expect(await controlProblems(page)).toEqual([]);

    // Following a link puts the keyboard at the field, even one far down the page.
    await page.click('.error-summary a[href="#f-disposal"]');
    expect(await focused(page)).toBe('f-disposal');
    await page.keyboard.type('市が溶解処理する。');
    expect(await page.inputValue('#f-disposal')).toBe('市が溶解処理する。');
  });

  it('each role’s navigation offers only pages it may open, and its home page says what waits', { timeout: 120_000 }, async () => {
    const dept = asUser(base, 'u-fukushi');
    const form = await (await dept.get('/c/sakura/consultations/new')).text();
    const created = await dept.post(
      '/c/sakura/consultations',
      completeForm({ requestId: inputValue(form, 'requestId'), title: '住民票コンビニ交付の委託', action: 'submit' }),
    );
    const casePath = created.headers.get('location')!.replace(/\?.*$/, '');
    await waitFor(() => statusOf(asUser(base, 'u-secretariat'), casePath), '受付審査中');

    for (const { userId, role } of DEMO_IDENTITIES) {
      const page = await open(userId);
      const nav = await page.$$eval('header nav a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')!] as const));
      expect(
        nav.some(([text]) => text === '諮問一覧'),
        userId,
      ).toBe(role === 'department' || role === 'secretariat');
      for (const [text, to] of nav) expect((await page.goto(`${base()}${to}`))?.status(), `${userId}: ${text}`).toBe(200);
      await page.goto(`${base()}/`);
      expect(await page.textContent('h1')).toBe('さくら市個人情報保護審議会');
      expect(await controlProblems(page)).toEqual([]);
      if (role === 'secretariat') {
        await page.click('nav[aria-label="あなたを待っていること"] a[href="#w-screen"]');
        expect(await page.textContent('#w-screen')).toMatch(/^受付審査を待つ諮問\(\d+件\)$/);
        await page.click('section[aria-labelledby="w-screen"] a:text("住民票コンビニ交付の委託")');
        await page.waitForURL(`${base()}${casePath}`);
      }
      if (userId === 'u-shimin') expect(await page.textContent('main')).toContain('いま、あなたを待っている作業はありません。');
    }
  });

  it('the secretariat finds a case of last year by filtering 諮問一覧, and pages through every case', { timeout: 60_000 }, async () => {
    const thisYear = fiscalYear(new Date());
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: local.stack.urls.dynamodb, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const cases = new ConsultationRepository(client, local.stack.tableName);
    const stored = (id: string, year: number, n: number, title: string, status: 'closed' | 'followups_open' = 'closed') => {
      const at = new Date(Date.UTC(year, 5, 1, 0, n)).toISOString();
      return cases.create({
        councilId: 'sakura',
        consultationId: id,
        departmentId: 'shimin',
        form: { title, triggers: ['outsourcing'] },
        status,
        number: { fiscalYear: year, n },
        returns: 0,
        createdBy: 'u-shimin',
        createdAt: at,
        submittedAt: at,
        updatedAt: at,
        version: 2,
      });
    };
    await stored('last-year-case', thisYear - 1, 4, '図書館利用者データのクラウド移行', 'followups_open');
    for (let n = 1; n <= 24; n++) await stored(`older-${n}`, thisYear - 2, n, `二年前の諮問 ${n}`);
    client.destroy();

    const page = await open('u-secretariat');
    await page.goto(`${base()}/c/sakura/consultations`);
    await page.selectOption('#q-year', String(thisYear - 1));
    await page.fill('#q-q', 'クラウド');
    await page.click('form[role=search] button[type=submit]');
    await expect.poll(() => page.textContent('#register ~ table tbody')).toContain('図書館利用者データのクラウド移行');
    expect(await page.textContent('#register ~ table tbody')).toContain(`${formatFiscalYear(thisYear - 1)}諮問第4号`);
    expect(await page.$$eval('#register ~ table tbody tr', (rows) => rows.length)).toBe(1);
    // The queues are left out while the list is filtered; the filters stay as chosen.
    expect(await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent))).toEqual(['すべての諮問']);
    expect(await page.inputValue('#q-year')).toBe(String(thisYear - 1));
    expect(await controlProblems(page)).toEqual([]);

    // Every case, newest first, 20 to a page: forward to the page holding the oldest, and back.
    await page.goto(`${base()}/c/sakura/consultations?year=${thisYear - 2}`);
    expect(await page.$$eval('#register ~ table tbody tr', (rows) => rows.length)).toBe(20);
    expect(await page.textContent('#register ~ table tbody tr:first-child')).toContain('二年前の諮問 24');
    await page.click('a[rel=next]');
    expect(await page.$$eval('#register ~ table tbody tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent))).toEqual([
      '二年前の諮問 4',
      '二年前の諮問 3',
      '二年前の諮問 2',
      '二年前の諮問 1',
    ]);
    expect(await page.$('a[rel=next]')).toBeNull();
    await page.click('a[rel=prev]');
    expect(await page.textContent('#register ~ table tbody tr:first-child')).toContain('二年前の諮問 24');
    expect(await page.$('a[rel=prev]')).toBeNull();
  });

  it('the meeting page: unique ids, a label for every control, items as headings, buttons that name their item', { timeout: 180_000 }, async () => {
    const titles = ['会議用の諮問 その1', '会議用の諮問 その2', '会議用の諮問 その3'];
    const paths: string[] = [];
    for (const title of titles) paths.push(await acceptedCase(base, title));
    const page = await open('u-secretariat');
    await page.goto(`${base()}/c/sakura/meetings`);
    await page.fill('#f-date', '2027-03-10');
    await page.fill('#f-venue', '市役所 第3会議室');
    // The start time is forgotten: the summary takes the focus and leads to it.
    await page.click('form[method=post][action$="/meetings"] button[type=submit]');
    await expect.poll(() => focused(page)).toContain('error-summary');
    await page.click('.error-summary a[href="#f-startTime"]');
    await page.keyboard.type('10:00');
    await page.click('form[method=post][action$="/meetings"] button[type=submit]');
    await page.waitForURL(/notice=created/);
    for (const title of titles) await page.check(`label:has-text("${title}") input`);
    await page.click('text=議題に入れる');
    await page.waitForURL(/notice=scheduled/);

    expect(await page.$$eval('ol.items > li > h3', (hs) => hs.map((h) => h.textContent))).toEqual(titles.map((t, i) => `(${i + 1}) ${t}`));
    expect(await page.$$eval('ol.items button[value=up]', (bs) => bs.map((b) => b.getAttribute('aria-label')))).toEqual(
      titles.map((t) => `「${t}」を上へ移動`),
    );
    expect(await controlProblems(page)).toEqual([]);
    // Each explainer field is named by its own label.
    const second = await page.$$eval('ol.items input[name=explainers]', (inputs) => inputs.map((i: any) => i.labels?.[0]?.textContent ?? ''));
    expect(second.map((l) => l.replace(/\s+/g, ''))).toEqual(titles.map((t, i) => expect.stringContaining(`説明員((${i + 1})${t.replace(/\s+/g, '')})`)));

    // In session: the hands form of each item; a refused one shows its summary, focused, beside its item.
    await page.click('text=審議を開始する');
    await page.waitForURL(/notice=opened/);
    for (const path of paths) await waitFor(() => statusOf(asUser(base, 'u-secretariat'), path), '審議中');
    await page.reload();
    expect(await controlProblems(page)).toEqual([]);
    const item = (await page.$$eval('ol.items > li', (lis) => lis.map((li) => li.id)))[1]!;
    await page.check(`#${item} input[name=mode][value=each]`);
    await page.click(`#${item} form button[type=submit]`);
    await expect.poll(() => focused(page)).toContain('error-summary');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.closest('ol.items > li')?.id)).toBe(item);
    expect(await controlProblems(page)).toEqual([]);

    // 全員挙手 for all three items in one step, from one roll.
    await page.uncheck('#f-all-present input[value=m-miura]');
    await page.click('text=残りの3件をすべて全員挙手(可)で記録する');
    await page.waitForURL(/notice=decidedAll/);
    expect(await page.$$eval('ol.items > li', (lis) => lis.map((li) => li.textContent?.includes('結果:可')))).toEqual([true, true, true]);
    for (const path of paths) await approveAnswer(base, path);
    for (const path of paths) await waitFor(() => statusOf(asUser(base, 'u-secretariat'), path), '完了');
  });

  it('the secretariat accepts three screened cases in one step, numbered in the order listed', { timeout: 120_000 }, async () => {
    const dept = asUser(base, 'u-shimin');
    const titles = ['一括受付 その1', '一括受付 その2', '一括受付 その3'];
    const paths: string[] = [];
    for (const title of titles) {
      const form = await (await dept.get('/c/sakura/consultations/new')).text();
      const created = await dept.post('/c/sakura/consultations', completeForm({ requestId: inputValue(form, 'requestId'), title, action: 'submit' }));
      paths.push(created.headers.get('location')!.replace(/\?.*$/, ''));
    }
    for (const path of paths) await waitFor(() => statusOf(asUser(base, 'u-secretariat'), path), '受付審査中');

    const page = await open('u-secretariat');
    await page.goto(`${base()}/c/sakura/consultations`);
    // Nothing ticked: the summary says so and leads to the list.
    await page.click('text=選んだ諮問を受け付けて諮問番号を付ける');
    await expect.poll(() => focused(page)).toContain('error-summary');
    expect(await page.getAttribute('.error-summary a', 'href')).toBe('#f-consultationIds');
    for (const title of titles) await page.check(`input[aria-label="「${title}」を受け付ける"]`);
    await page.click('text=選んだ諮問を受け付けて諮問番号を付ける');
    await page.waitForURL(/notice=accepted/);
    for (const path of paths) await waitFor(() => statusOf(asUser(base, 'u-secretariat'), path), '受付済み(日程調整待ち)');
    const numbers = [];
    for (const path of paths) numbers.push(Number(/諮問第(\d+)号/.exec(await (await asUser(base, 'u-secretariat').get(path)).text())![1]));
    expect(numbers).toEqual([numbers[0]!, numbers[0]! + 1, numbers[0]! + 2]);
  });
});
