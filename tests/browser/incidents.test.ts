import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { useBrowser } from '../support/browser.ts';
import { useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;
const pages: Page[] = [];
afterAll(async () => {
  for (const p of pages) await p.context().close();
});

const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const today = tokyoDate(new Date());

async function signedIn(userId: string): Promise<Page> {
  // CSP is bypassed only so the test can inject axe.
  const page = await (await browser.browser.newContext({ bypassCSP: true })).newPage();
  pages.push(page);
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

describe('漏えい等事案のページ(実際のブラウザ)', () => {
  it('所管課がメニューから事案を記録し、誤りは欄の横に示され、事案のページに期限が出る', { timeout: 120_000 }, async () => {
    const page = await signedIn('u-shimin');
    await page.click('nav >> text=漏えい等事案');
    await page.waitForURL(`${base()}/c/sakura/incidents`);
    expect(await violations(page)).toEqual([]);
    await page.click('text=事案を記録する');
    await page.waitForURL(`${base()}/c/sakura/incidents/new`);
    expect(await violations(page)).toEqual([]);

    // The department's own is chosen for it; a form sent half-filled comes back with the errors beside the fields.
    expect(await page.inputValue('#f-departmentId')).toBe('shimin');
    await page.fill('#f-title', '個人情報を含む書類の誤送付');
    await page.click('button[type=submit]');
    expect(await page.textContent('#f-overview-error')).toBe('事案の概要を入力してください。');
    expect(await page.textContent('#f-sensitive-error')).toBe('要配慮個人情報が含まれるかを選んでください。');
    expect(await page.inputValue('#f-title')).toBe('個人情報を含む書類の誤送付');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await violations(page)).toEqual([]);

    await page.selectOption('#f-kind', 'leak');
    await page.fill('#f-occurredOn', today);
    await page.fill('#f-foundOn', today);
    await page.fill('#f-overview', '通知書を別の世帯に誤って送付した。');
    await page.fill('#f-affectedCount', '1');
    await page.fill('#f-dataItems', '氏名、住所、税額');
    await page.check('input[name=sensitive][value=no]');
    await page.check('input[name=unlawfulPurpose][value=no]');
    await page.fill('#f-cause', '封入時の確認が一人だけだった。');
    await page.selectOption('#f-secondaryDamage', 'none');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/c\/sakura\/incidents\/[^/]+\?notice=created$/);
    const text = (await page.textContent('main'))!;
    expect(text).toContain('漏えい等事案を記録しました。');
    expect(text).toContain(`${formatEraDate(addDays(today, 5))}まで(覚知から概ね3〜5日以内)`);
    expect(text).toContain(`${formatEraDate(addDays(today, 30))}まで(覚知から30日以内)`);

    // A measure, then the page as it then is: still accessible.
    await page.fill('#f-measure-text', '封入・封緘を二人で確認する手順にする。');
    await page.fill('#f-measure-due', addDays(today, 30));
    await page.click('text=再発防止策を追加する');
    await page.waitForURL(/notice=measure$/);
    expect(await page.textContent('#measures + p + table')).toContain('封入・封緘を二人で確認する手順にする。');
    expect(await violations(page)).toEqual([]);
  });
});
