import * as z from 'zod/mini';
import type { DecisionOutcome } from './consultation.ts';
import type { CouncilRules } from './council.ts';

/** What a member can answer (可 / 条件付き可 / 否 / 棄権), or that they step aside (除斥) for a conflict of interest. */
export const CHOICES = {
  approve: '可',
  approve_with_conditions: '条件付き可',
  reject: '否',
  abstain: '棄権',
  recuse: '利害関係のため表決に加わらない',
} as const;
export type Choice = keyof typeof CHOICES;

export interface Ballot {
  memberId: string;
  choice: Choice;
  /** Proposed conditions (条件付き可), one per entry. */
  conditions: string[];
  /** Reason for 否, or for the recusal. */
  reason?: string;
  castAt: string;
  /** By signed link, or recorded by the secretariat from a show of hands at a meeting. */
  source: 'link' | 'meeting';
}

export interface Tally {
  outcome: DecisionOutcome;
  quorumMet: boolean;
  /** Members who took part (every ballot but a recusal). */
  participants: number;
  /** Quorum base: all members less those recused. */
  base: number;
  for: number;
  against: number;
  abstained: number;
  recused: number;
  /** True when the votes were tied and the chair's vote decided. */
  chairDecided: boolean;
  /** Every condition proposed by a member voting 条件付き可, for the chair to consolidate. */
  proposedConditions: string[];
}

/**
 * The council's rule, as stored in its settings:
 *  - recused members neither vote nor count toward the quorum base;
 *  - the quorum is a majority (more than half) or two thirds of that base, counted over
 *    members who took part (abstaining counts as taking part); no quorum → 継続審議;
 *  - the decision is by a majority (more than half) of the votes cast (可 and 条件付き可 for,
 *    否 against; abstentions are not votes cast) — or, as the council's `majority` rule says,
 *    of the members who took part (an abstention then counts as not for), or of all members
 *    less those recused; neither side reaching it, and no tie → 継続審議; no votes cast → 継続審議;
 *  - a tie is decided by the chair's own vote when the council's rules say so (a chair who
 *    did not vote either way leaves it 継続審議), and is otherwise 継続審議;
 *  - an approval carries conditions when any member voting for it proposed some; the
 *    chair then settles their final wording.
 */
export function tally(v: { memberIds: readonly string[]; chairId?: string | undefined; ballots: readonly Ballot[]; rules: CouncilRules }): Tally {
  const members = new Set(v.memberIds);
  const ballots = v.ballots.filter((b) => members.has(b.memberId));
  const count = (...choices: Choice[]) => ballots.filter((b) => choices.includes(b.choice)).length;
  const recused = count('recuse');
  const base = members.size - recused;
  const participants = ballots.length - recused;
  const quorumMet = base > 0 && (v.rules.quorum === 'majority' ? participants * 2 > base : participants * 3 >= base * 2);
  const forVotes = count('approve', 'approve_with_conditions');
  const against = count('reject');
  const abstained = count('abstain');
  const proposedConditions = ballots.filter((b) => b.choice === 'approve_with_conditions').flatMap((b) => b.conditions);
  const approval = (): DecisionOutcome => (count('approve_with_conditions') > 0 ? 'approved_with_conditions' : 'approved');

  let outcome: DecisionOutcome;
  let chairDecided = false;
  // Whose majority decides: of the votes cast (for or against), of the members who took part, or of all members less those recused.
  const rule = v.rules.majority ?? 'cast';
  const denominator = rule === 'cast' ? forVotes + against : rule === 'present' ? participants : base;
  if (!quorumMet || forVotes + against === 0) outcome = 'carried_over';
  else if (forVotes * 2 > denominator) outcome = approval();
  else if (against * 2 > denominator) outcome = 'rejected';
  else if (forVotes !== against) outcome = 'carried_over';
  else {
    const chairVote = ballots.find((b) => b.memberId === v.chairId)?.choice;
    if (v.rules.chairBreaksTie && (chairVote === 'approve' || chairVote === 'approve_with_conditions')) {
      outcome = approval();
      chairDecided = true;
    } else if (v.rules.chairBreaksTie && chairVote === 'reject') {
      outcome = 'rejected';
      chairDecided = true;
    } else outcome = 'carried_over';
  }
  return { outcome, quorumMet, participants, base, for: forVotes, against, abstained, recused, chairDecided, proposedConditions };
}

/** The member's answer on the voting page. */
export const ballotInput = z.lazy(() =>
  z.pipe(
    z
      .object({
        choice: z.enum(Object.keys(CHOICES) as [Choice, ...Choice[]], { error: '表決の内容を選んでください。' }),
        conditions: z.pipe(
          z.optional(z.string().check(z.maxLength(4000, '条件は4000文字以内で入力してください。'))),
          z.transform((v) =>
            (v ?? '')
              .split(/\r?\n/)
              .map((l) => l.trim())
              .filter(Boolean),
          ),
        ),
        reason: z.optional(z.string().check(z.trim(), z.maxLength(2000, '理由は2000文字以内で入力してください。'))),
      })
      .check(
        z.superRefine((b, ctx) => {
          if (b.choice === 'approve_with_conditions' && b.conditions.length === 0) {
            ctx.addIssue({ code: 'custom', path: ['conditions'], message: '条件付き可の場合は、条件を1行に1つずつ入力してください。' });
          }
          if ((b.choice === 'reject' || b.choice === 'recuse') && !b.reason) {
            ctx.addIssue({
              code: 'custom',
              path: ['reason'],
              message: b.choice === 'reject' ? '否とする理由を入力してください。' : '表決に加わらない理由(利害関係)を入力してください。',
            });
          }
        }),
      ),
    z.transform((b) => ({ ...b, conditions: b.choice === 'approve_with_conditions' ? b.conditions : [] })),
  ),
);
export type BallotInput = z.output<typeof ballotInput>;

/** A voting round on one agenda item: who may vote, until when, and how it ended. */
export interface VotingRound {
  /** Bumped when a round is reopened, so links of an earlier round stop working. */
  round: number;
  status: 'open' | 'awaiting_chair' | 'closed';
  deadline: string;
  eligible: string[];
  openedAt: string;
  closedAt?: string;
  tally?: Tally;
  /** Reminder milestones already sent ('2days', 'dayof'), so a job run twice mails once. */
  reminded: string[];
  /** Bumped by every ballot stored; a close is conditioned on the version it tallied. */
  ballotVersion?: number;
}

/** The reminders due at `now` for a round closing at `deadline` (Tokyo calendar days). */
export function dueReminders(deadline: string, now: Date, alreadySent: readonly string[]): ('2days' | 'dayof')[] {
  const today = new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
  const daysLeft = Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  const due: ('2days' | 'dayof')[] = [];
  if (daysLeft <= 2 && daysLeft >= 1 && !alreadySent.includes('2days')) due.push('2days');
  if (daysLeft === 0 && !alreadySent.includes('dayof')) due.push('dayof');
  return due;
}

/** Whether a round's deadline (end of that day in Tokyo) has passed. */
export function isPastDeadline(deadline: string, now: Date): boolean {
  return now.getTime() >= Date.parse(`${deadline}T00:00:00+09:00`) + 86_400_000;
}
