import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const browser = useBrowser();

async function signInAs(page: Page, userId: string) {
  await page.goto(`${local.stack.urls.http}/auth/signin`);
  await page.fill('#userId', userId);
  await page.fill('#password', LOCAL_DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${local.stack.urls.http}/`);
}

describe('the 審議票 with several 事務, a transfer abroad and a vendor 「選定中」', () => {
  it('adds 事務 rows with 「事務を追加」 keeping what was typed, shows the abroad and vendor fields as chosen, and submits', { timeout: 120_000 }, async () => {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    const base = local.stack.urls.http;
    await signInAs(page, 'u-shimin');
    await page.goto(`${base}/c/sakura/consultations/new`);

    await page.fill('#f-title', '住民情報システムのガバメントクラウド移行');
    await page.fill('#f-businesses-0-name', '住民基本台帳事務');
    await page.fill('#f-businesses-0-registration', '市-001');
    expect(await page.locator('input[name$=".name"][name^="businesses."]').count()).toBe(1);
    await page.click('button[value=addBusiness]');
    // The page comes back with a second row, focused, and nothing typed lost (nothing saved either).
    await expect.poll(() => page.locator('input[name$=".name"][name^="businesses."]').count()).toBe(2);
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('f-businesses-1-name');
    expect(await page.inputValue('#f-title')).toBe('住民情報システムのガバメントクラウド移行');
    expect(await page.inputValue('#f-businesses-0-registration')).toBe('市-001');
    await page.keyboard.type('印鑑登録事務');
    await page.click('button[value=addBusiness]');
    await expect.poll(() => page.locator('input[name$=".name"][name^="businesses."]').count()).toBe(3);
    await page.fill('#f-businesses-2-name', '個人住民税の賦課事務');
    expect(await page.inputValue('#f-businesses-1-name')).toBe('印鑑登録事務');

    await page.fill('#f-contactName', '市民 花子');
    await page.fill('#f-contactPhone', '内線 2101');
    // The abroad fields appear only with their trigger; 選定中 hides the vendor's name.
    expect(await page.isVisible('#f-abroad-country')).toBe(false);
    await page.check('input[name=triggers][value=abroad]');
    expect(await page.isVisible('#f-abroad-country')).toBe(true);
    await page.check('input[name=triggers][value=outsourcing]');
    expect(await page.isVisible('#f-vendor-name')).toBe(true);
    await page.check('#f-vendor-selecting');
    expect(await page.isVisible('#f-vendor-name')).toBe(false);
    await page.fill('#f-purpose', '住民情報システムをガバメントクラウドへ移行するため。');
    await page.fill('#f-items-0-name', '氏名');
    await page.fill('#f-subjects', '市の住民');
    await page.fill('#f-subjectCount', '120000');
    await page.fill('#f-flows-0-from', '市民課');
    await page.fill('#f-flows-0-what', '住民記録');
    await page.fill('#f-flows-0-to', 'クラウド事業者');
    await page.selectOption('#f-flows-0-means', 'online');
    await page.fill('#f-technicalSafeguards', '通信と保存データを暗号化する。');
    await page.fill('#f-operationalSafeguards', '操作できる職員を限定する。');
    await page.fill('#f-retention', '5年');
    await page.fill('#f-disposal', '消去証明書を提出させる。');
    await page.fill('#f-plannedStart', '2027-10-01');
    // The country is forgotten: the error is beside it, the other abroad fields kept.
    await page.selectOption('#f-abroad-basis', 'equivalent_measures');
    await page.fill('#f-abroad-measures', '提供先のクラウド事業者が相当措置を継続的に講ずる体制を契約で約する。');
    await page.click('button[value=submit]');

    await expect.poll(() => page.textContent('#f-abroad-country-error')).toBe('提供先の国名を入力してください。');
    expect(await page.inputValue('#f-abroad-basis')).toBe('equivalent_measures');
    expect(await page.isChecked('#f-vendor-selecting')).toBe(true);
    expect(await page.inputValue('#f-businesses-2-name')).toBe('個人住民税の賦課事務');
    await page.fill('#f-abroad-country', 'アメリカ合衆国');
    await page.click('button[value=submit]');

    await expect.poll(() => page.textContent('[role=status]')).toContain('提出しました');
    const histories = await page.locator('ul.businesses a').allTextContents();
    expect(histories).toEqual(['住民基本台帳事務', '印鑑登録事務', '個人住民税の賦課事務']);
    const sheet = await page.textContent('dl.sheet');
    expect(sheet).toContain('提供先の国:アメリカ合衆国');
    expect(sheet).toContain('選定中(審議の後、所管課が報告します)');
    await page.click('ul.businesses a >> text=印鑑登録事務');
    await expect.poll(() => page.title()).toContain('事務の履歴:印鑑登録事務');
    expect(await page.textContent('main')).toContain('住民情報システムのガバメントクラウド移行');

    await page.goto(`${base}/c/sakura/consultations`);
    const row = page.locator('tr', { hasText: '住民情報システムのガバメントクラウド移行' }).first();
    expect(await row.textContent()).toContain('住民基本台帳事務 他2件');
    await context.close();
  });
});
