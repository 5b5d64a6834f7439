import { describe, expect, it } from 'vitest';
import { LINK_REQUESTS_PER_MINUTE } from '#shared/domain/links.ts';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, type StoredMail, sentMails, useLocalStack } from '../support/local-stack.ts';
import { reencodings } from '../support/tokens.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const maeda = asUser(base, 'm-maeda');
const anyone = asUser(base);
const TITLE = 'リンク保護確認用の住民記録事務';
const DEADLINE = '2026-12-20';
const emailOf = (id: string) => `${id.slice(2)}@members.sakura.example.jp`;
const linkIn = (mail: StoredMail) => /\/v\/([A-Za-z0-9_.-]+)/.exec(mail.body.text)![1]!;

describe('vote links: one spelling, their own person, one audit entry a day, rate-limited, revocable', () => {
  let casePath = '';
  let meetingPath = '';
  const links: Record<string, string> = {};
  const turnout = async () => /表決済み (\d+)\/6名/.exec(await (await secretariat.get(meetingPath)).text())?.[1];

  it('opens a written vote and mails each member a link', async () => {
    casePath = await acceptedCase(base, TITLE);
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', { requestId: inputValue(form, 'requestId'), kind: 'written', date: DEADLINE });
    meetingPath = created.headers.get('location')!.replace(/\?.*$/, '');
    expect((await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [casePath.split('/').pop()!] })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '審議予定');
    expect((await secretariat.post(`${meetingPath}/open`, {})).status).toBe(303);
    for (const mail of (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('書面審議のお願い:'))) {
      links[mail.destination.to[0]!.split('@')[0]!] = linkIn(mail);
    }
    expect(Object.keys(links).sort()).toEqual(['kobayashi', 'koyama', 'maeda', 'masuda', 'miura', 'tanabe']);
    expect(await turnout()).toBe('0');
  });

  it('accepts 0 of all re-encodings of a vote link, on GET and POST', async () => {
    const token = links['tanabe']!;
    expect((await anyone.get(`/v/${token}`)).status).toBe(200);
    const variants = reencodings(token);
    expect(variants.length).toBeGreaterThanOrEqual(5);
    let accepted = 0;
    for (const v of variants) {
      const seen = await anyone.get(`/v/${encodeURIComponent(v)}`);
      const voted = await anyone.post(`/v/${encodeURIComponent(v)}`, { choice: 'reject', reason: '別の綴りからの表決' });
      if (seen.status === 200) accepted++;
      if (voted.status === 303) accepted++;
      expect(seen.status).toBe(403);
      expect(await seen.text()).toContain('このリンクは正しくありません');
    }
    expect(accepted).toBe(0);
    expect(await turnout()).toBe('0');
  });

  it('refuses a vote link opened under another member’s or the secretariat’s session, and records nothing', async () => {
    for (const who of [maeda, secretariat]) {
      const seen = await who.get(`/v/${links['tanabe']}`);
      expect(seen.status).toBe(403);
      expect(await seen.text()).toContain('このリンクは、いまサインインしている方あてのものではありません。');
      expect((await who.post(`/v/${links['tanabe']}`, { choice: 'approve' })).status).toBe(403);
      expect((await who.get(`/v/${links['tanabe']}/files/x/y`)).status).toBe(403);
    }
    expect(await turnout()).toBe('0');
    // The member's own link under their own session works, and the same link without a session too.
    expect((await maeda.get(`/v/${links['maeda']}`)).status).toBe(200);
    expect((await maeda.post(`/v/${links['maeda']}`, { choice: 'approve' })).status).toBe(303);
    expect(await turnout()).toBe('1');
    expect((await anyone.get(`/v/${links['tanabe']}`)).status).toBe(200);
  });

  it('leaves at most one 「閲覧」 audit row for 100 scanner GETs of one link, and answers 429 past the rate', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await anyone.get(`/v/${links['koyama']}`);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
      else await res.arrayBuffer();
    }
    const ok = statuses.filter((s) => s === 200).length;
    // Within one minute LINK_REQUESTS_PER_MINUTE pass; a minute boundary during the run lets at most twice that.
    expect(ok).toBeGreaterThanOrEqual(LINK_REQUESTS_PER_MINUTE);
    expect(ok).toBeLessThanOrEqual(2 * LINK_REQUESTS_PER_MINUTE);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited!.text()).toContain('このリンクへのアクセスが短い時間に集中しています。');

    const csv = await (await secretariat.get(`${casePath}/audit.csv`)).text();
    const views = csv.split('\n').filter((line) => line.includes('書面審議のページを閲覧') && line.includes('小山 宇一'));
    expect(views).toHaveLength(1);
    // Other links are not slowed by one link's scanner.
    expect((await anyone.get(`/v/${links['masuda']}`)).status).toBe(200);
  });

  it('revokes a member’s links: the old one says so, the next reminder brings one that works', async () => {
    expect((await maeda.post('/c/sakura/members/m-miura/links/revoke', {})).status).toBe(403);
    const editPage = await (await secretariat.get('/c/sakura/members/m-miura')).text();
    expect(editPage).toContain('送ったリンクをすべて無効にする');
    const revoked = await secretariat.post('/c/sakura/members/m-miura/links/revoke', {});
    expect(revoked.status).toBe(303);
    expect(await (await secretariat.get(revoked.headers.get('location')!)).text()).toContain('表決のリンクを無効にしました');

    const old = await anyone.get(`/v/${links['miura']}`);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('このリンクは事務局により無効にされました。');
    expect((await anyone.post(`/v/${links['miura']}`, { choice: 'approve' })).status).toBe(410);
    expect((await anyone.get(`/v/${links['masuda']}`)).status).toBe(200);

    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { runVotingClock } = await import('#shared/use-cases/voting.ts');
    const before = (await sentMails(local.stack.urls.ses)).length;
    await runVotingClock({ ...createDeps(), clock: { now: () => new Date(`2026-12-18T09:00:00+09:00`) } }, 'sakura');
    const reminder = (await sentMails(local.stack.urls.ses)).slice(before).find((m) => m.destination.to[0] === emailOf('m-miura'));
    const fresh = linkIn(reminder!);
    expect(fresh).not.toBe(links['miura']);
    expect((await anyone.get(`/v/${fresh}`)).status).toBe(200);
    expect((await anyone.post(`/v/${fresh}`, { choice: 'approve' })).status).toBe(303);
    expect(await turnout()).toBe('2');
  });

  it('mails a member whose links were revoked a new one at once, from their page, and the old one stays refused', async () => {
    expect((await secretariat.post('/c/sakura/members/m-tanabe/links/revoke', {})).status).toBe(303);
    expect((await anyone.get(`/v/${links['tanabe']}`)).status).toBe(410);
    const editPage = await (await secretariat.get('/c/sakura/members/m-tanabe')).text();
    expect(editPage).toContain('action="/c/sakura/members/m-tanabe/links/resend"');
    expect((await maeda.post('/c/sakura/members/m-tanabe/links/resend', {})).status).toBe(403);

    const before = (await sentMails(local.stack.urls.ses)).length;
    const resent = await secretariat.post('/c/sakura/members/m-tanabe/links/resend', {});
    expect(resent.status).toBe(303);
    expect(await (await secretariat.get(resent.headers.get('location')!)).text()).toContain('表決中の書面審議のリンクを、この委員にあらためて送りました。');
    const mails = (await sentMails(local.stack.urls.ses)).slice(before);
    expect(mails.map((m) => m.destination.to)).toEqual([[emailOf('m-tanabe')]]);
    expect(mails[0]!.subject).toContain(`【再送】書面審議のお願い:`);
    expect(mails[0]!.body.text).toContain('表決のリンクをあらためてお送りします。');
    const fresh = linkIn(mails[0]!);
    expect((await anyone.get(`/v/${fresh}`)).status).toBe(200);
    expect((await anyone.post(`/v/${fresh}`, { choice: 'approve' })).status).toBe(303);
    expect((await anyone.post(`/v/${links['tanabe']}`, { choice: 'reject' })).status).toBe(410);
    expect(await turnout()).toBe('3');
    // The case's trail says who sent it to whom.
    const trail = await (await secretariat.get(`${casePath}/audit.csv`)).text();
    expect(trail).toContain('表決のリンクを再送');
  });

  it('sends nothing once the vote is over, and says so', async () => {
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { resendVoteLinks } = await import('#shared/use-cases/voting.ts');
    const { DEMO_IDENTITIES } = await import('#infra/local/demo-data.ts');
    const after = { ...createDeps(), clock: { now: () => new Date(`2026-12-21T09:00:00+09:00`) } };
    const clerk = DEMO_IDENTITIES.find((i) => i.userId === 'u-secretariat')!;
    const before = (await sentMails(local.stack.urls.ses)).length;
    expect(await resendVoteLinks(after, clerk, 'sakura', 'm-koyama')).toBe(0);
    expect((await sentMails(local.stack.urls.ses)).length).toBe(before);
  });
});
