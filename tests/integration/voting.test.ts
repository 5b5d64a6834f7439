import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { LOCAL_SIGNING_SECRET } from '#infra/local/stack.ts';
import { signLink } from '#shared/domain/links.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, type StoredMail, sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const chair = asUser(base, 'm-kobayashi');
const welfare = asUser(base, 'u-fukushi');
const anyone = asUser(base);
const MEMBERS = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
const emailOf = (id: string) => `${id.slice(2)}@members.sakura.example.jp`;
const linkIn = (mail: StoredMail) => /\/v\/([A-Za-z0-9_.-]+)/.exec(mail.body.text)![1]!;

describe('a written decision voted through signed links', () => {
  let cases: string[] = [];
  let meetingPath = '';
  let items: string[] = [];
  /** item index → member id → token */
  const links: Record<string, string>[] = [{}, {}];

  const turnout = async (k: number) => {
    const page = await (await secretariat.get(meetingPath)).text();
    return /表決済み (\d+)\/6名/g.exec(page.slice(page.indexOf(`item-${items[k]}`)))?.[1];
  };
  const vote = (token: string, form: Record<string, string>) => anyone.post(`/v/${token}`, form);

  it('opens the vote and mails every member a personal link per item', async () => {
    cases = [await acceptedCase(base, '介護保険関係事務'), await acceptedCase(base, '公金等支払事務')];
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', { requestId: inputValue(form, 'requestId'), kind: 'written', date: '2026-12-10' });
    meetingPath = created.headers.get('location')!.replace(/\?.*$/, '');
    for (const c of cases)
      expect((await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [c.split('/').pop()!] })).status).toBe(303);
    for (const c of cases) await waitFor(() => statusOf(secretariat, c), '審議予定');
    expect((await secretariat.post(`${meetingPath}/open`, {})).status).toBe(303);
    items = [...(await (await secretariat.get(meetingPath)).text()).matchAll(/<li id="item-([^"]+)">/g)].map((m) => m[1]!);

    const invitations = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('書面審議のお願い:'));
    expect(invitations).toHaveLength(12);
    for (const mail of invitations) {
      const k = mail.subject.includes('介護保険関係事務') ? 0 : 1;
      const member = MEMBERS.find((id) => mail.destination.to[0] === emailOf(id))!;
      links[k]![member] = linkIn(mail);
      expect(mail.body.text).toContain('リンクを開いただけでは表決は記録されません');
    }
    expect(Object.keys(links[0]!).sort()).toEqual([...MEMBERS].sort());
    expect(await turnout(0)).toBe('0');
  });

  it('changes nothing when every link is merely opened, as mail scanners do', async () => {
    for (const k of [0, 1]) {
      for (const token of Object.values(links[k]!)) {
        const res = await anyone.get(`/v/${token}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain(k === 0 ? '介護保険関係事務' : '公金等支払事務');
        await anyone.get(`/v/${token}`);
      }
    }
    expect(await turnout(0)).toBe('0');
    expect(await turnout(1)).toBe('0');
  });

  it('refuses forged, other-member, other-case, expired and malformed links with a clear page, recording nothing', async () => {
    const token = links[0]!['m-maeda']!;
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const reclaim = (c: object) => `${Buffer.from(JSON.stringify({ ...claims, ...c })).toString('base64url')}.${signature}`;
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: LOCAL_SIGNING_SECRET }));
    const expired = signLink(Buffer.from(secret.SecretString!), { ...claims, exp: Math.floor(Date.now() / 1000) - 60 });

    const cases: [string, number, string][] = [
      [reclaim({ subject: 'm-tanabe' }), 403, 'このリンクは正しくありません'],
      [reclaim({ target: claims.target.replace(items[0], items[1]) }), 403, 'このリンクは正しくありません'],
      [`${payload}.${signature.slice(0, -4)}AAAA`, 403, 'このリンクは正しくありません'],
      [expired, 410, '有効期限が過ぎています'],
      ['not-a-link', 403, 'このリンクは正しくありません'],
    ];
    for (const [bad, status, message] of cases) {
      const seen = await anyone.get(`/v/${bad}`);
      expect(seen.status).toBe(status);
      expect(await seen.text()).toContain(message);
      expect((await vote(bad, { choice: 'approve' })).status).toBe(status);
    }
    expect(await turnout(0)).toBe('0');
  });

  it('keeps the last vote of a member who changes their mind, and counts a double submit once', async () => {
    expect((await vote(links[0]!['m-maeda']!, { choice: 'reject', reason: '委託先の選定理由が不十分' })).status).toBe(303);
    expect((await vote(links[0]!['m-maeda']!, { choice: 'approve' })).status).toBe(303);
    const again = { choice: 'approve' };
    await Promise.all([vote(links[0]!['m-tanabe']!, again), vote(links[0]!['m-tanabe']!, again)]);
    expect(await turnout(0)).toBe('2');
    const page = await (await anyone.get(`/v/${links[0]!['m-maeda']}`)).text();
    expect(page).toContain('現在の表決:<strong>可</strong>');
    // Until the round closes the secretariat sees who voted, not how.
    const meeting = await (await secretariat.get(meetingPath)).text();
    expect(meeting).toContain('前田 久美子:表決済み');
    expect(meeting).not.toContain('委託先の選定理由が不十分');
  });

  it('explains a vote that is missing what it needs, beside the field', async () => {
    const res = await vote(links[0]!['m-koyama']!, { choice: 'approve_with_conditions', conditions: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('条件付き可の場合は、条件を1行に1つずつ入力してください。');
    expect(await turnout(0)).toBe('2');
  });

  it('reminds only the members who have not voted, once per milestone', async () => {
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { runVotingClock } = await import('#shared/use-cases/voting.ts');
    const deps = { ...createDeps(), clock: { now: () => new Date('2026-12-08T09:00:00+09:00') } };
    const before = (await sentMails(local.stack.urls.ses)).length;
    expect(await runVotingClock(deps, 'sakura')).toEqual({ closed: 0, reminded: 4 + 6 });
    expect(await runVotingClock(deps, 'sakura')).toEqual({ closed: 0, reminded: 0 });
    const reminders = (await sentMails(local.stack.urls.ses)).slice(before);
    const toItemA = reminders.filter((m) => m.subject.includes('介護保険関係事務')).map((m) => m.destination.to[0]);
    expect(toItemA.sort()).toEqual(['m-kobayashi', 'm-koyama', 'm-masuda', 'm-miura'].map(emailOf).sort());
  });

  it('loses no vote when six members vote at the same instant, then asks the chair to settle the conditions', async () => {
    const votes: Record<string, string>[] = MEMBERS.map((id, i) =>
      i < 2 ? { choice: 'approve_with_conditions', conditions: `${id}の条件:受託者のISMS認証の更新を確認すること。` } : { choice: 'approve', conditions: '' },
    );
    const results = await Promise.all(MEMBERS.map((id, i) => vote(links[1]![id]!, votes[i]!)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(303));
    const meeting = await (await secretariat.get(meetingPath)).text();
    expect(meeting).toContain('可 6・否 0・棄権 0・表決に加わらない 0');
    expect(meeting).toContain('会長による条件の確定へ');
    const chairMail = (await sentMails(local.stack.urls.ses)).find((m) => m.subject.includes('条件の確定のお願い'));
    expect(chairMail?.destination.to).toEqual([emailOf('m-kobayashi')]);

    const review = await (await chair.get(`${meetingPath}/items/${items[1]}/conditions`)).text();
    expect(review).toContain('m-kobayashiの条件:受託者のISMS認証の更新を確認すること。');
    const done = await chair.post(`${meetingPath}/items/${items[1]}/conditions`, {
      conditions: '受託者のプライバシーマーク又はISMS認証の更新を確認すること。',
      library: '9',
    });
    expect(done.status).toBe(303);
    await approveAnswer(base, cases[1]!);
    await waitFor(() => statusOf(secretariat, cases[1]!), '条件の履行確認中');
    const answer = await (await welfare.get(`${cases[1]}/answer`)).text();
    expect(answer).toContain(
      '<li>受託者のプライバシーマーク又はISMS認証の更新を確認すること。</li><li>業務終了後、受託者からデータ消去証明書及び媒体の廃棄証明書を提出させること。</li>',
    );
  });

  it('refuses a replayed link after its round has closed, changing nothing', async () => {
    // Opening it still shows the member what they voted, and that voting has ended.
    const page = await (await anyone.get(`/v/${links[1]!['m-maeda']}`)).text();
    expect(page).toContain('この表決は締め切られました。');
    expect(page).not.toContain('<form method="post"');
    expect((await vote(links[1]!['m-maeda']!, { choice: 'reject', reason: '遅れて反対' })).status).toBe(410);
    expect(await (await secretariat.get(meetingPath)).text()).toContain('可 6・否 0');
  });

  it('closes at the deadline and, without a quorum, carries the case over', async () => {
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { runVotingClock } = await import('#shared/use-cases/voting.ts');
    const deps = { ...createDeps(), clock: { now: () => new Date('2026-12-11T00:05:00+09:00') } };
    expect((await runVotingClock(deps, 'sakura')).closed).toBe(1);
    await waitFor(() => statusOf(secretariat, cases[0]!), '受付済み(日程調整待ち)');
    expect(await (await secretariat.get(meetingPath)).text()).toContain('(定足数に達せず)');
  });
});
