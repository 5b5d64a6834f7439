import { describe, expect, it } from 'vitest';
import { addMonths, tokyoDate } from '#shared/domain/followups.ts';
import { asUser, type StoredMail, sentMails, unescapeHtml, useLocalStack } from '../support/local-stack.ts';

/**
 * 特定個人情報保護評価書の第三者点検, end to end on the local stack: the department records the
 * evaluation and uploads its 評価書 straight to storage, the secretariat opens the review, two
 * members comment per section through the links mailed to them (read from the SES stand-in), a
 * forged link is refused, the chair approves the opinion, which is numbered and mailed, the
 * department records the submission and the publication, and the re-evaluation reminder goes once.
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const welfare = asUser(base, 'u-fukushi');
const secretariat = asUser(base, 'u-secretariat');
const chair = asUser(base, 'm-kobayashi');
const nobody = asUser(base);
const today = tokyoDate(new Date());
const PDF = '%PDF-1.7\n特定個人情報保護評価書(全項目評価書)\n';

const tokenIn = (mail: StoredMail) => /\/p\/([A-Za-z0-9_.-]+)/.exec(mail.body.text)![1]!;
const mailsWith = async (subject: string) => (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes(subject));
const text = async (res: Response | Promise<Response>) => unescapeHtml(await (await res).text());

async function runClock(day: string) {
  const { createDeps } = await import('#shared/adapters/deps.ts');
  const { runPiaClock } = await import('#shared/use-cases/pia.ts');
  return runPiaClock({ ...createDeps(), clock: { now: () => new Date(`${day}T09:00:00+09:00`) } }, 'sakura');
}

describe('審議会は、委員への点検リンクを通じて特定個人情報保護評価書を点検し、意見を出す', () => {
  let review = '';
  const tokens: Record<string, string> = {};

  it('所管課が点検の記録を作り、しきい値判断より簡易な評価は受け付けない', async () => {
    const refused = await welfare.post('/c/sakura/pia', {
      businessName: '生活保護に関する事務',
      evaluationType: 'basic',
      subjects: '350000',
      handlers: '40',
      seriousIncident: 'no',
    });
    expect(refused.status).toBe(400);
    const page = await text(refused);
    expect(page).toContain('しきい値判断の結果は「全項目評価」です');
    expect(page).toMatch(/id="f-evaluationType"[^>]*aria-invalid="true"/);
    expect(await text(welfare.get('/c/sakura/pia'))).toContain('点検の記録はまだありません。');

    const created = await welfare.post('/c/sakura/pia', {
      businessName: '生活保護に関する事務<script>',
      evaluationType: 'full',
      subjects: '150000',
      handlers: '620',
      seriousIncident: 'no',
    });
    expect(created.status).toBe(303);
    review = created.headers.get('location')!.replace(/\?.*$/, '');
    const raw = await (await welfare.get(review)).text();
    expect(raw).toContain('生活保護に関する事務&lt;script&gt;');
    expect(raw).not.toContain('事務<script>');
    const shown = unescapeHtml(raw);
    expect(shown).toContain('対象人数 150,000人・取扱者数 620人・重大事故 なし');
    expect(shown).toContain('→ <strong>全項目評価</strong>');
    // Another department does not see it.
    expect((await asUser(base, 'u-shimin').get(review)).status).toBe(404);
  });

  it('所管課が評価書をストレージへ直接アップロードし、第1版として登録する', async () => {
    const page = await (await welfare.get(review)).text();
    const [upload, action] = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[\s\S]*?<\/form>/.exec(page)!;
    const form = new FormData();
    for (const m of upload.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, m[2]!.replaceAll('&amp;', '&'));
    form.append('file', new Blob([PDF]), '評価書_生活保護.pdf');
    const stored = await fetch(action!, { method: 'POST', body: form, redirect: 'manual' });
    expect(stored.status).toBe(303);
    const back = new URL(stored.headers.get('location')!);
    const recorded = await welfare.get(`${back.pathname}${back.search}`);
    expect(recorded.status).toBe(303);
    expect(await text(welfare.get(review))).toContain('第1版として登録する');

    const missing = await welfare.post(`${review}/versions`, { date: today, note: '' });
    expect(missing.status).toBe(400);
    expect(await text(missing)).toContain('変更内容を入力してください。');
    expect((await welfare.post(`${review}/versions`, { date: today, note: '初版' })).status).toBe(303);
    const shown = await text(welfare.get(review));
    expect(shown).toMatch(/第1版<\/td>.*初版.*評価書_生活保護\.pdf/s);
    // The secretariat's home page says it waits for the review to open.
    expect(await text(secretariat.get('/'))).toMatch(/生活保護に関する事務<script><\/a> <span class="muted">\(評価書が提出されました。点検を始めてください\)/);
  });

  it('事務局が点検を始めると、委員全員に本人専用のリンクが届き、偽造したリンクは拒まれる', async () => {
    const before = (await sentMails(local.stack.urls.ses)).length;
    const early = await secretariat.post(`${review}/review`, { deadline: '2020-01-01' });
    expect(early.status).toBe(400);
    expect(await text(early)).toContain('点検の期限は今日以降の日付にしてください。');
    expect((await secretariat.post(`${review}/review`, { deadline: addMonths(today, 1) })).status).toBe(303);

    const requests = (await sentMails(local.stack.urls.ses)).slice(before).filter((m) => m.subject.includes('特定個人情報保護評価書の点検のお願い'));
    expect(requests).toHaveLength(6);
    for (const mail of requests) tokens[mail.destination.to[0]!] = tokenIn(mail);
    expect(tokens['maeda@members.sakura.example.jp']).toBeDefined();
    expect(tokens['miura@members.sakura.example.jp']).toBeDefined();

    const token = tokens['maeda@members.sakura.example.jp']!;
    const [payload, sig] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, subject: 'm-kobayashi' })).toString('base64url')}.${sig}`;
    const refused = await nobody.get(`/p/${forged}`);
    expect(refused.status).toBe(403);
    expect(await text(refused)).toContain('このリンクは正しくありません。');
    expect((await nobody.post(`/p/${forged}`, { c0: '偽造者の意見' })).status).toBe(403);
    // A link for one 評価書 opens no meeting's vote, and a vote link no 評価書.
    expect((await nobody.get(`/v/${token}`)).status).toBe(404);
  });

  it('二人の委員がリンクから評価書を読み、項目ごとに意見を保存し、締切までは変更できる', async () => {
    const maeda = tokens['maeda@members.sakura.example.jp']!;
    const miura = tokens['miura@members.sakura.example.jp']!;
    const page = await text(nobody.get(`/p/${maeda}`));
    expect(page).toContain('前田');
    expect(page).toContain('III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策');
    const file = await nobody.get(`/p/${maeda}/file`);
    expect(file.status).toBe(303);
    expect(await (await fetch(file.headers.get('location')!)).text()).toBe(PDF);

    expect((await nobody.post(`/p/${maeda}`, { c0: '', c1: '', c2: '委託先の監督の記載が不十分', c3: '', c4: '', c5: '' })).status).toBe(303);
    expect((await nobody.post(`/p/${maeda}`, { c0: '', c1: '', c2: '委託先への監督(立入検査)の頻度を明記すること', c3: '', c4: '', c5: '' })).status).toBe(303);
    expect(
      (await nobody.post(`/p/${miura}`, { c0: '', c1: 'ファイルの記録項目が多い<b>', c2: 'アクセスログの保存期間を記載すること', c3: '', c4: '', c5: '' }))
        .status,
    ).toBe(303);
    const tooLong = await nobody.post(`/p/${miura}`, { c0: 'あ'.repeat(2001), c1: '', c2: '', c3: '', c4: '', c5: '' });
    expect(tooLong.status).toBe(400);
    expect(await text(tooLong)).toContain('意見は2000文字以内で入力してください。');
    expect(await text(nobody.get(`/p/${maeda}`))).toContain('委託先への監督(立入検査)の頻度を明記すること');

    const seen = await (await secretariat.get(review)).text();
    expect(seen).toContain('ファイルの記録項目が多い&lt;b&gt;');
    const shown = unescapeHtml(seen);
    expect(shown).toContain('委託先への監督(立入検査)の頻度を明記すること');
    expect(shown).not.toContain('委託先の監督の記載が不十分');
    expect(shown).toContain('アクセスログの保存期間を記載すること');
  });

  it('委員のリンクを無効にしても、事務局が送り直した新しいリンクで、入力済みの意見を引き継いで点検を続けられる', async () => {
    const old = tokens['koyama@members.sakura.example.jp']!;
    expect((await nobody.post(`/p/${old}`, { c0: '評価の範囲は妥当', c1: '', c2: '', c3: '', c4: '', c5: '' })).status).toBe(303);
    // The mail was forwarded: the secretariat revokes the member's links, and the old one is refused.
    expect((await secretariat.post('/c/sakura/members/m-koyama/links/revoke', {})).status).toBe(303);
    const revoked = await nobody.get(`/p/${old}`);
    expect(revoked.status).toBe(410);
    expect(await text(revoked)).toContain('このリンクは事務局により無効にされました。');

    const page = await (await secretariat.get(review)).text();
    const action = `${review}/review/members/m-koyama/resend`;
    expect(page).toContain(`action="${action}"`);
    const before = (await sentMails(local.stack.urls.ses)).length;
    const resent = await secretariat.post(action, {});
    expect(resent.status).toBe(303);
    expect(await text(secretariat.get(resent.headers.get('location')!))).toContain('委員に点検のリンクを送り直しました。');
    const mails = (await sentMails(local.stack.urls.ses)).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.destination.to).toEqual(['koyama@members.sakura.example.jp']);
    expect(mails[0]!.subject).toContain('【再送】特定個人情報保護評価書の点検のお願い');
    expect(mails[0]!.body.text).toContain('入力済みのご意見はそのまま引き継がれます。');

    // The new link opens the member's own comments and saves more; the old one stays refused.
    const fresh = tokenIn(mails[0]!);
    expect(fresh).not.toBe(old);
    expect(await text(nobody.get(`/p/${fresh}`))).toContain('評価の範囲は妥当');
    expect((await nobody.post(`/p/${fresh}`, { c0: '評価の範囲は妥当', c1: '', c2: '', c3: '', c4: '', c5: '再委託先の記載を求める' })).status).toBe(303);
    expect((await nobody.post(`/p/${old}`, { c0: '古いリンク', c1: '', c2: '', c3: '', c4: '', c5: '' })).status).toBe(410);
    const seen = await text(secretariat.get(review));
    expect(seen).toContain('再委託先の記載を求める');
    expect(seen).not.toContain('古いリンク');
    expect(seen).toContain('点検のリンクを再送');

    // Only the secretariat, only a member of the review.
    expect((await welfare.post(action, {})).status).toBe(403);
    expect((await secretariat.post(`${review}/review/members/m-nobody/resend`, {})).status).toBe(404);
    expect((await sentMails(local.stack.urls.ses)).length).toBe(before + 1);
  });

  it('点検を締め切ると委員は意見を変えられず、意見案は委員の意見から下書きされる', async () => {
    expect((await secretariat.post(`${review}/review/close`, {})).status).toBe(303);
    // Once closed, no new link is sent.
    expect((await secretariat.post(`${review}/review/members/m-koyama/resend`, {})).status).toBe(409);
    const late = await nobody.post(`/p/${tokens['maeda@members.sakura.example.jp']!}`, { c0: '締切後', c1: '', c2: '', c3: '', c4: '', c5: '' });
    expect(late.status).toBe(410);
    const draft = await text(secretariat.get(review));
    expect(draft).toMatch(/<textarea[^>]*name="f2"[^>]*>・委託先への監督\(立入検査\)の頻度を明記すること\(前田/);

    const noFindings = await secretariat.post(`${review}/opinion`, {
      verdict: 'conditional',
      general: '',
      f0: '',
      f1: '',
      f2: '',
      f3: '',
      f4: '',
      f5: '',
      intent: 'submit',
    });
    expect(noFindings.status).toBe(400);
    const refused = await text(noFindings);
    expect(refused).toContain('指摘事項を1つ以上書いてください');
    // The error summary links to the field it names, which carries the message.
    expect(refused).toContain('<a href="#f-f0">');
    expect(refused).toMatch(/<textarea id="f-f0" name="f0"[^>]*aria-invalid="true"/);

    const before = (await sentMails(local.stack.urls.ses)).length;
    const submitted = await secretariat.post(`${review}/opinion`, {
      verdict: 'conditional',
      general: '評価書はおおむね適切であるが、次の点を修正した上で提出されたい。',
      f0: '',
      f1: '',
      f2: '委託先への監督(立入検査)の頻度を明記すること。\nアクセスログの保存期間を記載すること。',
      f3: '',
      f4: '',
      f5: '',
      intent: 'submit',
    });
    expect(submitted.status).toBe(303);
    const toChair = (await sentMails(local.stack.urls.ses)).slice(before).filter((m) => m.subject.includes('意見案の確認のお願い'));
    expect(toChair.map((m) => m.destination.to)).toEqual([['kobayashi@members.sakura.example.jp']]);
    expect(await text(chair.get('/'))).toContain('(意見案の承認をお願いします)');
  });

  it('会長が承認すると文書番号が付き、意見が所管課へメールされる', async () => {
    const wrongDay = await chair.post(`${review}/opinion/approve`, { issuedOn: '2020-04-01' });
    expect(wrongDay.status).toBe(400);
    expect(await text(wrongDay)).toContain('意見の日付は点検を始めた日');
    expect((await chair.post(`${review}/opinion/approve`, { issuedOn: today })).status).toBe(303);

    const mails = await mailsWith('特定個人情報保護評価書の点検結果(意見)');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.destination.to).toEqual(['fukushi@city.sakura.example.jp']);
    expect(mails[0]!.body.text).toMatch(/文書番号\s*:さくら市個審第\d+号/);
    expect(mails[0]!.body.text).toContain('条件付きで適合');
    expect(mails[0]!.body.text).toContain('アクセスログの保存期間を記載すること。');
    // Approving again sends nothing more.
    expect((await chair.post(`${review}/opinion/approve`, { issuedOn: today })).status).toBe(303);
    expect(await mailsWith('特定個人情報保護評価書の点検結果(意見)')).toHaveLength(1);

    const docx = await welfare.get(`${review}/opinion.docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');
    expect(
      Buffer.from(await docx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('所管課が提出日と公表日を記録し、再評価の期限が提出から5年後に決まる', async () => {
    const early = await welfare.post(`${review}/steps`, { step: 'published', on: today });
    expect(early.status).toBe(400);
    const refused = await text(early);
    expect(refused).toContain('先に個人情報保護委員会への提出日を記録してください。');
    // Beside the 公表日 field of its own form, and the summary links there.
    expect(refused).toContain('<a href="#f-published-on">');
    expect(refused).toMatch(/<input id="f-published-on" name="on"[^>]*aria-invalid="true"/);
    expect(refused).not.toMatch(/<input id="f-submitted-on"[^>]*aria-invalid/);
    expect((await welfare.post(`${review}/steps`, { step: 'public_comment', from: today, to: today })).status).toBe(303);
    expect((await welfare.post(`${review}/steps`, { step: 'submitted', on: today })).status).toBe(303);
    expect((await welfare.post(`${review}/steps`, { step: 'published', on: today })).status).toBe(303);
    const page = await text(welfare.get(review));
    expect(page).toContain('公表日を記録');
    const due = addMonths(today, 60);
    expect(page).toContain(`再評価の期限 ${(await import('#shared/domain/era.ts')).formatEraDate(due, { weekday: false })}`);
  });

  it('再評価の6か月前と1か月前に、所管課へ一度ずつお知らせが届く', async () => {
    const due = addMonths(today, 60);
    expect(await runClock(addMonths(due, -7))).toEqual({ piaReminders: 0 });
    expect(await runClock(addMonths(due, -6))).toEqual({ piaReminders: 1 });
    expect(await runClock(addMonths(due, -6))).toEqual({ piaReminders: 0 });
    expect(await runClock(addMonths(due, -3))).toEqual({ piaReminders: 0 });
    expect(await runClock(addMonths(due, -1))).toEqual({ piaReminders: 1 });
    expect(await runClock(addMonths(due, -1))).toEqual({ piaReminders: 0 });
    // Each mailed to the department, and a copy to the secretariat.
    const reminders = await mailsWith('再評価の期限が近づいています');
    const to = (address: string) => reminders.filter((m) => m.destination.to.includes(address)).map((m) => m.subject.match(/(6か月前|1か月前)/)![1]);
    expect(to('fukushi@city.sakura.example.jp')).toEqual(['6か月前', '1か月前']);
    expect(to('joho-koukai@city.sakura.example.jp')).toEqual(['6か月前', '1か月前']);
    expect(reminders[0]!.body.text).toContain('生活保護に関する事務<script>');
    const trail = await text(secretariat.get(review));
    expect(trail).toContain('再評価の期限の6か月前のお知らせを送付');
  });
});
