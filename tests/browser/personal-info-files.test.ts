import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { setLegalBasis } from '../support/personal-info-files.ts';

/**
 * 個人情報ファイル簿 in a real browser: a department fills in the form (refused, then accepted),
 * and every page of the register — the list, the form, an entry, the secretariat's list with its
 * report form, the public register — passes axe-core's WCAG 2.1 A/AA rules.
 */
const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;
const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const contexts: Awaited<ReturnType<typeof browser.browser.newContext>>[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

async function signedIn(userId: string): Promise<Page> {
  const context = await browser.browser.newContext({ bypassCSP: true, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
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

describe('個人情報ファイル簿 in the browser', () => {
  it('a department registers a file through the form; the register’s pages pass axe', { timeout: 120_000 }, async () => {
    await setLegalBasis(local.stack.tableName, 'sakura', 'act2023');
    const page = await signedIn('u-shimin');
    await page.click('text=ファイル簿・届出');
    await page.waitForURL(`${base()}/c/sakura/files`);
    expect(await violations(page), 'the department’s list').toEqual([]);
    await page.click('text=個人情報ファイルを登録する');
    expect(await violations(page), 'the empty form').toEqual([]);

    await page.getByLabel('作成日').fill('2025-05-01');
    await page.getByLabel('個人情報ファイルの名称').fill('住民基本台帳ファイル');
    await page.getByLabel('行政機関等の名称', { exact: false }).first().fill('さくら市長');
    await page.getByLabel('利用目的').fill('住民の居住関係の公証');
    await page.getByLabel('記録項目').fill('氏名\n住所\n生年月日');
    await page.getByLabel('記録範囲').fill('市内に住所を有する者');
    await page.getByLabel('記録情報の収集方法').fill('本人からの届出');
    await page.getByLabel('要配慮個人情報の有無').selectOption('no');
    await page.getByLabel('本人の数').fill('999');
    await page.getByLabel('開示請求等を受理する組織の名称及び所在地').fill('さくら市総務課');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    // The summary has the focus and names the field; the field says it is invalid, its error beside it.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.getAttribute('#f-headcount', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#f-headcount-error')).toContain('1,000人未満');
    expect(await page.inputValue('#f-name')).toBe('住民基本台帳ファイル');
    expect(await violations(page), 'the refused form').toEqual([]);

    await page.getByLabel('本人の数').fill('120,000');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=登録しました。');
    expect(await page.textContent('main')).toContain('120,000人');
    expect(await violations(page), 'the entry').toEqual([]);
    await page.click('text=内容を変更する');
    expect(await page.inputValue('#f-items')).toBe('氏名\n住所\n生年月日');
    expect(await violations(page), 'the change form').toEqual([]);

    const staff = await signedIn('u-secretariat');
    await staff.goto(`${base()}/c/sakura/files`);
    expect(await staff.textContent('main')).toContain('住民基本台帳ファイル');
    expect(await violations(staff), 'the secretariat’s list and report form').toEqual([]);
    // The public register is a file to save; opened as it is, it passes axe too.
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.click('text=印刷できる HTML で保存する')]);
    const saved = await download.path();
    const { readFile } = await import('node:fs/promises');
    const publicHtml = await readFile(saved, 'utf8');
    expect(download.suggestedFilename()).toBe('さくら市_個人情報ファイル簿.html');
    await staff.setContent(publicHtml);
    expect(await staff.textContent('h1')).toBe('さくら市 個人情報ファイル簿');
    expect(await violations(staff), 'the public register').toEqual([]);
  });
});
