import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ACTIONS } from '#shared/domain/council-archive.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { COUNCIL_GONE_LINK, COUNCIL_SUSPENDED_LINK } from '#shared/use-cases/links.ts';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, type StoredMail, sentMails, signIn, useLocalStack } from '../support/local-stack.ts';

/**
 * A council's life with the operator, on the local stack, in order: the secretariat's numbering
 * as a running series across 1 April, an invitation mail, the council suspended (its mailed links
 * refused), its archive (thousands of items) and its deletion.
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const department = asUser(base, 'u-fukushi');
const operator = asUser(base, 'u-operator');
const anyone = asUser(base);
const SETTINGS = '/c/sakura/settings';
const COUNCIL_NAME = 'さくら市個人情報保護審議会';
const SECRETARIAT: Principal = { userId: 'u-secretariat', name: '山下 潤', role: 'secretariat', councilId: 'sakura' };

const deps = async () => (await import('#shared/adapters/deps.ts')).createDeps();
const unescapeAmp = (s: string) => s.replaceAll('&amp;', '&');

/** A case submitted through the pages and waiting at screening; returns its id. */
async function caseInScreening(title: string): Promise<string> {
  const form = await (await department.get('/c/sakura/consultations/new')).text();
  const created = await department.post('/c/sakura/consultations', completeForm({ requestId: inputValue(form, 'requestId'), title, action: 'submit' }));
  expect(created.status).toBe(303);
  const path = created.headers.get('location')!.replace(/\?.*$/, '');
  await waitFor(() => statusOf(secretariat, path), '受付審査中');
  return path.split('/').pop()!;
}

async function settingsForm(overrides: Record<string, string>) {
  const page = await (await secretariat.get(SETTINGS)).text();
  return {
    name: COUNCIL_NAME,
    contact: '総務課 情報公開係',
    secretariatEmail: 'joho-koukai@city.sakura.example.jp',
    quorum: 'majority',
    chairBreaksTie: 'on',
    majority: 'cast',
    numbering: 'fiscal_year',
    conditionLibrary: '',
    mailSignature: '',
    senderName: 'さくら市 審議会事務局',
    senderAddress: '',
    replyTo: '',
    nextConsultationNumber: '',
    nextMeetingNumber: '',
    version: inputValue(page, 'version'),
    ...overrides,
  };
}

describe('numbering as one running series (通し番号), set on the settings page', () => {
  it('continues across 1 April instead of starting again at 第1号, and reads 諮問第N号 without the year', async () => {
    const bad = await secretariat.post(SETTINGS, await settingsForm({ numbering: 'weekly', majority: 'most' }));
    expect(bad.status).toBe(400);
    const refused = await bad.text();
    expect(refused).toContain('id="f-numbering-error">諮問番号の付け方を選んでください。');
    expect(refused).toContain('id="f-majority-error">可決に要する賛成を選んでください。');

    expect((await secretariat.post(SETTINGS, await settingsForm({ numbering: 'running', majority: 'present', nextConsultationNumber: '40' }))).status).toBe(
      303,
    );
    const page = await (await secretariat.get(SETTINGS)).text();
    expect(page).toContain('諮問は通し番号で第39号まで');
    expect(page).toMatch(/<option value="running" selected>/);
    expect(page).toMatch(/<option value="present" selected>/);

    const march = await caseInScreening('通し番号確認(3月31日受付)');
    const april = await caseInScreening('通し番号確認(4月1日受付)');
    const d = await deps();
    const at = (iso: string) => ({ ...d, clock: { now: () => new Date(iso) } });
    const { screenConsultation } = await import('#shared/use-cases/consultations.ts');
    const first = await screenConsultation(
      at('2027-03-31T17:00:00+09:00'),
      { principal: SECRETARIAT },
      { councilId: 'sakura', consultationId: march },
      { decision: 'accept', requestId: 'r-march' },
    );
    const second = await screenConsultation(
      at('2027-04-01T09:00:00+09:00'),
      { principal: SECRETARIAT },
      { councilId: 'sakura', consultationId: april },
      { decision: 'accept', requestId: 'r-april' },
    );
    // 令和8年度 and 令和9年度, one series: 40 then 41, not 40 then 1.
    expect(first).toMatchObject({ number: { fiscalYear: 2026, n: 40, running: true } });
    expect(second).toMatchObject({ number: { fiscalYear: 2027, n: 41, running: true } });
    const casePage = await (await secretariat.get(`/c/sakura/consultations/${april}`)).text();
    expect(casePage).toContain('諮問第41号');
    expect(casePage).not.toContain('年度諮問第41号');
    expect(await (await secretariat.get(SETTINGS)).text()).toContain('諮問は通し番号で第41号まで');
  });
});

describe('inviting staff', () => {
  it('mails the person from the council, replies to the secretariat, with their user ID and the sign-in page but never the password', async () => {
    const invited = await secretariat.post('/c/sakura/staff', {
      userId: 'u-shinki',
      name: '新規 一郎',
      kana: 'しんき いちろう',
      email: 'shinki@city.sakura.example.jp',
      role: 'department',
      departmentId: 'shimin',
      title: '',
    });
    expect(invited.status).toBe(200);
    const password = /id="temporary-password">([^<]+)</.exec(await invited.text())![1]!;
    const mails = (await sentMails(local.stack.urls.ses)) as (StoredMail & { from: string; replyTo: string[] })[];
    const mail = mails.find((m) => m.destination.to.includes('shinki@city.sakura.example.jp'))!;
    expect(mail.subject).toBe(`【${COUNCIL_NAME}】審議システムの利用者として登録しました`);
    // The display name is a MIME encoded-word: decoded, it is the council's sender name.
    const fromName = mail.from.replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
    expect(fromName).toBe('さくら市 審議会事務局 <no-reply@example.jp>');
    expect(mail.replyTo).toEqual(['joho-koukai@city.sakura.example.jp']);
    expect(mail.body.text).toContain('u-shinki');
    expect(mail.body.text).toContain(`${base()}/auth/signin`);
    expect(mail.body.text).toContain('仮パスワードは、このメールには記載していません。');
    expect(`${mail.body.text}${mail.body.html}`).not.toContain(unescapeAmp(password));
    expect(`${mail.body.html}`).not.toContain(password);
  });
});

describe('opening a council', () => {
  it('mails its first secretariat account from the new council, without the password the operator’s page shows', async () => {
    const opened = await operator.post('/admin/councils', {
      councilId: 'kaede',
      name: 'かえで村個人情報保護審議会',
      municipality: 'かえで村',
      contact: '総務係',
      secretariatEmail: 'somu@vil.kaede.example.jp',
      quorum: 'majority',
      chairBreaksTie: 'on',
      senderAddress: '',
      replyTo: '',
      adminUserId: 'kaede-somu',
      adminName: '楓 太郎',
      adminKana: 'かえで たろう',
      adminEmail: 'taro@vil.kaede.example.jp',
    });
    expect(opened.status).toBe(200);
    const password = /id="temporary-password">([^<]+)</.exec(await opened.text())![1]!;
    const mail = (await sentMails(local.stack.urls.ses)).find((m) => m.destination.to.includes('taro@vil.kaede.example.jp'))!;
    expect(mail.subject).toBe('【かえで村個人情報保護審議会】審議システムの利用者として登録しました');
    expect(mail.body.text).toContain('kaede-somu');
    expect(`${mail.body.text}${mail.body.html}`).not.toContain(unescapeAmp(password));
  });
});

describe('a council suspended, exported and deleted by the operator', () => {
  let voteLink = '';
  let casePath = '';
  let secretariatSession = { cookie: '', csrf: '' };

  it('opens a written vote on a case, so a member holds a mailed link', async () => {
    casePath = await acceptedCase(base, '停止と削除の確認用の事務');
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', { requestId: inputValue(form, 'requestId'), kind: 'written', date: '2027-12-20' });
    const meetingPath = created.headers.get('location')!.replace(/\?.*$/, '');
    expect((await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [casePath.split('/').pop()!] })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '審議予定');
    expect((await secretariat.post(`${meetingPath}/open`, {})).status).toBe(303);
    const mail = (await sentMails(local.stack.urls.ses)).find((m) => m.subject.includes('書面審議のお願い:') && m.body.text.includes('/v/'))!;
    voteLink = /\/v\/([A-Za-z0-9_.-]+)/.exec(mail.body.text)![1]!;
    expect((await anyone.get(`/v/${voteLink}`)).status).toBe(200);
    secretariatSession = await signIn(base(), 'u-secretariat');
  });

  it('refuses to delete a council still in use, and one whose archive was not taken', async () => {
    const page = await (await operator.get('/admin/councils/sakura/delete')).text();
    expect(page).toContain('削除する前に、審議会の利用を停止してください。');
    expect(page).not.toContain('name="confirmName"');
    const refused = await operator.post('/admin/councils/sakura/delete', { confirmName: COUNCIL_NAME });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('削除する前に、審議会の利用を停止してください。');

    expect((await operator.post('/admin/councils/sakura/suspend', {})).status).toBe(303);
    const notTaken = await operator.post('/admin/councils/sakura/delete', { confirmName: COUNCIL_NAME });
    expect(notTaken.status).toBe(400);
    expect(await notTaken.text()).toContain('削除する前に、利用停止の後に書き出したデータ(ZIP)をダウンロードしてください。');
  });

  it('refuses the suspended council’s mailed links with a page saying why, and records no vote', async () => {
    const seen = await anyone.get(`/v/${voteLink}`);
    expect(seen.status).toBe(403);
    expect(await seen.text()).toContain(COUNCIL_SUSPENDED_LINK);
    const voted = await anyone.post(`/v/${voteLink}`, { choice: 'approve' });
    expect(voted.status).toBe(403);
  });

  it('exports every item of the council — thousands — as JSON by entity, Excel CSVs and its files, in one zip, with a progress page', async () => {
    // Load the council as years of use would: 300 more cases (drafts, found through their department) and 2,000 audit entries.
    const d = await deps();
    const now = new Date().toISOString();
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        d.consultations.create({
          councilId: 'sakura',
          consultationId: `bulk-${String(i).padStart(3, '0')}`,
          departmentId: 'fukushi',
          form: { title: `大量の下書き${i}` },
          status: 'draft',
          returns: 0,
          createdBy: 'u-fukushi',
          createdAt: now,
          updatedAt: now,
          version: 1,
        }),
      ),
    );
    const ref = { councilId: 'sakura', consultationId: 'bulk-000' };
    for (let start = 0; start < 2000; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          d.consultations.appendAudit(ref, {
            at: `2026-01-01T00:00:${String(start + j).padStart(6, '0')}Z`,
            eventId: `e${start + j}`,
            actor: { userId: 'u-fukushi', name: '長田', role: 'department' },
            action: '閲覧',
          }),
        ),
      );
    }
    await d.attachments!.put('kept/c/sakura/k/bulk-000/a1/資料1.pdf', Buffer.from('%PDF-1.7 archived'), 'application/pdf');
    // Two scanned documents of 6 MiB: the zip is streamed to the bucket in parts, not built in memory.
    const scans = [randomBytes(6 * 1024 * 1024), randomBytes(6 * 1024 * 1024)];
    for (const [i, scan] of scans.entries()) await d.attachments!.put(`kept/c/sakura/k/bulk-001/s${i}/スキャン${i}.pdf`, scan, 'application/pdf');
    await d.attachments!.put('kept/c/other/k/x/a1/他の審議会.pdf', Buffer.from('%PDF-1.7 not ours'), 'application/pdf');

    const started = await operator.post('/admin/councils/sakura/archives', {});
    expect(started.status).toBe(303);
    const statusPath = started.headers.get('location')!;
    let page = '';
    let sawProgress = false;
    for (let i = 0; i < 400; i++) {
      page = await (await operator.get(statusPath)).text();
      if (!page.includes('http-equiv="refresh"')) break;
      sawProgress ||= page.includes('<progress');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sawProgress).toBe(true);
    expect(page).toContain('完了しました(100%)');
    const items = Number(/<dt>項目<\/dt><dd>(\d+) 件/.exec(page)![1]);
    expect(items).toBeGreaterThan(2300);
    expect(page).toContain('<dt>添付ファイル</dt><dd>3 件</dd>');

    // Not deleted before the archive is downloaded.
    expect((await operator.post('/admin/councils/sakura/delete', { confirmName: COUNCIL_NAME })).status).toBe(400);

    const download = await operator.get(unescapeAmp(/id="archive-download" href="([^"]+)"/.exec(page)![1]!));
    expect(download.status).toBe(303);
    const zipResponse = await fetch(download.headers.get('location')!);
    expect(zipResponse.status).toBe(200);
    // Uploaded as a multipart upload of 8 MiB parts: S3's ETag of such an object ends with its count of parts.
    expect(zipResponse.headers.get('etag')).toMatch(/-2"$/);
    const zip = await JSZip.loadAsync(Buffer.from(await zipResponse.arrayBuffer()));
    const json = async (type: string) => JSON.parse(await zip.file(`json/${type}.json`)!.async('string')) as Record<string, unknown>[];
    expect((await json('auditEvent')).filter((e) => e['pk'] === 'C#sakura#CASE#bulk-000')).toHaveLength(2000);
    expect((await json('consultation')).length).toBeGreaterThan(300);
    expect((await json('council')).map((c) => c['name'])).toEqual([COUNCIL_NAME]);
    expect((await json('member')).length).toBe(6);
    const all = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => f.startsWith('json/') && f.endsWith('.json'))
        .map((f) => zip.file(f)!.async('string')),
    );
    expect(all.map((t) => (JSON.parse(t) as unknown[]).length).reduce((a, b) => a + b, 0)).toBe(items);
    expect(all.join('')).not.toMatch(/"pk":\s*"C#(?!sakura[#"])/);

    const cases = await zip.file('csv/諮問.csv')!.async('nodebuffer');
    expect([...cases.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = cases.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFF諮問ID,諮問番号,件名,所管課,状態,作成日,提出日,最終更新');
    expect(text).toContain('諮問第41号,通し番号確認(4月1日受付)');
    expect(text).toContain('大量の下書き299');
    for (const name of ['答申.csv', '履行確認.csv', '会議.csv', '委員.csv', '職員.csv']) expect(zip.file(`csv/${name}`)).not.toBeNull();
    expect(await zip.file('csv/委員.csv')!.async('string')).toContain('小林 千尋');
    expect(await zip.file('files/k/bulk-000/a1/資料1.pdf')!.async('string')).toBe('%PDF-1.7 archived');
    for (const [i, scan] of scans.entries()) expect((await zip.file(`files/k/bulk-001/s${i}/スキャン${i}.pdf`)!.async('nodebuffer')).equals(scan)).toBe(true);
    expect(Object.keys(zip.files).some((f) => f.includes('他の審議会'))).toBe(false);
  }, 240_000);

  it('deletes the council once its name is typed: its items, files, sessions and links are gone, the operator’s trail stays', async () => {
    const wrong = await operator.post('/admin/councils/sakura/delete', { confirmName: 'さくら市' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('id="f-confirmName-error">審議会の名称が一致しません。');
    const d = await deps();
    expect((await d.councilData.readPartition('C#sakura')).length).toBeGreaterThan(0);
    const searchYear = `C#sakura#SEARCH#${fiscalYear(new Date())}`;
    expect((await d.councilData.readPartition(searchYear)).length).toBeGreaterThan(0);

    const deleted = await operator.post('/admin/councils/sakura/delete', { confirmName: COUNCIL_NAME });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/admin/councils?notice=deleting');
    const listed = async () => {
      const res = await operator.get('/admin/councils');
      expect(res.status).toBe(200);
      return (await res.text()).includes('<td>sakura</td>');
    };
    expect(await listed()).toBe(true);
    for (let i = 0; i < 400 && (await listed()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await listed()).toBe(false);

    for (const pk of [
      'C#sakura',
      'C#sakura#CASE#bulk-000',
      `C#sakura#CASE#${casePath.split('/').pop()}`,
      'C#sakura#USER#u-secretariat',
      searchYear,
      'C#sakura#SEARCH',
    ]) {
      expect(await d.councilData.readPartition(pk)).toEqual([]);
    }
    expect(await d.attachments!.list('kept/c/sakura/')).toEqual([]);
    expect(await d.attachments!.list('c/sakura/')).toEqual([]);
    expect(await d.attachments!.list('kept/c/other/')).toHaveLength(1);

    const link = await anyone.get(`/v/${voteLink}`);
    expect(link.status).toBe(410);
    expect(await link.text()).toContain(COUNCIL_GONE_LINK);
    const oldSession = await fetch(`${base()}/c/sakura/consultations`, { headers: { cookie: secretariatSession.cookie }, redirect: 'manual' });
    expect(oldSession.status).toBe(401);
    await expect(signIn(base(), 'u-secretariat')).rejects.toThrow(/sign-in as u-secretariat failed/);

    // The trail's last entry is written once the council's record is gone.
    const done = async () => (await d.councilData.operatorTrail()).some((e) => e.councilId === 'sakura' && e.action === 'council.delete.done');
    for (let i = 0; i < 100 && !(await done()); i++) await new Promise((r) => setTimeout(r, 50));
    const trail = (await d.councilData.operatorTrail())
      .filter((e) => e.councilId === 'sakura')
      .map((e) => e.action)
      .reverse();
    expect(trail).toEqual(['council.suspend', 'council.archive', 'council.archive.download', 'council.delete.start', 'council.delete.done']);
    const list = await (await operator.get('/admin/councils')).text();
    expect(list).toContain('運用管理者の操作の記録');
    expect(list).toContain(`<td>${COUNCIL_NAME}(sakura)</td><td>${OPERATOR_ACTIONS['council.delete.done']}</td>`);
  }, 120_000);
});
