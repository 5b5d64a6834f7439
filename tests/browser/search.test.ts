import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { acceptedCase } from '../support/cases.ts';
import { useLocalStack } from '../support/local-stack.ts';

/**
 * 先例検索 in Chromium, as people use it: the secretariat builds the index and searches from the
 * navigation, the match is marked in the snippet, 「次へ」 is a plain link; the department's case
 * form lists similar earlier cases after 「類似の諮問を探す」 — no script, and no WCAG 2.1 A/AA violation.
 */
const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;
const contexts: Awaited<ReturnType<Browser['newContext']>>[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

async function signedIn(userId: string): Promise<Page> {
  // CSP is bypassed only so the test can inject axe.
  const context = await browser.browser.newContext({ bypassCSP: true });
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
  return page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
}

describe('先例検索 in the browser', () => {
  it('the secretariat builds the index, searches from the navigation and sees the match marked', { timeout: 120_000 }, async () => {
    const earlier = await acceptedCase(base, '<b>介護</b>認定調査票の電子化業務委託', 'u-fukushi');
    const page = await signedIn('u-secretariat');
    await page.click('nav >> text=先例検索');
    expect(await violations(page), 'search page before the index').toEqual([]);
    await Promise.all([page.waitForURL(/notice=built/), page.click('button:has-text("索引を作成")')]);
    await page.fill('#s-q', '介護認定');
    await Promise.all([page.waitForURL(/q=/), page.click('button:has-text("検索する")')]);
    const first = page.locator('ol.search-results > li').first();
    // The title as typed, markup and all, shown as text; the match marked in the snippet.
    expect(await first.locator('a').textContent()).toContain('<b>介護</b>認定調査票の電子化業務委託');
    expect(await first.locator('mark').allTextContents()).toContain('介護');
    expect(await page.locator('ol.search-results b').count()).toBe(0);
    expect(await violations(page), 'results').toEqual([]);
    await Promise.all([page.waitForURL(`${base()}${earlier}`), first.locator('a').click()]);
  });

  it('the department’s case form lists similar earlier cases after 「類似の諮問を探す」', { timeout: 120_000 }, async () => {
    const page = await signedIn('u-fukushi');
    await page.goto(`${base()}/c/sakura/consultations/new`);
    await page.fill('#f-title', '介護認定調査の委託(更新)');
    await Promise.all([page.waitForURL(/\/edit#similar$/), page.click('button:has-text("類似の諮問を探す")')]);
    const similar = page.locator('#similar li a');
    expect(await similar.allTextContents()).toEqual([expect.stringContaining('<b>介護</b>認定調査票の電子化業務委託')]);
    expect(await page.inputValue('#f-title')).toBe('介護認定調査の委託(更新)');
    expect(await violations(page), 'case form with similar cases').toEqual([]);
  });
});
