import * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { approvalOutcome } from '#shared/domain/consultation.ts';
import { STANDARD_CONDITIONS } from '#shared/domain/council.ts';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { signLink } from '#shared/domain/links.ts';
import { type AgendaItem, conditionsInput, type Meeting, meetingName } from '#shared/domain/meeting.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { hasChairRights } from '#shared/domain/proceedings.ts';
import { type BallotInput, dueReminders, isPastDeadline, tally, type VotingRound } from '#shared/domain/voting.ts';
import { ConflictError, ForbiddenError, LinkError, NotFoundError } from '#shared/errors.ts';
import { actorOfPrincipal, recordAudit } from './audit.ts';
import { applyDecision } from './decisions.ts';
import { admitLinkOf, firstViewToday, generationData, type LinkMessages } from './links.ts';

type VotingDeps = Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas' | 'workflow' | 'notifier' | 'clock' | 'signingKey' | 'links'>;

const LINK_MESSAGES: LinkMessages = {
  refused: {
    malformed: 'このリンクは正しくありません。メールのリンクをそのまま開いてください。',
    forged: 'このリンクは正しくありません。メールのリンクをそのまま開いてください。',
    wrong_purpose: 'このリンクは表決には使えません。',
    expired: 'このリンクの有効期限が過ぎています。事務局にお問い合わせください。',
  },
  revoked: 'このリンクは事務局により無効にされました。事務局からの新しいご案内をご確認ください。',
};

/** What a vote link refuses while someone else is signed in on this browser. */
export const OTHER_PERSON_MESSAGE =
  'このリンクは、いまサインインしている方あてのものではありません。表決は、ご本人あてに届いたメールのリンクから行ってください。';

/** Links expire at the end of the deadline day, Tokyo time. */
const endOfDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00+09:00`) / 1000) + 86_400;
const target = (meetingId: string, itemId: string, round: number) => `${meetingId}/${itemId}/${round}`;

/**
 * Opens a vote by signed links on every deliberation item of a written decision
 * (書面審議), and mails each member a personal link with a summary of the case.
 */
export async function startWrittenVote(deps: VotingDeps, councilId: string, meeting: Meeting, items: AgendaItem[]) {
  const [council, members] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listMembers(councilId)]);
  const key = await deps.signingKey.get();
  const now = deps.clock.now().toISOString();
  const name = meetingName(council, meeting);
  // Each member's link generation is read once, and an item's mails go out together, so that
  // opening a written vote on many items stays well within one request's time.
  const generations = await Promise.all(members.map((m) => generationData(deps, councilId, 'member', m.memberId)));
  for (const item of items) {
    const round: VotingRound = { round: 1, status: 'open', deadline: meeting.date, eligible: members.map((m) => m.memberId), openedAt: now, reminded: [] };
    await deps.agendas.openVoting(councilId, meeting.meetingId, item.itemId, round);
    const cases = await deps.consultations.getMany(councilId, item.consultationIds);
    await Promise.all(
      members.map((member, i) => {
        const token = signLink(key, {
          purpose: 'vote',
          councilId,
          subject: member.memberId,
          target: target(meeting.meetingId, item.itemId, 1),
          exp: endOfDay(meeting.date),
          data: generations[i]!,
        });
        return deps.notifier.notify({ type: 'vote.invited', council, member, meetingName: name, deadline: meeting.date, item, cases, token });
      }),
    );
  }
}

/**
 * Checks a voting link (see admitLink) and loads what it points at; any failure is a LinkError
 * with a page-ready message. A link opened while someone else is signed in on the browser is
 * refused: it would otherwise record the link owner's vote from another person's session.
 */
async function resolveLink(deps: VotingDeps, token: string, viewer: Principal | undefined) {
  // The meeting, the item and the member are read alongside the link's own checks (one round trip less), and used only once it is admitted.
  const {
    claims,
    council,
    read: [meeting, item, member],
  } = await admitLinkOf(
    deps,
    token,
    'vote',
    LINK_MESSAGES,
    (c) => {
      if (viewer && (viewer.councilId !== c.councilId || viewer.userId !== c.subject)) throw new LinkError('other_person', OTHER_PERSON_MESSAGE, 403);
    },
    (c) => {
      const [meetingId, itemId] = c.target.split('/');
      return Promise.all([
        deps.meetings.get(c.councilId, meetingId!),
        deps.agendas.get(c.councilId, meetingId!, itemId!),
        deps.councils.getMember(c.councilId, c.subject),
      ]);
    },
  );
  const memberId = claims.subject;
  const roundText = claims.target.split('/')[2];
  if (!item.voting || item.voting.round !== Number(roundText))
    throw new LinkError('closed', 'この表決は締め切られたか、やり直しになりました。事務局からの新しいご案内をご確認ください。', 410);
  if (!item.voting.eligible.includes(memberId)) throw new LinkError('not_eligible', 'この表決には加わることができません。', 403);
  return { council, meeting, item, member, round: item.voting, claims };
}

/**
 * What the voting page shows: the case(s), the materials, the member's current ballot. Reading
 * changes nothing but the audit trail, once per link per day (when `audit`: a page shown again
 * after a refused vote is not a look), so scanners and reloads cannot grow it.
 */
export async function votingView(deps: VotingDeps, token: string, options: { audit: boolean; viewer?: Principal | undefined }) {
  const link = await resolveLink(deps, token, options.viewer);
  const [bundles, departments] = await Promise.all([
    Promise.all(link.item.consultationIds.map((id) => deps.consultations.bundle({ councilId: link.council.councilId, consultationId: id }, 0))),
    deps.councils.listDepartments(link.council.councilId),
  ]);
  if (options.audit && (await firstViewToday(deps, link.claims))) {
    const actor = { userId: link.member.memberId, name: `${link.member.name} 委員`, role: 'link' } as const;
    await Promise.all(bundles.map((b) => recordAudit(deps, b.consultation, actor, '書面審議のページを閲覧')));
  }
  return {
    ...link,
    departments,
    name: meetingName(link.council, link.meeting),
    bundles,
    ballot: link.item.ballots?.[link.member.memberId],
    open: link.round.status === 'open',
  };
}

/** A vote posted after the round closed, whether the page was read before or after the close. */
const VOTE_NOT_RECORDED = 'この表決は締め切られました。今回の表決(変更)は記録されていません。';

/**
 * Records the member's vote (replacing an earlier one while the round is open); when every
 * eligible member has voted, the round closes at once.
 */
export async function castVote(deps: VotingDeps, token: string, ballot: BallotInput, viewer?: Principal | undefined): Promise<void> {
  const link = await resolveLink(deps, token, viewer);
  if (link.round.status !== 'open') throw new LinkError('closed', VOTE_NOT_RECORDED, 410);
  const councilId = link.council.councilId;
  const now = deps.clock.now();
  const item = await deps.agendas
    .castBallot(
      councilId,
      link.meeting.meetingId,
      link.item.itemId,
      link.round.round,
      { memberId: link.member.memberId, ...ballot, castAt: now.toISOString(), source: 'link' },
      // The ballot that completes the round makes it due on the hourly job's list in the same write.
      { eligible: link.round.eligible, today: tokyoDate(now) },
    )
    .catch((e: unknown) => {
      // The round closed between showing the page and this vote: say so; nothing was recorded.
      if (e instanceof ConflictError) throw new LinkError('closed', VOTE_NOT_RECORDED, 410);
      throw e;
    });
  if (link.round.eligible.every((id) => item.ballots?.[id])) {
    try {
      await closeVote(deps, councilId, link.meeting.meetingId, item.itemId, 'ballot');
    } catch (e) {
      // The vote is recorded; closing the round is retried by the hourly job.
      logger.error('closing the vote failed', { step: 'close-vote', itemId: item.itemId, error: e as Error });
    }
  }
}

/**
 * Closes an item's round (at the deadline, or when all have voted) and applies the council's
 * rules. An approval with conditions waits for the chair to settle their wording; any other
 * result is the decision at once.
 */
export async function closeVote(deps: VotingDeps, councilId: string, meetingId: string, itemId: string, by: 'ballot' | 'job' = 'job'): Promise<void> {
  const [council, members] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listMembers(councilId)]);
  // A ballot stored between the read and the close makes the close fail; tally again over it.
  for (;;) {
    const item = await deps.agendas.get(councilId, meetingId, itemId);
    if (!item.voting || item.voting.status === 'awaiting_chair') return;
    if (item.voting.status === 'closed') {
      // Closed earlier, but the decision did not reach every case (the hand-over failed): the job finishes it.
      if (by === 'ballot') return;
      await applyDecision(deps, councilId, meetingId, item, item.decision ?? { outcome: item.voting.tally!.outcome, conditions: [] }, 'system');
      return;
    }
    const result = tally({ memberIds: item.voting.eligible, chairId: council.chairMemberId, ballots: Object.values(item.ballots ?? {}), rules: council.rules });
    const awaitingChair = result.outcome === 'approved_with_conditions';
    const closed = await deps.agendas.closeVoting(
      councilId,
      meetingId,
      itemId,
      item.voting,
      awaitingChair ? 'awaiting_chair' : 'closed',
      result,
      deps.clock.now().toISOString(),
    );
    if (!closed) continue;
    if (!awaitingChair) {
      await applyDecision(deps, councilId, meetingId, item, { outcome: result.outcome, conditions: [] }, 'system');
      return;
    }
    const chair = members.find((m) => m.memberId === council.chairMemberId) ?? members.find((m) => m.memberId === council.viceChairMemberId);
    const meeting = await deps.meetings.get(councilId, meetingId);
    if (chair)
      await deps.notifier.notify({
        type: 'conditions.awaiting_chair',
        council,
        chair,
        meetingId,
        meetingName: meetingName(council, meeting),
        item,
        proposed: result.proposedConditions,
      });
    return;
  }
}

/**
 * The chair's page: the proposed conditions, the council's standard wordings, and the final text.
 * At a meeting the member recorded as presiding (the vice-chair, or an acting chair) has the
 * chair's rights for that meeting's items; the secretariat sees the page without the form.
 */
export async function chairReviewView(deps: VotingDeps, principal: Principal | undefined, councilId: string, meetingId: string, itemId: string) {
  const viewer = requireRole(principal, councilId, 'chair', 'secretariat', 'member');
  const [council, meeting, item, members, proceedings] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.meetings.get(councilId, meetingId),
    deps.agendas.get(councilId, meetingId, itemId),
    deps.councils.listMembers(councilId),
    deps.meetings.getProceedings(councilId, meetingId),
  ]);
  const chairRights = viewer.role !== 'secretariat' && hasChairRights(viewer, council, proceedings);
  if (viewer.role === 'member' && !chairRights) throw new ForbiddenError();
  if (!item.voting && !item.chairWording) throw new NotFoundError('この議題に条件の確定はありません。');
  const awaiting = item.voting?.status === 'awaiting_chair' || item.chairWording?.status === 'awaiting';
  return { viewer, council, meetingId, item, members, name: meetingName(council, meeting), tally: item.voting?.tally, canSettle: awaiting && chairRights };
}

/** The chair's final wording: conditions typed one per line, and the council's standard wordings ticked (by their index). */
export const conditionsCommand = z.lazy(() =>
  z.extend(conditionsInput, {
    library: z.pipe(
      z.optional(z.union([z.string(), z.array(z.string())])),
      z.transform((v) =>
        [v ?? []]
          .flat()
          .map(Number)
          .filter((n) => Number.isInteger(n) && n >= 0),
      ),
    ),
  }),
);
export type ConditionsCommand = Omit<z.output<typeof conditionsCommand>, 'opinions'> & { opinions?: string[] };

/**
 * The chair — or, at a meeting, the member presiding it — confirms the final wording of conditions and opinions; the
 * decision is then issued (neither → 可, opinions only → 可(意見付き)).
 */
export async function confirmConditions(
  deps: VotingDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  itemId: string,
  command: ConditionsCommand,
): Promise<void> {
  const chair = requireRole(principal, councilId, 'chair', 'member');
  const [council, item, proceedings] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.agendas.get(councilId, meetingId, itemId),
    deps.meetings.getProceedings(councilId, meetingId),
  ]);
  if (!hasChairRights(chair, council, proceedings)) throw new ForbiddenError();
  const atMeeting = item.chairWording?.status === 'awaiting';
  if (item.voting?.status !== 'awaiting_chair' && !atMeeting) throw new ConflictError('この議題は条件の確定を待っていません。');
  const library = council.conditionLibrary ?? [...STANDARD_CONDITIONS];
  const chosen = command.library.map((i) => library[i]).filter((c): c is string => Boolean(c));
  const conditions = [...new Set([...command.conditions, ...chosen])];
  if (atMeeting) await deps.agendas.settleChairWording(councilId, meetingId, itemId, deps.clock.now().toISOString());
  else await deps.agendas.finishChairReview(councilId, meetingId, itemId, deps.clock.now().toISOString());
  const opinions = command.opinions ?? [];
  await applyDecision(deps, councilId, meetingId, item, { outcome: approvalOutcome(conditions, opinions), conditions, opinions }, chair);
}

/** Past every deadline: the hourly job's list read whole (only open and recently finished rounds are on it). */
const EVERY_ROUND = '9999-12-31';

/**
 * The secretariat mails a member a new link to every written vote still open that they vote in:
 * after their links were revoked (a forwarded mail), or when a mail was lost. Each link carries
 * the member's current link generation, so a revoked one stays refused. Returns how many were sent.
 */
export async function resendVoteLinks(deps: VotingDeps, principal: Principal | undefined, councilId: string, memberId: string): Promise<number> {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const now = deps.clock.now();
  const [council, member, rounds] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.councils.getMember(councilId, memberId),
    deps.agendas.dueRounds(councilId, EVERY_ROUND),
  ]);
  const open = rounds.filter((r) => r.voting?.status === 'open' && !isPastDeadline(r.voting.deadline, now) && r.voting.eligible.includes(memberId));
  if (open.length === 0) return 0;
  const [key, data] = await Promise.all([deps.signingKey.get(), generationData(deps, councilId, 'member', memberId)]);
  for (const item of open) {
    const { meetingId } = item.roundOf;
    const round = item.voting!;
    const [meeting, cases] = await Promise.all([deps.meetings.get(councilId, meetingId), deps.consultations.getMany(councilId, item.consultationIds)]);
    const token = signLink(key, {
      purpose: 'vote',
      councilId,
      subject: memberId,
      target: target(meetingId, item.itemId, round.round),
      exp: endOfDay(round.deadline),
      data,
    });
    await deps.notifier.notify({
      type: 'vote.invited',
      council,
      member,
      meetingName: meetingName(council, meeting),
      deadline: round.deadline,
      item,
      cases,
      token,
      again: true,
    });
    await Promise.all(cases.map((c) => recordAudit(deps, c, actorOfPrincipal(viewer), '表決のリンクを再送', { detail: `${member.name} 委員` })));
  }
  return open.length;
}

/** How far ahead the hourly job looks: reminders go two days before a deadline (dueReminders). */
export const VOTING_WINDOW_DAYS = 2;

/**
 * The scheduled job (hourly), for one council: closes rounds whose deadline has passed, and
 * reminds members who have not voted two days before and on the deadline day — each reminder
 * once. It reads only the council's rounds due within the reminder window (by deadline, or by
 * the day they were completed or closed), never another council's or rounds not yet due.
 */
export async function runVotingClock(deps: VotingDeps, councilId: string): Promise<{ closed: number; reminded: number }> {
  const now = deps.clock.now();
  let closed = 0;
  let reminded = 0;
  const due = await deps.agendas.dueRounds(councilId, addDays(tokyoDate(now), VOTING_WINDOW_DAYS + 1));
  if (due.length === 0) return { closed, reminded };
  const key = await deps.signingKey.get();
  for (const item of due) {
    const { meetingId } = item.roundOf;
    const round = item.voting!;
    // One failing round must not keep the others from closing or reminding; it is retried next run.
    try {
      // Past its deadline, closed but not handed over, or everyone voted and the closing request was cut off.
      const allVoted = round.status === 'open' && round.eligible.every((id) => item.ballots?.[id]);
      if (isPastDeadline(round.deadline, now) || round.status === 'closed' || allVoted) {
        await closeVote(deps, councilId, meetingId, item.itemId);
        closed++;
        continue;
      }
      for (const milestone of dueReminders(round.deadline, now, round.reminded)) {
        const [council, meeting, members] = await Promise.all([
          deps.councils.getCouncil(councilId),
          deps.meetings.get(councilId, meetingId),
          deps.councils.listMembers(councilId),
        ]);
        const waiting = members.filter((m) => round.eligible.includes(m.memberId) && !item.ballots?.[m.memberId]);
        // Sent first and then marked: a failed run sends again next hour (at least once).
        for (const member of waiting) {
          const token = signLink(key, {
            purpose: 'vote',
            councilId,
            subject: member.memberId,
            target: target(meetingId, item.itemId, round.round),
            exp: endOfDay(round.deadline),
            data: await generationData(deps, councilId, 'member', member.memberId),
          });
          await deps.notifier.notify({
            type: 'vote.reminded',
            council,
            member,
            meetingName: meetingName(council, meeting),
            deadline: round.deadline,
            item,
            milestone,
            token,
          });
        }
        if (await deps.agendas.markReminded(councilId, meetingId, item.itemId, milestone)) reminded += waiting.length;
      }
    } catch (e) {
      logger.error('voting clock: a round failed', { job: 'voting-clock', councilId, itemId: item.itemId, error: e as Error });
    }
  }
  return { closed, reminded };
}

/** A material of a case under vote, for the member holding the link (a short-lived download). */
export async function votingFile(
  deps: VotingDeps & Pick<Deps, 'attachments'>,
  token: string,
  consultationId: string,
  attachmentId: string,
  viewer?: Principal | undefined,
) {
  const link = await resolveLink(deps, token, viewer);
  if (!link.item.consultationIds.includes(consultationId)) throw new NotFoundError('資料が見つかりません。');
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  const a = await deps.consultations.getAttachment({ councilId: link.council.councilId, consultationId }, attachmentId);
  return deps.attachments.presignDownload(a.objectKey, a.fileName, a.contentType);
}
