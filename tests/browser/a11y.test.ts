import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { useBrowser } from '../support/browser.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

/**
 * axe-core (WCAG 2.1 A and AA rules) on every kind of page, for every role that opens it —
 * the department, the secretariat, a member, the chair, and someone with no session holding a
 * mailed link — and keyboard-only runs of the vote page and the case form.
 */
const local = useLocalStack();
const browser = useBrowser();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const welfare = asUser(base, 'u-fukushi');
const everyone = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
const idOf = (p: string) => p.split('/').pop()!;
const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const contexts: Awaited<ReturnType<Browser['newContext']>>[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

/** A page of its own browser context (its own cookies); CSP is bypassed only so the test can inject axe. */
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

/** axe's WCAG 2.1 A/AA violations on the page as it is, each with the elements it found. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async (tags) => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  }, WCAG21AA);
}

/** Opens each path and expects no violation; returns how many pages were checked. */
async function sweep(page: Page, who: string, paths: string[], status = 200): Promise<number> {
  for (const path of paths) {
    const res = await page.goto(`${base()}${path}`);
    expect(res?.status(), `${who} ${path}`).toBe(status);
    expect(await violations(page), `${who} ${path}`).toEqual([]);
  }
  return paths.length;
}

/** The link a mail carries to a page of the given prefix (/v/ for votes, /f/ for follow-ups). */
async function mailedLink(to: string, prefix: string): Promise<string> {
  const mail = (await sentMails(local.stack.urls.ses)).reverse().find((m) => m.destination.to.includes(to) && m.body.text.includes(`${base()}${prefix}`));
  return new RegExp(`${base().replace(/[.]/g, '\\.')}(${prefix}[^\\s]+)`).exec(mail!.body.text)![1]!;
}

const fixture = {
  screening: '',
  answered: '',
  second: '',
  meeting: '',
  written: '',
  followUp: '',
  vote: '',
  followUpLink: '',
};

async function newMeeting(fields: Record<string, string>): Promise<string> {
  const form = await (await secretariat.get('/c/sakura/meetings')).text();
  const created = await secretariat.post('/c/sakura/meetings', { requestId: inputValue(form, 'requestId'), publicObservation: 'yes', ...fields });
  expect(created.status).toBe(303);
  return created.headers.get('location')!.replace(/\?.*$/, '');
}

beforeAll(async () => {
  // A case waiting for screening (the secretariat's screening form).
  const form = await (await welfare.get('/c/sakura/consultations/new')).text();
  const submitted = await welfare.post(
    '/c/sakura/consultations',
    completeForm({ requestId: inputValue(form, 'requestId'), title: '受付審査中の諮問', action: 'submit' }),
  );
  fixture.screening = submitted.headers.get('location')!.replace(/\?.*$/, '');
  // A case decided with conditions at a meeting: its answer and its follow-ups.
  fixture.answered = await acceptedCase(base, '答申済みの諮問');
  fixture.meeting = await newMeeting({ kind: 'meeting', date: '2026-12-14', startTime: '10:00', endTime: '11:20', venue: '特別会議室' });
  // Two items: the bulk explainers form while planned, the 全員挙手 form in session.
  fixture.second = await acceptedCase(base, '同じ会議の二つ目の諮問');
  const items = { kind: 'deliberation', consultationIds: [idOf(fixture.answered), idOf(fixture.second)], bundle: 'separate' };
  expect((await secretariat.post(`${fixture.meeting}/items`, items)).status).toBe(303);
  expect((await secretariat.post(`${fixture.meeting}/items`, { kind: 'report', title: '業務届出の件数について' })).status).toBe(303);
  // A written decision open for votes: the members' vote links.
  const writtenCase = await acceptedCase(base, '書面審議の諮問');
  fixture.written = await newMeeting({ kind: 'written', date: '2026-12-24' });
  expect((await secretariat.post(`${fixture.written}/items`, { kind: 'deliberation', consultationIds: [idOf(writtenCase)], bundle: 'separate' })).status).toBe(
    303,
  );
  expect((await secretariat.post(`${fixture.written}/open`, {})).status).toBe(303);
  await waitFor(() => statusOf(secretariat, writtenCase), '審議中');
  for (let i = 0; i < 100 && !fixture.vote; i++) {
    fixture.vote = await mailedLink('maeda@members.sakura.example.jp', '/v/').catch(() => '');
    if (!fixture.vote) await new Promise((r) => setTimeout(r, 200));
  }
  expect(fixture.vote).toMatch(/^\/v\//);
}, 240_000);

describe('axe-core: no WCAG 2.1 A/AA violation on any page, for any role', () => {
  it('the secretariat’s pages, the meeting through every state, and the minutes', { timeout: 240_000 }, async () => {
    const page = await signedIn('u-secretariat');
    const c = '/c/sakura';
    let checked = await sweep(page, 'secretariat', [
      '/',
      `${c}/consultations`,
      `${c}/consultations?state=closed`,
      fixture.screening,
      `${fixture.screening}/attachments`,
      `${c}/meetings`,
      fixture.meeting,
      `${c}/members`,
      `${c}/members/m-maeda`,
      `${c}/followups`,
      '/help/secretariat',
    ]);
    await page.goto(`${base()}${fixture.meeting}`);
    expect(await page.isVisible('#bulk-explainers')).toBe(true);
    // A refused form: the error summary and the fields it marks.
    await page.goto(`${base()}${c}/meetings`);
    await page.click('form[method=post][action$="/meetings"] button[type=submit]');
    await page.waitForSelector('.error-summary');
    expect(await violations(page), 'refused meeting form').toEqual([]);

    // In session (the hands forms of each item, 全員挙手), then decided with conditions.
    expect((await secretariat.post(`${fixture.meeting}/open`, {})).status).toBe(303);
    await waitFor(() => statusOf(secretariat, fixture.answered), '審議中');
    checked += await sweep(page, 'secretariat', [fixture.meeting, `${fixture.meeting}/record`]);
    await page.goto(`${base()}${fixture.meeting}`);
    expect(await page.isVisible('#all-hands')).toBe(true);
    const view = await (await secretariat.get(fixture.meeting)).text();
    const item = /<li id="item-([^"]+)">/.exec(view)![1]!;
    const decided = await secretariat.post(`${fixture.meeting}/items/${item}/decision`, {
      mode: 'all',
      present: everyone,
      conditions: '年に一度、委託先の監査結果を報告すること。',
    });
    expect(decided.status).toBe(303);
    await approveAnswer(base, fixture.answered);
    await waitFor(() => statusOf(secretariat, fixture.answered), '条件の履行確認中');
    expect((await secretariat.post(`${fixture.meeting}/decisions`, { present: everyone })).status).toBe(303);
    await approveAnswer(base, fixture.second);
    await waitFor(() => statusOf(secretariat, fixture.second), '完了');
    const casePage = await (await secretariat.get(fixture.answered)).text();
    fixture.followUp = /href="([^"]+\/followups\/[^"]+)"/.exec(casePage)![1]!;
    checked += await sweep(page, 'secretariat', [
      fixture.meeting,
      `${fixture.meeting}/minutes`,
      fixture.answered,
      `${fixture.answered}/answer`,
      fixture.followUp,
      fixture.written,
    ]);
    expect(checked).toBe(19);
  });

  it('the department’s pages: its list, the case form (fresh and refused), its case, the answer and the follow-up', { timeout: 120_000 }, async () => {
    const page = await signedIn('u-fukushi');
    await sweep(page, 'department', [
      '/',
      '/c/sakura/consultations',
      '/c/sakura/consultations/new',
      fixture.screening,
      fixture.answered,
      `${fixture.answered}/answer`,
      fixture.followUp,
      '/c/sakura/members',
      '/help/department',
    ]);
    await page.goto(`${base()}/c/sakura/consultations/new`);
    await page.fill('#f-title', 'アクセシビリティ確認用');
    await page.click('button[value=submit]');
    await page.waitForSelector('.error-summary');
    expect(await violations(page), 'refused case form').toEqual([]);
  });

  it('a member’s and the chair’s pages, and the vote page from the mailed link', { timeout: 120_000 }, async () => {
    for (const [userId, role] of [
      ['m-maeda', 'member'],
      ['m-kobayashi', 'chair'],
    ] as const) {
      const page = await signedIn(userId);
      await sweep(page, role, [
        '/',
        '/c/sakura/meetings',
        fixture.meeting,
        fixture.written,
        fixture.answered,
        `${fixture.answered}/answer`,
        '/c/sakura/followups',
        '/c/sakura/members',
        `/help/${role}`,
      ]);
    }
    const page = await newPage();
    await sweep(page, 'member via link', [fixture.vote]);
  });

  it('signed out: the home page, help, the 404 page, a forged link, the vendor’s report link', { timeout: 120_000 }, async () => {
    const page = await newPage();
    await sweep(page, 'signed out', ['/', '/help', '/help/member']);
    await sweep(page, 'signed out', ['/no/such/page'], 404);
    await sweep(page, 'signed out', ['/v/forged.token'], 403);
    await sweep(page, 'signed out', ['/c/sakura/members'], 401);
    const link = await mailedLink('fukushi@city.sakura.example.jp', '/f/');
    await sweep(page, 'vendor via link', [link]);
    // The check itself finds what it should: an image without alt text and an unlabelled field.
    await page.evaluate(() => {
      const main = (globalThis as any).document.querySelector('main');
      main.insertAdjacentHTML('beforeend', '<img src="/x.png"><input type="text" name="unlabelled">');
    });
    expect((await violations(page)).map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['image-alt', 'label']));
  });
});

/** Presses a key until `done` holds of the focused element (at most `max` presses), failing otherwise. */
async function pressUntil(page: Page, key: string, done: (el: { tag: string; name: string; type: string; value: string; text: string }) => boolean, max = 200) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const el = await page.evaluate(() => {
      const a = (globalThis as any).document.activeElement;
      return {
        tag: a?.tagName?.toLowerCase() ?? '',
        name: a?.getAttribute?.('name') ?? '',
        type: a?.type ?? '',
        value: a?.value ?? '',
        text: a?.textContent?.trim() ?? '',
      };
    });
    if (done(el)) return el;
  }
  throw new Error(`${key} ×${max} never reached the element`);
}

describe('keyboard only', () => {
  it('a member casts a vote with Tab, Space and Enter', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.goto(`${base()}${fixture.vote}`);
    // Tab to the choices: the first is 可; Space selects it.
    await pressUntil(page, 'Tab', (el) => el.name === 'choice');
    await page.keyboard.press('Space');
    expect(await page.isChecked('input[name=choice][value=approve]')).toBe(true);
    // On to the submit button, back with Shift+Tab to the reason and forward again, then Enter.
    await pressUntil(page, 'Tab', (el) => el.tag === 'button' && el.text === '表決する');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('name'))).toBe('reason');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/saved|\/v\//), page.keyboard.press('Enter')]);
    await expect.poll(() => page.textContent('main')).toContain('表決を受け付けました。');
    expect(await page.textContent('main')).toContain('現在の表決:可');
  });
});

describe('keyboard only: the case form', () => {
  it('a department fills in and submits the whole form with Tab, typing, Space, the arrow keys of a select and Enter', { timeout: 120_000 }, async () => {
    const page = await signedIn('u-fukushi');
    await page.goto(`${base()}/c/sakura/consultations/new`);
    const values = completeForm({ title: 'キーボードだけで作った諮問' });
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const el = await page.evaluate(() => {
        const a = (globalThis as any).document.activeElement;
        return {
          tag: a?.tagName?.toLowerCase() ?? '',
          name: a?.getAttribute?.('name') ?? '',
          type: a?.type ?? '',
          value: a?.value ?? '',
          text: a?.textContent?.trim() ?? '',
        };
      });
      if (el.tag === 'button' && el.name === 'action' && el.value === 'submit') break;
      const key = `${el.name}=${el.type === 'checkbox' ? el.value : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const wanted = values[el.name];
      if (el.type === 'checkbox') {
        if (wanted === 'on' || [wanted].flat().includes(el.value)) await page.keyboard.press('Space');
      } else if (el.tag === 'select' && typeof wanted === 'string' && wanted) {
        // A closed select steps through its options with the arrow keys, as a keyboard user does.
        for (let k = 0; k < 20 && (await page.inputValue(`select[name="${el.name}"]`)) !== wanted; k++) await page.keyboard.press('ArrowDown');
      } else if (el.type === 'date' && typeof wanted === 'string' && wanted) {
        // The date field's segments come in the browser locale's order; two digits move on from a month or a day.
        const order = await page.evaluate(() =>
          new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' })
            .formatToParts(new Date(2027, 8, 30))
            .map((p) => p.type)
            .filter((t) => t === 'year' || t === 'month' || t === 'day'),
        );
        const [year, month, day] = wanted.split('-') as [string, string, string];
        const part = { year, month, day };
        for (const [k, t] of order.entries()) await page.keyboard.type(`${part[t as keyof typeof part]}${t === 'year' && k < order.length - 1 ? '/' : ''}`);
      } else if ((el.tag === 'textarea' || el.tag === 'input') && typeof wanted === 'string' && wanted && !el.value) {
        await page.keyboard.type(wanted);
      }
    }
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('value'))).toBe('submit');
    for (const name of ['vendor.certificationExpiry', 'plannedStart', 'flows.0.means', 'vendor.certification', 'subjectCount', 'title']) {
      expect(await page.inputValue(`[name="${name}"]`), name).toBe(values[name]);
    }
    await Promise.all([page.waitForURL(/notice=submitted/), page.keyboard.press('Enter')]);
    expect(await page.textContent('main')).toContain('提出しました。事務局の受付審査をお待ちください。');
    expect(await page.textContent('main')).toContain('キーボードだけで作った諮問');
  });
});
