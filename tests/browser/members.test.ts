import { describe, expect, it } from 'vitest';
import { DEMO_COUNCIL } from '#infra/local/demo-data.ts';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const browser = useBrowser();

describe('the roster in a real browser', () => {
  it('lets the secretariat sign in, fix a mistake shown beside its field, and register a member', async () => {
    const page = await browser.browser.newPage();
    const base = local.stack.urls.http;

    await page.goto(base);
    await page.click('text=サインイン');
    await page.fill('#userId', 'u-secretariat');
    await page.fill('#password', LOCAL_DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('header .who')).toContain('事務局');

    await page.goto(`${base}/c/${DEMO_COUNCIL.councilId}/members`);
    await page.fill('#f-name', '森 早苗');
    await page.fill('#f-kana', 'mori sanae');
    await page.selectOption('#f-category', 'citizen');
    await page.fill('#f-affiliation', 'さくら市民生委員協議会');
    await page.fill('#f-email', 'mori@example.jp');
    await page.click('form[action$="/members"] button[type=submit]');

    await expect.poll(() => page.textContent('#f-kana-error')).toBe('ふりがなはひらがなで入力してください。');
    expect(await page.getAttribute('#f-kana', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#f-name')).toBe('森 早苗');
    expect(await page.inputValue('#f-affiliation')).toBe('さくら市民生委員協議会');
    expect(await page.inputValue('#f-category')).toBe('citizen');

    await page.fill('#f-kana', 'もり さなえ');
    await page.click('form[action$="/members"] button[type=submit]');
    await expect.poll(() => page.textContent('[role=status]')).toContain('委員を登録し');
    expect(await page.textContent('table')).toContain('森 早苗');
    expect(page.url()).toContain('notice=added');

    const mails = await sentMails(local.stack.urls.ses);
    expect(mails.filter((m) => m.destination.to.includes('mori@example.jp'))).toHaveLength(1);
    await page.close();
  });
});
