import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRepositories } from '#shared/adapters/repositories.ts';
import type { Council } from '#shared/domain/council.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import {
  KEY_PURPOSES,
  LINK_REQUESTS_PER_MINUTE,
  type LinkClaims,
  type LinkPurpose,
  openLink,
  purposeKey,
  sealLink,
  signLink,
  verifyLink,
} from '#shared/domain/links.ts';
import { LinkError, NotFoundError, TooManyRequestsError } from '#shared/errors.ts';
import { followUpLinkView, planFollowUp } from '#shared/use-cases/followups.ts';
import { admitLink, admitLinkOf, COUNCIL_SUSPENDED_LINK, firstViewToday, generationData, type LinkMessages } from '#shared/use-cases/links.ts';
import { reencodings, sameBytes } from '../support/tokens.ts';

const MASTER = Buffer.from('s'.repeat(64));
const NOW = new Date('2026-12-01T09:00:00+09:00');
const EXP = Math.floor(NOW.getTime() / 1000) + 86_400;
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
const claimsOf = (purpose: LinkPurpose) =>
  fc
    .record({ councilId: id, subject: id, target: fc.string({ maxLength: 60 }), g: fc.nat(5) })
    .map(({ g, ...c }): LinkClaims => ({ purpose, ...c, exp: EXP, data: { g: String(g) } }));
const PURPOSES: LinkPurpose[] = ['vote', 'followup', 'session'];

describe('tokens have one spelling', () => {
  it('accepts 0 of all re-encodings of vote, follow-up and session tokens', () => {
    const counts = { tokens: 0, variants: 0, sameBytes: 0, accepted: 0 };
    for (const purpose of PURPOSES) {
      fc.assert(
        fc.property(claimsOf(purpose), (claims) => {
          const token = signLink(MASTER, claims);
          expect(verifyLink(MASTER, token, purpose, NOW)).toEqual({ ok: true, claims });
          counts.tokens++;
          for (const variant of reencodings(token)) {
            counts.variants++;
            if (sameBytes(token, variant)) counts.sameBytes++;
            if (verifyLink(MASTER, variant, purpose, NOW).ok) counts.accepted++;
          }
        }),
        { numRuns: 200 },
      );
    }
    // Most variants decode to the very bytes of the token (what Node's decoder accepted before).
    expect(counts.sameBytes).toBeGreaterThan(counts.tokens * 3);
    expect(counts.accepted).toBe(0);
  });

  it('refuses the flipped padding bits of a signature’s last character, which decode to the same signature', () => {
    const token = signLink(MASTER, { purpose: 'vote', councilId: 'sakura', subject: 'm-maeda', target: 'm/i/1', exp: EXP });
    const [payload, sig] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const flipped = [1, 2, 3].map((bits) => `${payload}.${sig.slice(0, -1)}${alphabet[alphabet.indexOf(sig.at(-1)!) ^ bits]}`);
    for (const f of flipped) {
      expect(Buffer.from(f.split('.')[1]!, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
      expect(verifyLink(MASTER, f, 'vote', NOW)).toMatchObject({ ok: false, reason: 'malformed' });
    }
    expect(verifyLink(MASTER, `${token}=`, 'vote', NOW)).toMatchObject({ ok: false, reason: 'malformed' });
    const alien = token.replace(/-/g, '+').replace(/_/g, '/');
    if (alien !== token) expect(verifyLink(MASTER, alien, 'vote', NOW)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('keys per council (HKDF of the master secret, council and purpose)', () => {
  it('a key of council A verifies nothing of council B, for any purpose', () => {
    let checked = 0;
    let verified = 0;
    fc.assert(
      fc.property(id, id, fc.constantFrom(...PURPOSES), fc.constantFrom(...PURPOSES), id, (a, b, purposeA, purpose, subject) => {
        fc.pre(a !== b);
        const keyA = purposeKey(MASTER, a, purposeA);
        const ofB: LinkClaims = { purpose, councilId: b, subject, target: 't', exp: EXP };
        // B's genuine tokens do not open with A's key …
        checked++;
        if (openLink(keyA, signLink(MASTER, ofB), purpose, NOW).ok) verified++;
        // … and whatever A's key signs in B's name is refused.
        checked++;
        if (verifyLink(MASTER, sealLink(keyA, ofB), purpose, NOW).ok) verified++;
        // A's key still works for A's own links of its purpose.
        expect(verifyLink(MASTER, sealLink(keyA, { ...ofB, councilId: a, purpose: purposeA }), purposeA, NOW).ok).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(checked).toBeGreaterThanOrEqual(900);
    expect(verified).toBe(0);
  });

  it('derives a distinct key for every council and purpose, unambiguously', () => {
    const keys = new Set<string>();
    const councils = ['sakura', 'other-city', 'a', 'a","b', 'vote', ''];
    for (const c of councils) for (const p of KEY_PURPOSES) keys.add(purposeKey(MASTER, c, p).export().toString('hex'));
    expect(keys.size).toBe(councils.length * KEY_PURPOSES.length);
    expect(purposeKey(MASTER, 'sakura', 'vote').equals(purposeKey(MASTER, 'sakura', 'vote'))).toBe(true);
    expect(purposeKey(MASTER, 'sakura', 'vote').equals(purposeKey(Buffer.from('t'.repeat(64)), 'sakura', 'vote'))).toBe(false);
  });

  it('keeps derived keys per master, and stays right when a flood of made-up councils empties the memo', () => {
    const first = purposeKey(MASTER, 'sakura', 'session');
    // A copy of the master with the same bytes derives the same key (the memo is per Buffer, the key per content).
    expect(purposeKey(Buffer.from(MASTER), 'sakura', 'session').equals(first)).toBe(true);
    for (let i = 0; i < 10_050; i++) purposeKey(MASTER, `made-up-${i}`, 'session');
    expect(purposeKey(MASTER, 'sakura', 'session').equals(first)).toBe(true);
    expect(purposeKey(MASTER, 'made-up-1', 'session').equals(first)).toBe(false);
  });
});

const MESSAGES: LinkMessages = {
  refused: { malformed: 'malformed', forged: 'forged', wrong_purpose: 'wrong_purpose', expired: 'expired' },
  revoked: 'revoked',
};

const SAKURA: Council = {
  councilId: 'sakura',
  name: 'さくら市個人情報保護審議会',
  municipality: 'さくら市',
  contact: '総務課',
  secretariatEmail: 's@example.jp',
  rules: { quorum: 'majority', chairBreaksTie: true },
  version: 1,
};

/** Links of the council sakura (its record is there unless `council: false`). */
function world({ council = true } = {}) {
  const repos = createMemoryRepositories();
  if (council) repos.items.load([{ ...SAKURA, pk: 'C#sakura', sk: 'COUNCIL', _type: 'council', _v: 1 }]);
  let now = NOW.getTime();
  const deps = { ...repos, signingKey: { get: async () => MASTER }, clock: { now: () => new Date(now) } };
  return { deps, repos, move: (ms: number) => (now += ms) };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'admitted',
    (e: unknown) => (e instanceof TooManyRequestsError ? 429 : e instanceof LinkError ? e.reason : (e as Error).message),
  );

describe('admitting a link: rate, revocation, one audit entry a day', () => {
  const vote: LinkClaims = { purpose: 'vote', councilId: 'sakura', subject: 'm-maeda', target: 'm1/i1/1', exp: EXP };

  it('refuses every link of a council the operator suspended, and of one deleted, with a page saying so', async () => {
    const w = world();
    const followup = signLink(MASTER, { purpose: 'followup', councilId: 'sakura', subject: 'k1-1', target: 'k1/k1-1', exp: EXP });
    const token = signLink(MASTER, vote);
    expect(await refusal(admitLink(w.deps, token, 'vote', MESSAGES))).toBe('admitted');
    await w.repos.councils.suspend('sakura', NOW.toISOString());
    expect(await refusal(admitLink(w.deps, token, 'vote', MESSAGES))).toBe('council_suspended');
    expect(await refusal(admitLink(w.deps, followup, 'followup', MESSAGES))).toBe('council_suspended');
    const refused = await admitLink(w.deps, token, 'vote', MESSAGES).catch((e: LinkError) => e);
    expect(refused).toMatchObject({ status: 403, message: COUNCIL_SUSPENDED_LINK });
    const gone = world({ council: false });
    expect(await admitLink(gone.deps, token, 'vote', MESSAGES).catch((e: LinkError) => e)).toMatchObject({ reason: 'council_gone', status: 410 });
  });

  it(`answers 429 after ${LINK_REQUESTS_PER_MINUTE} requests to one link in a minute, and admits it again the next minute`, async () => {
    const w = world();
    const token = signLink(MASTER, vote);
    const other = signLink(MASTER, { ...vote, subject: 'm-tanabe' });
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await refusal(admitLink(w.deps, token, 'vote', MESSAGES)));
    expect(results.filter((r) => r === 'admitted')).toHaveLength(LINK_REQUESTS_PER_MINUTE);
    expect(results.slice(LINK_REQUESTS_PER_MINUTE).every((r) => r === 429)).toBe(true);
    // Another link is counted apart; junk costs no write at all.
    expect(await refusal(admitLink(w.deps, other, 'vote', MESSAGES))).toBe('admitted');
    const before = w.repos.items.dump().length;
    expect(await refusal(admitLink(w.deps, `${token}x`, 'vote', MESSAGES))).toBe('malformed');
    expect(w.repos.items.dump().length).toBe(before);
    w.move(60_000);
    expect(await refusal(admitLink(w.deps, token, 'vote', MESSAGES))).toBe('admitted');
  });

  it('refuses a member’s links mailed before the secretariat revoked them, and admits the ones mailed after', async () => {
    const w = world();
    const old = signLink(MASTER, { ...vote, data: await generationData(w.deps, 'sakura', 'member', 'm-maeda') });
    const legacy = signLink(MASTER, vote); // minted before links carried a generation: generation 0
    expect(await refusal(admitLink(w.deps, old, 'vote', MESSAGES))).toBe('admitted');
    expect(await refusal(admitLink(w.deps, legacy, 'vote', MESSAGES))).toBe('admitted');
    expect(await w.deps.links.revoke('sakura', 'member', 'm-maeda', { at: NOW.toISOString(), by: 'u-secretariat', reason: 'left' })).toBe(1);
    expect(await refusal(admitLink(w.deps, old, 'vote', MESSAGES))).toBe('revoked');
    expect(await refusal(admitLink(w.deps, legacy, 'vote', MESSAGES))).toBe('revoked');
    const fresh = signLink(MASTER, { ...vote, data: await generationData(w.deps, 'sakura', 'member', 'm-maeda') });
    expect(await refusal(admitLink(w.deps, fresh, 'vote', MESSAGES))).toBe('admitted');
    // Another member's links are untouched.
    expect(await refusal(admitLink(w.deps, signLink(MASTER, { ...vote, subject: 'm-tanabe' }), 'vote', MESSAGES))).toBe('admitted');
  });

  it('reads the page’s data alongside its checks, and answers a refused link with the refusal, never with that read', async () => {
    const w = world();
    const token = signLink(MASTER, { ...vote, data: await generationData(w.deps, 'sakura', 'member', 'm-maeda') });
    let reads = 0;
    const itemGone = async () => {
      reads++;
      throw new NotFoundError('議題が見つかりません。');
    };
    // Admitted: what the page read is handed over, or its failure thrown.
    expect((await admitLinkOf(w.deps, token, 'vote', MESSAGES, undefined, async (c) => `${c.subject}/${c.target}`)).read).toBe('m-maeda/m1/i1/1');
    await expect(admitLinkOf(w.deps, token, 'vote', MESSAGES, undefined, itemGone)).rejects.toBeInstanceOf(NotFoundError);
    // Refused after the read began (someone else signed in, revoked, too many requests): the refusal is the answer.
    const otherPerson = () => {
      throw new LinkError('other_person', 'other', 403);
    };
    expect(await refusal(admitLinkOf(w.deps, token, 'vote', MESSAGES, otherPerson, itemGone))).toBe('other_person');
    await w.deps.links.revoke('sakura', 'member', 'm-maeda', { at: NOW.toISOString(), by: 'u-secretariat', reason: 'left' });
    expect(await refusal(admitLinkOf(w.deps, token, 'vote', MESSAGES, undefined, itemGone))).toBe('revoked');
    for (let i = 0; i < LINK_REQUESTS_PER_MINUTE; i++) await refusal(admitLinkOf(w.deps, token, 'vote', MESSAGES, undefined, itemGone));
    expect(await refusal(admitLinkOf(w.deps, token, 'vote', MESSAGES, undefined, itemGone))).toBe(429);
    // A token that fails its signature reads nothing.
    const before = reads;
    expect(await refusal(admitLinkOf(w.deps, `${token}x`, 'vote', MESSAGES, undefined, itemGone))).toBe('malformed');
    expect(await refusal(admitLinkOf(w.deps, signLink(Buffer.from('x'.repeat(64)), vote), 'vote', MESSAGES, undefined, itemGone))).toBe('forged');
    expect(reads).toBe(before);
  });

  it('lets one view of a link a day (Tokyo) into the audit trail, however many requests', async () => {
    const w = world();
    const firsts = [];
    for (let i = 0; i < 100; i++) firsts.push(await firstViewToday(w.deps, vote));
    expect(firsts.filter(Boolean)).toHaveLength(1);
    // The same link re-minted (a reminder) is the same link; another is another.
    expect(await firstViewToday(w.deps, { ...vote, exp: EXP + 1, data: { g: '0' } })).toBe(false);
    expect(await firstViewToday(w.deps, { ...vote, subject: 'm-tanabe' })).toBe(true);
    // Midnight in Tokyo starts a new day.
    w.move(15 * 3600_000);
    expect(await firstViewToday(w.deps, vote)).toBe(true);
  });

  it('makes a follow-up’s earlier links unusable when it is sent to someone else, even at the same address', async () => {
    const w = world();
    const fu: FollowUp = {
      followUpId: 'k1-1',
      councilId: 'sakura',
      consultationId: 'k1',
      title: '委託',
      businessKey: 'biz',
      conditionIndex: 0,
      condition: 'データ消去証明書を提出させること。',
      type: 'erasure_certificate',
      owner: 'vendor',
      ownerName: '株式会社さくらデータ',
      departmentId: 'fukushi',
      ownerEmail: 'fukushi@example.jp',
      evidence: 'データ消去証明書',
      due: '2027-03-31',
      status: 'open',
      answers: [],
      pendingEvidence: [],
      notified: [],
      createdAt: NOW.toISOString(),
      version: 1,
    };
    await w.repos.followUps.createAll([fu]);
    const deps = { ...w.deps, attachments: undefined } as unknown as Parameters<typeof followUpLinkView>[0];
    const token = signLink(MASTER, {
      purpose: 'followup',
      councilId: 'sakura',
      subject: fu.followUpId,
      target: fu.consultationId,
      exp: EXP,
      data: { to: fu.ownerEmail, g: '0' },
    });
    expect((await followUpLinkView(deps, token)).followUp.followUpId).toBe('k1-1');
    // Another vendor, reached through the same department address: the address alone would not tell.
    const secretariat = { userId: 'u-secretariat', name: '山下', role: 'secretariat' as const, councilId: 'sakura' };
    const { version, ...plan } = fu;
    await planFollowUp(deps, secretariat, fu, { ...plan, ownerName: '株式会社ひまわり情報', everyMonths: undefined, version });
    await expect(followUpLinkView(deps, token)).rejects.toMatchObject({ reason: 'revoked', status: 410 });
    // A change that keeps the owner (the due date) revokes nothing.
    const fresh = signLink(MASTER, {
      purpose: 'followup',
      councilId: 'sakura',
      subject: fu.followUpId,
      target: fu.consultationId,
      exp: EXP,
      data: { to: fu.ownerEmail, ...(await generationData(w.deps, 'sakura', 'followUp', fu.followUpId)) },
    });
    await planFollowUp(deps, secretariat, fu, { ...plan, ownerName: '株式会社ひまわり情報', due: '2027-06-30', everyMonths: undefined, version: version + 1 });
    expect((await followUpLinkView(deps, fresh)).followUp.due).toBe('2027-06-30');
  });
});
