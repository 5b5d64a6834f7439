import { describe, expect, it } from 'vitest';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { CouncilRules } from '#shared/domain/council.ts';
import { type Ballot, type Choice, tally } from '#shared/domain/voting.ts';

const MEMBERS = ['chair', 'b', 'c', 'd', 'e', 'f'];
const ballots = (votes: Record<string, Choice>): Ballot[] =>
  Object.entries(votes).map(([memberId, choice]) => ({ memberId, choice, conditions: [], castAt: '', source: 'meeting' }));
const outcome = (votes: Record<string, Choice>, rules: Partial<CouncilRules>) =>
  tally({ memberIds: MEMBERS, chairId: 'chair', ballots: ballots(votes), rules: { quorum: 'majority', chairBreaksTie: true, ...rules } });

describe('the council’s majority rule (過半数: of votes cast, of those present, of all members)', () => {
  // Five of six present: 2 for, 1 against, 2 abstain.
  const abstaining: Record<string, Choice> = { chair: 'approve', b: 'approve', c: 'reject', d: 'abstain', e: 'abstain' };

  it('of votes cast (the default): abstentions are not counted, 2 to 1 passes', () => {
    expect(outcome(abstaining, {}).outcome).toBe('approved');
    expect(outcome(abstaining, { majority: 'cast' }).outcome).toBe('approved');
  });

  it('of those present: 2 of 5 present is no majority, and with no tie the case is carried over', () => {
    expect(outcome(abstaining, { majority: 'present' }).outcome).toBe('carried_over');
    expect(outcome({ ...abstaining, d: 'approve' }, { majority: 'present' }).outcome).toBe('approved');
  });

  it('of all members: 3 of 6 is not more than half; 4 of 6 is', () => {
    const three: Record<string, Choice> = { chair: 'approve', b: 'approve', c: 'approve', d: 'reject' };
    expect(outcome(three, { majority: 'present' }).outcome).toBe('approved');
    expect(outcome(three, { majority: 'all' }).outcome).toBe('carried_over');
    expect(outcome({ ...three, e: 'approve' }, { majority: 'all' }).outcome).toBe('approved');
    expect(outcome({ chair: 'reject', b: 'reject', c: 'reject', d: 'reject', e: 'approve' }, { majority: 'all' }).outcome).toBe('rejected');
  });

  it('a recused member (除斥) neither votes nor counts: 3 of the 5 others is a majority of all members', () => {
    const t = outcome({ chair: 'approve', b: 'approve', c: 'approve', d: 'reject', e: 'recuse' }, { majority: 'all' });
    expect(t).toMatchObject({ outcome: 'approved', base: 5, recused: 1, participants: 4 });
  });

  it('a tie is the chair’s to break under every rule, when the council says so; otherwise it is carried over', () => {
    const tie: Record<string, Choice> = { chair: 'reject', b: 'approve', c: 'approve', d: 'reject', e: 'abstain' };
    for (const majority of ['cast', 'present', 'all'] as const) {
      expect(outcome(tie, { majority })).toMatchObject({ outcome: 'rejected', chairDecided: true });
      expect(outcome(tie, { majority, chairBreaksTie: false })).toMatchObject({ outcome: 'carried_over', chairDecided: false });
    }
  });
});

describe('how a 諮問番号 reads', () => {
  it('per fiscal year with its year, as a running series without', () => {
    expect(formatConsultationNumber({ fiscalYear: 2026, n: 3 })).toBe('令和8年度諮問第3号');
    expect(formatConsultationNumber({ fiscalYear: 2027, n: 41, running: true })).toBe('諮問第41号');
  });
});
