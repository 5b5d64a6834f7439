import type { Deps } from '#shared/adapters/deps.ts';
import { compareCodes } from '#shared/domain/collation.ts';
import type { Consultation } from '#shared/domain/consultation.ts';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { FOLLOW_UP_HORIZON_DAYS, type HomeView, type ItemOnMeeting, incidentsWaiting } from '#shared/domain/home.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { hasChairRights } from '#shared/domain/proceedings.ts';
import { piaWaiting } from './pia.ts';

type HomeDeps = Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas' | 'followUps' | 'incidents' | 'clock'> & Partial<Pick<Deps, 'pia'>>;

/** Meetings still ahead (or in session), soonest first. */
const ahead = (meetings: Meeting[], today: string) =>
  meetings.filter((m) => m.status === 'in_session' || (m.status === 'planned' && m.date >= today)).sort((a, b) => compareCodes(a.date, b.date));

/** An item whose conditions wait for the chair's wording: a written vote's, or a meeting's left to the presiding officer. */
const awaitsChair = (item: AgendaItem) => item.voting?.status === 'awaiting_chair' || item.chairWording?.status === 'awaiting';

/** The deliberation items of the meetings in session, with their meeting (written votes and the chair's step live there). */
async function itemsInSession(deps: HomeDeps, councilId: string, meetings: Meeting[]): Promise<ItemOnMeeting[]> {
  const open = meetings.filter((m) => m.status === 'in_session');
  const agendas = await Promise.all(open.map((m) => deps.agendas.list(councilId, m.meetingId)));
  return open.flatMap((meeting, i) =>
    agendas[i]!.filter((item) => item.kind === 'deliberation')
      .sort((a, b) => a.order - b.order)
      .map((item) => ({ meeting, item })),
  );
}

/**
 * The home page: for someone signed in, what waits for them in their council — with counts and
 * the cases, meetings and follow-ups themselves — and nothing they may not open. Reads queues and
 * partitions that stay small (statuses, a council's meetings, its open follow-ups), never history.
 */
export async function homeView(deps: HomeDeps, principal: Principal | undefined): Promise<HomeView> {
  // Signed out: the sign-in, and nothing about any council (no read of the registry every tenant shares).
  if (!principal) return { kind: 'anonymous' };
  const today = tokyoDate(deps.clock.now());
  // The PIA reviews waiting for them (特定個人情報保護評価書の第三者点検), where the deps have them, read alongside the rest.
  const [view, pia] = await Promise.all([waitingWork(deps, principal, today), deps.pia ? piaWaiting({ pia: deps.pia }, principal, today) : undefined]);
  return pia ? { ...view, pia } : view;
}

async function waitingWork(deps: HomeDeps, principal: Principal, today: string): Promise<Exclude<HomeView, { kind: 'anonymous' }>> {
  const councilId = principal.councilId;
  const byStatus = (status: Consultation['status']) => deps.consultations.listByStatus(councilId, status);

  if (principal.role === 'department') {
    const own = (x: { departmentId: string }) => x.departmentId === principal.departmentId;
    const horizon = addDays(today, FOLLOW_UP_HORIZON_DAYS);
    // Every read at once: none depends on another.
    const [council, drafts, returned, followUps, incidents] = await Promise.all([
      deps.councils.getCouncil(councilId),
      byStatus('draft'),
      byStatus('returned'),
      deps.followUps.listActive(councilId),
      deps.incidents.listOpen(councilId),
    ]);
    return {
      kind: 'department',
      viewer: principal,
      council,
      today,
      drafts: drafts.filter(own),
      returned: returned.filter(own),
      followUps: followUps.filter((f) => own(f) && f.status === 'open' && f.due <= horizon),
      incidents: incidentsWaiting(incidents.filter(own), today),
    };
  }

  // The council and the meetings, then what is in session at them; for the secretariat its queues alongside.
  const calendar = Promise.all([deps.councils.getCouncil(councilId), deps.meetings.list(councilId)]).then(
    async ([council, meetings]) => [council, meetings, await itemsInSession(deps, councilId, meetings)] as const,
  );
  if (principal.role === 'secretariat') {
    const [[council, meetings, items], submitted, screening, accepted, stalled, answersToApprove, followUps, incidents] = await Promise.all([
      calendar,
      byStatus('submitted'),
      byStatus('screening'),
      byStatus('accepted'),
      byStatus('stalled'),
      byStatus('answer_review'),
      deps.followUps.listActive(councilId),
      deps.incidents.listOpen(councilId),
    ]);
    return {
      kind: 'secretariat',
      viewer: principal,
      council,
      today,
      toScreen: [...submitted, ...screening],
      toSchedule: accepted.filter((c) => !c.meetingId),
      stalled,
      meetings: ahead(meetings, today),
      toReview: followUps.filter((f) => f.status === 'submitted'),
      overdue: followUps.filter((f) => f.status === 'open' && f.due < today),
      awaitingChair: items.filter((x) => awaitsChair(x.item)),
      answersToApprove,
      incidents: incidentsWaiting(incidents, today),
    };
  }

  const chair = principal.role === 'chair';
  const [[council, meetings, items], reviews] = await Promise.all([calendar, byStatus('answer_review')]);
  // A member who presided a meeting in the chair's absence has the chair's steps for that meeting.
  const meetingIds = [...new Set([...items.map((x) => x.meeting.meetingId), ...reviews.map((c) => c.meetingId ?? '')].filter(Boolean))];
  const presided = new Set(
    chair
      ? meetingIds
      : (
          await Promise.all(meetingIds.map(async (id) => (hasChairRights(principal, council, await deps.meetings.getProceedings(councilId, id)) ? id : '')))
        ).filter(Boolean),
  );
  const answersToApprove = reviews.filter((c) => chair || presided.has(c.meetingId ?? ''));
  return {
    kind: 'member',
    viewer: principal,
    council,
    today,
    votes: items
      .filter(({ item }) => item.voting?.status === 'open' && item.voting.eligible.includes(principal.userId) && !item.ballots?.[principal.userId])
      .sort((a, b) => compareCodes(a.item.voting!.deadline, b.item.voting!.deadline) || a.item.order - b.item.order),
    meetings: ahead(meetings, today),
    awaitingChair: items.filter((x) => awaitsChair(x.item) && (chair || (presided.has(x.meeting.meetingId) && Boolean(x.item.chairWording)))),
    answersToApprove,
  };
}
