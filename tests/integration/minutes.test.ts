import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const member = asUser(base, 'm-maeda');
const EVERYONE = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];

/** Starts an export through the page and follows it (as the self-refreshing page does) until the file is ready. */
async function exportMinutes(meetingPath: string, format: string, edition: string): Promise<Buffer> {
  const started = await secretariat.post(`${meetingPath}/minutes/exports`, { format, edition });
  expect(started.status).toBe(303);
  const statusPath = started.headers.get('location')!;
  let page = '';
  for (let i = 0; i < 200; i++) {
    page = await (await secretariat.get(statusPath)).text();
    if (!page.includes('http-equiv="refresh"')) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(page).toContain('完了しました(100%)');
  const link = /<a class="button" href="([^"]+)">/.exec(page)![1]!.replaceAll('&amp;', '&');
  const file = await fetch(link);
  expect(file.status).toBe(200);
  return Buffer.from(await file.arrayBuffer());
}

describe('minutes written in the system and exported', () => {
  let meetingPath = '';

  it('prefills the draft from the meeting: attendees, explainers, decisions and votes', async () => {
    const cases = [await acceptedCase(base, '図書館システムのクラウド化'), await acceptedCase(base, '市民課窓口予約システム')];
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    meetingPath = (
      await secretariat.post('/c/sakura/meetings', {
        requestId: inputValue(form, 'requestId'),
        kind: 'meeting',
        date: '2026-12-14',
        startTime: '10:00',
        endTime: '11:20',
        venue: '市役所5階特別会議室',
        publicObservation: 'yes',
      })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: cases.map((c) => c.split('/').pop()!) });
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議予定');
    const items = [...(await (await secretariat.get(meetingPath)).text()).matchAll(/<li id="item-([^"]+)">/g)].map((m) => m[1]!);
    await secretariat.post(`${meetingPath}/items/${items[0]}`, { explainers: '教育部図書館 河内' });
    await secretariat.post(`${meetingPath}/open`, {});
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議中');
    await secretariat.post(`${meetingPath}/items/${items[0]}/decision`, { mode: 'all', present: EVERYONE.slice(0, 5) });
    await secretariat.post(`${meetingPath}/items/${items[1]}/decision`, {
      mode: 'all',
      present: EVERYONE.slice(0, 5),
      conditions: '予約データは1年で削除すること。',
    });

    const page = await (await secretariat.get(`${meetingPath}/minutes`)).text();
    expect(page).toContain('(全員挙手)審議の結果、「可」とされた。');
    expect(page).toContain('付された条件:\n(1)予約データは1年で削除すること。');
    expect(page).toContain('教育部図書館 河内');
    expect(page).not.toMatch(/value="m-miura" checked/);
    expect(page).toMatch(/value="m-maeda" checked/);
  });

  it('saves edits, and refuses a second editor’s stale save while keeping their text', async () => {
    const page = await (await secretariat.get(`${meetingPath}/minutes`)).text();
    const version = inputValue(page, 'version');
    const edit = (extra: Record<string, string>) => ({
      version,
      present: EVERYONE.slice(0, 5),
      memberNaming: 'letters',
      opening: '会長が開会を宣言した。',
      'items.0.explanation': '説明員から資料1により説明した。',
      'items.0.qa.0.asker': 'm-koyama',
      'items.0.qa.0.question': 'クラウド事業者の所在地はどこですか。',
      'items.0.qa.0.answerer': '説明員',
      'items.0.qa.0.answer': '東京都内のデータセンターです。',
      'items.0.qa.1.asker': 'm-maeda',
      'items.0.qa.1.question': 'バックアップはどこに保管しますか。',
      'items.0.qa.1.answerer': '説明員',
      'items.0.qa.1.answer': '大阪の第二センター、ラック番号B-17に保管します。',
      'items.0.qa.1.nonPublic': 'security',
      'items.0.decision': '(全員挙手)審議の結果、「可」とされた。',
      'items.1.explanation': '説明員から資料2により説明した。',
      'items.1.decision': '(全員挙手)審議の結果、「条件付き可」とされた。\n付された条件:\n(1)予約データは1年で削除すること。',
      closing: '閉会した。',
      ...extra,
    });
    expect((await secretariat.post(`${meetingPath}/minutes`, edit({}))).status).toBe(303);
    const stale = await secretariat.post(`${meetingPath}/minutes`, edit({ closing: '別の編集者の閉会の記録' }));
    expect(stale.status).toBe(409);
    const kept = await stale.text();
    expect(kept).toContain('他の方が先に会議録を保存');
    expect(kept).toContain('別の編集者の閉会の記録');
    const saved = await (await secretariat.get(`${meetingPath}/minutes`)).text();
    expect(saved).toContain('バックアップはどこに保管しますか。');
    expect(saved).not.toContain('別の編集者の閉会の記録');
  });

  it('exports a Word file in the background, with progress, that leaves non-public text out of the published edition', async () => {
    const published = await exportMinutes(meetingPath, 'docx', 'published');
    const xml = await (await JSZip.loadAsync(published)).file('word/document.xml')!.async('string');
    expect(xml).toContain('図書館システムのクラウド化');
    expect(xml).toContain('予約データは1年で削除すること。');
    expect(xml).toContain('〇Ａ委員 クラウド事業者の所在地はどこですか。');
    expect(xml).not.toContain('B-17');
    expect(xml).toContain('セキュリティ上の情報を含むため、この部分は公開しません。');

    const internal = await exportMinutes(meetingPath, 'docx', 'internal');
    expect(await (await JSZip.loadAsync(internal)).file('word/document.xml')!.async('string')).toContain('ラック番号B-17');
  });

  it('exports HTML for the website and a CSV that keeps Japanese through a round trip', async () => {
    const page = (await exportMinutes(meetingPath, 'html', 'published')).toString('utf8');
    expect(page).toContain('<h1>');
    expect(page).not.toContain('B-17');
    const csv = await exportMinutes(meetingPath, 'csv', 'published');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('議題,諮問番号,件名,所管課,審議の結果,条件番号,条件');
    expect(lines.some((l) => l.endsWith(',条件付き可,1,予約データは1年で削除すること。'))).toBe(true);
  });

  it('makes the minutes final, mails the members, and allows no further edits', async () => {
    expect((await secretariat.post(`${meetingPath}/minutes/final`, { confirm: 'yes' })).status).toBe(303);
    const mails = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('会議録の確定'));
    expect(mails).toHaveLength(6);
    const page = await (await member.get(`${meetingPath}/minutes`)).text();
    expect(page).toContain('確定(第');
    expect(page).not.toContain('name="opening"');
    expect((await secretariat.post(`${meetingPath}/minutes`, { version: '99', opening: 'x' })).status).toBe(409);
  });
});
