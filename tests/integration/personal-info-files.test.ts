import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { asUser, inputValue, sentMails, unescapeHtml, useLocalStack } from '../support/local-stack.ts';
import { businessForm, fileForm, setLegalBasis as setBasis } from '../support/personal-info-files.ts';

/**
 * 個人情報ファイル簿 on the local stack, through the pages: departments register their files,
 * change one and abolish one; a department never sees or touches another's; the secretariat
 * reports the fiscal year's starts, changes and abolitions onto a meeting's agenda, and exports
 * the public register (HTML and CSV) with exactly the files in force.
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const citizens = asUser(base, 'u-shimin');
const welfare = asUser(base, 'u-fukushi');
const member = asUser(base, 'm-maeda');

const setLegalBasis = (basis: 'act2023' | 'ordinance') => setBasis(local.stack.tableName, 'sakura', basis);

/** Registers a file as `who`; returns its page's path. */
async function register(who: ReturnType<typeof asUser>, form: Record<string, string>) {
  const created = await who.post('/c/sakura/files', form);
  expect(created.status, await created.clone().text()).toBe(303);
  return created.headers.get('location')!.replace(/\?.*$/, '');
}

const text = async (res: Response) => unescapeHtml(await res.text());
const versionOn = async (who: ReturnType<typeof asUser>, path: string) => inputValue(await (await who.get(`${path}/edit`)).text(), 'version');

async function newMeeting(date: string) {
  const form = await (await secretariat.get('/c/sakura/meetings')).text();
  const created = await secretariat.post('/c/sakura/meetings', {
    requestId: inputValue(form, 'requestId'),
    kind: 'meeting',
    date,
    startTime: '14:00',
    venue: '市役所 第2会議室',
    publicObservation: 'yes',
  });
  expect(created.status).toBe(303);
  return created.headers.get('location')!.replace(/\?.*$/, '');
}

describe('個人情報ファイル簿', () => {
  it('is kept by each department, reported for the year onto a meeting’s agenda and published with exactly the files in force', async () => {
    await setLegalBasis('act2023');

    // A department registers: a refused form shows the error beside its field and registers nothing.
    const refused = await citizens.post('/c/sakura/files', { ...fileForm({ headcount: '999' }), startedOn: '2025-05-01' });
    expect(refused.status).toBe(400);
    const refusedPage = await text(refused);
    expect(refusedPage).toMatch(/id="f-headcount-error">本人の数が1,000人未満のファイルは/);
    expect(refusedPage).toContain('value="住民基本台帳ファイル"');
    expect(await text(await citizens.get('/c/sakura/files'))).toContain('まだ登録されていません。');

    const a = await register(citizens, { ...fileForm(), startedOn: '2025-05-01' });
    const b = await register(citizens, { ...fileForm({ name: '印鑑登録ファイル', headcount: '80000' }), startedOn: '2020-04-01' });
    const c = await register(welfare, { ...fileForm({ name: '生活保護ファイル', sensitive: 'yes', headcount: '3000' }), startedOn: '2018-04-01' });
    const d = await register(welfare, { ...fileForm({ name: '児童手当ファイル', headcount: '15000' }), startedOn: '2019-04-01' });
    const page = await text(await citizens.get(a));
    expect(page).toContain('<dt>個人情報ファイルの名称</dt><dd class="pre">住民基本台帳ファイル</dd>');
    expect(page).toContain('123,456人');
    expect(page).toContain('<dt>所管課</dt><dd>市民部 市民課</dd>');

    // A change: from the version the form showed, with its 変更日; the history says what changed.
    const version = await versionOn(citizens, b);
    const changed = await citizens.post(b, { ...fileForm({ name: '印鑑登録ファイル', headcount: '81,000' }), changedOn: '2025-07-01', version });
    expect(changed.status).toBe(303);
    const history = await text(await citizens.get(b));
    expect(history).toMatch(
      /<td>2<\/td><td>変更<\/td><td class="nowrap">令和7年7月1日<\/td>\s*<td><ul><li>本人の数:<span class="pre">80,000人<\/span> → <span class="pre">81,000人<\/span><\/li><\/ul><\/td>/,
    );
    expect(history).toContain('倉持 美土子(市民課)');
    // The same version again is someone else's stale form: 409, nothing changed.
    const stale = await citizens.post(b, { ...fileForm({ name: '印鑑登録ファイル', headcount: '90000' }), changedOn: '2025-08-01', version });
    expect(stale.status).toBe(409);
    expect(await text(stale)).toContain('他の方が先にこのファイルの内容を更新しました。');
    const unchanged = await citizens.post(b, {
      ...fileForm({ name: '印鑑登録ファイル', headcount: '81000' }),
      changedOn: '2025-08-01',
      version: await versionOn(citizens, b),
    });
    expect(unchanged.status).toBe(400);
    expect(await text(unchanged)).toContain('変更された項目がありません。');
    expect(await text(await citizens.get(b))).not.toContain('90,000人');

    // 廃止: with its day and reason; no more changes after it.
    const abolished = await welfare.post(`${c}/abolish`, { abolishedOn: '2025-09-30', reason: '国の標準準拠システムへ移行したため', version: '1' });
    expect(abolished.status).toBe(303);
    const abolishedPage = await text(await welfare.get(c));
    expect(abolishedPage).toContain('廃止(令和7年9月30日)');
    expect(abolishedPage).not.toContain('内容を変更する');
    expect((await welfare.get(`${c}/edit`)).status).toBe(400);
    expect((await welfare.post(c, { ...fileForm({ name: '生活保護ファイル' }), changedOn: '2025-10-01', version: '2' })).status).toBe(400);

    // A department sees and touches only its own files.
    const welfareList = await text(await welfare.get('/c/sakura/files'));
    expect(welfareList).toContain('児童手当ファイル');
    expect(welfareList).not.toContain('住民基本台帳ファイル');
    expect((await welfare.get(a)).status).toBe(404);
    expect((await welfare.get(`${a}/edit`)).status).toBe(404);
    expect((await welfare.post(a, { ...fileForm({ name: '書き換え' }), changedOn: '2025-10-01', version: '1' })).status).toBe(404);
    expect((await welfare.post(`${a}/abolish`, { abolishedOn: '2025-10-01', reason: '勝手に', version: '1' })).status).toBe(404);
    expect(await text(await citizens.get(a))).not.toContain('書き換え');
    expect((await welfare.get('/c/sakura/files/register.csv')).status).toBe(403);
    expect((await member.get('/c/sakura/files')).status).toBe(403);

    // The secretariat sees every department's files.
    const all = await text(await secretariat.get('/c/sakura/files'));
    for (const name of ['住民基本台帳ファイル', '印鑑登録ファイル', '生活保護ファイル', '児童手当ファイル']) expect(all).toContain(name);
    const narrowed = await text(await secretariat.get('/c/sakura/files?department=shimin'));
    expect(narrowed).toContain('印鑑登録ファイル');
    expect(narrowed).not.toContain('児童手当ファイル');

    // The yearly report onto a planned meeting's agenda, as a 報告 with the list in its details.
    const meeting = await newMeeting('2026-05-20');
    const meetingId = meeting.split('/').pop()!;
    const reported = await secretariat.post('/c/sakura/files/report', { periodKind: 'fiscal', year: '2025', meetingId });
    expect(reported.status).toBe(303);
    expect(reported.headers.get('location')).toContain('notice=reported');
    let meetingPage = await text(await secretariat.get(meeting));
    const title = '個人情報ファイル簿の作成等の状況について(令和7年度)';
    expect(meetingPage).toContain(title);
    expect(meetingPage).toMatch(/報告[\s\S]*\(1\) 個人情報ファイル簿の作成等の状況について\(令和7年度\)/);
    expect(meetingPage).toContain('作成 1件、変更 1件、廃止 1件');
    expect(meetingPage).toContain('・令和7年5月1日 市民部 市民課 住民基本台帳ファイル');
    expect(meetingPage).toContain('・令和7年7月1日 市民部 市民課 印鑑登録ファイル(変更した項目:本人の数)');
    expect(meetingPage).toContain('・令和7年9月30日 福祉部 生活福祉課 生活保護ファイル(理由:国の標準準拠システムへ移行したため)');
    expect(meetingPage).not.toContain('児童手当ファイル');

    // Regenerating for the same period updates the item rather than adding another.
    const dv = await versionOn(welfare, d);
    expect((await welfare.post(d, { ...fileForm({ name: '児童手当ファイル', headcount: '16000' }), changedOn: '2026-02-01', version: dv })).status).toBe(303);
    const again = await secretariat.post('/c/sakura/files/report', { periodKind: 'fiscal', year: '2025', meetingId });
    expect(again.headers.get('location')).toContain('notice=updated');
    meetingPage = await text(await secretariat.get(meeting));
    expect(meetingPage).toContain('作成 1件、変更 2件、廃止 1件');
    expect(meetingPage).toContain('・令和8年2月1日 福祉部 生活福祉課 児童手当ファイル(変更した項目:本人の数)');
    const itemHeadings = [...meetingPage.matchAll(/<h3 id="[^"]+-heading">[^<]*個人情報ファイル簿の作成等の状況について/g)];
    expect(itemHeadings).toHaveLength(1);
    // The 会議次第 mailed to the members lists it as a report.
    expect((await secretariat.post(`${meeting}/mail`, {})).status).toBe(303);
    const mailed = (await sentMails(local.stack.urls.ses)).filter((m) => m.body.text.includes(title));
    expect(mailed.length).toBeGreaterThan(0);
    expect(mailed[0]!.body.text).toMatch(/・3 報告\n\s+・\(1\) 個人情報ファイル簿の作成等の状況について\(令和7年度\)/);
    // At the meeting, the record page takes its Q&A as for any item.
    const record = await secretariat.get(`${meeting}/record`);
    expect(record.status).toBe(200);
    expect(await text(record)).toContain(title);
    // A meeting that is not planned, or no meeting, is refused beside the field.
    const noMeeting = await secretariat.post('/c/sakura/files/report', { periodKind: 'fiscal', year: '2025', meetingId: 'nope' });
    expect(noMeeting.status).toBe(400);
    expect(await text(noMeeting)).toContain('報告する会議を選んでください。');

    // The public register: exactly the files in force, no internal ids.
    const csv = await secretariat.get('/c/sakura/files/register.csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString('utf8').slice(1)) as string[][];
    expect(rows[0]!.slice(0, 3)).toEqual(['個人情報ファイルの名称', '所管課', '行政機関等の名称']);
    expect(rows[0]).toContain('本人の数');
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['児童手当ファイル', '住民基本台帳ファイル', '印鑑登録ファイル'].sort());
    const registerRow = rows.find((r) => r[0] === '印鑑登録ファイル')!;
    expect(registerRow[rows[0]!.indexOf('本人の数')]).toBe('81,000人');
    expect(registerRow[rows[0]!.indexOf('記録項目')]).toBe('氏名\n生年月日\n性別\n住所');
    expect(registerRow[rows[0]!.indexOf('変更日')]).toBe('令和7年7月1日');

    const htmlExport = await secretariat.get('/c/sakura/files/register.html');
    expect(htmlExport.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const publicPage = unescapeHtml(Buffer.from(await htmlExport.arrayBuffer()).toString('utf8'));
    expect(publicPage).toContain('<h1>さくら市 個人情報ファイル簿</h1>');
    expect(publicPage).toContain('(3件)');
    for (const name of ['住民基本台帳ファイル', '印鑑登録ファイル', '児童手当ファイル']) expect(publicPage).toContain(name);
    expect(publicPage).not.toContain('生活保護ファイル');
    for (const path of [a, b, c, d]) expect(publicPage).not.toContain(path.split('/').pop()!);
  });

  it('takes the old fields and names of 業務届出 for a council under its ordinance', async () => {
    await setLegalBasis('ordinance');
    const form = await text(await citizens.get('/c/sakura/files/new'));
    expect(form).toContain('<h1>個人情報取扱事務の登録</h1>');
    for (const label of ['事務の名称', '対象者の範囲', '本人外収集の有無', 'オンライン結合の有無', '委託の有無', '開始日']) expect(form).toContain(label);
    expect(form).not.toContain('本人の数');
    const refused = await citizens.post('/c/sakura/files', { ...businessForm({ outsourcing: '' }), startedOn: '2015-04-01' });
    expect(refused.status).toBe(400);
    expect(await text(refused)).toMatch(/id="f-outsourcing-error">委託の有無を選んでください。/);
    const path = await register(citizens, { ...businessForm(), startedOn: '2015-04-01' });
    const page = await text(await citizens.get(path));
    expect(page).toContain('<dt>事務の名称</dt><dd class="pre">生活保護事務</dd>');
    expect(page).toContain('<dt>委託の有無</dt><dd class="pre">有</dd>');
    const list = await text(await secretariat.get('/c/sakura/files'));
    expect(list).toContain('<h1>業務届出(個人情報取扱事務登録簿)</h1>');
    // The public register of this variant lists only its entries, under the old name.
    const rows = parse(
      Buffer.from(await (await secretariat.get('/c/sakura/files/register.csv')).arrayBuffer())
        .toString('utf8')
        .slice(1),
    ) as string[][];
    expect(rows[0]).toContain('本人外収集の有無');
    expect(rows.slice(1).map((r) => r[0])).toEqual(['生活保護事務']);
  });
});
