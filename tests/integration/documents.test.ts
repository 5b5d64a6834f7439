import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fiscalYear, formatFiscalYear } from '#shared/domain/era.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'council-documents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const welfare = asUser(base, 'u-fukushi');
const citizens = asUser(base, 'u-shimin');
const member = asUser(base, 'm-maeda');
const idOf = (p: string) => p.split('/').pop()!;
const everyone = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];

interface MailWithFiles {
  subject: string;
  from: string;
  replyTo: string[];
  destination: { to: string[] };
  body: { text: string; html?: string };
  attachments?: { filename: string; contentType: string; content: string }[];
}

/** Converts a Word file with LibreOffice, as a clerk's machine opens it, and returns the PDF's text without spaces. */
async function wordText(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  await run('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, file], {
    timeout: 120_000,
  });
  const pdf = path.join(dir, name.replace(/\.docx$/, '.pdf'));
  expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  const { stdout } = await run('pdftotext', ['-layout', pdf, '-']);
  return stdout.replace(/\s+/g, '');
}

const fileNameOf = (res: Response) => decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '');

describe('会議次第 and 答申書 as Word files, and the meeting notice with its calendar entry', () => {
  let casePath = '';
  let meetingPath = '';
  const meetingName = `${formatFiscalYear(2026, '2026-12-14')}第1回さくら市個人情報保護審議会`;

  it('mails the agenda to every member with an .ics entry for the meeting', async () => {
    casePath = await acceptedCase(base, '図書館システムのクラウド化に関する事務', 'u-fukushi', { subjectCount: '120000' });
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', {
      requestId: inputValue(form, 'requestId'),
      kind: 'meeting',
      date: '2026-12-14',
      startTime: '10:00',
      endTime: '11:20',
      venue: '市役所5階特別会議室, 東側',
      publicObservation: 'yes',
    });
    expect(created.status).toBe(303);
    meetingPath = created.headers.get('location')!.replace(/\?.*$/, '');
    expect((await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [idOf(casePath)], bundle: 'separate' })).status).toBe(303);
    expect((await secretariat.post(`${meetingPath}/mail`, {})).status).toBe(303);

    const mails = ((await sentMails(local.stack.urls.ses)) as unknown as MailWithFiles[]).filter((m) => m.subject.includes('会議次第と資料のご案内'));
    expect(mails).toHaveLength(6);
    const mail = mails[0]!;
    // Still a Japanese mail from the council, replies to the secretariat, one member per copy.
    expect(mail.subject).toBe(`【さくら市個人情報保護審議会】会議次第と資料のご案内:${meetingName}`);
    expect(mail.from).toContain('さくら市個人情報保護審議会');
    expect(mail.replyTo.join()).toMatch(/@/);
    expect(mail.destination.to).toHaveLength(1);
    expect(mail.body.text).toContain('図書館システムのクラウド化に関する事務');
    expect(mail.body.html).toContain('<a href=');

    expect(mail.attachments).toHaveLength(1);
    const ics = mail.attachments![0]!;
    expect(ics.filename).toBe('meeting.ics');
    expect(ics.contentType).toBe('text/calendar');
    const text = Buffer.from(ics.content, 'base64').toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n').every((line) => !line.includes('\n') && Buffer.byteLength(line) <= 75)).toBe(true);
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n');
    expect(unfolded).toContain('BEGIN:VEVENT\r\n');
    // 10:00–11:20 in Tokyo is 01:00–02:20 UTC.
    expect(unfolded).toContain('\r\nDTSTART:20261214T010000Z\r\nDTEND:20261214T022000Z\r\n');
    expect(unfolded).toContain(`\r\nSUMMARY:${meetingName}\r\n`);
    expect(unfolded).toContain('\r\nLOCATION:市役所5階特別会議室\\, 東側\r\n');
    const uid = /\r\nUID:([^\r]+)\r\n/.exec(unfolded)?.[1];
    expect(uid).toContain(idOf(meetingPath));
    // Every copy, and a notice sent again, is the same calendar entry.
    const uids = mails.map((m) => /\r\nUID:([^\r]+)\r\n/.exec(Buffer.from(m.attachments![0]!.content, 'base64').toString('utf8').replace(/\r\n /g, ''))?.[1]);
    expect(new Set(uids)).toEqual(new Set([uid]));
  });

  it('gives the 会議次第 as a Word file that LibreOffice opens, to the secretariat and the members only', async () => {
    const page = await (await secretariat.get(meetingPath)).text();
    expect(page).toContain(`href="${meetingPath}/agenda.docx"`);
    const res = await member.get(`${meetingPath}/agenda.docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(fileNameOf(res)).toBe(`${meetingName} 会議次第.docx`);
    const text = await wordText('agenda.docx', Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(`${meetingName}会議次第`);
    expect(text).toContain('令和8年12月14日(月)10:00〜11:20');
    expect(text).toContain('市役所5階特別会議室');
    expect(text).toContain('議事個人情報を取り扱う事務について(諮問)');
    expect(text).toContain('図書館システムのクラウド化に関する事務');
    expect(text).toContain(`${formatFiscalYear(fiscalYear(new Date()), new Date())}諮問第`);
    expect(text).toContain('閉会');
    expect((await welfare.get(`${meetingPath}/agenda.docx`)).status).toBe(403);
  }, 150_000);

  it('numbers a free agenda in the Word 会議次第 as councils do: 挨拶, 諮問書授受, a bundle’s cases each under its own number, a report, the next date', async () => {
    const [a, b, c] = [
      await acceptedCase(base, '個人住民税課税事務'),
      await acceptedCase(base, '市税収納管理事務'),
      await acceptedCase(base, '子育て世帯生活支援特別給付金支給事務'),
    ];
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', {
      requestId: inputValue(form, 'requestId'),
      kind: 'meeting',
      date: '2027-01-18',
      startTime: '10:00',
      venue: '市長公室',
      publicObservation: 'yes',
    });
    const path = created.headers.get('location')!.replace(/\?.*$/, '');
    expect((await secretariat.post(`${path}/items`, { kind: 'greeting', title: '挨拶' })).status).toBe(303);
    const bundle = { kind: 'deliberation', consultationIds: [idOf(a), idOf(b)], bundle: 'bundle', bundleTitle: '証明書のオンライン申請サービス' };
    expect((await secretariat.post(`${path}/items`, bundle)).status).toBe(303);
    expect((await secretariat.post(`${path}/items`, { kind: 'deliberation', consultationIds: [idOf(c)] })).status).toBe(303);
    expect((await secretariat.post(`${path}/items`, { kind: 'report', title: '個人情報を含むデータの取扱いに関する注意喚起について' })).status).toBe(303);
    expect((await secretariat.post(`${path}/items`, { kind: 'explanation', title: '次第外の説明の件名', outsideAgenda: 'yes' })).status).toBe(303);
    expect((await secretariat.post(`${path}/items/frame-next/next`, { nextDate: '2027-02-15', nextStartTime: '10:00', nextVenue: '市長公室' })).status).toBe(
      303,
    );

    const res = await secretariat.get(`${path}/agenda.docx`);
    expect(res.status).toBe(200);
    const text = await wordText('free-agenda.docx', Buffer.from(await res.arrayBuffer()));
    // Every section in order, no number skipped, 諮問書授受 present.
    const order = [
      '1開会',
      '2挨拶',
      '3諮問書授受',
      '4議事個人情報を取り扱う事務について(諮問)',
      '(1)〜(2)証明書のオンライン申請サービス(一括諮問)',
      '(1)',
      '個人住民税課税事務',
      '(2)',
      '市税収納管理事務',
      '(3)子育て世帯生活支援特別給付金支給事務',
      '5報告',
      '(1)個人情報を含むデータの取扱いに関する注意喚起について',
      '6次回開催日程',
      '令和9年2月15日(月)10:00〜市長公室',
      '7閉会',
    ];
    let at = 0;
    for (const part of order) {
      const found = text.indexOf(part, at);
      expect(found, `「${part}」 after position ${at}`).toBeGreaterThanOrEqual(at);
      at = found + part.length;
    }
    // What was not announced is not on it.
    expect(text).not.toContain('次第外の説明の件名');
  }, 150_000);

  it('gives the 答申書 as a Word file named by its 諮問番号 once decided, and a finished meeting offers no agenda mail', async () => {
    expect((await welfare.get(`${casePath}/answer.docx`)).status).toBe(404);
    expect((await secretariat.post(`${meetingPath}/open`, {})).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '審議中');
    const view = await (await secretariat.get(meetingPath)).text();
    const item = /<li id="item-([^"]+)">/.exec(view)![1]!;
    expect((await secretariat.post(`${meetingPath}/items/${item}/decision`, { mode: 'all', present: everyone })).status).toBe(303);
    await approveAnswer(base, casePath);
    await waitFor(() => statusOf(secretariat, casePath), '完了');

    const casePage = await (await welfare.get(casePath)).text();
    // Numbers with separators; the audit list says what it shows.
    expect(casePage).toContain('(120,000人)');
    expect(casePage).toContain('最新の50件までを、古いものから順に表示しています。');
    expect(casePage).toContain(`href="${casePath}/answer.docx"`);
    const res = await welfare.get(`${casePath}/answer.docx`);
    expect(res.status).toBe(200);
    const number = /(令和\d+年度諮問第\d+号)/.exec(casePage)![1]!;
    expect(fileNameOf(res)).toBe(`答申書 ${number}.docx`);
    const text = await wordText('answer.docx', Buffer.from(await res.arrayBuffer()));
    expect(text).toContain('個人情報の取扱いについて(答申)');
    expect(text).toContain('さくら市長様');
    expect(text).toContain('会長小林千尋');
    expect(text).toContain(`「図書館システムのクラウド化に関する事務」(${number})について、下記のとおり答申します。`);
    expect(text).toContain('諮問のとおり実施することを認める。');
    // What was consulted, restated before 記 (whitespace aside, as the converter gives it).
    expect(text.replace(/\s+/g, '')).toContain('諮問の区分:委託・再委託、要配慮個人情報の収集記');
    expect(text).toContain(`${meetingName}において審議した。`);
    expect(text).toContain('以上');
    // Another department does not see the case, nor its answer.
    expect((await citizens.get(`${casePath}/answer.docx`)).status).toBe(404);

    const closed = await (await secretariat.get(meetingPath)).text();
    expect(closed).toContain('<dt>状態</dt><dd>終了</dd>');
    expect(closed).not.toContain(`action="${meetingPath}/mail"`);
    const before = (await sentMails(local.stack.urls.ses)).length;
    expect((await secretariat.post(`${meetingPath}/mail`, {})).status).toBe(400);
    expect((await sentMails(local.stack.urls.ses)).length).toBe(before);
  }, 200_000);
});
