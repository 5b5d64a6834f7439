import { beforeEach, describe, expect, it } from 'vitest';
import { signLink } from '#shared/domain/links.ts';
import type { BallotInput } from '#shared/domain/voting.ts';
import { ForbiddenError, LinkError, NotFoundError } from '#shared/errors.ts';
import { addMember } from '#shared/use-cases/members.ts';
import { castVote, confirmConditions, runVotingClock, votingView } from '#shared/use-cases/voting.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil, TEST_SIGNING_SECRET } from '../../support/memory-deps.ts';
import { approveAnswers, inDeliberation } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const approve: BallotInput = { choice: 'approve', conditions: [] };
const reject: BallotInput = { choice: 'reject', conditions: [], reason: '目的に照らして項目が多すぎる。' };
const abstain: BallotInput = { choice: 'abstain', conditions: [] };
const withConditions = (...conditions: string[]): BallotInput => ({ choice: 'approve_with_conditions', conditions });

/** A written decision (書面審議) whose vote has opened; each member's link as mailed to them. */
async function openVote(count = 1) {
  const vote = await inDeliberation(deps, sakura.people, 'written', count);
  const linkOf = (memberId: string, itemId = vote.item.itemId) =>
    deps.notifier.of('vote.invited').find((e) => e.member.memberId === memberId && e.item.itemId === itemId)!.token;
  const item = () => deps.agendas.get('sakura', vote.meeting.meetingId, vote.item.itemId);
  return { ...vote, linkOf, item };
}
/** Members who hold no office: their votes never break a tie. */
const ordinary = () => sakura.members.filter((m) => m.memberId !== sakura.council.chairMemberId).map((m) => m.memberId);

describe('a written decision opens its vote', () => {
  it('opens one round per item for every member and mails each a personal link', async () => {
    const { item, meeting } = await openVote();

    const round = (await item()).voting;
    expect(round).toMatchObject({ round: 1, status: 'open', deadline: meeting.date });
    expect([...(round?.eligible ?? [])].sort()).toEqual(sakura.members.map((m) => m.memberId).sort());
    const invited = deps.notifier.of('vote.invited');
    expect(invited.map((e) => e.member.memberId).sort()).toEqual(sakura.members.map((m) => m.memberId).sort());
    expect(new Set(invited.map((e) => e.token)).size).toBe(sakura.members.length);
  });
});

describe('casting a ballot', () => {
  it('stores the member’s ballot from their link, and the page shows it back', async () => {
    const { linkOf, item } = await openVote();
    const [memberId] = ordinary();

    await castVote(deps, linkOf(memberId!), reject);

    expect((await item()).ballots).toEqual({
      [memberId!]: { memberId, ...reject, castAt: deps.clock.now().toISOString(), source: 'link' },
    });
    const view = await votingView(deps, linkOf(memberId!), { audit: true });
    expect(view).toMatchObject({ open: true, ballot: { choice: 'reject' } });
  });

  it('replaces the member’s earlier ballot when they vote again while the round is open', async () => {
    const { linkOf, item } = await openVote();
    const [memberId] = ordinary();
    await castVote(deps, linkOf(memberId!), reject);
    deps.clock.advance({ hours: 2 });

    await castVote(deps, linkOf(memberId!), approve);

    const stored = await item();
    expect(Object.keys(stored.ballots ?? {})).toEqual([memberId]);
    expect(stored.ballots?.[memberId!]).toMatchObject({ choice: 'approve', castAt: deps.clock.now().toISOString() });
    expect(stored.voting?.ballotVersion).toBe(2);
  });

  it('closes at the deadline over exactly the ballots stored — a changed vote counts once, as changed', async () => {
    const { ref, linkOf, item } = await openVote();
    const [a, b, c, d] = ordinary();
    await castVote(deps, linkOf(a!), approve);
    await castVote(deps, linkOf(b!), reject);
    await castVote(deps, linkOf(c!), reject);
    await castVote(deps, linkOf(d!), abstain);
    // b changes their mind: counted as 可, not as both.
    await castVote(deps, linkOf(b!), approve);

    deps.clock.set('2026-06-11T00:30:00+09:00');
    expect(await runVotingClock(deps, 'sakura')).toEqual({ closed: 1, reminded: 0 });
    await approveAnswers(deps, sakura.people);

    const { voting, decision } = await item();
    expect(voting).toMatchObject({
      status: 'closed',
      tally: { for: 2, against: 1, abstained: 1, participants: 4, base: 6, quorumMet: true, outcome: 'approved' },
    });
    expect(decision).toMatchObject({ outcome: 'approved', decidedBy: 'system' });
    expect(await deps.consultations.get(ref)).toMatchObject({ status: 'closed' });
    expect((await deps.consultations.getAnswer(ref)).outcome).toBe('approved');
  });

  it('closes at once when the last eligible member has voted', async () => {
    const { ref, meeting, linkOf, item } = await openVote();
    for (const m of sakura.members) await castVote(deps, linkOf(m.memberId), m.memberId === ordinary()[0] ? reject : approve);
    await approveAnswers(deps, sakura.people);

    expect((await item()).voting).toMatchObject({ status: 'closed', tally: { for: 5, against: 1, outcome: 'approved' } });
    expect((await deps.consultations.get(ref)).status).toBe('closed');
    expect((await deps.meetings.get('sakura', meeting.meetingId)).status).toBe('closed');
  });

  it('refuses a ballot after the round closed, with a 410 that says so, and keeps the ballots as they were', async () => {
    const { linkOf, item } = await openVote();
    const [a, late] = ordinary();
    await castVote(deps, linkOf(a!), approve);
    deps.clock.set('2026-06-11T00:30:00+09:00');
    await runVotingClock(deps, 'sakura');
    await deps.workflow.settle();
    const before = await item();

    // Past the deadline day the member's link has expired with the round: refused as expired, nothing recorded.
    const refused = castVote(deps, linkOf(late!), reject);
    await expect(refused).rejects.toBeInstanceOf(LinkError);
    await expect(refused).rejects.toMatchObject({ reason: 'expired', status: 410 });
    expect((await item()).ballots).toEqual(before.ballots);
  });

  it('refuses a ballot on a round closed before its deadline: reason closed, 410', async () => {
    const { linkOf, item } = await openVote();
    for (const m of sakura.members) await castVote(deps, linkOf(m.memberId), approve);
    const before = await item();

    const refused = castVote(deps, linkOf(ordinary()[0]!), reject);
    await expect(refused).rejects.toMatchObject({ name: 'LinkError', reason: 'closed', status: 410 });
    expect((await item()).ballots).toEqual(before.ballots);
  });

  it('refuses a member of another council, whatever their link says, and records nothing', async () => {
    const kaede = await seedCouncil(deps, 'kaede');
    const { meeting, item, linkOf } = await openVote();
    const outsider = kaede.members[2]!.memberId;
    const target = `${meeting.meetingId}/${(await item()).itemId}/1`;
    const exp = Math.floor(Date.parse('2026-06-11T00:00:00+09:00') / 1000);
    const before = await item();

    // A sakura link with its subject changed to the outsider: the signature no longer matches.
    const [payload, signature] = linkOf(ordinary()[0]!).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, subject: outsider })).toString('base64url')}.${signature}`;
    await expect(castVote(deps, tampered, approve)).rejects.toMatchObject({ reason: 'forged', status: 403 });

    // Even a correctly signed link naming the outsider finds no such member (or meeting) in the other council.
    const key = Buffer.from(TEST_SIGNING_SECRET, 'utf8');
    const asSakura = signLink(key, { purpose: 'vote', councilId: 'sakura', subject: outsider, target, exp });
    const asKaede = signLink(key, { purpose: 'vote', councilId: 'kaede', subject: outsider, target, exp });
    await expect(castVote(deps, asSakura, approve)).rejects.toBeInstanceOf(NotFoundError);
    await expect(castVote(deps, asKaede, approve)).rejects.toBeInstanceOf(NotFoundError);

    expect((await item()).ballots).toEqual(before.ballots);
  });

  it('refuses a member who joined after the vote opened: not eligible for this round', async () => {
    const { meeting, item } = await openVote();
    const joined = await addMember(deps, sakura.people.secretariat, 'sakura', {
      requestId: 'm-newcomer-0001',
      name: '新井 直人',
      kana: 'あらい なおと',
      category: 'citizen',
      affiliation: '市民公募委員',
      email: 'arai@members.sakura.example.jp',
    });
    const token = signLink(Buffer.from(TEST_SIGNING_SECRET, 'utf8'), {
      purpose: 'vote',
      councilId: 'sakura',
      subject: joined.memberId,
      target: `${meeting.meetingId}/${(await item()).itemId}/1`,
      exp: Math.floor(Date.parse('2026-06-11T00:00:00+09:00') / 1000),
    });

    await expect(castVote(deps, token, approve)).rejects.toMatchObject({ reason: 'not_eligible', status: 403 });
    expect((await item()).ballots).toEqual({});
  });

  it('reminds the members who have not voted two days before the deadline, once', async () => {
    const { linkOf } = await openVote();
    const [voted] = ordinary();
    await castVote(deps, linkOf(voted!), approve);
    deps.clock.set('2026-06-08T09:00:00+09:00');

    expect(await runVotingClock(deps, 'sakura')).toEqual({ closed: 0, reminded: 5 });
    expect(await runVotingClock(deps, 'sakura')).toEqual({ closed: 0, reminded: 0 });
    const reminded = deps.notifier.of('vote.reminded');
    expect(reminded.map((e) => e.member.memberId)).not.toContain(voted);
    expect(new Set(reminded.map((e) => e.milestone))).toEqual(new Set(['2days']));
  });
});

describe('conditions proposed in the vote', () => {
  it('wait for the chair, whose final wording becomes the decision, the answer and one follow-up per condition', async () => {
    const { ref, meeting, linkOf, item } = await openVote();
    for (const m of sakura.members) {
      await castVote(deps, linkOf(m.memberId), m.memberId === ordinary()[0] ? withConditions('委託先の職員に研修を行うこと') : approve);
    }
    expect((await item()).voting?.status).toBe('awaiting_chair');
    expect(deps.notifier.of('conditions.awaiting_chair')).toEqual([
      expect.objectContaining({ chair: expect.objectContaining({ memberId: sakura.council.chairMemberId }), proposed: ['委託先の職員に研修を行うこと'] }),
    ]);

    await confirmConditions(deps, sakura.people.chair, 'sakura', meeting.meetingId, (await item()).itemId, {
      conditions: ['委託先の職員に個人情報保護の研修を行うこと。'],
      library: [7],
    });
    await approveAnswers(deps, sakura.people);

    const conditions = ['委託先の職員に個人情報保護の研修を行うこと。', '受託者に、ヒヤリハットの件数を期間ごとに報告させること。'];
    expect((await item()).decision).toMatchObject({ outcome: 'approved_with_conditions', conditions, decidedBy: sakura.people.chair.userId });
    const bundle = await deps.consultations.bundle(ref);
    expect(bundle.consultation.status).toBe('followups_open');
    expect(bundle.answer?.conditions).toEqual(conditions);
    expect(bundle.followUps.map((f) => f.condition)).toEqual(conditions);
  });

  it('may be settled by the chair only', async () => {
    const { meeting, linkOf, item } = await openVote();
    for (const m of sakura.members) await castVote(deps, linkOf(m.memberId), withConditions('条件'));
    const kaede = await seedCouncil(deps, 'kaede');
    const command = { conditions: ['条件'], library: [] };
    const itemId = (await item()).itemId;

    for (const who of [sakura.people.member, sakura.people.secretariat, kaede.people.chair]) {
      await expect(confirmConditions(deps, who, 'sakura', meeting.meetingId, itemId, command)).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await item()).voting?.status).toBe('awaiting_chair');
    expect((await item()).decision).toBeUndefined();
  });
});
