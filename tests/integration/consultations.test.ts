import { describe, expect, it } from 'vitest';
import { caseIdFor } from '#shared/domain/consultation.ts';
import { fiscalYear, formatFiscalYear } from '#shared/domain/era.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const welfare = asUser(base, 'u-fukushi');
const citizens = asUser(base, 'u-shimin');
const secretariat = asUser(base, 'u-secretariat');
const list = '/c/sakura/consultations';

async function statusOf(path: string, who = secretariat) {
  const page = await (await who.get(path)).text();
  return /状態:<span class="status">([^<]+)<\/span>/.exec(page)?.[1];
}
async function waitForStatus(path: string, label: string) {
  for (let i = 0; i < 200; i++) {
    if ((await statusOf(path)) === label) return;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`${path} never showed ${label} (shows ${await statusOf(path)})`);
}
const mailsTo = async (address: string) => (await sentMails(local.stack.urls.ses)).filter((m) => m.destination.to.includes(address));

describe('a consultation from draft to its number', () => {
  let casePath = '';

  it('saves a draft with only a title, and keeps everything else typed', async () => {
    const form = await (await welfare.get(`${list}/new`)).text();
    const requestId = inputValue(form, 'requestId');
    const res = await welfare.post(list, { requestId, title: '生活保護受給者金銭管理支援業務委託', purpose: '<b>下書き</b>の目的', action: 'save' });
    expect(res.status).toBe(303);
    casePath = res.headers.get('location')!.replace(/\?.*$/, '');
    // The case id is the server's, minted from the form: not the id the browser posted.
    expect(casePath).toBe(`${list}/${caseIdFor('sakura', 'u-fukushi', requestId)}`);
    expect(casePath).not.toContain(requestId);
    const page = await (await welfare.get(casePath)).text();
    expect(page).toContain('下書き');
    expect(page).toContain('&lt;b&gt;下書き&lt;/b&gt;の目的');
    // The same form sent again creates nothing new.
    expect((await welfare.post(list, { requestId, title: '二重送信', action: 'save' })).status).toBe(303);
    const mine = await (await welfare.get(list)).text();
    expect(mine.split('生活保護受給者金銭管理支援業務委託').length - 1).toBe(1);
  });

  it('refuses an incomplete submission with errors beside the fields, saving the draft anyway', async () => {
    const edit = await (await welfare.get(`${casePath}/edit`)).text();
    const version = inputValue(edit, 'version');
    const form = completeForm({ version, action: 'submit', 'vendor.name': '', retention: '' });
    const res = await welfare.post(casePath, form);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('入力内容を下書きとして保存しました。');
    expect(page).toContain('<p class="field-error" id="f-vendor-name-error">委託先の名称を入力してください。</p>');
    expect(page).toContain('<p class="field-error" id="f-retention-error">保存期間を入力してください。</p>');
    expect(page).toContain('value="2027-09-30"');
    expect(page).toContain(`name="version" value="${String(Number(version) + 1)}"`);
    expect(await statusOf(casePath, welfare)).toBe('下書き');
    const reopened = await (await welfare.get(`${casePath}/edit`)).text();
    expect(reopened).toContain('value="社会福祉法人さくら会"'.replace('社会福祉法人さくら会', '内線 3321'));
  });

  it('refuses text too long to keep, saving nothing and showing it again', async () => {
    const edit = await (await welfare.get(`${casePath}/edit`)).text();
    const version = inputValue(edit, 'version');
    const res = await welfare.post(casePath, completeForm({ version, action: 'save', 'items.0.name': 'あ'.repeat(61) }));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<p class="field-error" id="f-items-0-name-error">項目名は60文字以内で入力してください。</p>');
    expect(page).toContain(`value="${'あ'.repeat(61)}"`);
    expect(inputValue(await (await welfare.get(`${casePath}/edit`)).text(), 'version')).toBe(version);
  });

  it('submits a complete form, starts the workflow and tells the secretariat', async () => {
    const version = inputValue(await (await welfare.get(`${casePath}/edit`)).text(), 'version');
    const res = await welfare.post(casePath, completeForm({ version, action: 'submit' }));
    expect(res.status).toBe(303);
    await waitForStatus(casePath, '受付審査中');
    const mails = await mailsTo('joho-koukai@city.sakura.example.jp');
    expect(mails.at(-1)!.subject).toBe('【さくら市個人情報保護審議会】諮問の提出:生活保護受給者金銭管理支援業務委託(福祉部 生活福祉課)');
    expect(mails.at(-1)!.body.text).toContain(`${base()}${casePath}`);
  });

  it('shows the case to its department and the secretariat, and to no other department', async () => {
    expect((await citizens.get(casePath)).status).toBe(404);
    expect(await (await citizens.get(list)).text()).not.toContain('生活保護受給者金銭管理支援業務委託');
    const queue = await (await secretariat.get(list)).text();
    const screening = queue.slice(queue.indexOf('受付審査待ち'), queue.indexOf('差し戻し中'));
    expect(screening).toContain('生活保護受給者金銭管理支援業務委託');
  });

  it('returns the case with a comment the department receives and answers', async () => {
    expect((await secretariat.post(`${casePath}/screening`, { decision: 'return', comment: '' })).status).toBe(400);
    const comment = '委託先に渡す項目から<病歴>を外せないか検討してください。';
    expect((await secretariat.post(`${casePath}/screening`, { decision: 'return', comment })).status).toBe(303);
    await waitForStatus(casePath, '差し戻し中');
    const mail = (await mailsTo('fukushi@city.sakura.example.jp')).at(-1)!;
    expect(mail.subject).toContain('諮問の差し戻し');
    expect(mail.body.text).toContain(comment);
    expect(mail.body.html).toContain('&lt;病歴&gt;');

    const edit = await (await welfare.get(`${casePath}/edit`)).text();
    expect(edit).toContain('&lt;病歴&gt;を外せないか');
    const version = inputValue(edit, 'version');
    const noAnswer = await welfare.post(casePath, completeForm({ version, action: 'submit' }));
    expect(noAnswer.status).toBe(400);
    expect(await noAnswer.text()).toContain('差し戻しへの回答を入力してください。');

    const version2 = inputValue(await (await welfare.get(`${casePath}/edit`)).text(), 'version');
    const answer = '病歴は支援計画の作成に必要なため残しますが、委託先では紙のみで扱い電子化しません。';
    expect((await welfare.post(casePath, completeForm({ version: version2, action: 'submit', response: answer }))).status).toBe(303);
    await waitForStatus(casePath, '受付審査中');
    const page = await (await secretariat.get(casePath)).text();
    expect(page).toContain('第1回');
    expect(page).toContain(answer);
  });

  it('accepts and numbers the case once, however many times it is clicked', async () => {
    const page = await (await secretariat.get(casePath)).text();
    const requestId = inputValue(page, 'requestId');
    const [a, b] = await Promise.all([
      secretariat.post(`${casePath}/screening`, { decision: 'accept', requestId }),
      secretariat.post(`${casePath}/screening`, { decision: 'accept', requestId: 'other-click' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    await waitForStatus(casePath, '受付済み(日程調整待ち)');
    const expected = `${formatFiscalYear(fiscalYear(new Date()), new Date())}諮問第1号`;
    expect(await (await welfare.get(casePath)).text()).toContain(expected);
    expect((await mailsTo('fukushi@city.sakura.example.jp')).at(-1)!.subject).toBe(
      `【さくら市個人情報保護審議会】諮問の受付:${expected} 生活保護受給者金銭管理支援業務委託`,
    );
    const trail = await (await secretariat.get(casePath)).text();
    for (const action of ['下書きを作成', '提出', '差し戻し(第1回)', '差し戻しに回答して再提出', '受付']) expect(trail).toContain(`<td>${action}</td>`);
  });

  it('records every look at the case, and lets only the secretariat export the trail', async () => {
    await asUser(base, 'm-maeda').get(casePath);
    const csv = await secretariat.get(`${casePath}/audit.csv`);
    expect(csv.status).toBe(200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(rows[0]).toBe('日時(日本時間),操作した人,区分,操作,内容,接続元');
    expect(rows.some((r) => r.includes('前田 久美子,委員,閲覧'))).toBe(true);
    expect(rows.some((r) => r.includes(',システム,状態:受付審査中'))).toBe(true);
    expect(rows.some((r) => r.includes(',事務局,受付,'))).toBe(true);
    expect(rows.filter((r) => r.includes(',閲覧,')).every((r) => r.endsWith(',127.0.0.1'))).toBe(true);
    expect((await welfare.get(`${casePath}/audit.csv`)).status).toBe(403);
  });

  it('no longer lets the department edit an accepted case', async () => {
    expect((await welfare.get(`${casePath}/edit`)).status).toBe(403);
    const res = await welfare.post(casePath, completeForm({ version: '99', action: 'save' }));
    expect(res.status).toBe(403);
  });
});
