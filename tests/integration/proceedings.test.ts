import { describe, expect, it } from 'vitest';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, unescapeHtml, useLocalStack } from '../support/local-stack.ts';
import { exportedMinutesHtml, invitedViceChair } from '../support/meetings.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const member = asUser(base, 'm-maeda');
const chair = asUser(base, 'm-kobayashi');
const ROSTER = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
const PRESENT = ROSTER.filter((id) => id !== 'm-kobayashi');

describe('a meeting recorded as it ran: the roll, the vice-chair presiding, Q&A typed during the meeting, the minutes', () => {
  let meetingPath = '';
  let cases: string[] = [];
  let items: string[] = [];
  let tanabe: ReturnType<typeof asUser>;

  it('takes the roll — the chair absent, one member late — and the vice-chair presides; a late arrival without a time changes nothing', async () => {
    cases = [await acceptedCase(base, '介護保険システムのクラウド化'), await acceptedCase(base, '生活保護システムの更新')];
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    meetingPath = (
      await secretariat.post('/c/sakura/meetings', {
        requestId: inputValue(form, 'requestId'),
        kind: 'meeting',
        date: '2026-12-21',
        startTime: '14:00',
        endTime: '16:00',
        venue: '市役所5階特別会議室',
        publicObservation: 'yes',
      })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: cases.map((c) => c.split('/').pop()!) });
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議予定');
    items = [...(await (await secretariat.get(meetingPath)).text()).matchAll(/<li id="item-([^"]+)">/g)].map((m) => m[1]!);
    await secretariat.post(`${meetingPath}/open`, {});
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議中');

    const roll = (extra: Record<string, string>) => ({
      version: '0',
      presidingMemberId: '',
      openedAt: '14:00',
      closedAt: '15:30',
      ...Object.fromEntries(ROSTER.map((id) => [`roll.${id}.status`, id === 'm-kobayashi' ? 'absent' : id === 'm-koyama' ? 'late' : 'present'])),
      ...extra,
    });
    const refused = await secretariat.post(`${meetingPath}/roll`, roll({}));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('遅参・早退のときは時刻を入力してください。');
    expect(await (await secretariat.get(meetingPath)).text()).toContain('まだ記録していません');
    expect((await secretariat.post(`${meetingPath}/roll`, roll({ 'roll.m-koyama.time': '14:20' }))).status).toBe(303);
    expect((await member.post(`${meetingPath}/roll`, roll({ version: '1', 'roll.m-koyama.time': '14:20' }))).status).toBe(403);

    const page = await (await secretariat.get(meetingPath)).text();
    expect(page).toContain('<dt>議長</dt><dd>田辺 和夫(副会長)</dd>');
    expect(page).toContain('<dt>定足数</dt><dd>出席 5名/委員 6名(定足数に達しています)</dd>');
    expect(page).toContain('小林 千尋:欠席、田辺 和夫:出席、小山 宇一:遅参 14:20、前田 久美子:出席');
    // Each item's presence starts from the roll: the absent chair is not ticked.
    expect(page).not.toMatch(/name="present" value="m-kobayashi" checked/);
    expect(page).toMatch(/name="present" value="m-koyama" checked/);
  });

  it('lists the secretariat and explainers from the staff registry or typed, each once', async () => {
    expect((await secretariat.post(`${meetingPath}/attendees`, { role: 'explainer', userId: 'u-fukushi', title: '係長' })).status).toBe(303);
    const twice = await secretariat.post(`${meetingPath}/attendees`, { role: 'explainer', userId: 'u-fukushi', title: '係長' });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('長田 将夫さんは既に説明員に入っています(1人1回)。');
    expect((await secretariat.post(`${meetingPath}/attendees`, { role: 'explainer', name: '鈴木 宏昌', departmentId: 'shimin', title: '副参事' })).status).toBe(
      303,
    );
    expect((await secretariat.post(`${meetingPath}/attendees`, { role: 'secretariat', userId: 'u-secretariat' })).status).toBe(303);
    const page = await (await secretariat.get(meetingPath)).text();
    expect(page).toContain('<dt>説明員</dt><dd>長田 将夫(福祉部生活福祉課係長)、鈴木 宏昌(市民部市民課副参事)</dd>');
    expect(page).toContain('<dt>事務局</dt><dd>山下 潤(主査)</dd>');
  });

  it('keeps the Q&A typed during the meeting, row by row: a 事務局 question, an opinion without answer, a note, a row taken back', async () => {
    const record = `${meetingPath}/record`;
    expect((await member.get(record)).status).toBe(403);
    const save = (form: Record<string, string>) => secretariat.post(record, { itemId: items[0]!, ...form });
    expect((await save({ asker: 'm-miura', question: '委託先の選定理由を教えてください。', answerer: '説明員', answer: '導入実績によります。' })).status).toBe(
      303,
    );
    expect(
      (await save({ asker: '事務局', question: '更新後も同じデータセンターですか。', answerer: '説明員(生活福祉課)', answer: '同じデータセンターです。' }))
        .status,
    ).toBe(303);
    expect((await save({ asker: 'm-koyama', question: '鍵の管理を徹底していただきたい。' })).status).toBe(303);
    expect((await save({ kind: 'note', note: '資料3の差し替えあり。' })).status).toBe(303);
    const answerOnly = await save({ answerer: '説明員', answer: '回答だけ' });
    expect(answerOnly.status).toBe(400);
    expect(await answerOnly.text()).toContain('回答だけ');
    expect((await save({ asker: 'm-maeda', question: '間違えて入れた行' })).status).toBe(303);
    const page = await (await secretariat.get(record)).text();
    // The rows of the first item, in the order typed; the last is the mistaken one.
    const rowId = [...page.matchAll(/name="entryId" value="([^"]+)"/g)].map((m) => m[1]!).at(-1)!;
    expect(page).toContain('間違えて入れた行');
    expect((await save({ entryId: rowId, asker: 'm-maeda', question: '間違えて入れた行', delete: 'yes' })).status).toBe(303);
    const after = await (await secretariat.get(record)).text();
    expect(after).not.toContain('間違えて入れた行');
    expect(after).toContain('鍵の管理を徹底していただきたい。');
    expect(after).toContain('資料3の差し替えあり。');
  });

  it('lets the vice-chair presiding settle the wording on the chair’s page for this meeting; another member cannot', async () => {
    tanabe = await invitedViceChair(base, secretariat);
    const hands = await secretariat.post(`${meetingPath}/items/${items[0]}/decision`, {
      mode: 'all',
      present: PRESENT,
      conditions: 'データセンターの監査報告を毎年確認すること。',
      wording: 'chair',
    });
    expect(hands.status).toBe(303);
    // The presiding vice-chair is asked, as who they are, in a mail that says it was a meeting.
    const asked = (await sentMails(local.stack.urls.ses)).find(
      (m) => m.destination.to.includes('tanabe@members.sakura.example.jp') && m.subject.includes('条件の確定のお願い'),
    );
    expect(asked?.subject).toBe('【さくら市個人情報保護審議会】条件の確定のお願い:介護保険システムのクラウド化');
    expect(asked?.body.text).toContain('田辺 和夫 副会長(議長)');
    expect(asked?.body.text).toContain('付す条件・意見の文言は議長が確定することとされました。');
    expect(asked?.body.text).toContain('データセンターの監査報告を毎年確認すること。');
    const conditions = `${meetingPath}/items/${items[0]}/conditions`;
    expect((await member.get(conditions)).status).toBe(403);
    expect((await member.post(conditions, { conditions: '別の文言' })).status).toBe(403);
    // Their home page lists it; another member's does not.
    expect(await (await tanabe.get('/')).text()).toContain(`href="${conditions}"`);
    expect(await (await member.get('/')).text()).not.toContain(`href="${conditions}"`);
    const page = await (await tanabe.get(conditions)).text();
    expect(page).toContain('この文言で確定し、答申する');
    expect(page).toContain('データセンターの監査報告を毎年確認すること。');
    const settled = await tanabe.post(conditions, { conditions: 'データセンターの監査報告を毎年度確認し、審議会に報告すること。' });
    expect(settled.status).toBe(303);
    const meeting = await (await secretariat.get(meetingPath)).text();
    expect(meeting).toContain('<li>データセンターの監査報告を毎年度確認し、審議会に報告すること。</li>');
    expect((await tanabe.post(conditions, { conditions: 'もう一度' })).status).toBe(409);

    // The vice-chair approves this meeting's answer; another member may not.
    await waitFor(() => statusOf(secretariat, cases[0]!), '答申案の確認待ち');
    expect(await (await tanabe.get('/')).text()).toContain(`href="${cases[0]}/answer"`);
    expect(await (await member.get('/')).text()).not.toContain(`href="${cases[0]}/answer"`);
    const draft = await (await tanabe.get(`${cases[0]}/answer`)).text();
    expect(draft).toContain('答申案の確認と承認');
    expect((await member.post(`${cases[0]}/answer`, { issuedOn: '2026-12-21' })).status).toBe(403);
    expect(draft).toContain('会長 小林 千尋');
    expect((await tanabe.post(`${cases[0]}/answer`, { issuedOn: inputValue(draft, 'issuedOn') })).status).toBe(303);
    // The answer goes out signed by the acting chair who approved it, not in the absent chair's name.
    const signed = await (await secretariat.get(`${cases[0]}/answer`)).text();
    expect(signed).toContain('さくら市個人情報保護審議会<br>会長職務代理者 副会長 田辺 和夫');
    expect(signed).not.toContain('会長 小林 千尋');
    await secretariat.post(`${meetingPath}/items/${items[1]}/decision`, { mode: 'all', present: PRESENT });
    await waitFor(() => statusOf(secretariat, cases[1]!), '答申案の確認待ち');
    const second = await chair.get(`${cases[1]}/answer`);
    expect(second.status).toBe(200);
    // The chair approves the other one: it is signed 会長, as ever.
    expect((await chair.post(`${cases[1]}/answer`, { issuedOn: inputValue(await second.text(), 'issuedOn') })).status).toBe(303);
    expect(await (await secretariat.get(`${cases[1]}/answer`)).text()).toContain('さくら市個人情報保護審議会<br>会長 小林 千尋');
  });

  it('drafts the minutes from the roll and the record, and writes the lines as minutes do', async () => {
    const editor = await (await secretariat.get(`${meetingPath}/minutes`)).text();
    await secretariat.post(`${meetingPath}/minutes`, {
      ...Object.fromEntries([...editor.matchAll(/<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)])),
      version: inputValue(editor, 'version'),
      present: PRESENT,
      memberNaming: 'names',
      'items.0.qa.0.asker': 'm-miura',
      'items.0.qa.0.answerer': '説明員',
      'items.0.qa.1.asker': '事務局',
      'items.0.qa.1.answerer': '説明員(生活福祉課)',
      'items.0.qa.2.asker': 'm-koyama',
      'items.0.qa.2.answerer': '',
      nextMeeting: '',
      materialsNote: 'セキュリティ上の情報を含む',
    });
    const html = await exportedMinutesHtml(secretariat, meetingPath);
    const paragraphs = [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => unescapeHtml(m[1]!));
    const at = paragraphs.indexOf('〇三浦委員 委託先の選定理由を教えてください。');
    expect(paragraphs.slice(at, at + 5)).toEqual([
      '〇三浦委員 委託先の選定理由を教えてください。',
      '〇説明員 導入実績によります。',
      '〇事務局 更新後も同じデータセンターですか。',
      '〇説明員(生活福祉課) 同じデータセンターです。',
      '〇小山委員 鍵の管理を徹底していただきたい。',
    ]);
    expect(paragraphs[at + 5]).toMatch(/^\(全員挙手\)審議の結果、「条件付き可」とされた。/);
    expect(paragraphs).toContain('会議資料は、セキュリティ上の情報を含むため非公開とする。');
    expect(paragraphs.join('\n')).toContain('会長欠席のため、田辺副会長が議長を務めた。');
    expect(html).toContain('委員:田辺 和夫副会長、小山 宇一委員(遅参 14:20)、前田 久美子委員、増田 径子委員、三浦 詩子委員');
    expect(html).toContain('説明員:長田 将夫(福祉部生活福祉課係長)、鈴木 宏昌(市民部市民課副参事)');
    expect(html).toContain('<th scope="row">欠席者</th><td>小林 千尋会長</td>');
    expect(html).toContain('14:00〜15:30');
  });

  it('finalises the minutes only with the confirmation ticked', async () => {
    const refused = await secretariat.post(`${meetingPath}/minutes/final`, {});
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('内容を確認したことにチェックを入れてください');
    expect(await (await secretariat.get(`${meetingPath}/minutes`)).text()).toContain('作成中');
    expect((await secretariat.post(`${meetingPath}/minutes/final`, { confirm: 'yes' })).status).toBe(303);
    expect(await (await secretariat.get(`${meetingPath}/minutes`)).text()).toContain('確定(第');
  });
});
