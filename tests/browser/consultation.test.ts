import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const browser = useBrowser();

async function signInAs(page: Page, userId: string) {
  await page.goto(`${local.stack.urls.http}/auth/signin`);
  await page.fill('#userId', userId);
  await page.fill('#password', LOCAL_DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${local.stack.urls.http}/`);
}

describe('a department submits a consultation and the secretariat sees it', () => {
  it('fills the form, meets an error beside the field, fixes it, attaches a PDF, submits, and it reaches the queue', { timeout: 120_000 }, async () => {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    const base = local.stack.urls.http;
    await signInAs(page, 'u-fukushi');
    await page.goto(`${base}/c/sakura/consultations`);
    await page.click('text=新しい諮問を作成する');

    // The vendor section is hidden until 委託 is ticked.
    expect(await page.isVisible('#f-vendor-name')).toBe(false);
    await page.fill('#f-title', '生活保護受給者金銭管理支援業務委託');
    await page.fill('#f-contactName', '長田 将夫');
    await page.fill('#f-contactPhone', '内線 3321');
    await page.check('input[name=triggers][value=outsourcing]');
    expect(await page.isVisible('#f-vendor-name')).toBe(true);
    await page.check('input[name=triggers][value=sensitive]');
    await page.fill('#f-purpose', '金銭管理に支援が必要な受給者について、社会福祉法人に支援を委託する。');
    await page.fill('#f-businesses-0-name', '生活保護に関する事務');
    await page.fill('#f-items-0-name', '氏名');
    await page.fill('#f-items-1-name', '病歴');
    await page.check('input[name="items.1.sensitive"]');
    await page.fill('#f-subjects', '金銭管理支援を希望する生活保護受給者');
    await page.fill('#f-subjectCount', '120');
    await page.fill('#f-flows-0-from', '生活福祉課');
    await page.fill('#f-flows-0-what', '氏名・住所・支給額');
    await page.fill('#f-flows-0-to', '社会福祉法人さくら会');
    await page.selectOption('#f-flows-0-means', 'file_transfer');
    await page.selectOption('#f-vendor-certification', 'privacy_mark');
    await page.fill('#f-vendor-certificationExpiry', '2027-09-30');
    await page.fill('#f-technicalSafeguards', '暗号化したファイル転送サービスで受け渡す。');
    await page.fill('#f-operationalSafeguards', '施錠できる書庫に保管する。');
    await page.fill('#f-retention', '契約終了後5年');
    await page.fill('#f-disposal', '受託者は書類を市に返還し、市が溶解処理する。');
    await page.fill('#f-plannedStart', '2027-04-01');
    // The vendor's name is forgotten.
    await page.click('button[value=submit]');

    await expect.poll(() => page.textContent('#f-vendor-name-error')).toBe('委託先の名称を入力してください。');
    expect(await page.textContent('[role=status]')).toContain('下書きとして保存しました');
    expect(await page.inputValue('#f-purpose')).toContain('社会福祉法人に支援を委託する');
    expect(await page.isChecked('input[name="items.1.sensitive"]')).toBe(true);
    expect(await page.inputValue('#f-flows-0-means')).toBe('file_transfer');

    await page.fill('#f-vendor-name', '社会福祉法人さくら会');
    await page.click('button[value=save]');
    await expect.poll(() => page.textContent('[role=status]')).toContain('下書きを保存しました');

    // Attach a PDF straight to storage through the presigned form, and see it listed as 資料1.
    await page.click('text=添付資料の一覧・追加');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'att-')), '資料1_委託仕様書.pdf');
    writeFileSync(file, '%PDF-1.4\n% 委託仕様書\n');
    await page.setInputFiles('#file', file);
    await page.click('text=アップロードする');
    await expect.poll(() => page.textContent('[role=status]')).toContain('資料を添付しました');
    expect(await page.textContent('table')).toContain('資料1_委託仕様書.pdf');

    await page.click('text=← 諮問へ戻る');
    await page.click('text=編集・提出する');
    await page.click('button[value=submit]');
    await expect.poll(() => page.textContent('[role=status]')).toContain('提出しました');

    // The secretariat sees it waiting for screening.
    await page.goto(`${base}/auth/signout`);
    await signInAs(page, 'u-secretariat');
    await expect
      .poll(async () => {
        await page.goto(`${base}/c/sakura/consultations`);
        const html = await page.content();
        return html.slice(html.indexOf('受付審査待ち'), html.indexOf('差し戻し中'));
      })
      .toContain('生活保護受給者金銭管理支援業務委託');
    const mails = await sentMails(local.stack.urls.ses);
    expect(mails.some((m) => m.subject.includes('諮問の提出:生活保護受給者金銭管理支援業務委託'))).toBe(true);
    await context.close();
  });
});
