import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CouncilRules } from '#shared/domain/council.ts';
import { type LinkClaims, signLink, verifyLink } from '#shared/domain/links.ts';
import { type Ballot, type Choice, dueReminders, isPastDeadline, tally } from '#shared/domain/voting.ts';

/** The rule as a person would apply it by counting on paper, written independently of tally(). */
function reference(members: string[], chair: string, votes: Map<string, Choice>, rules: CouncilRules) {
  let recused = 0,
    took = 0,
    yes = 0,
    no = 0,
    conditional = 0;
  for (const m of members) {
    const v = votes.get(m);
    if (v === undefined) continue;
    if (v === 'recuse') {
      recused++;
      continue;
    }
    took++;
    if (v === 'approve') yes++;
    if (v === 'approve_with_conditions') {
      yes++;
      conditional++;
    }
    if (v === 'reject') no++;
  }
  const base = members.length - recused;
  const quorum = rules.quorum === 'majority' ? took > base / 2 : took >= (base * 2) / 3;
  if (base === 0 || !quorum || yes + no === 0) return 'carried_over';
  const approved = conditional ? 'approved_with_conditions' : 'approved';
  // More than half of: the votes cast, those present (who took part), or all members not recused.
  const need = rules.majority === 'present' ? took : rules.majority === 'all' ? base : yes + no;
  if (yes > need / 2) return approved;
  if (no > need / 2) return 'rejected';
  if (yes !== no) return 'carried_over';
  if (!rules.chairBreaksTie) return 'carried_over';
  const c = votes.get(chair);
  if (c === 'approve' || c === 'approve_with_conditions') return approved;
  if (c === 'reject') return 'rejected';
  return 'carried_over';
}

const choice = fc.constantFrom<Choice | undefined>('approve', 'approve_with_conditions', 'reject', 'abstain', 'recuse', undefined);
const rules = fc.record(
  {
    quorum: fc.constantFrom<'majority' | 'two_thirds'>('majority', 'two_thirds'),
    chairBreaksTie: fc.boolean(),
    majority: fc.constantFrom<'cast' | 'present' | 'all'>('cast', 'present', 'all'),
  },
  { requiredKeys: ['quorum', 'chairBreaksTie'] },
);

describe('tally', () => {
  it('agrees with the rule counted by hand, for any mix of votes, recusals and absences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(choice, { minLength: 10, maxLength: 10 }), rules, fc.nat(9), (n, picks, r, chairIndex) => {
        const members = Array.from({ length: n }, (_, i) => `m${i}`);
        const chair = members[chairIndex % n]!;
        const votes = new Map<string, Choice>();
        members.forEach((m, i) => picks[i] !== undefined && votes.set(m, picks[i]!));
        const ballots: Ballot[] = [...votes].map(([memberId, c]) => ({
          memberId,
          choice: c,
          conditions: c === 'approve_with_conditions' ? [`${memberId}の条件`] : [],
          castAt: '',
          source: 'link',
        }));
        const t = tally({ memberIds: members, chairId: chair, ballots, rules: r });
        expect(t.outcome).toBe(reference(members, chair, votes, r));
        expect(t.for + t.against + t.abstained + t.recused).toBe(votes.size);
        expect(t.proposedConditions).toHaveLength(ballots.filter((b) => b.choice === 'approve_with_conditions').length);
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores ballots from people who are not members of the round', () => {
    const t = tally({
      memberIds: ['a', 'b', 'c'],
      ballots: ['a', 'x', 'y'].map((memberId) => ({ memberId, choice: 'approve', conditions: [], castAt: '', source: 'link' })),
      rules: { quorum: 'majority', chairBreaksTie: true },
    });
    expect(t.outcome).toBe('carried_over');
    expect(t.participants).toBe(1);
  });

  it('lets the chair break a 2–2 tie among six members', () => {
    const votes: [string, Choice][] = [
      ['chair', 'reject'],
      ['b', 'reject'],
      ['c', 'approve'],
      ['d', 'approve'],
      ['e', 'abstain'],
    ];
    const ballots = votes.map(([memberId, c]) => ({ memberId, choice: c, conditions: [], castAt: '', source: 'link' as const }));
    const members = ['chair', 'b', 'c', 'd', 'e', 'f'];
    expect(tally({ memberIds: members, chairId: 'chair', ballots, rules: { quorum: 'majority', chairBreaksTie: true } })).toMatchObject({
      outcome: 'rejected',
      chairDecided: true,
    });
    expect(tally({ memberIds: members, chairId: 'chair', ballots, rules: { quorum: 'majority', chairBreaksTie: false } }).outcome).toBe('carried_over');
  });
});

describe('signed links', () => {
  const key = Buffer.from('k'.repeat(48));
  const claims: LinkClaims = { purpose: 'vote', councilId: 'sakura', subject: 'm-maeda', target: 'mtg/item/1', exp: 2_000_000_000 };
  const now = new Date('2026-11-22T00:00:00Z');

  it('verifies its own link', () => {
    expect(verifyLink(key, signLink(key, claims), 'vote', now)).toEqual({ ok: true, claims });
  });

  it('refuses any change to what was signed, a foreign key, another purpose and expiry', () => {
    const token = signLink(key, claims);
    const [payload, sig] = token.split('.') as [string, string];
    const forge = (c: Partial<LinkClaims>) => `${Buffer.from(JSON.stringify({ ...claims, ...c })).toString('base64url')}.${sig}`;
    expect(verifyLink(key, forge({ subject: 'm-tanabe' }), 'vote', now)).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyLink(key, forge({ target: 'mtg/other/1' }), 'vote', now)).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyLink(key, forge({ exp: 2_100_000_000 }), 'vote', now)).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyLink(Buffer.from('x'.repeat(48)), token, 'vote', now)).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifyLink(key, signLink(key, { ...claims, purpose: 'followup' }), 'vote', now)).toMatchObject({ ok: false, reason: 'wrong_purpose' });
    expect(verifyLink(key, token, 'vote', new Date(2_000_000_000 * 1000))).toMatchObject({ ok: false, reason: 'expired' });
    expect(verifyLink(key, `${payload}.${sig.slice(0, -2)}AA`, 'vote', now)).toMatchObject({ ok: false });
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        expect(verifyLink(key, junk, 'vote', now).ok).toBe(false);
      }),
    );
  });
});

describe('reminder timing (Tokyo days)', () => {
  it('reminds two days before and on the day, once each', () => {
    const at = (iso: string) => new Date(iso);
    expect(dueReminders('2026-12-10', at('2026-12-07T00:00:00+09:00'), [])).toEqual([]);
    expect(dueReminders('2026-12-10', at('2026-12-08T09:00:00+09:00'), [])).toEqual(['2days']);
    expect(dueReminders('2026-12-10', at('2026-12-09T09:00:00+09:00'), ['2days'])).toEqual([]);
    expect(dueReminders('2026-12-10', at('2026-12-10T00:30:00+09:00'), ['2days'])).toEqual(['dayof']);
    expect(dueReminders('2026-12-10', at('2026-12-10T23:00:00+09:00'), ['2days', 'dayof'])).toEqual([]);
  });
  it('closes at the end of the deadline day in Tokyo', () => {
    expect(isPastDeadline('2026-12-10', new Date('2026-12-10T23:59:59+09:00'))).toBe(false);
    expect(isPastDeadline('2026-12-10', new Date('2026-12-11T00:00:00+09:00'))).toBe(true);
  });
});
