import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { fiscalYear, formatFiscalYear } from '#shared/domain/era.ts';
import { tokyoDate } from '#shared/domain/followups.ts';
import { useBrowser } from '../support/browser.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { shiftJis } from '../support/shift-jis.ts';

const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;

/** A fresh browser signed in through the identity provider's page with a user name and password. */
async function signedIn(userId: string, password: string): Promise<Page> {
  // CSP bypassed only so axe-core can be injected; the pages themselves run no script.
  const context = await browser.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base()}/auth/signin`);
  await page.fill('#userId', userId);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === new URL(base()).origin && !url.pathname.startsWith('/auth/'));
  return page;
}

/** axe-core's WCAG 2.1 A/AA violations on the page as it is (as in the accessibility test). */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
}

const csvFile = (name: string, bytes: Uint8Array) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'import-')), name);
  writeFileSync(file, bytes);
  return file;
};

const today = tokyoDate(new Date());
const fy = fiscalYear(today);
const HEADER = '諮問番号,年度,件名,担当課,諮問日,審議日,答申日,結果,条件,条件の状況';

describe('a second council is onboarded through the pages', () => {
  it('is opened by the operator, set up by its secretariat, given last year’s cases, and numbers the next case after them', { timeout: 240_000 }, async () => {
    // The platform operator opens ひのき市's council with its first secretariat account.
    const operator = await signedIn('u-operator', LOCAL_DEMO_PASSWORD);
    await operator.goto(`${base()}/admin/councils`);
    await operator.fill('#f-councilId', 'hinoki');
    await operator.fill('#f-name', 'ひのき市個人情報保護審議会');
    await operator.fill('#f-municipality', 'ひのき市');
    await operator.fill('#f-contact', 'ひのき市 総務部 総務課 文書法制係(内線 2201)');
    await operator.fill('#f-secretariatEmail', 'bunsho@city.hinoki.example.jp');
    await operator.fill('#f-adminUserId', 'hinoki-bunsho');
    await operator.fill('#f-adminName', '檜山 早苗');
    await operator.fill('#f-adminKana', 'ひやま さなえ');
    await operator.fill('#f-adminEmail', 'hiyama@city.hinoki.example.jp');
    await operator.click('button:has-text("開設する")');
    await expect.poll(() => operator.textContent('#created')).toContain('ひのき市個人情報保護審議会を開設しました。');
    const adminPassword = (await operator.textContent('#temporary-password'))!;
    await operator.context().close();

    // Its secretariat signs in with the password shown once, and lands in its own council.
    const secretariat = await signedIn('hinoki-bunsho', adminPassword);
    expect(await secretariat.textContent('h1')).toBe('ひのき市個人情報保護審議会');

    // Settings: the contact, the mail signature, and the meeting series continued at 第5回.
    await secretariat.click('nav >> text=設定');
    await secretariat.fill('#f-mailSignature', 'ひのき市個人情報保護審議会 事務局(総務課 文書法制係)');
    await secretariat.fill('#f-nextMeetingNumber', '5');
    await secretariat.click('button:has-text("保存")');
    await expect.poll(() => secretariat.textContent('[role=status]')).toContain('審議会の設定を保存しました。');

    // Departments: a 部 and two 課 under it.
    await secretariat.click('nav >> text=部・課');
    const addDepartment = async (id: string, name: string, parent: string | undefined, email: string) => {
      await secretariat.fill('#add ~ form #f-departmentId', id);
      await secretariat.fill('#add ~ form #f-name', name);
      if (parent) await secretariat.selectOption('#add ~ form #f-parentId', parent);
      await secretariat.fill('#add ~ form #f-email', email);
      await secretariat.fill('#add ~ form #f-managerEmail', `kacho-${email}`);
      await secretariat.click('#add ~ form button[type=submit]');
      await expect.poll(() => secretariat.textContent('[role=status]')).toContain('部・課を登録しました。');
    };
    await addDepartment('kenko-bu', '健康福祉部', undefined, 'kenko-bu@city.hinoki.example.jp');
    await addDepartment('kenko', '健康福祉部 健康づくり課', 'kenko-bu', 'kenko@city.hinoki.example.jp');
    await addDepartment('kaigo', '健康福祉部 介護保険課', 'kenko-bu', 'kaigo@city.hinoki.example.jp');
    expect(await secretariat.textContent('table')).toContain('健康福祉部 介護保険課');

    // Staff: a department user of 健康づくり課, with a password shown once.
    await secretariat.click('nav >> text=職員');
    await secretariat.fill('#invite ~ form #f-userId', 'hinoki-kenko');
    await secretariat.fill('#invite ~ form #f-name', '森 健太(健康づくり課)');
    await secretariat.fill('#invite ~ form #f-kana', 'もり けんた');
    await secretariat.fill('#invite ~ form #f-email', 'mori@city.hinoki.example.jp');
    await secretariat.selectOption('#invite ~ form #f-role', 'department');
    await secretariat.selectOption('#invite ~ form #f-departmentId', 'kenko');
    await secretariat.click('#invite ~ form button[type=submit]');
    await expect.poll(() => secretariat.textContent('#invited')).toContain('森 健太(健康づくり課)さんを招待しました。');
    const departmentPassword = (await secretariat.textContent('#temporary-password'))!;

    // The import: the template first, then a file with problems — shown by row, nothing written.
    await secretariat.click('nav >> text=過去の諮問の取込');
    const [template] = await Promise.all([secretariat.waitForEvent('download'), secretariat.click('text=テンプレート(CSV、見出しの行だけ)をダウンロードする')]);
    expect(template.suggestedFilename()).toBe('過去の諮問_取込用_ひのき市個人情報保護審議会.csv');
    const bad = [HEADER, `1,R${fy - 2018 - 1},がん検診の受診勧奨,健康推進課,${fy - 1}-05-01,${fy - 1}-06-01,,可,,`].join('\r\n');
    await secretariat.setInputFiles('#file', csvFile('過去の諮問.csv', new TextEncoder().encode(bad)));
    await secretariat.click('button:has-text("アップロードして確認する")');
    await expect.poll(() => secretariat.textContent('[role=alert]')).toContain('2行目 担当課「健康推進課」は登録されていません。');
    expect(await secretariat.textContent('[role=alert]')).toContain('何も書き込んでいません。');
    expect(await secretariat.locator('button:has-text("件を取り込む")').count()).toBe(0);
    expect(await violations(secretariat), 'import page with row errors').toEqual([]);

    // The good file, saved by Excel as Shift_JIS: last year's three cases, and this year's 第1号 and 第2号 decided on paper.
    const good = [
      HEADER,
      `1,R${fy - 2018 - 1},がん検診の受診勧奨の委託,健康づくり課,${fy - 1}-05-01,${fy - 1}-06-01,${fy - 1}-06-10,条件付き可,"委託契約に再委託の禁止を明記すること\n業務終了後にデータ消去証明書を提出すること",完了;完了`,
      `2,R${fy - 2018 - 1},介護認定調査の外部委託,介護保険課,${fy - 1}-07-01,${fy - 1}-08-01,,可,,`,
      `3,R${fy - 2018 - 1},高齢者見守りネットワーク,介護保険課,${fy - 1}-09-01,${fy - 1}-10-01,,否,,`,
      `1,${fy},予防接種台帳のクラウド化,健康づくり課,${fy}-04-01,${fy}-04-01,,可,,`,
      `2,${fy},特定健診データの分析委託,健康づくり課,${fy}-04-01,${fy}-04-01,,可(意見付き),分析結果の公表前に審議会へ報告されたい,完了`,
    ].join('\r\n');
    await secretariat.setInputFiles('#file', csvFile('令和の諮問.csv', shiftJis(good)));
    await secretariat.click('button:has-text("アップロードして確認する")');
    await expect.poll(() => secretariat.textContent('[role=status]')).toContain('5件すべてを読み取れました。');
    expect(await secretariat.textContent('table')).toContain('介護認定調査の外部委託');
    expect(await secretariat.textContent('main')).toContain(`${formatFiscalYear(fy)}は次に受け付ける諮問が第3号`);
    expect(await violations(secretariat), 'import preview').toEqual([]);
    await secretariat.click('button:has-text("5件を取り込む")');
    await expect.poll(() => secretariat.textContent('[role=status]')).toContain('5件の諮問を取り込みました。');
    await secretariat.click('[role=status] >> text=諮問一覧');
    await secretariat.goto(`${base()}/c/hinoki/consultations?year=${fy - 1}`);
    expect(await secretariat.textContent('main')).toContain('がん検診の受診勧奨の委託');

    // The department user signs in with their password and submits a case.
    const department = await signedIn('hinoki-kenko', departmentPassword);
    await department.goto(`${base()}/c/hinoki/consultations`);
    await department.click('text=新しい諮問を作成する');
    await department.fill('#f-title', '健康ポイント事業の実施');
    await department.fill('#f-contactName', '森 健太');
    await department.fill('#f-contactPhone', '内線 4102');
    await department.check('input[name=triggers][value=computer_processing]');
    await department.fill('#f-purpose', '市民の健康づくりを促すため、歩数に応じたポイントを付与する。');
    await department.fill('#f-businesses-0-name', '健康ポイント事業に関する事務');
    await department.fill('#f-items-0-name', '氏名');
    await department.fill('#f-items-1-name', '歩数');
    await department.fill('#f-subjects', '事業に参加を申し込んだ市民');
    await department.fill('#f-subjectCount', '3000');
    await department.fill('#f-flows-0-from', '参加者');
    await department.fill('#f-flows-0-what', '氏名・歩数');
    await department.fill('#f-flows-0-to', '健康づくり課');
    await department.selectOption('#f-flows-0-means', 'online');
    await department.fill('#f-technicalSafeguards', '通信は暗号化し、管理画面は庁内からのみ接続できる。');
    await department.fill('#f-operationalSafeguards', '取り扱う職員を限定し、操作記録を残す。');
    await department.fill('#f-retention', '事業終了後3年');
    await department.fill('#f-disposal', 'データを消去し、消去の記録を残す。');
    await department.fill('#f-plannedStart', `${fy + 1}-04-01`);
    await department.click('button[value=submit]');
    await expect.poll(() => department.textContent('[role=status]')).toContain('提出しました');
    const casePath = new URL(department.url()).pathname;

    // The secretariat accepts it from its page: it takes the number after the imported ones.
    await expect
      .poll(
        async () => {
          await secretariat.goto(`${base()}${casePath}`);
          return secretariat.locator('input[name=decision][value=accept]').count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await secretariat.check('input[name=decision][value=accept]');
    await secretariat.click('button:has-text("決定する")');
    await expect.poll(() => secretariat.textContent('[role=status]')).toContain('受け付けて諮問番号を付けました。');
    expect(await secretariat.textContent('main')).toContain(`${formatFiscalYear(fy)}諮問第3号`);
    await department.context().close();
    await secretariat.context().close();
  });
});
