import { describe, expect, it } from 'vitest';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

/** A free agenda on the local stack, through the pages: items of any kind, numbered, moved, removed; report requests; the next meeting. */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const member = asUser(base, 'm-maeda');
const welfare = asUser(base, 'u-fukushi');
const citizens = asUser(base, 'u-shimin');

async function newMeeting(date: string, venue = '市役所 第3会議室') {
  const form = await (await secretariat.get('/c/sakura/meetings')).text();
  const created = await secretariat.post('/c/sakura/meetings', {
    requestId: inputValue(form, 'requestId'),
    kind: 'meeting',
    date,
    startTime: '10:00',
    venue,
    publicObservation: 'yes',
  });
  expect(created.status).toBe(303);
  return created.headers.get('location')!.replace(/\?.*$/, '');
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The id of the agenda item whose heading contains `title`. */
function itemIdOf(page: string, title: string): string {
  const m = new RegExp(`<li id="(?:item|line)-([A-Za-z0-9_-]+)"><h3[^>]*>[^<]*${reEscape(title)}`).exec(page);
  if (!m) throw new Error(`no agenda item 「${title}」 on the page`);
  return m[1]!;
}
/** The 会議次第 as a reader sees it: the agenda list's headings and item headings, in order, tags stripped. */
async function outline(path: string): Promise<string[]> {
  const page = await (await secretariat.get(path)).text();
  const list = page.slice(page.indexOf('<ol class="agenda">'), page.indexOf('</ol>\n', page.lastIndexOf('<ol class="agenda">')));
  return [...list.matchAll(/<span class="agenda-heading">([^<]*)<\/span>|<h3 id="[^"]+-heading">([^<]*)/g)].map((m) => (m[1] ?? m[2] ?? '').trim());
}

describe('a free agenda', () => {
  it('takes items of any kind, numbered as councils do; moves, edits and removes them — a removed case goes back to scheduling', async () => {
    const [a, b] = [await acceptedCase(base, '自由な次第の諮問A'), await acceptedCase(base, '自由な次第の諮問B')];
    const path = await newMeeting('2027-10-11');
    const idOf = (p: string) => p.split('/').pop()!;
    expect((await secretariat.post(`${path}/items`, { kind: 'deliberation', consultationIds: [idOf(a), idOf(b)] })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, a), '審議予定');
    await waitFor(() => statusOf(secretariat, b), '審議予定');

    // Before any change the fixed frame stands around the cases, as the 会議次第 always printed it.
    expect(await outline(path)).toEqual([
      '1 開会',
      '2 諮問書授受',
      '3 議事 個人情報を取り扱う事務について(諮問)',
      '(1) 自由な次第の諮問A',
      '(2) 自由な次第の諮問B',
      '4 次回開催日程',
      '5 閉会',
    ]);

    // 挨拶 after the opening, a 次第外 explanation and a report before the closing frame.
    expect((await secretariat.post(`${path}/items`, { kind: 'greeting', title: '総務部長挨拶' })).status).toBe(303);
    expect(
      (
        await secretariat.post(`${path}/items`, {
          kind: 'explanation',
          title: 'マイナンバーカードの普及について',
          outsideAgenda: 'yes',
          explainers: 'デジタル行政推進課長',
        })
      ).status,
    ).toBe(303);
    expect((await secretariat.post(`${path}/items`, { kind: 'report', title: '注意喚起について' })).status).toBe(303);
    expect(await outline(path)).toEqual([
      '1 開会',
      '2 総務部長挨拶',
      '3 諮問書授受',
      '4 議事 個人情報を取り扱う事務について(諮問)',
      '(1) 自由な次第の諮問A',
      '(2) 自由な次第の諮問B',
      '(次第外) マイナンバーカードの普及について',
      '5 報告',
      '(1) 注意喚起について',
      '6 次回開催日程',
      '7 閉会',
    ]);

    // Move B above A; edit the report's title and text.
    let page = await (await secretariat.get(path)).text();
    expect((await secretariat.post(`${path}/items/${itemIdOf(page, '自由な次第の諮問B')}`, { move: 'up' })).status).toBe(303);
    const report = itemIdOf(page, '注意喚起について');
    const edited = await secretariat.post(`${path}/items/${report}`, {
      edit: 'free',
      title: '個人情報を含むデータの取扱いに関する注意喚起について',
      text: '6月24日付の通知により注意を促したことを報告した。',
    });
    expect(edited.status).toBe(303);
    // A title too long is refused beside the field, and nothing changes.
    const refused = await secretariat.post(`${path}/items/${report}`, { edit: 'free', title: 'あ'.repeat(201) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('件名は200文字以内で入力してください。');
    page = await (await secretariat.get(path)).text();
    expect(page).toContain('6月24日付の通知により注意を促したことを報告した。');
    expect(page).toContain('説明員:デジタル行政推進課長');

    // Removing A: off the agenda, its case back to 日程調整待ち and offered for a meeting again; B renumbered (1).
    expect((await secretariat.post(`${path}/items/${itemIdOf(page, '自由な次第の諮問A')}/remove`, {})).status).toBe(303);
    await waitFor(() => statusOf(secretariat, a), '受付済み(日程調整待ち)');
    expect(await statusOf(secretariat, b)).toBe('審議予定');
    // The opening line goes too: the numbers close up.
    expect((await secretariat.post(`${path}/items/frame-opening/remove`, {})).status).toBe(303);
    expect(await outline(path)).toEqual([
      '1 総務部長挨拶',
      '2 諮問書授受',
      '3 議事 個人情報を取り扱う事務について(諮問)',
      '(1) 自由な次第の諮問B',
      '(次第外) マイナンバーカードの普及について',
      '4 報告',
      '(1) 個人情報を含むデータの取扱いに関する注意喚起について',
      '5 次回開催日程',
      '6 閉会',
    ]);
    page = await (await secretariat.get(path)).text();
    expect(page).toContain(`name="consultationIds" value="${idOf(a)}"`);
    const audit = await (await secretariat.get(a)).text();
    expect(audit).toContain('議題から外し日程調整待ちに戻す');

    // Members read the agenda but change nothing.
    expect((await member.get(path)).status).toBe(200);
    expect((await member.post(`${path}/items/frame-closing/remove`, {})).status).toBe(403);
    expect(await outline(path)).toContain('6 閉会');
  }, 90_000);

  it('turns a request raised under a report item into a follow-up the department sees and answers', async () => {
    const path = await newMeeting('2027-10-18');
    expect((await secretariat.post(`${path}/items`, { kind: 'report', title: '再委託の管理状況について' })).status).toBe(303);
    const item = itemIdOf(await (await secretariat.get(path)).text(), '再委託の管理状況について');
    const due = addDays(tokyoDate(new Date()), 14);

    // Missing fields are refused beside them, and no follow-up is made.
    const refused = await secretariat.post(`${path}/items/${item}/requests`, { text: '', departmentId: '', due: '2027-13-01' });
    expect(refused.status).toBe(400);
    const refusal = await refused.text();
    expect(refusal).toContain('求める内容を入力してください。');
    expect(refusal).toContain('報告を求める所管課を選んでください。');
    expect(refusal).toContain('報告の期限が正しい日付ではありません。');

    const asked = await secretariat.post(`${path}/items/${item}/requests`, {
      text: '再委託先の管理状況を次回報告してください。',
      departmentId: 'fukushi',
      due,
    });
    expect(asked.status).toBe(303);
    const page = await (await secretariat.get(path)).text();
    const link = new RegExp(`href="(/c/sakura/consultations/${item}/followups/[^"]+)">再委託先の管理状況を次回報告してください。`).exec(page)?.[1];
    expect(link).toBeDefined();

    // The department sees it on its home page and opens it; another department does not.
    expect(await (await welfare.get('/')).text()).toContain('再委託先の管理状況を次回報告してください。');
    const own = await welfare.get(link!);
    expect(own.status).toBe(200);
    const sheet = await own.text();
    expect(sheet).toContain('審議会が求めた報告');
    expect(sheet).toContain('報告を求めた会議へ');
    expect((await citizens.get(link!)).status).toBe(404);
    // It is on the council's dashboard, marked as a request, and the department was sent its link.
    expect(await (await secretariat.get('/c/sakura/followups')).text()).toContain('(報告の求め)再委託先の管理状況を次回報告してください。');
    const mail = (await sentMails(local.stack.urls.ses)).find((m) => m.subject.includes('審議会から求められた報告のお願い'));
    expect(mail?.destination.to).toEqual(['fukushi@city.sakura.example.jp']);
    expect(mail?.body.text).toContain('再委託先の管理状況を次回報告してください。');

    // The department answers through its link; the secretariat checks the answer.
    const answerPath = new URL(/https?:\/\/\S+\/f\/[A-Za-z0-9._~-]+/.exec(mail!.body.text)![0]).pathname;
    const linkPage = await fetch(`${base()}${answerPath}`);
    expect(linkPage.status).toBe(200);
    expect(await linkPage.text()).toContain('再委託先の管理状況を次回報告してください。');
    const answered = await fetch(`${base()}${answerPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ answeredBy: '生活福祉課 長田', text: '再委託先2社の管理状況を確認し、問題はありませんでした。' }).toString(),
      redirect: 'manual',
    });
    expect(answered.status).toBe(303);
    expect(await (await welfare.get(link!)).text()).toContain('再委託先2社の管理状況を確認し、問題はありませんでした。');
    expect((await secretariat.post(`${link}/review`, { decision: 'accept' })).status).toBe(303);

    // The council closes it when satisfied; it leaves the dashboard.
    expect((await secretariat.post(`${link}/council`, { decision: 'close' })).status).toBe(303);
    expect(await (await secretariat.get('/c/sakura/followups')).text()).not.toContain('再委託先の管理状況を次回報告してください。');
    // A report item with a request stays on the agenda.
    expect((await secretariat.post(`${path}/items/${item}/remove`, {})).status).toBe(400);
  });

  it('creates the next meeting from 次回開催日程 — numbered after this one, or 1 in a new fiscal year — and moves it while planned', async () => {
    const path = await newMeeting('2027-11-08');
    const seq = Number(/令和9年度第(\d+)回/.exec(await (await secretariat.get(path)).text())![1]);
    const early = await secretariat.post(`${path}/items/frame-next/next`, { nextDate: '2027-11-01', nextStartTime: '10:00', nextVenue: '市長公室' });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('次回の開催日は、この会議(令和9年11月8日(月))より後にしてください。');

    expect((await secretariat.post(`${path}/items/frame-next/next`, { nextDate: '2027-12-13', nextStartTime: '10:00', nextVenue: '市長公室' })).status).toBe(
      303,
    );
    const page = await (await secretariat.get(path)).text();
    const next = /href="(\/c\/sakura\/meetings\/[A-Za-z0-9_-]+)">次回の会議<\/a>/.exec(page)?.[1];
    expect(next).toBeDefined();
    let nextPage = await (await secretariat.get(next!)).text();
    expect(nextPage).toContain(`令和9年度第${seq + 1}回さくら市個人情報保護審議会`);
    expect(nextPage).toContain('令和9年12月13日(月) 10:00〜');
    expect(nextPage).toContain('<dt>状態</dt><dd>開催予定</dd>');

    // A new date moves that meeting (members told), and no second meeting is made.
    const before = (await secretariat.get('/c/sakura/meetings')).text();
    expect((await secretariat.post(`${path}/items/frame-next/next`, { nextDate: '2027-12-20', nextStartTime: '14:00', nextVenue: '市長公室' })).status).toBe(
      303,
    );
    nextPage = await (await secretariat.get(next!)).text();
    expect(nextPage).toContain('令和9年12月20日(月) 14:00〜');
    expect((await (await secretariat.get('/c/sakura/meetings')).text()).split('さくら市個人情報保護審議会</a>').length).toBe(
      (await before).split('さくら市個人情報保護審議会</a>').length,
    );
    const told = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('開催日時等の変更') && m.body.text.includes('令和9年12月20日'));
    expect(told).toHaveLength(6);

    // From the last meeting of a fiscal year, the next is the new year's 第1回.
    const march = await newMeeting('2028-03-13');
    expect((await secretariat.post(`${march}/items/frame-next/next`, { nextDate: '2028-04-10', nextStartTime: '10:00', nextVenue: '市長公室' })).status).toBe(
      303,
    );
    const april = /href="(\/c\/sakura\/meetings\/[A-Za-z0-9_-]+)">次回の会議<\/a>/.exec(await (await secretariat.get(march)).text())?.[1];
    expect(await (await secretariat.get(april!)).text()).toContain('令和10年度第1回さくら市個人情報保護審議会');
  });
});
