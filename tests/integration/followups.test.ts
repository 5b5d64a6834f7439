import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LOCAL_ATTACHMENTS_BUCKET } from '#infra/local/stack.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, type StoredMail, sentMails, useLocalStack } from '../support/local-stack.ts';
import { reencodings } from '../support/tokens.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const welfare = asUser(base, 'u-fukushi');
const vendor = asUser(base);
const EVERYONE = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
const CONDITIONS = [
  '受託者に、ヒヤリハットの件数を期間ごとに報告させること。',
  '受託者のプライバシーマークの更新時に更新を確認し、更新後の組織体制図を提出させること。',
  '契約終了時には、受託者は書類を市に返還し、市がこれを廃棄すること。',
];
const tokenIn = (mail: StoredMail) => /\/f\/([A-Za-z0-9_.-]+)/.exec(mail.body.text)![1]!;

async function uploadEvidence(token: string, fileName: string, content: string) {
  const page = await (await vendor.get(`/f/${token}`)).text();
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page)![1]!;
  const form = new FormData();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, m[2]!.replaceAll('&amp;', '&'));
  form.append('file', new Blob([content]), fileName);
  const stored = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  return fetch(stored.headers.get('location')!, { redirect: 'manual' });
}

/** Every version and delete marker in the (versioned) bucket whose key ends with `name`. */
async function versionsEndingWith(name: string) {
  const s3 = new S3Client({
    endpoint: local.stack.urls.s3,
    forcePathStyle: true,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: LOCAL_ATTACHMENTS_BUCKET }));
  s3.destroy();
  return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => v.Key!).filter((k) => k.endsWith(name));
}

async function runClock(now: string) {
  const { createDeps } = await import('#shared/adapters/deps.ts');
  const { runFollowUpClock } = await import('#shared/use-cases/followups.ts');
  return runFollowUpClock({ ...createDeps(), clock: { now: () => new Date(now) } }, 'sakura');
}

describe('conditions followed up until the council closes them', () => {
  let casePath = '';
  const tokens: Record<string, string> = {};
  let fuPaths: string[] = [];

  it('turns a decision with three conditions into three follow-ups and asks their owners', async () => {
    casePath = await acceptedCase(base, '生活保護受給者金銭管理支援業務委託');
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const meeting = (
      await secretariat.post('/c/sakura/meetings', {
        requestId: inputValue(form, 'requestId'),
        kind: 'meeting',
        date: '2026-12-14',
        startTime: '10:00',
        venue: '特別会議室',
        publicObservation: 'yes',
      })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    await secretariat.post(`${meeting}/items`, { kind: 'deliberation', consultationIds: [casePath.split('/').pop()!] });
    await waitFor(() => statusOf(secretariat, casePath), '審議予定');
    await secretariat.post(`${meeting}/open`, {});
    await waitFor(() => statusOf(secretariat, casePath), '審議中');
    const item = /<li id="item-([^"]+)">/.exec(await (await secretariat.get(meeting)).text())![1]!;
    expect((await secretariat.post(`${meeting}/items/${item}/decision`, { mode: 'all', present: EVERYONE, conditions: CONDITIONS.join('\n') })).status).toBe(
      303,
    );
    await approveAnswer(base, casePath);
    await waitFor(() => statusOf(secretariat, casePath), '条件の履行確認中');

    const page = await (await welfare.get(casePath)).text();
    fuPaths = [...page.matchAll(/<a href="([^"]+\/followups\/[^"]+)">/g)].map((m) => m[1]!);
    expect(fuPaths).toHaveLength(3);
    const requests = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('条件の履行報告のお願い'));
    expect(requests).toHaveLength(3);
    for (const mail of requests) {
      expect(mail.destination.to).toEqual(['fukushi@city.sakura.example.jp']);
      const which = CONDITIONS.findIndex((c) => mail.body.text.includes(c));
      tokens[which] = tokenIn(mail);
    }
    // Vendors' follow-ups go through the department, which forwards them.
    expect(requests.find((m) => m.body.text.includes(CONDITIONS[1]!))!.body.text).toContain('委託先「社会福祉法人さくら会」にお願いするもの');
    expect(requests.find((m) => m.body.text.includes(CONDITIONS[2]!))!.body.text).not.toContain('転送してください');
  });

  it('opens exactly one follow-up per link, and refuses a link altered to reach another', async () => {
    const page = await (await vendor.get(`/f/${tokens[1]}`)).text();
    expect(page).toContain(CONDITIONS[1]);
    expect(page).not.toContain(CONDITIONS[0]);
    const [payload, sig] = tokens[1]!.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const altered = `${Buffer.from(JSON.stringify({ ...claims, subject: claims.subject.replace(/-2$/, '-3') })).toString('base64url')}.${sig}`;
    expect((await vendor.get(`/f/${altered}`)).status).toBe(403);
    expect((await vendor.post(`/f/${altered}`, { answeredBy: '攻撃者', text: '完了しました' })).status).toBe(403);
    expect(await (await secretariat.get(fuPaths[2]!)).text()).toContain('まだ報告はありません。');
  });

  it('accepts 0 of all re-encodings of a follow-up link, on GET and POST', async () => {
    const variants = reencodings(tokens[1]!);
    expect(variants.length).toBeGreaterThanOrEqual(5);
    let accepted = 0;
    for (const v of variants) {
      const seen = await vendor.get(`/f/${encodeURIComponent(v)}`);
      const answered = await vendor.post(`/f/${encodeURIComponent(v)}`, { answeredBy: '別の綴り', text: '別の綴りからの報告' });
      if (seen.status === 200) accepted++;
      if (answered.status === 303) accepted++;
      expect([seen.status, answered.status]).toEqual([403, 403]);
    }
    expect(accepted).toBe(0);
    expect(await (await secretariat.get(fuPaths[1]!)).text()).not.toContain('別の綴りからの報告');
  });

  it('stops an earlier link when the secretariat sends the follow-up to someone else', async () => {
    const plan = await (await secretariat.get(fuPaths[2]!)).text();
    const changed = await secretariat.post(`${fuPaths[2]}/plan`, {
      version: inputValue(plan, 'version'),
      type: 'documents_returned',
      owner: 'department',
      ownerName: '福祉部 生活福祉課',
      ownerEmail: 'fukushi-tanto@city.sakura.example.jp',
      evidence: '返還の記録と市の廃棄記録',
      // The plan form's due date is the page's last date field (the council's form has an empty one first).
      due: [...plan.matchAll(/name="due" type="date" value="([^"]*)"/g)].at(-1)![1]!,
      everyMonths: '',
    });
    expect(changed.status).toBe(303);
    const old = await vendor.get(`/f/${tokens[2]}`);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('報告の依頼先が変わりました');
  });

  it('deletes refused evidence for good, every version', async () => {
    const refused = await uploadEvidence(tokens[1]!, '偽の報告.pdf', '<html>not a pdf</html>');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('「偽の報告.pdf」は添付できませんでした。');
    expect(await versionsEndingWith('偽の報告.pdf')).toEqual([]);
  });

  it('takes the vendor’s report with its certificate through the link', async () => {
    expect((await uploadEvidence(tokens[1]!, '認証更新通知_さくら会.pdf', '%PDF-1.5\nPマーク更新\n')).status).toBe(303);
    const missing = await vendor.post(`/f/${tokens[1]}`, { answeredBy: '', text: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('<p class="field-error" id="f-text-error">報告の内容を入力してください。</p>');
    expect(
      (
        await vendor.post(`/f/${tokens[1]}`, {
          answeredBy: '社会福祉法人さくら会 事務局長 田中',
          text: 'プライバシーマークを更新しました。更新後の組織体制図を添付します。',
        })
      ).status,
    ).toBe(303);
    expect((await vendor.post(`/f/${tokens[1]}`, { answeredBy: '二重送信', text: '二重送信' })).status).toBe(400);

    const mail = (await sentMails(local.stack.urls.ses)).find((m) => m.subject.includes('条件の履行報告が届きました'));
    expect(mail?.destination.to).toEqual(['joho-koukai@city.sakura.example.jp']);
    const fuPage = await (await secretariat.get(fuPaths[1]!)).text();
    expect(fuPage).toContain('認証更新通知_さくら会.pdf');
    expect(fuPage).toContain('事務局確認中');
    expect(fuPage).not.toContain('二重送信');
    // The review and the council's forms are both on the page: every id once, each choice group named and required.
    const ids = [...fuPage.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(fuPage).toContain(
      '<fieldset id="f-review-decision" role="radiogroup" aria-required="true"><legend>最新の報告 <span class="hint">(必須)</span></legend>',
    );
    expect(fuPage).toContain(
      '<fieldset id="f-council-decision" role="radiogroup" aria-required="true"><legend>審議会で <span class="hint">(必須)</span></legend>',
    );
    expect(fuPage).toContain('<label for="f-review-comment"');
    expect(fuPage).toContain('<label for="f-council-comment"');
    const file = /<a href="([^"]+\/evidence\/0\/0)">/.exec(fuPage)![1]!;
    const download = await fetch((await secretariat.get(file)).headers.get('location')!);
    expect(await download.text()).toBe('%PDF-1.5\nPマーク更新\n');
  });

  it('keeps no version of the kept evidence’s upload, only the kept copy', async () => {
    expect(await versionsEndingWith('/認証更新通知_さくら会.pdf')).toEqual([expect.stringMatching(/^kept\/c\/sakura\/k\/.+\/fu\//)]);
  });

  it('takes a near-miss count, and moves recurring conditions to their next period once accepted', async () => {
    const noCount = await vendor.post(`/f/${tokens[0]}`, { answeredBy: 'さくら会', text: '上期の報告です。' });
    expect(await noCount.text()).toContain('ヒヤリハットの件数を入力してください');
    expect((await vendor.post(`/f/${tokens[0]}`, { answeredBy: 'さくら会', text: '書類の置き忘れ2件、誤送付の未遂1件。', count: '3' })).status).toBe(303);
    for (const k of [0, 1]) expect((await secretariat.post(`${fuPaths[k]}/review`, { decision: 'accept' })).status).toBe(303);
    const renewal = await (await secretariat.get(fuPaths[1]!)).text();
    expect(renewal).toContain('令和10年9月30日(以後 12か月ごと)');
    expect(renewal).toContain('回答待ち');
  });

  it('escalates an overdue report to the department’s manager and the secretariat, once', async () => {
    const first = await runClock('2027-01-15T09:00:00+09:00');
    expect(first.escalations).toBe(1);
    expect(await runClock('2027-01-16T09:00:00+09:00')).toEqual({ reminders: 0, escalations: 0 });
    const escalation = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('期限超過'));
    expect(escalation.map((m) => m.destination.to[0]).sort()).toEqual(['fukushi-kacho@city.sakura.example.jp', 'joho-koukai@city.sakura.example.jp']);
    expect(escalation[0]!.body.text).toContain(CONDITIONS[2]);
  });

  it('shows the dashboard by vendor and department, with near-miss counts over time', async () => {
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { followUpDashboard } = await import('#shared/use-cases/followups.ts');
    const { followUpDashboardPage } = await import('#templates/pages/followups.ts');
    const principal = { userId: 'u-secretariat', name: '山下', role: 'secretariat' as const, councilId: 'sakura' };
    const view = await followUpDashboard({ ...createDeps(), clock: { now: () => new Date('2027-01-15T09:00:00+09:00') } }, principal, 'sakura');
    expect(view.byDepartment).toEqual([['福祉部 生活福祉課', { open: 2, due_soon: 0, overdue: 1, waiting_council: 0 }]]);
    expect(view.byVendor.map(([name]) => name).sort()).toEqual(['(所管課が回答)', '社会福祉法人さくら会']);
    expect(view.nearMiss).toEqual([['社会福祉法人さくら会', [{ period: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), count: 3 }]]]);
    const html = followUpDashboardPage(view);
    expect(html).toContain('<svg role="img" aria-label="社会福祉法人さくら会のヒヤリハット件数"');
    expect((await secretariat.get('/c/sakura/followups')).status).toBe(200);
    expect((await welfare.get('/c/sakura/followups')).status).toBe(403);
  });

  it('closes the case when the council closes its last condition, and keeps the whole record in the business history', async () => {
    for (const path of fuPaths) expect((await secretariat.post(`${path}/council`, { decision: 'close' })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '完了');
    const casePage = await (await welfare.get(casePath)).text();
    const history = /<a href="(\/c\/sakura\/businesses\/[^"]+)">/.exec(casePage)![1]!;
    const page = await (await welfare.get(history)).text();
    expect(page).toContain('事務の履歴:生活保護に関する事務');
    expect(page).toContain('次の条件を付して、実施することを認める。');
    for (const c of CONDITIONS) expect(page).toContain(c);
    expect(page).toContain('プライバシーマークを更新しました。');
    expect((await asUser(base, 'u-shimin').get(history)).status).toBe(200);
    expect(await (await asUser(base, 'u-shimin').get(history)).text()).not.toContain('生活保護受給者金銭管理支援業務委託');
  });
});
