import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { tokyoDate } from '#shared/domain/followups.ts';
import { useBrowser } from '../support/browser.ts';
import { asUser, sentMails, useLocalStack } from '../support/local-stack.ts';

/**
 * The PIA review's pages in Chromium, as people use them: the department creates the record and
 * uploads its 評価書 through the page's own form (straight to storage and back), a member writes
 * comments on the page behind their mailed link, the secretariat drafts the opinion from them and
 * the chair approves it — each page checked with axe-core's WCAG 2.1 A/AA rules.
 */
const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;
const secretariatHttp = asUser(base, 'u-secretariat');
const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const contexts: Awaited<ReturnType<Browser['newContext']>>[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.browser.newContext({ bypassCSP: true });
  contexts.push(context);
  return context.newPage();
}

async function signedIn(userId: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base()}/auth/signin`);
  await page.fill('#userId', userId);
  await page.fill('#password', LOCAL_DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base()}/`);
  return page;
}

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async (tags) => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  }, WCAG21AA);
}

describe('評価書の第三者点検の画面(Chromium)', () => {
  let review = '';

  it('所管課がメニューから記録を作り、誤りは項目の横に出て、評価書をアップロードして第1版にする', { timeout: 120_000 }, async () => {
    const page = await signedIn('u-fukushi');
    await page.click('nav a:text("評価書の点検")');
    await page.fill('#f-businessName', '住民基本台帳に関する事務');
    await page.selectOption('#f-evaluationType', 'priority');
    await page.fill('#f-subjects', '320000');
    await page.fill('#f-handlers', '80');
    await page.click('button:text("作成する")');
    expect(await page.textContent('#f-evaluationType-error')).toContain('しきい値判断の結果は「全項目評価」です');
    expect(await page.inputValue('#f-businessName')).toBe('住民基本台帳に関する事務');
    expect(await violations(page)).toEqual([]);

    await page.selectOption('#f-evaluationType', 'full');
    await page.click('button:text("作成する")');
    await page.waitForURL(/\/c\/sakura\/pia\/[^/?]+\?notice=created/);
    review = new URL(page.url()).pathname;
    expect(await page.textContent('dl.sheet')).toContain('→ 全項目評価');

    await page.setInputFiles('#file', { name: '全項目評価書.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n評価書\n') });
    await page.click('button:text("アップロードする")');
    await page.waitForURL(/notice=uploaded/);
    expect(await violations(page)).toEqual([]);
    await page.fill('#f-note', '初版');
    await page.click('button:text("登録する")');
    await page.waitForURL(/notice=version/);
    expect(await page.textContent('table')).toContain('全項目評価書.pdf');
    expect(await violations(page)).toEqual([]);
  });

  it('委員がメールのリンクから項目ごとに意見を書いて保存する', { timeout: 120_000 }, async () => {
    const deadline = tokyoDate(new Date(Date.now() + 14 * 86_400_000));
    expect((await secretariatHttp.post(`${review}/review`, { deadline })).status).toBe(303);
    const mail = (await sentMails(local.stack.urls.ses)).find(
      (m) => m.destination.to.includes('maeda@members.sakura.example.jp') && m.subject.includes('点検のお願い'),
    )!;
    const link = /(http:\/\/\S+\/p\/\S+)/.exec(mail.body.text)![1]!;

    const page = await newPage();
    await page.goto(link);
    expect(await violations(page)).toEqual([]);
    await page.fill('#f-c2', '委託先の監督の頻度を明記すること');
    await page.click('button:text("意見を保存する")');
    await page.waitForURL(/saved=1/);
    expect(await page.textContent('[role=status]')).toContain('意見を保存しました');
    expect(await page.inputValue('#f-c2')).toBe('委託先の監督の頻度を明記すること');
  });

  it('事務局が締め切って意見案を作り、会長が承認する', { timeout: 120_000 }, async () => {
    const page = await signedIn('u-secretariat');
    await page.goto(`${base()}${review}`);
    expect(await page.textContent('main')).toContain('委託先の監督の頻度を明記すること');
    expect(await violations(page)).toEqual([]);
    await page.click('button:text("点検を締め切って意見案を作る")');
    await page.waitForURL(/notice=closed/);
    expect(await page.inputValue('#f-f2')).toContain('委託先の監督の頻度を明記すること(前田 久美子委員)');
    await page.click('button:text("会長の承認に回す")');
    expect(await page.textContent('#f-verdict-error')).toContain('意見(結論)を選んでください。');
    expect(await violations(page)).toEqual([]);
    await page.check('input[name=verdict][value=conditional]');
    await page.click('button:text("会長の承認に回す")');
    await page.waitForURL(/notice=submitted/);

    const chair = await signedIn('m-kobayashi');
    await chair.click('a:text("住民基本台帳に関する事務")');
    expect(await violations(chair)).toEqual([]);
    await chair.click('button:text("承認して所管課へ送付する")');
    await chair.waitForURL(/notice=approved/);
    expect(await chair.textContent('article.answer')).toMatch(/さくら市個審第\d+号/);
    expect(await violations(chair)).toEqual([]);
  });
});
