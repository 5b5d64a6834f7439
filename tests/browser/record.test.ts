import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;
const pages: Page[] = [];
afterAll(async () => {
  for (const p of pages) await p.context().close();
});

describe('the meeting-in-progress page in a real browser', () => {
  it('adds Q&A rows one after another, and they are there after a reload', { timeout: 90_000 }, async () => {
    const secretariat = asUser(base, 'u-secretariat');
    const c = await acceptedCase(base, '図書館システムのクラウド化');
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const meetingPath = (
      await secretariat.post('/c/sakura/meetings', {
        requestId: inputValue(form, 'requestId'),
        kind: 'meeting',
        date: '2026-12-22',
        startTime: '10:00',
        venue: '市役所5階特別会議室',
        publicObservation: 'yes',
      })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: c.split('/').pop()! });
    await waitFor(() => statusOf(secretariat, c), '審議予定');
    const itemId = /<li id="item-([^"]+)">/.exec(await (await secretariat.get(meetingPath)).text())![1]!;

    const page = await (await browser.browser.newContext()).newPage();
    pages.push(page);
    await page.goto(`${base()}/auth/signin`);
    await page.fill('#userId', 'u-secretariat');
    await page.fill('#password', LOCAL_DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base()}/`);
    await page.goto(`${base()}${meetingPath}`);
    await page.click('text=会議中の記録(質疑・意見・メモ)を開く');
    await page.waitForURL(`${base()}${meetingPath}/record`);

    // The blank row is always there: three rows typed one after another, each saved as it is added.
    const blank = (name: string) => `#f-e-${itemId}-new-${name}`;
    const rows = [
      { asker: 'm-miura', question: '委託先の選定理由を教えてください。', answerer: '説明員', answer: '導入実績によります。' },
      { asker: '事務局', question: '更新後も同じデータセンターですか。', answerer: '説明員', answer: '同じです。' },
      { asker: 'm-koyama', question: '鍵の管理を徹底していただきたい。', answerer: '', answer: '' },
    ];
    for (const row of rows) {
      await page.selectOption(blank('asker'), row.asker);
      await page.fill(blank('question'), row.question);
      if (row.answerer) await page.selectOption(blank('answerer'), row.answerer);
      await page.fill(blank('answer'), row.answer);
      await page.click(`#e-${itemId}-new button[type=submit]`);
      await expect.poll(() => page.textContent('[role=status]')).toContain('保存しました。');
      // Back at the blank row, empty again, for the next question.
      expect(page.url()).toContain(`#e-${itemId}-new`);
      expect(await page.inputValue(blank('question'))).toBe('');
    }
    await page.click('summary:has-text("メモを追加する")');
    await page.fill(`#f-e-${itemId}-new-note-note`, '資料3の差し替えあり。');
    await page.click(`#e-${itemId}-new-note button[type=submit]`);
    await expect.poll(() => page.textContent('[role=status]')).toContain('保存しました。');

    await page.reload();
    const saved = await page.$$eval(`#item-${itemId} form.entry`, (forms) =>
      forms.map((f) => [...f.querySelectorAll('textarea')].map((t) => (t as unknown as { value: string }).value)),
    );
    expect(saved.slice(0, 4)).toEqual([
      [rows[0]!.question, rows[0]!.answer],
      [rows[1]!.question, rows[1]!.answer],
      [rows[2]!.question, ''],
      ['資料3の差し替えあり。'],
    ]);
    const askers = await page.$$eval(`#item-${itemId} form.entry select[name=asker]`, (ss) => ss.map((s) => (s as unknown as { value: string }).value));
    expect(askers.slice(0, 3)).toEqual(['m-miura', '事務局', 'm-koyama']);
    // Every control has a label and every id is unique, with any number of rows.
    const duplicates = await page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const el of (globalThis as any).document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    });
    expect(duplicates).toEqual([]);

    // Changing a row saves it in place.
    const first = `#item-${itemId} form.entry >> nth=0`;
    await page.locator(first).locator('textarea[name=answer]').fill('導入実績と価格によります。');
    await page.locator(first).locator('button:has-text("保存する")').click();
    await expect.poll(() => page.textContent('[role=status]')).toContain('保存しました。');
    await page.reload();
    expect(await page.locator(first).locator('textarea[name=answer]').inputValue()).toBe('導入実績と価格によります。');
  });
});
