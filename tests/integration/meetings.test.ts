import { describe, expect, it } from 'vitest';
import { fiscalYear, formatEraDate, formatFiscalYear } from '#shared/domain/era.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const welfare = asUser(base, 'u-fukushi');
const member = asUser(base, 'm-maeda');
const meetings = '/c/sakura/meetings';
const idOf = (path: string) => path.split('/').pop()!;
const fy = formatFiscalYear(fiscalYear(new Date()), new Date());
/** The first meeting's day: the answers it decides are dated on it. */
const meetingDate = '2026-12-14';

describe('meetings, agenda and decisions moving cases to their answers', () => {
  let cases: string[] = [];
  let meetingPath = '';

  it('creates a meeting, explaining what is missing first', async () => {
    cases = [
      await acceptedCase(base, 'グループウェアシステムに関する事務'),
      await acceptedCase(base, '住民基本台帳事務'),
      await acceptedCase(base, '印鑑登録事務'),
    ];
    const form = await (await secretariat.get(meetings)).text();
    const requestId = inputValue(form, 'requestId');
    const bad = await secretariat.post(meetings, {
      requestId,
      kind: 'meeting',
      date: '2026-12-14',
      startTime: '10:00',
      venue: '',
      publicObservation: 'no',
      closedReason: '',
    });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('開催場所を入力してください。');
    expect(page).toContain('傍聴できない場合は、その理由を入力してください。');
    expect(page).toContain('value="2026-12-14"');

    const ok = await secretariat.post(meetings, {
      requestId,
      kind: 'meeting',
      date: '2026-12-14',
      startTime: '10:00',
      endTime: '11:20',
      venue: '市役所5階特別会議室',
      publicObservation: 'yes',
    });
    expect(ok.status).toBe(303);
    meetingPath = ok.headers.get('location')!.replace(/\?.*$/, '');
    const view = await (await secretariat.get(meetingPath)).text();
    expect(view).toContain(`<h1>${formatFiscalYear(2026, '2026-12-14')}第1回さくら市個人情報保護審議会</h1>`);
    expect(view).toContain('令和8年12月14日(月) 10:00〜11:20(2026年12月14日)');
  });

  it('puts one case alone and two as one bundled item on the agenda', async () => {
    expect((await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [idOf(cases[0]!)], bundle: 'separate' })).status).toBe(303);
    expect(
      (
        await secretariat.post(`${meetingPath}/items`, {
          kind: 'deliberation',
          consultationIds: [idOf(cases[1]!), idOf(cases[2]!)],
          bundle: 'bundle',
          bundleTitle: '住民基本台帳事務 他1件',
        })
      ).status,
    ).toBe(303);
    expect((await secretariat.post(`${meetingPath}/items`, { kind: 'report', title: '令和7年度 業務届出の件数について' })).status).toBe(303);
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議予定');
    const view = await (await secretariat.get(meetingPath)).text();
    expect(view).toContain('(1) グループウェアシステムに関する事務');
    // Each item is a heading of the 会議次第.
    // Each case of a bundle keeps its own number under the one vote: (2)〜(3).
    expect(view).toMatch(/<h3 id="item-[^"]+-heading">\(2\)〜\(3\) 住民基本台帳事務 他1件 <span class="status">一括諮問<\/span><\/h3>/);
    expect(view).toMatch(
      /<span class="agenda-heading">4 報告<\/span>\n<ol class="items"><li id="line-[^"]+"><h3 id="line-[^"]+-heading">\(1\) 令和7年度 業務届出の件数について<\/h3>/,
    );
    // A case cannot go on a second agenda.
    expect((await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [idOf(cases[0]!)] })).status).toBe(409);
  });

  it('reorders items and records explainers', async () => {
    const view = await (await secretariat.get(meetingPath)).text();
    const firstItem = /<li id="item-([^"]+)"><h3 id="item-[^"]+-heading">\(1\)/.exec(view)![1]!;
    expect((await secretariat.post(`${meetingPath}/items/${firstItem}`, { move: 'down', explainers: '総務部デジタル行政推進課長 星野' })).status).toBe(303);
    const after = await (await secretariat.get(meetingPath)).text();
    expect(after).toContain('(1)〜(2) 住民基本台帳事務 他1件');
    expect(after).toContain('(3) グループウェアシステムに関する事務');
    expect(after).toContain('説明員:総務部デジタル行政推進課長 星野');
  });

  it('sets one explainer on several items in one step, refusing an empty choice or an item of another meeting', async () => {
    const view = await (await secretariat.get(meetingPath)).text();
    const items = [...view.matchAll(/<li id="item-([^"]+)">/g)].map((m) => m[1]!);
    expect(items).toHaveLength(2);
    expect(view).toContain('<h2 id="bulk-explainers">説明員をまとめて設定する</h2>');

    const none = await secretariat.post(`${meetingPath}/explainers`, { explainers: '福祉部生活福祉課長 長田' });
    expect(none.status).toBe(400);
    const nonePage = await none.text();
    expect(nonePage).toContain('<li><a href="#f-bulk-itemIds">説明員を設定する議題を選んでください。</a></li>');
    expect(nonePage).toContain('value="福祉部生活福祉課長 長田"');
    const blank = await secretariat.post(`${meetingPath}/explainers`, { itemIds: items, explainers: ' ' });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain('<li><a href="#f-bulk-explainers">説明員を入力してください。</a></li>');
    const foreign = await secretariat.post(`${meetingPath}/explainers`, {
      itemIds: [items[0]!, 'another-meetings-item'],
      explainers: '福祉部生活福祉課長 長田',
    });
    expect(foreign.status).toBe(400);
    expect(await (await secretariat.get(meetingPath)).text()).not.toContain('説明員:福祉部生活福祉課長 長田');
    expect((await member.post(`${meetingPath}/explainers`, { itemIds: items, explainers: '委員が書いた' })).status).toBe(403);

    const done = await secretariat.post(`${meetingPath}/explainers`, { itemIds: items, explainers: '福祉部生活福祉課長 長田' });
    expect(done.status).toBe(303);
    const after = await (await secretariat.get(done.headers.get('location')!)).text();
    expect(after.match(/説明員:福祉部生活福祉課長 長田/g)).toHaveLength(2);
    expect(after).toContain('選んだ議題の説明員を設定しました。');
  });

  it('mails the agenda with material links to every member, and members can read it', async () => {
    expect((await secretariat.post(`${meetingPath}/mail`, {})).status).toBe(303);
    const mails = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('会議次第と資料のご案内'));
    expect(mails).toHaveLength(6);
    expect(mails[0]!.body.text).toContain(`${base()}${cases[1]}`);
    expect((await member.get(meetingPath)).status).toBe(200);
    expect((await member.get(cases[1]!)).status).toBe(200);
    expect((await welfare.get(meetingPath)).status).toBe(403);
  });

  it('opens deliberation, decides the bundle once for both cases, and carries the other over', async () => {
    expect((await secretariat.post(`${meetingPath}/open`, {})).status).toBe(303);
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議中');
    const view = await (await secretariat.get(meetingPath)).text();
    const [bundleItem, singleItem] = [...view.matchAll(/<li id="item-([^"]+)">/g)].map((m) => m[1]!);

    const everyone = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
    const missing = await secretariat.post(`${meetingPath}/items/${bundleItem}/decision`, { mode: 'each', present: everyone, 'vote.m-tanabe': 'approve' });
    expect(missing.status).toBe(400);
    const missingPage = await missing.text();
    // Ids are the item's own: the same form is on the page once per item.
    expect(missingPage).toContain(`<p class="field-error" id="f-item-${bundleItem}-vote-m-maeda-error">挙手の結果を選んでください。</p>`);
    expect(missingPage).toContain(`<li><a href="#f-item-${bundleItem}-vote-m-maeda">挙手の結果を選んでください。</a></li>`);
    expect(missingPage).toMatch(/<option value="approve" selected>可\(挙手\)<\/option>/);

    const conditions = 'クラウド事業者のISMS認証の更新を確認すること。\n障害時の連絡体制を運用規定に定めること。';
    // 全員挙手 of the five present (三浦委員 left before this item), with the chair's wording of the conditions.
    expect((await secretariat.post(`${meetingPath}/items/${bundleItem}/decision`, { mode: 'all', present: everyone.slice(0, 5), conditions })).status).toBe(
      303,
    );
    expect((await secretariat.post(`${meetingPath}/items/${bundleItem}/decision`, { mode: 'continue' })).status).toBe(409);
    expect((await secretariat.post(`${meetingPath}/items/${singleItem}/decision`, { mode: 'continue' })).status).toBe(303);

    // Each answer is drafted for review, dated on the meeting's day: the department sees nothing yet, and no answer is mailed.
    for (const c of [cases[1]!, cases[2]!]) await waitFor(() => statusOf(secretariat, c), '答申案の確認待ち');
    expect((await welfare.get(`${cases[1]}/answer`)).status).toBe(404);
    expect((await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('答申:'))).toEqual([]);
    const asked = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('答申案の確認のお願い'));
    expect(asked.map((m) => m.destination.to)).toEqual([['kobayashi@members.sakura.example.jp'], ['kobayashi@members.sakura.example.jp']]);
    expect(asked[0]!.body.text).toContain('小林 千尋 会長');
    const draft = await (await asUser(base, 'm-kobayashi').get(`${cases[1]}/answer`)).text();
    expect(draft).toContain('答申案の確認と承認');
    expect(inputValue(draft, 'issuedOn')).toBe(meetingDate);
    // The secretariat approves only on the chair's instruction, and never dated before the decision.
    const unconfirmed = await secretariat.post(`${cases[1]}/answer`, { issuedOn: meetingDate });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('会長の指示を受けたことを確認してください。');
    const early = await secretariat.post(`${cases[1]}/answer`, { issuedOn: '2026-01-05', onInstruction: 'yes' });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('答申日は審議の日');
    expect(await statusOf(secretariat, cases[1]!)).toBe('答申案の確認待ち');
    expect((await secretariat.post(`${cases[1]}/answer`, { issuedOn: meetingDate, onInstruction: 'yes' })).status).toBe(303);
    await approveAnswer(base, cases[2]!);
    for (const c of [cases[1]!, cases[2]!]) await waitFor(() => statusOf(secretariat, c), '条件の履行確認中');
    expect((await secretariat.post(`${cases[1]}/answer`, { issuedOn: meetingDate, onInstruction: 'yes' })).status).toBe(409);
    await waitFor(() => statusOf(secretariat, cases[0]!), '受付済み(日程調整待ち)');
    expect(await (await secretariat.get(meetingPath)).text()).toContain('<dt>状態</dt><dd>終了</dd>');

    for (const c of [cases[1]!, cases[2]!]) {
      const answer = await (await welfare.get(`${c}/answer`)).text();
      expect(answer).toContain('個人情報の取扱いについて(答申)');
      expect(answer).toContain('次の条件を付して、実施することを認める。');
      expect(answer).toContain('<li>クラウド事業者のISMS認証の更新を確認すること。</li><li>障害時の連絡体制を運用規定に定めること。</li>');
      expect(answer).toContain(`${fy}諮問第`);
      expect(answer).toContain('第1回さくら市個人情報保護審議会において審議した。');
      expect(answer).toContain('会長 小林 千尋');
    }
    // Numbered in the order approved, and dated on the meeting's day.
    expect(await (await welfare.get(`${cases[1]}/answer`)).text()).toContain(`さくら市個審第1号<br>${formatEraDate(meetingDate, { weekday: false })}`);
    expect(await (await welfare.get(`${cases[2]}/answer`)).text()).toContain('さくら市個審第2号');
    const answered = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('答申:'));
    expect(answered).toHaveLength(2);
    expect((await welfare.get(`${cases[0]}/answer`)).status).toBe(404);
  });

  it('decides the carried-over case at the next meeting member by member, by the council’s rules', async () => {
    const form = await (await secretariat.get(meetings)).text();
    const created = await secretariat.post(meetings, {
      requestId: inputValue(form, 'requestId'),
      kind: 'meeting',
      date: '2027-01-20',
      startTime: '14:00',
      venue: '第2会議室',
      publicObservation: 'no',
      closedReason: '契約前の事業者の情報を扱うため',
    });
    expect(created.status).toBe(303);
    const next = created.headers.get('location')!.replace(/\?.*$/, '');
    const page = await (await secretariat.get(next)).text();
    expect(page).toContain('第2回さくら市個人情報保護審議会');
    expect(page).toContain('不可(契約前の事業者の情報を扱うため)');
    expect((await secretariat.post(`${next}/items`, { kind: 'deliberation', consultationIds: [idOf(cases[0]!)] })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, cases[0]!), '審議予定');
    expect((await secretariat.post(`${next}/open`, {})).status).toBe(303);
    await waitFor(() => statusOf(secretariat, cases[0]!), '審議中');
    const item = /<li id="item-([^"]+)">/.exec(await (await secretariat.get(next)).text())![1]!;
    const hands = {
      'vote.m-kobayashi': 'approve',
      'vote.m-tanabe': 'approve',
      'vote.m-maeda': 'reject',
      'vote.m-koyama': 'approve',
      'vote.m-masuda': 'abstain',
      'vote.m-miura': 'recuse',
    };
    const everyone = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
    expect((await secretariat.post(`${next}/items/${item}/decision`, { mode: 'each', present: everyone, ...hands })).status).toBe(303);
    await approveAnswer(base, cases[0]!);
    await waitFor(() => statusOf(secretariat, cases[0]!), '完了');
    expect(await (await welfare.get(`${cases[0]}/answer`)).text()).toContain('諮問のとおり実施することを認める。');
  });
});
