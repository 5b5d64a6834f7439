import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, useLocalStack } from '../support/local-stack.ts';

/** What prints: the 審議票 as a filled document, the roster with its 役職 on one line, at the width of A4 paper. */
const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;
const pages: Page[] = [];
afterAll(async () => {
  for (const p of pages) await p.context().close();
});

async function signedIn(userId: string): Promise<Page> {
  const page = await (await browser.browser.newContext({ viewport: { width: 700, height: 1000 } })).newPage();
  pages.push(page);
  await page.goto(`${base()}/auth/signin`);
  await page.fill('#userId', userId);
  await page.fill('#password', LOCAL_DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base()}/`);
  return page;
}

describe('printing', () => {
  it('prints a department’s draft 審議票 as the filled document, with no form controls', { timeout: 60_000 }, async () => {
    const dept = asUser(base, 'u-fukushi');
    const form = await (await dept.get('/c/sakura/consultations/new')).text();
    const saved = await dept.post(
      '/c/sakura/consultations',
      completeForm({ requestId: inputValue(form, 'requestId'), title: '課内決裁用の審議票', subjectCount: '120000', action: 'save' }),
    );
    expect(saved.status).toBe(303);
    const casePath = saved.headers.get('location')!.replace(/\?.*$/, '');

    const page = await signedIn('u-fukushi');
    await page.goto(`${base()}${casePath}/edit`);
    // On screen: the form; its print version is not shown (nor read out).
    expect(await page.isVisible('form.stacked')).toBe(true);
    expect(await page.isVisible('.print-only')).toBe(false);

    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('form.stacked')).toBe(false);
    expect(await page.isVisible('.print-only')).toBe(true);
    const printed = await page.textContent('.print-only');
    for (const value of [
      '課内決裁用の審議票',
      '長田 将夫',
      '生活保護に関する事務',
      '120,000人',
      '社会福祉法人さくら会',
      'プライバシーマーク',
      '契約期間終了後5年',
    ]) {
      expect(printed).toContain(value);
    }
    // Nothing that can be typed in or pressed is visible on paper.
    expect(
      await page.$$eval('input, select, textarea, button', (els) => els.filter((e: any) => e.type !== 'hidden' && e.getClientRects().length > 0).length),
    ).toBe(0);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('prints the roster with each 役職 and name on one line', { timeout: 60_000 }, async () => {
    const page = await signedIn('u-secretariat');
    await page.goto(`${base()}/c/sakura/members`);
    await page.emulateMedia({ media: 'print' });
    const lines = await page.$$eval('table.roster tbody tr', (rows) =>
      rows.map((row: any) =>
        [row.cells[0], row.cells[1]].map((cell: any) => {
          const range = (globalThis as any).document.createRange();
          range.selectNodeContents(cell);
          // One line of text: every box of the text sits on the same line.
          return new Set([...range.getClientRects()].map((r: any) => Math.round(r.top))).size;
        }),
      ),
    );
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const cells of lines) expect(cells).toEqual([1, 1]);
    expect(await page.textContent('table.roster tbody tr:first-child td:first-child')).toBe('会長');
    expect(await page.isVisible('table.roster th:has-text("操作")')).toBe(false);
  });
});
