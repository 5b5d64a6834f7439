import { describe, expect, it } from 'vitest';
import { formatEraDate } from '#shared/domain/era.ts';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { decodeCsv, parseCsv } from '#shared/domain/history-import.ts';
import { asUser, inputValue, type StoredMail, sentMails, unescapeHtml, useLocalStack } from '../support/local-stack.ts';

/**
 * Done when (issue #16): record an incident with its 速報/確報 deadlines reminded and its measures
 * followed up to closure — on the local stack, through the pages, the mails and the daily job.
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const shimin = asUser(base, 'u-shimin');
const fukushi = asUser(base, 'u-fukushi');
const owner = asUser(base);

// The pages check dates against today, so the incident is dated from the real day.
const today = tokyoDate(new Date());
const foundOn = addDays(today, -1);
const occurredOn = addDays(today, -2);
const era = (d: string) => formatEraDate(d, { weekday: false });

const FORM = {
  title: 'USBメモリの紛失<script>alert(1)</script>',
  departmentId: 'shimin',
  kind: 'loss',
  occurredOn,
  foundOn,
  overview: '課税資料を保存したUSBメモリを、職員が庁外への移動中に紛失した。',
  affectedCount: '1234',
  dataItems: '氏名、住所、生年月日、課税額',
  sensitive: 'no',
  vendor: '',
  unlawfulPurpose: 'no',
  cause: '記録媒体の持ち出し手続が守られていなかった。',
  secondaryDamage: 'none',
};

/** The daily job's unit for the council, as functions/jobs.ts runs it, at a chosen moment. */
async function runDailyJob(day: string) {
  const { createDeps } = await import('#shared/adapters/deps.ts');
  const { runFollowUpClock } = await import('#shared/use-cases/followups.ts');
  const { runIncidentClock } = await import('#shared/use-cases/incidents.ts');
  const deps = { ...createDeps(), clock: { now: () => new Date(`${day}T09:00:00+09:00`) } };
  return { ...(await runFollowUpClock(deps, 'sakura')), ...(await runIncidentClock(deps, 'sakura')) };
}

const incidentMails = async () => (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('漏えい等事案:'));
const tokenIn = (mail: StoredMail) => /\/f\/([A-Za-z0-9_.-]+)/.exec(mail.body.text)![1]!;

async function uploadEvidence(token: string, fileName: string, content: string) {
  const page = await (await owner.get(`/f/${token}`)).text();
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page)![1]!;
  const form = new FormData();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, m[2]!.replaceAll('&amp;', '&'));
  form.append('file', new Blob([content]), fileName);
  const stored = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  return fetch(stored.headers.get('location')!, { redirect: 'manual' });
}

describe('漏えい等事案:速報・確報の期限の督促から再発防止策の完了まで', () => {
  let path = '';

  it('所管課の誤った入力は欄の横に示し、何も記録しない', async () => {
    const requestId = inputValue(await (await shimin.get('/c/sakura/incidents/new')).text(), 'requestId');
    const bad = await shimin.post('/c/sakura/incidents', { ...FORM, requestId, title: '', affectedCount: '多数', occurredOn: foundOn, foundOn: occurredOn });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('<p class="field-error" id="f-title-error">件名を入力してください。</p>');
    expect(page).toContain('<p class="field-error" id="f-affectedCount-error">対象となった本人の数は0以上の整数で入力してください。</p>');
    expect(page).toContain('<p class="field-error" id="f-foundOn-error">覚知日は発生日と同じ日か、それより後にしてください。</p>');
    // Another department's incident cannot be recorded by this one.
    const other = await shimin.post('/c/sakura/incidents', { ...FORM, requestId, departmentId: 'fukushi' });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('自分の課の事案だけを記録できます。');
    expect(await (await secretariat.get('/c/sakura/incidents?show=all')).text()).toContain('記録された事案はありません。');
  });

  it('所管課が事案を記録すると、覚知日から速報(概ね3〜5日)と確報(30日)の期限が示される', async () => {
    const requestId = inputValue(await (await shimin.get('/c/sakura/incidents/new')).text(), 'requestId');
    const created = await shimin.post('/c/sakura/incidents', { ...FORM, requestId });
    expect(created.status).toBe(303);
    path = created.headers.get('location')!.replace(/\?.*$/, '');
    // The same form posted again (a double click) records nothing more; another department cannot reuse its id.
    const again = await shimin.post('/c/sakura/incidents', { ...FORM, requestId });
    expect(again.headers.get('location')!.replace(/\?.*$/, '')).toBe(path);
    expect((await fukushi.post('/c/sakura/incidents', { ...FORM, requestId, departmentId: 'fukushi' })).status).toBe(409);
    expect([...(await (await secretariat.get('/c/sakura/incidents')).text()).matchAll(/<tr><td>/g)]).toHaveLength(1);
    const page = await (await shimin.get(path)).text();
    expect(page).toContain('USBメモリの紛失&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    expect(unescapeHtml(page)).toContain(`${formatEraDate(addDays(foundOn, 5))}まで(覚知から概ね3〜5日以内)`);
    expect(unescapeHtml(page)).toContain(`${formatEraDate(addDays(foundOn, 30))}まで(覚知から30日以内)`);
    expect(page).toContain('事案を記録');
    // The secretariat sees it; another department does not.
    expect(await (await secretariat.get('/c/sakura/incidents')).text()).toContain(path);
    expect((await fukushi.get(path)).status).toBe(404);
    expect(await (await fukushi.get('/c/sakura/incidents')).text()).not.toContain(path);
    // The home pages of the secretariat and of 市民課 say the 速報 is owed, and by when; 福祉課's does not.
    for (const who of [secretariat, shimin]) {
      const home = await (await who.get('/')).text();
      expect(home).toContain('<a href="#w-incidents">個人情報保護委員会への報告を待つ漏えい等事案:1件</a>');
      expect(home).toContain(
        `<a href="${path}">USBメモリの紛失&lt;script&gt;alert(1)&lt;/script&gt;</a> <span class="muted">(速報・期限 ${era(addDays(foundOn, 5))})</span>`,
      );
      expect(home).not.toContain('<script>alert(1)');
    }
    expect(await (await fukushi.get('/')).text()).not.toContain('w-incidents');
  });

  it('編集は版を確かめ、不正の目的のおそれで確報の期限が60日になり、履歴に残る', async () => {
    const edit = await (await shimin.get(`${path}/edit`)).text();
    const version = inputValue(edit, 'version');
    expect((await shimin.post(`${path}/save`, { ...FORM, unlawfulPurpose: 'yes', version })).status).toBe(303);
    const stale = await shimin.post(`${path}/save`, { ...FORM, cause: '古い版からの変更', version });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('他の方が先に更新したか');
    const page = unescapeHtml(await (await shimin.get(path)).text());
    expect(page).toContain(`${formatEraDate(addDays(foundOn, 60))}まで(覚知から60日以内(不正の目的によるおそれがあるため))`);
    expect(page).toContain('変更:不正の目的によるおそれ(なし → あり)');
    expect(page).toContain('倉持 美土子(市民課)(所管課)');
    expect(page).not.toContain('古い版からの変更');
  });

  it('日次のジョブが期限の2日前と当日に所管課へ督促し、超過すると所属長と事務局へ知らせる(各1回)', async () => {
    const due = addDays(foundOn, 5);
    expect(await runDailyJob(addDays(due, -3))).toMatchObject({ incidentReminders: 0, incidentEscalations: 0 });
    expect(await runDailyJob(addDays(due, -2))).toMatchObject({ incidentReminders: 1, incidentEscalations: 0 });
    expect(await runDailyJob(addDays(due, -1))).toMatchObject({ incidentReminders: 0, incidentEscalations: 0 });
    expect(await runDailyJob(due)).toMatchObject({ incidentReminders: 1, incidentEscalations: 0 });
    expect(await runDailyJob(due)).toMatchObject({ incidentReminders: 0, incidentEscalations: 0 });
    expect(await runDailyJob(addDays(due, 1))).toMatchObject({ incidentReminders: 0, incidentEscalations: 1 });
    expect(await runDailyJob(addDays(due, 2))).toMatchObject({ incidentReminders: 0, incidentEscalations: 0 });

    const mails = await incidentMails();
    expect(mails.map((m) => [m.destination.to, m.subject.replace(/^【[^】]+】/, '').replace(/[((]漏えい等事案:.*$/, '')])).toEqual([
      [['shimin@city.sakura.example.jp'], '速報の期限が近づいています'],
      [['shimin@city.sakura.example.jp'], '本日が速報の期限です'],
      // One escalation, to the manager and (a copy) to the secretariat: the mailer sends each its own.
      [['shimin-kacho@city.sakura.example.jp'], '期限超過:速報が提出されていません'],
      [['joho-koukai@city.sakura.example.jp'], '期限超過:速報が提出されていません'],
    ]);
    expect(mails[2]!.body.text).toContain('市民部 市民課 所属長 様');
    expect(mails[2]!.body.text).toContain(`${era(due)}`);
    expect(mails[2]!.body.text).toContain(path);
    // The list shows the overdue report; it is run on the real day here, so the page is read as of the job's day through the use case.
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { listIncidents } = await import('#shared/use-cases/incidents.ts');
    const { incidentsPage } = await import('#templates/pages/incidents.ts');
    const principal = { userId: 'u-secretariat', name: '山下', role: 'secretariat' as const, councilId: 'sakura' };
    const late = incidentsPage(
      await listIncidents({ ...createDeps(), clock: { now: () => new Date(`${addDays(due, 1)}T09:00:00+09:00`) } }, principal, 'sakura'),
    );
    expect(late).toContain('<tr class="overdue-row">');
    expect(late).toContain('<strong class="overdue">期限超過・未提出</strong>');
  });

  it('速報と確報の提出日、本人への通知を記録する', async () => {
    const early = await shimin.post(`${path}/report`, { report: 'preliminary', submittedOn: addDays(foundOn, -1) });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('<p class="field-error" id="f-report-submittedOn-error">提出日は覚知日より後の日にしてください。</p>');
    expect((await shimin.post(`${path}/report`, { report: 'final', submittedOn: today })).status).toBe(400);
    expect((await shimin.post(`${path}/report`, { report: 'preliminary', submittedOn: today })).status).toBe(303);
    // Recorded once: a second 速報 is refused.
    const again = await shimin.post(`${path}/report`, { report: 'preliminary', submittedOn: today });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('この報告の提出日は既に記録されています。');
    expect((await shimin.post(`${path}/report`, { report: 'final', submittedOn: today })).status).toBe(303);

    const missing = await shimin.post(`${path}/notice`, { notified: 'no', reason: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('<p class="field-error" id="f-notice-reason-error">通知しない理由を入力してください。</p>');
    expect((await shimin.post(`${path}/notice`, { notified: 'yes', notifiedOn: today, method: '郵送', count: '1234' })).status).toBe(303);

    const page = unescapeHtml(await (await shimin.get(path)).text());
    expect(page).toContain(`${era(today)}に提出`);
    expect(page).toContain(`${formatEraDate(today)}に郵送により1,234人に通知しました。`);
    expect(page).toContain('状態:<span class="status">対応中</span>');
    // Submitted reports are not reminded any more, late or not.
    expect(await runDailyJob(addDays(foundOn, 70))).toMatchObject({ incidentReminders: 0, incidentEscalations: 0 });
    // Both reports in: no home page lists it as waiting any more.
    for (const who of [secretariat, shimin]) expect(await (await who.get('/')).text()).not.toContain('w-incidents');

    // The list, as shown, in a CSV file Excel reads as UTF-8: every fact, the deadlines beside the days the reports went in.
    const list = await (await secretariat.get('/c/sakura/incidents?show=all')).text();
    expect(list).toContain('<a href="/c/sakura/incidents.csv?show=all">この一覧をCSV(Excel)で保存</a>');
    const csv = await secretariat.get('/c/sakura/incidents.csv?show=all');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(decodeURIComponent(csv.headers.get('content-disposition')!)).toBe(
      `attachment; filename*=UTF-8''さくら市個人情報保護審議会_漏えい等事案一覧(すべて)_${today}.csv`,
    );
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = parseCsv(decodeCsv(bytes)!);
    if (!('records' in parsed)) throw new Error('the CSV does not parse');
    const [header, ...rows] = parsed.records.map((r) => r.fields);
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header!.map((h, k) => [h, rows[0]![k]]));
    expect(row).toMatchObject({
      覚知日: foundOn,
      件名: FORM.title,
      所管課: '市民部 市民課',
      種類: '滅失',
      不正の目的のおそれ: 'あり',
      本人の数: '1234',
      速報の期限: addDays(foundOn, 5),
      速報の提出日: today,
      // 60 days: the edit above found an unlawful purpose suspected.
      確報の期限: addDays(foundOn, 60),
      確報の提出日: today,
      本人への通知: `${today} 郵送により1234人に通知`,
      状態: '対応中',
    });
    // A department gets its own only: 福祉課's file has the header and nothing else.
    const theirs = parseCsv(decodeCsv(new Uint8Array(await (await fukushi.get('/c/sakura/incidents.csv?show=all')).arrayBuffer()))!);
    expect('records' in theirs && theirs.records).toHaveLength(1);
    expect((await asUser(base, 'm-maeda').get('/c/sakura/incidents.csv')).status).toBe(403);
  });

  it('事務局が「次回の会議で報告」とすると、次回の会議の次第に報告の議題として入る', async () => {
    const none = await secretariat.post(`${path}/council`, {});
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('開催予定の会議がありません。');
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    for (const [date, venue] of [
      [addDays(today, 40), '第2委員会室'],
      [addDays(today, 14), '特別会議室'],
    ] as const) {
      const made = await secretariat.post('/c/sakura/meetings', {
        requestId: `${inputValue(form, 'requestId')}${venue.length}`,
        kind: 'meeting',
        date,
        startTime: '10:00',
        venue,
        publicObservation: 'yes',
      });
      expect(made.status).toBe(303);
    }
    expect((await shimin.post(`${path}/council`, {})).status).toBe(403);
    expect((await secretariat.post(`${path}/council`, {})).status).toBe(303);
    expect((await secretariat.post(`${path}/council`, {})).status).toBe(409);

    const page = await (await secretariat.get(path)).text();
    const meeting = /<a href="(\/c\/sakura\/meetings\/[^"#]+)#line-[^"]+">([^<]+)<\/a>/.exec(page)!;
    expect(meeting[2]).toMatch(/^令和\d+年度第\d+回さくら市個人情報保護審議会$/);
    expect(unescapeHtml(page)).toContain(`(${formatEraDate(addDays(today, 14))})で報告`);
    const agenda = unescapeHtml(await (await secretariat.get(meeting[1]!)).text());
    expect(agenda).toContain('漏えい等事案について(市民部 市民課)');
    expect(agenda).toContain('件名:USBメモリの紛失<script>alert(1)</script>');
    expect(agenda).toContain('対象となった本人の数:1234人(要配慮個人情報を含まない)');
  });

  it('再発防止策2件を所管課が資料付きで報告し、事務局が完了とすると、事案が完了する', async () => {
    const bad = await shimin.post(`${path}/measure`, { text: '', due: addDays(today, 30) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<p class="field-error" id="f-measure-text-error">再発防止策の内容を入力してください。</p>');
    const measures = ['記録媒体の持ち出しを許可制にし、台帳で管理する。', '全職員に個人情報の取扱いの研修を行う。'];
    for (const text of measures) expect((await shimin.post(`${path}/measure`, { text, due: addDays(today, 30) })).status).toBe(303);
    const requests = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('再発防止策の実施報告のお願い'));
    expect(requests).toHaveLength(2);
    for (const m of requests) expect(m.destination.to).toEqual(['shimin@city.sakura.example.jp']);

    const page = await (await secretariat.get(path)).text();
    // Several forms on one page: every id once.
    const ids = [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const fuPaths = [...page.matchAll(/<a href="([^"]+\/followups\/[^"]+)">/g)].map((m) => m[1]!);
    expect(fuPaths).toHaveLength(2);
    for (const [k, text] of measures.entries()) {
      const mail = requests.find((m) => m.body.text.includes(text))!;
      expect(mail.body.text).toContain('漏えい等事案の次の再発防止策について');
      const token = tokenIn(mail);
      expect((await uploadEvidence(token, `実施記録${k + 1}.pdf`, `%PDF-1.5\n実施記録${k + 1}\n`)).status).toBe(303);
      expect((await owner.post(`/f/${token}`, { answeredBy: '市民課 倉持', text: `${text}を実施しました。` })).status).toBe(303);
    }
    const answered = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('再発防止策の実施報告が届きました'));
    expect(answered.map((m) => m.destination.to)).toEqual([['joho-koukai@city.sakura.example.jp'], ['joho-koukai@city.sakura.example.jp']]);
    for (const [k, fuPath] of fuPaths.entries()) {
      const fu = await (await secretariat.get(fuPath)).text();
      expect(fu).toContain('← 漏えい等事案へ戻る');
      expect(fu).toContain('<title>再発防止策の実施確認:');
      expect(fu).toContain(`実施記録${k + 1}.pdf`);
      expect((await secretariat.post(`${fuPath}/review`, { decision: 'accept' })).status).toBe(303);
      expect((await secretariat.post(`${fuPath}/council`, { decision: 'close' })).status).toBe(303);
      const state = await (await shimin.get(path)).text();
      expect(state).toContain(k === 0 ? '状態:<span class="status">対応中</span>' : '状態:<span class="status">完了</span>');
    }
    const closed = unescapeHtml(await (await shimin.get(path)).text());
    expect(closed).toContain('完了(確報の提出と再発防止策 2件の完了を確認)');
    expect(closed).not.toContain('再発防止策を追加する');
    expect(await (await shimin.get('/c/sakura/incidents?show=closed')).text()).toContain(path);
    expect(await (await shimin.get('/c/sakura/incidents')).text()).not.toContain(path);
  });
});
