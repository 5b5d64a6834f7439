import { describe, expect, it } from 'vitest';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, unescapeHtml, useLocalStack } from '../support/local-stack.ts';
import { exportedMinutesHtml, invitedViceChair } from '../support/meetings.ts';

/**
 * A replay of a real meeting: 令和4年度第2回調布市個人情報保護審査会 (shared seeds,
 * chofu-council-minutes-2022-2.txt), driven end to end through the pages as the clerk's browser
 * would. The demo council stands in for Chofu's: its vice-chair 田辺 presides for the absent chair;
 * 三浦・小山・増田・前田 are the members present. The year moves to the demo clock's (令和9年).
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const member = asUser(base, 'm-maeda');
const ROSTER = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
const PRESENT = ROSTER.filter((id) => id !== 'm-kobayashi');

/** The nine consultations of the day, in the minutes' order; (6)〜(8) are one bundle. */
const CASES: { title: string; dept: string; businesses?: string[] }[] = [
  { title: 'グループウェアシステムに関する事務', dept: 'u-shimin' },
  { title: '住民基本台帳事務 他3件', dept: 'u-shimin', businesses: ['住民基本台帳事務', '戸籍事務', '印鑑登録事務', '住居表示事務'] },
  { title: '介護保険関係事務 他4件', dept: 'u-fukushi' },
  { title: '公金等支払事務及び源泉徴収票等調書提出事務', dept: 'u-fukushi' },
  { title: '図書館資料貸出し等事務 他12件', dept: 'u-shimin' },
  { title: '個人住民税課税事務', dept: 'u-shimin' },
  { title: '市税収納管理事務・市税滞納整理事務', dept: 'u-shimin' },
  { title: '住民基本台帳事務', dept: 'u-shimin' },
  { title: '子育て世帯生活支援特別給付金支給事務', dept: 'u-fukushi' },
];
const REPORT = '個人情報を含むデータの取扱いに関する注意喚起について';

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What a browser would post from the form whose action is `action`: its inputs (ticked boxes
 * only), textareas and the selected option of each select, as the page shows them.
 */
function formValues(page: string, action: string): Record<string, string | string[]> {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const values: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const had = values[name];
    values[name] = had === undefined ? value : [had, value].flat();
  };
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === '_csrf') continue;
    const type = /type="([^"]+)"/.exec(attrs)?.[1] ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !/\schecked/.test(attrs)) continue;
    add(name, unescapeHtml(/value="([^"]*)"/.exec(attrs)?.[1] ?? (type === 'checkbox' ? 'on' : '')));
  }
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) add(m[1]!, unescapeHtml(m[2]!.replace(/^\n/, '')));
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2]!) ?? /<option value="([^"]*)"/.exec(m[2]!);
    add(m[1]!, unescapeHtml(selected?.[1] ?? ''));
  }
  return values;
}

/** The id of the agenda item whose heading contains `title`. */
function itemIdOf(page: string, title: string): string {
  const m = new RegExp(`<li id="(?:item|line)-([A-Za-z0-9_-]+)"><h3[^>]*>[^<]*${reEscape(title)}`).exec(page);
  if (!m) throw new Error(`no agenda item 「${title}」 on the page`);
  return m[1]!;
}

/** The 会議次第 as a reader sees it: the agenda list's headings and item headings, in order, tags stripped. */
function outline(page: string): string[] {
  const list = page.slice(page.indexOf('<ol class="agenda">'), page.indexOf('</ol>\n', page.lastIndexOf('<ol class="agenda">')));
  return [...list.matchAll(/<span class="agenda-heading">([^<]*)<\/span>|<h3 id="[^"]+-heading">([^<]*)/g)].map((m) => unescapeHtml(m[1] ?? m[2] ?? '').trim());
}

describe('the Chofu meeting (令和4年度第2回調布市個人情報保護審査会) replayed through the pages', () => {
  let cases: string[] = [];
  let meetingPath = '';
  let agenda = '';
  const item: Record<string, string> = {};
  let tanabe: ReturnType<typeof asUser>;

  it('takes nine consultations in and sets the agenda: (1)〜(9) with (6)〜(8) bundled, a report, the next meeting', async () => {
    cases = await Promise.all(
      CASES.map((c) =>
        acceptedCase(base, c.title, c.dept, Object.fromEntries((c.businesses ?? [c.title]).flatMap((name, i) => [[`businesses.${i}.name`, name]]))),
      ),
    );
    // A case naming four 事務 is listed as 「住民基本台帳事務 他3件」, each 事務 linking to its history.
    const several = await (await secretariat.get(cases[1]!)).text();
    for (const name of CASES[1]!.businesses!) expect(several).toMatch(new RegExp(`<a href="/c/sakura/[^"]+">${name}</a>`));

    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', {
      requestId: inputValue(form, 'requestId'),
      kind: 'meeting',
      date: '2027-07-12',
      startTime: '10:00',
      endTime: '11:20',
      venue: '市役所5階市長公室',
      publicObservation: 'yes',
    });
    expect(created.status).toBe(303);
    meetingPath = created.headers.get('location')!.replace(/\?.*$/, '');
    // The first meeting of the year in this system, but the council's 第2回: the number is set.
    const page = await (await secretariat.get(meetingPath)).text();
    expect(page).toContain('令和9年度第1回さくら市個人情報保護審議会');
    const change = formValues(page, `${meetingPath}/change`);
    expect((await secretariat.post(`${meetingPath}/change`, { ...change, seq: '2' })).status).toBe(303);

    const idOf = (p: string) => p.split('/').pop()!;
    const add = (ids: string[], bundle = 'separate') => secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: ids, bundle });
    expect((await add(cases.slice(0, 5).map(idOf))).status).toBe(303);
    expect((await add(cases.slice(5, 8).map(idOf), 'bundle')).status).toBe(303);
    expect((await add([idOf(cases[8]!)])).status).toBe(303);
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議予定');
    expect((await secretariat.post(`${meetingPath}/items`, { kind: 'report', title: REPORT })).status).toBe(303);
    // Chofu's agenda had no 諮問書授受.
    expect((await secretariat.post(`${meetingPath}/items/frame-handover/remove`, {})).status).toBe(303);
    // 次回開催日程: 令和4年10月13日(木) 10時 市長公室, moved to the demo year.
    const next = await secretariat.post(`${meetingPath}/items/frame-next/next`, { nextDate: '2027-10-14', nextStartTime: '10:00', nextVenue: '市長公室' });
    expect(next.status).toBe(303);

    agenda = await (await secretariat.get(meetingPath)).text();
    expect(agenda).toContain('令和9年度第2回さくら市個人情報保護審議会');
    expect(outline(agenda)).toEqual([
      '1 開会',
      '2 議事 個人情報を取り扱う事務について(諮問)',
      ...CASES.slice(0, 5).map((c, i) => `(${i + 1}) ${c.title}`),
      '(6)〜(8) 個人住民税課税事務 他2件',
      '(9) 子育て世帯生活支援特別給付金支給事務',
      '3 報告',
      `(1) ${REPORT}`,
      '4 次回開催日程',
      '5 閉会',
    ]);
    // Each case of the bundle keeps its own number under the one heading.
    for (const n of [6, 7, 8])
      expect(agenda).toMatch(new RegExp(`<li>\\(${n}\\) <a href="${reEscape(cases[n - 1]!)}">[^<]*${reEscape(CASES[n - 1]!.title)}</a>`));
    for (const [i, c] of CASES.entries()) if (i < 5 || i === 8) item[`(${i + 1})`] = itemIdOf(agenda, c.title);
    item['(6)-(8)'] = itemIdOf(agenda, '個人住民税課税事務');
    item.report = itemIdOf(agenda, REPORT);
  }, 60_000);

  it('opens the meeting, takes the roll — the chair absent, the vice-chair presiding — and lists explainers and the secretariat once each', async () => {
    expect((await secretariat.post(`${meetingPath}/open`, {})).status).toBe(303);
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議中');
    const roll = await secretariat.post(`${meetingPath}/roll`, {
      version: '0',
      presidingMemberId: '',
      openedAt: '10:00',
      closedAt: '11:20',
      ...Object.fromEntries(ROSTER.map((id) => [`roll.${id}.status`, id === 'm-kobayashi' ? 'absent' : 'present'])),
    });
    expect(roll.status).toBe(303);
    const explainers: Record<string, string>[] = [
      { name: '鈴木 宏昌', departmentId: 'shimin', title: '副参事' },
      { userId: 'u-shimin', title: '第一市民係長' },
      { userId: 'u-fukushi', title: '介護給付係長' },
      { name: '小林 邦裕', departmentId: 'shimin', title: '市民税課長補佐' },
      { name: '服部 聖治', departmentId: 'fukushi', title: '子ども家庭課長' },
    ];
    for (const e of explainers) expect((await secretariat.post(`${meetingPath}/attendees`, { role: 'explainer', ...e })).status).toBe(303);
    // 倉持 explains (2) and (8): she is listed once.
    expect((await secretariat.post(`${meetingPath}/attendees`, { role: 'explainer', userId: 'u-shimin', title: '第一市民係長' })).status).toBe(400);
    expect((await secretariat.post(`${meetingPath}/attendees`, { role: 'secretariat', name: '今井 隆二', title: '総務部長' })).status).toBe(303);
    expect((await secretariat.post(`${meetingPath}/attendees`, { role: 'secretariat', userId: 'u-secretariat' })).status).toBe(303);

    const page = await (await secretariat.get(meetingPath)).text();
    expect(page).toContain('<dt>議長</dt><dd>田辺 和夫(副会長)</dd>');
    expect(page).toContain('小林 千尋:欠席');
    expect(page).not.toMatch(/name="present" value="m-kobayashi" checked/);
  });

  it('keeps the Q&A typed on the record page while the meeting runs', async () => {
    const record = `${meetingPath}/record`;
    const row = async (itemId: string, form: Record<string, string>) =>
      expect((await secretariat.post(record, { itemId, kind: 'qa', ...form })).status).toBe(303);
    // (4) 公金等支払事務: 三浦委員 and 小山委員 ask, the explainer answers.
    await row(item['(4)']!, {
      asker: 'm-miura',
      question: 'オンライン結合する相手先をジャパンシステム株式会社に選ばれた理由を教えてください。',
      answerer: '説明員',
      answer: '財務会計システムは同社のパッケージを使用しており、同社が契約しているデータセンターが理にかなっていると考えています。',
    });
    await row(item['(4)']!, {
      asker: 'm-koyama',
      question: 'オンライン結合する相手先のジャパンシステム株式会社の規模はどのくらいですか。',
      answerer: '説明員',
      answer: '財務会計システムでは、都内の多くの自治体で導入実績があります。',
    });
    // (5) 図書館: 小山委員's opinion, with no answer.
    await row(item['(5)']!, {
      asker: 'm-koyama',
      question: 'その管理では不十分ですね。保管している箇所の管理をしっかりしていただきたいと考えます。',
    });
    // (6)〜(8): the secretariat asks, the explainer answers.
    await row(item['(6)-(8)']!, {
      asker: '事務局',
      question: 'オンライン申請をするときに、マイナンバーカードがあればコンビニで証明書等が発行できるというお知らせはでますか。',
      answerer: '説明員',
      answer: 'ぴったりサービスについては表示するように調整しております。',
    });
    // The report: the presiding vice-chair asks the secretariat; 三浦委員 asks, デジタル行政推進課 answers.
    await row(item.report!, {
      asker: 'm-tanabe',
      question: 'USBの持ち出しは、どういう場合にどれくらいの頻度で行われるのですか。',
      answerer: '事務局',
      answer: '業者とのデータのやり取りにセキュリティUSBメモリーを使い、持ち出しの記録を取っています。',
    });
    await row(item.report!, {
      asker: 'm-miura',
      question: '再委託について、調布市はその辺りの管理がきちんとできていますか。',
      answerer: 'other',
      answererOther: '説明員(デジタル行政推進課)',
      answer: '再委託先には、ISMS認証等の客観的な認証を受けた事業者を利用するよう伝えています。',
    });
    const page = await (await secretariat.get(record)).text();
    // The record's headings number the items as the 会議次第 does: the bundle (6)〜(8), then (9).
    expect([...page.matchAll(/<h2 id="h-[^"]+">([^<]*)<\/h2>/g)].map((m) => unescapeHtml(m[1]!))).toEqual([
      '開会',
      ...CASES.slice(0, 5).map((c, i) => `議事(${i + 1}) ${c.title}`),
      '議事(6)〜(8) 個人住民税課税事務 他2件',
      `議事(9) ${CASES[8]!.title}`,
      REPORT,
      '次回開催日程',
      '閉会',
    ]);
    expect(page).toContain('ジャパンシステム株式会社に選ばれた理由');
    expect(page).toContain('ISMS認証等の客観的な認証');
  });

  it('takes 全員挙手 on every item; the vice-chair presiding, not the absent chair, is asked to settle the opinion on (5), settles it and approves the answers', async () => {
    tanabe = await invitedViceChair(base, secretariat);
    // (5) carries an opinion whose wording the presiding officer settles.
    const five = await secretariat.post(`${meetingPath}/items/${item['(5)']}/decision`, {
      mode: 'all',
      present: PRESENT,
      opinions: '貸出申請書を保管する棚の鍵の管理を徹底すること。',
      wording: 'chair',
    });
    expect(five.status).toBe(303);
    const rest = await secretariat.post(`${meetingPath}/decisions`, { present: PRESENT });
    expect(rest.status).toBe(303);

    const conditions = `${meetingPath}/items/${item['(5)']}/conditions`;
    // The presiding vice-chair is asked, not the absent chair; an ordinary member may not settle it.
    const asked = (await sentMails(local.stack.urls.ses)).filter(
      (m) => m.subject.includes('図書館資料貸出し等事務 他12件') && m.subject.includes('確定のお願い'),
    );
    expect(asked.map((m) => m.destination.to)).toEqual([['tanabe@members.sakura.example.jp']]);
    expect(await (await tanabe.get('/')).text()).toContain(`href="${conditions}"`);
    expect((await member.post(conditions, { opinions: '委員の文言' })).status).toBe(403);
    const settled = await tanabe.post(conditions, {
      ...formValues(await (await tanabe.get(conditions)).text(), conditions),
      opinions: '貸出申請書を保管する棚の鍵は、管理者の許可を得て使用する等、管理を徹底すること。',
    });
    expect(settled.status).toBe(303);

    for (const c of cases) {
      await waitFor(() => statusOf(secretariat, c), '答申案の確認待ち');
      expect((await member.post(`${c}/answer`, { issuedOn: '2027-07-12' })).status).toBe(403);
      const draft = await (await tanabe.get(`${c}/answer`)).text();
      expect((await tanabe.post(`${c}/answer`, { issuedOn: inputValue(draft, 'issuedOn') })).status).toBe(303);
    }
    const answered = await (await secretariat.get(`${cases[4]}/answer`)).text();
    // The case's record names the vice-chair as who settled the decision's wording and approved the answer.
    const trail = await (await secretariat.get(cases[4]!)).text();
    expect(trail).toContain('<td>田辺 和夫(委員)</td><td>審議の結果:可(意見付き)</td>');
    expect(trail).toContain('<td>田辺 和夫(委員)</td><td>答申を承認</td>');
    // A show of hands the clerk recorded is theirs, by name.
    expect(await (await secretariat.get(cases[0]!)).text()).toContain('<td>山下 潤(総務課 情報公開係)(事務局)</td><td>審議の結果:可</td>');
    expect(answered).toContain('令和9年7月12日');
    expect(answered).toContain('貸出申請書を保管する棚の鍵は、管理者の許可を得て使用する等、管理を徹底すること。');
  }, 60_000);

  it('drafts minutes shaped like the real ones, finalised with confirmation; the next meeting exists as planned', async () => {
    const editor = await (await secretariat.get(`${meetingPath}/minutes`)).text();
    const saved = await secretariat.post(`${meetingPath}/minutes`, formValues(editor, `${meetingPath}/minutes`));
    expect(saved.status).toBe(303);

    const html = await exportedMinutesHtml(secretariat, meetingPath);
    // The 会議経過 as a reader sees it: headings and paragraphs in order.
    const paragraphs = [...html.matchAll(/<(?:h3|p)>([^<]*)<\/(?:h3|p)>/g)].map((m) => unescapeHtml(m[1]!));
    const text = paragraphs.join('\n');
    // 出席者: the vice-chair first, then the members in kana order (as the real minutes: 小山, 前村, 増田, 三浦); explainers once each with titles; the secretariat.
    expect(html).toContain('委員:田辺 和夫副会長、小山 宇一委員、前田 久美子委員、増田 径子委員、三浦 詩子委員');
    expect(html).toContain('<th scope="row">欠席者</th><td>小林 千尋会長</td>');
    const attendance = /<th scope="row">出席者<\/th><td>([^<]*)<\/td>/.exec(html)![1]!;
    expect(attendance.split('\n').map((l) => l.split(':')[0])).toEqual(['委員', '説明員', '事務局']);
    const explainerLine = /説明員:([^<]+)/.exec(html)![1]!;
    expect(explainerLine).toContain('鈴木 宏昌(市民部市民課副参事)');
    expect(explainerLine).toContain('倉持 美土子(市民部市民課第一市民係長)');
    expect(explainerLine.split('倉持 美土子')).toHaveLength(2);
    expect(html).toContain('事務局:今井 隆二(総務部長)、山下 潤(主査)');
    expect(text).toContain('会長欠席のため、田辺副会長が議長を務めた。');
    expect(html).toContain('10:00〜11:20');

    // The items numbered (1)〜(9); (6)(7)(8) keep their numbers in the 会議次第 and are deliberated under one heading and one vote.
    const order = unescapeHtml(/<th scope="row">会議次第<\/th><td>([^<]*)<\/td>/.exec(html)![1]!);
    for (const [i, c] of CASES.entries()) expect(order).toContain(`(${i + 1}) ${c.title}\n`);
    expect(order).toContain('(6)〜(8) 個人住民税課税事務 他2件(一括諮問)');
    expect(order).toMatch(/3 報告\n +\(1\) 個人情報を含むデータの取扱いに関する注意喚起について\n4 次回開催日程\n5 閉会$/);
    const headings = paragraphs.filter((p) => p.startsWith('議事('));
    expect(headings).toEqual([
      ...CASES.slice(0, 5).map((c, i) => `議事(${i + 1}) ${c.title}`),
      '議事(6)〜(8) 個人住民税課税事務 他2件',
      `議事(9) ${CASES[8]!.title}`,
    ]);
    expect(text.match(/\(全員挙手\)/g)).toHaveLength(7);
    const six = text.indexOf('議事(6)〜(8)');
    const nine = text.indexOf('議事(9)');
    expect(text.slice(six, nine).match(/\(全員挙手\)/g)).toHaveLength(1);
    for (const [i, c] of CASES.slice(5, 8).entries())
      expect(text.slice(six, nine)).toMatch(new RegExp(`^.${i + 6}. 令和8年度諮問第\\d+号 ${reEscape(c.title)}.市民部 市民課.$`, 'm'));

    // Speakers as minutes write them; the opinion has no empty answer line.
    const at = paragraphs.indexOf('〇三浦委員 オンライン結合する相手先をジャパンシステム株式会社に選ばれた理由を教えてください。');
    expect(at).toBeGreaterThan(-1);
    expect(paragraphs[at + 1]).toMatch(/^〇説明員 財務会計システムは/);
    expect(paragraphs[at + 2]).toBe('〇小山委員 オンライン結合する相手先のジャパンシステム株式会社の規模はどのくらいですか。');
    const opinion = paragraphs.indexOf('〇小山委員 その管理では不十分ですね。保管している箇所の管理をしっかりしていただきたいと考えます。');
    expect(opinion).toBeGreaterThan(-1);
    expect(paragraphs[opinion + 1]).not.toMatch(/^〇説明員/);
    expect(paragraphs).not.toContain('〇説明員');
    expect(paragraphs).not.toContain('〇説明員 ');
    expect(text).toContain('〇事務局 オンライン申請をするときに、マイナンバーカードがあればコンビニで証明書等が発行できるというお知らせはでますか。');
    expect(text).not.toMatch(/〇\S+ \S+委員 /);

    // The report with its Q&A.
    const report = text.indexOf(REPORT, nine);
    expect(report).toBeGreaterThan(nine);
    expect(text.indexOf('〇田辺副会長 USBの持ち出しは', report)).toBeGreaterThan(report);
    expect(text.indexOf('〇事務局 業者とのデータのやり取り', report)).toBeGreaterThan(report);
    expect(text.indexOf('〇説明員(デジタル行政推進課) 再委託先には', report)).toBeGreaterThan(report);
    // The next meeting's date.
    expect(paragraphs).toContain('次回は、令和9年10月14日(木) 10:00から、市長公室で開催する予定である。');

    // Finalised only with the confirmation ticked.
    expect((await secretariat.post(`${meetingPath}/minutes/final`, {})).status).toBe(400);
    expect((await secretariat.post(`${meetingPath}/minutes/final`, { confirm: 'yes' })).status).toBe(303);
    expect(await (await secretariat.get(`${meetingPath}/minutes`)).text()).toContain('確定(第');

    // The next meeting exists, planned, numbered after this one.
    const nextPath = /href="(\/c\/sakura\/meetings\/[A-Za-z0-9_-]+)">次回の会議<\/a>/.exec(await (await secretariat.get(meetingPath)).text())![1]!;
    const next = await (await secretariat.get(nextPath)).text();
    expect(next).toContain('令和9年度第3回さくら市個人情報保護審議会');
    expect(next).toContain('令和9年10月14日(木) 10:00〜');
    expect(next).toContain('<dt>状態</dt><dd>開催予定</dd>');
    // Chofu counted it as 第4回 (a written decision came between): the clerk sets the number.
    expect((await secretariat.post(`${nextPath}/change`, { ...formValues(next, `${nextPath}/change`), seq: '4' })).status).toBe(303);
    expect(await (await secretariat.get(nextPath)).text()).toContain('令和9年度第4回さくら市個人情報保護審議会');
  }, 60_000);
});
