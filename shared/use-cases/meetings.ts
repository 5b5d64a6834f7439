import * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { freeItemFields } from '#shared/domain/agenda.ts';
import { approvalOutcome, type Consultation, isVisibleTo } from '#shared/domain/consultation.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import { agendaDocument } from '#shared/domain/documents.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import {
  type AgendaItem,
  ballotsFromHands,
  type Decision,
  type HandsCommand,
  type Meeting,
  type MeetingInput,
  meetingName,
  newMeeting,
  orderedAgenda,
  pendingHandOvers,
} from '#shared/domain/meeting.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { presidingOf } from '#shared/domain/proceedings.ts';
import { tally } from '#shared/domain/voting.ts';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { addFreeItem, agendaItemOf, editFreeItem, freeItemCommand, makeRoom, moveAgendaItem } from './agenda.ts';
import { applyDecision } from './decisions.ts';
import { handOver } from './hand-over.ts';
import { meetingRecord } from './meeting-record.ts';
import { startWrittenVote } from './voting.ts';

type MeetingDeps = Pick<
  Deps,
  'councils' | 'consultations' | 'meetings' | 'agendas' | 'followUps' | 'workflow' | 'notifier' | 'clock' | 'signingKey' | 'links' | 'staff'
>;

/**
 * The council's meetings and written decisions, latest first, a fiscal year at a time: unless a
 * year is asked for, the current one and every later one (meetings already planned for next
 * year); then the years before it, one by one.
 */
export async function listMeetings(deps: MeetingDeps, principal: Principal | undefined, councilId: string, year?: number) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'member', 'chair');
  const [council, all] = await Promise.all([deps.councils.getCouncil(councilId), deps.meetings.list(councilId)]);
  const current = fiscalYear(deps.clock.now());
  const years = [...new Set([current, ...all.map((m) => m.fiscalYear)])].sort((a, b) => b - a);
  const shown = year ?? current;
  return {
    viewer,
    council,
    year: shown,
    /** Whether the later years are shown with it (the default view). */
    andLater: year === undefined,
    years,
    meetings: all.filter((m) => (year === undefined ? m.fiscalYear >= current : m.fiscalYear === year)),
    /** The nearest years either side that have meetings (or are the current one). */
    newer: year === undefined ? undefined : years.filter((y) => y > shown).at(-1),
    older: years.find((y) => y < shown),
  };
}

/** The fiscal year a meetings list link asks for, if it is one. */
export const meetingsYear = z.lazy(() => z.catch(z.optional(z.coerce.number().check(z.int(), z.gte(1989), z.lte(2200))), undefined));

/** The secretariat creates a meeting or a written decision; it is numbered 第N回 in its fiscal year. */
export async function createMeeting(deps: MeetingDeps, principal: Principal | undefined, councilId: string, command: MeetingInput) {
  requireRole(principal, councilId, 'secretariat');
  return deps.meetings.create(councilId, newMeeting(command, deps.clock.now().toISOString()));
}

/** A meeting with its agenda, the cases on it, and (for the secretariat) the accepted cases waiting for a meeting. */
export async function viewMeeting(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'member', 'chair');
  const meetingRead = deps.meetings.get(councilId, meetingId);
  // Only a planned meeting takes new items: the cases waiting for an agenda are read for its page alone, once the meeting is.
  const acceptedRead = meetingRead.then((m) =>
    viewer.role === 'secretariat' && m.status === 'planned' ? deps.consultations.listByStatus(councilId, 'accepted') : [],
  );
  // The meeting's record, the cases waiting for an agenda, the council's follow-ups and its staff: read at once.
  const [{ council, meeting, agenda, members, departments, cases, proceedings }, accepted, followUps, staff] = await Promise.all([
    meetingRecord(deps, councilId, meetingId, meetingRead),
    acceptedRead,
    deps.followUps.listActive(councilId),
    viewer.role === 'secretariat' ? deps.staff.list(councilId) : undefined,
  ]);
  const onAgenda = new Set(agenda.flatMap((i) => i.consultationIds));
  const waiting = accepted.filter((c) => !c.meetingId && !onAgenda.has(c.consultationId));
  const pending = viewer.role === 'secretariat' ? pendingHandOvers(meeting, agenda, cases, deps.clock.now()) : [];
  // 所管課からの回答: reports the secretariat has checked, for the council to hear and close.
  const reports = followUps.filter((f) => f.status === 'accepted');
  return { viewer, council, meeting, name: meetingName(council, meeting), agenda, cases, waiting, pending, members, departments, reports, proceedings, staff };
}

export const addItemsCommand = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('deliberation'),
      consultationIds: z.pipe(
        z.pipe(
          z.union([z.string(), z.array(z.string())], { error: '議題に入れる諮問を選んでください。' }),
          z.transform((v) => [v].flat().filter(Boolean)),
        ),
        z.array(z.string().check(z.regex(ID_PATTERN))).check(z.minLength(1, '議題に入れる諮問を選んでください。'), z.maxLength(30)),
      ),
      bundle: z._default(z.enum(['separate', 'bundle']), 'separate'),
      bundleTitle: z.optional(z.string().check(z.trim(), z.maxLength(100, '一括諮問の件名は100文字以内で入力してください。'))),
    }),
    freeItemCommand,
  ]),
);
export type AddItemsCommand = z.output<typeof addItemsCommand>;

/**
 * Puts accepted cases on the agenda — each as its own item, or several on one shared
 * system as one bundled item (一括諮問) with one vote — and moves their workflows on.
 * Items of other kinds (挨拶, 報告, 説明 …) are added by addFreeItem.
 */
export async function addAgendaItems(
  deps: MeetingDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  input: AddItemsCommand,
): Promise<void> {
  const viewer = requireRole(principal, councilId, 'secretariat');
  if (input.kind !== 'deliberation') {
    await addFreeItem(deps, principal, councilId, meetingId, input);
    return;
  }
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.status === 'cancelled') throw new DomainError('中止した会議には議題を追加できません。');
  if (meeting.status !== 'planned') throw new DomainError('審議を始めた会議には議題を追加できません。');
  const existing = await deps.agendas.list(councilId, meetingId);
  // A framed agenda takes the new deliberations after its last one (before reports and the closing frame).
  let order = meeting.agendaFramed
    ? (await makeRoom(deps, councilId, meetingId, existing, 'deliberation')) - 1
    : existing.reduce((max, i) => Math.max(max, i.order), 0);

  // A case ticked twice is put on the agenda once.
  const ids = [...new Set(input.consultationIds)];
  const cases = await deps.consultations.getMany(councilId, ids);
  // A department's unsubmitted draft does not exist for the secretariat: not even its title in a refusal.
  if (cases.some((c) => !isVisibleTo(c, viewer))) throw new NotFoundError('諮問が見つかりません。');
  const onAgenda = new Set(existing.flatMap((i) => i.consultationIds));
  for (const c of cases) {
    if (c.status !== 'accepted' || c.meetingId || onAgenda.has(c.consultationId))
      throw new ConflictError(`「${c.form.title}」は日程調整待ちではありません。最新の状態を確認してください。`);
  }
  const groups: Consultation[][] = input.bundle === 'bundle' ? [cases] : cases.map((c) => [c]);
  // Room for every group after the first, which took the place made above.
  if (meeting.agendaFramed)
    for (let k = 1; k < groups.length; k++) await makeRoom(deps, councilId, meetingId, await deps.agendas.list(councilId, meetingId), 'deliberation');
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  for (const group of groups) {
    const first = group[0]!;
    const title = group.length > 1 ? input.bundleTitle || `${first.form.title} 他${group.length - 1}件` : first.form.title;
    const item: AgendaItem = {
      itemId: newId(),
      kind: 'deliberation',
      order: ++order,
      title,
      consultationIds: group.map((c) => c.consultationId),
      addedAt: deps.clock.now().toISOString(),
    };
    await deps.agendas.add(councilId, meetingId, item);
    for (const c of group) {
      const ref = { councilId, consultationId: c.consultationId };
      await deps.consultations.schedule(ref, meetingId, item.itemId);
      const department = departments.find((d) => d.departmentId === c.departmentId);
      // The department learns its meeting's date once the case is on it (an interrupted hand-over finished later is not told twice).
      if ((await handOver(deps, ref, 'accepted', { meetingId, itemId: item.itemId })) && department)
        await deps.notifier.notify({ type: 'consultation.scheduled', council, department, consultation: c, meeting, name: meetingName(council, meeting) });
    }
  }
}

export const itemUpdateCommand = z.lazy(() =>
  z.object({
    move: z.optional(z.enum(['up', 'down'])),
    /** Set by the edit form of an item that is not a deliberation: its title, text and 次第外 flag are posted with it. */
    edit: z.optional(z.literal('free')),
    ...freeItemFields,
  }),
);
export type ItemUpdateCommand = z.output<typeof itemUpdateCommand>;

/**
 * The secretariat reorders the agenda (an agenda in the fixed skeleton is framed first), names
 * an item's explainers (説明員), or edits an item that is not a deliberation (title, text, 次第外),
 * on a planned or open meeting.
 */
export async function updateAgendaItem(
  deps: MeetingDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  itemId: string,
  command: ItemUpdateCommand,
): Promise<void> {
  requireRole(principal, councilId, 'secretariat');
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.status === 'cancelled' || meeting.status === 'closed') throw new DomainError('開催予定か審議中の会議の議題だけを変更できます。');
  const item = await agendaItemOf(deps, councilId, meeting, itemId);
  // The item's form saves what it holds with a move as well.
  if (command.move) await moveAgendaItem(deps, councilId, meeting, itemId, command.move);
  if (command.edit === 'free' && item.kind !== 'deliberation') await editFreeItem(deps, councilId, meetingId, item, command);
  else if (command.explainers !== undefined) await deps.agendas.update(councilId, meetingId, itemId, { explainers: command.explainers });
}

/** One 説明員 for several agenda items (a department explaining all its cases). */
export const explainersCommand = z.lazy(() =>
  z.object({
    itemIds: z.pipe(
      z.pipe(
        z.union([z.string(), z.array(z.string())], { error: '説明員を設定する議題を選んでください。' }),
        z.transform((v) => [...new Set([v].flat().filter(Boolean))]),
      ),
      z.array(z.string().check(z.regex(ID_PATTERN))).check(z.minLength(1, '説明員を設定する議題を選んでください。')),
    ),
    explainers: z
      .string({ error: '説明員を入力してください。' })
      .check(z.trim(), z.minLength(1, '説明員を入力してください。'), z.maxLength(400, '説明員は400文字以内で入力してください。')),
  }),
);
export type ExplainersCommand = z.output<typeof explainersCommand>;

/**
 * The secretariat names the same explainers (説明員) on several items in one step. Every item
 * must be on this meeting's agenda, or nothing is changed. Returns how many items were set.
 */
export async function setExplainers(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string, command: ExplainersCommand) {
  requireRole(principal, councilId, 'secretariat');
  const items = await deps.agendas.list(councilId, meetingId);
  const ids = new Set(items.map((i) => i.itemId));
  if (command.itemIds.some((id) => !ids.has(id)))
    throw new InvalidInputError({ itemIds: 'この会議にない議題が選ばれています。ページを読み込み直してください。' });
  for (const itemId of command.itemIds) await deps.agendas.update(councilId, meetingId, itemId, { explainers: command.explainers });
  return command.itemIds.length;
}

/**
 * Finishes what an interrupted request left between the meeting's record and its cases'
 * workflows (see pendingHandOvers): one click from the meeting page, safe to repeat.
 */
export async function resumeMeeting(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  requireRole(principal, councilId, 'secretariat');
  const { meeting, agenda, cases } = await meetingRecord(deps, councilId, meetingId);
  const pending = pendingHandOvers(meeting, agenda, cases, deps.clock.now());
  const item = (id: string) => agenda.find((i) => i.itemId === id)!;
  const toOpen = [...new Set(pending.filter((p) => p.step === 'open_vote').map((p) => p.itemId))].map(item);
  if (toOpen.length) await startWrittenVote(deps, councilId, meeting, toOpen);
  for (const p of pending) {
    const c = cases.get(p.consultationId)!;
    const ref = { councilId, consultationId: c.consultationId };
    if (p.step === 'schedule') {
      if (!c.meetingId) await deps.consultations.schedule(ref, meetingId, p.itemId);
      await handOver(deps, ref, 'accepted', { meetingId, itemId: p.itemId });
    } else if (p.step === 'deliberate') await handOver(deps, ref, 'scheduled', { meetingId });
  }
  for (const itemId of new Set(pending.filter((p) => p.step === 'decide').map((p) => p.itemId))) {
    const decided = item(itemId);
    await applyDecision(deps, councilId, meetingId, decided, decided.decision!, decided.decision!.decidedBy);
  }
  return pending.length;
}

/** The meeting opens its deliberations (or the written vote starts): every case on it is now in deliberation. */
export async function openDeliberation(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  requireRole(principal, councilId, 'secretariat');
  const items = (await deps.agendas.list(councilId, meetingId)).filter((i) => i.kind === 'deliberation');
  if (items.length === 0) throw new DomainError('審議する議題がありません。先に諮問を議題に入れてください。');
  const cases = await deps.consultations.getMany(
    councilId,
    items.flatMap((i) => i.consultationIds),
  );
  const notReady = cases.find((c) => c.status !== 'scheduled' || !c.taskToken);
  if (notReady) throw new ConflictError(`「${notReady.form.title}」の準備がまだ整っていません。少し待ってからもう一度操作してください。`);
  const meeting = await deps.meetings.get(councilId, meetingId);
  await deps.meetings.setStatus(councilId, meetingId, 'planned', 'in_session', deps.clock.now().toISOString());
  // A few hand-overs at a time: a written vote on dozens of cases opens within one request's time.
  for (let i = 0; i < cases.length; i += 8) {
    await Promise.all(cases.slice(i, i + 8).map((c) => handOver(deps, { councilId, consultationId: c.consultationId }, 'scheduled', { meetingId })));
  }
  if (meeting.kind === 'written') await startWrittenVote(deps, councilId, meeting, items);
}

/**
 * At a meeting the secretariat records who was present for the item and the show of hands
 * (全員挙手, or member by member), or that the council carries it over; the council's
 * rules turn the hands into the decision, and the chair's wording of any conditions is
 * entered with it.
 */
export async function recordShowOfHands(
  deps: MeetingDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  itemId: string,
  hands: HandsCommand,
) {
  const actor = requireRole(principal, councilId, 'secretariat');
  const [council, meeting, item, members] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.meetings.get(councilId, meetingId),
    deps.agendas.get(councilId, meetingId, itemId),
    deps.councils.listMembers(councilId),
  ]);
  if (meeting.status !== 'in_session' || meeting.kind !== 'meeting') throw new DomainError('審議中の会議ではありません。');
  if (item.kind !== 'deliberation') throw new NotFoundError('議題が見つかりません。');
  if (item.decision) throw new ConflictError('この議題の結果は既に記録されています。');
  if (item.chairWording) throw new ConflictError('この議題は議長による条件の確定を待っています。');
  const read = ballotsFromHands(
    hands,
    members.map((m) => m.memberId),
    deps.clock.now().toISOString(),
  );
  if (!read.ok) throw new InvalidInputError(read.errors);
  let decision: Pick<Decision, 'outcome' | 'conditions' | 'opinions'> = { outcome: 'carried_over', conditions: [] };
  if (hands.mode !== 'continue') {
    await deps.agendas.recordHands(councilId, meetingId, itemId, read.present, read.ballots, hands.mode === 'each' ? 'each' : 'all');
    const result = tally({
      memberIds: members.map((m) => m.memberId),
      chairId: council.chairMemberId,
      ballots: Object.values(read.ballots),
      rules: council.rules,
    });
    const approved = result.outcome === 'approved';
    if (approved && hands.wording === 'chair') {
      await awaitPresidingWording(deps, council, meeting, item, members, hands);
      return 'awaiting_chair' as const;
    }
    decision = {
      outcome: approved ? approvalOutcome(hands.conditions, hands.opinions) : result.outcome,
      conditions: approved ? hands.conditions : [],
      opinions: approved ? (hands.opinions ?? []) : [],
    };
  }
  await applyDecision(deps, councilId, meetingId, item, decision, actor);
  return decision.outcome;
}

/**
 * The hands approved, and the council leaves the wording of its conditions and opinions to the
 * presiding officer (議長): the decision waits for it on the chair's page, and they are told.
 */
async function awaitPresidingWording(deps: MeetingDeps, council: Council, meeting: Meeting, item: AgendaItem, members: Member[], hands: HandsCommand) {
  const { councilId } = council;
  await deps.agendas.awaitChairWording(councilId, meeting.meetingId, item.itemId, {
    status: 'awaiting',
    conditions: hands.conditions,
    opinions: hands.opinions ?? [],
    proposedAt: deps.clock.now().toISOString(),
  });
  const presiding = presidingOf(council, await deps.meetings.getProceedings(councilId, meeting.meetingId));
  const chair = members.find((m) => m.memberId === presiding);
  if (chair)
    await deps.notifier.notify({
      type: 'conditions.awaiting_chair',
      council,
      chair,
      meetingId: meeting.meetingId,
      meetingName: meetingName(council, meeting),
      item,
      proposed: [...hands.conditions, ...(hands.opinions ?? []).map((o) => `(意見)${o}`)],
      atMeeting: true,
    });
}

/** The one roll of who is present, for 全員挙手 on every item still to decide. */
export const allHandsCommand = z.lazy(() =>
  z.object({
    present: z.pipe(
      z.pipe(
        z.union([z.string(), z.array(z.string())], { error: '出席している委員を選んでください。' }),
        z.transform((v) => [...new Set([v].flat().filter(Boolean))]),
      ),
      z.array(z.string().check(z.regex(ID_PATTERN))).check(z.minLength(1, '出席している委員を選んでください。')),
    ),
  }),
);
export type AllHandsCommand = z.output<typeof allHandsCommand>;

/**
 * 全員挙手 on every deliberation item of the meeting not yet decided, in agenda order, from one
 * roll of who is present: each item recorded exactly as if recorded alone (可, no conditions),
 * its cases moved on to their answers. Items that need conditions, a carry-over or member-by-member
 * hands are recorded on their own first. Returns how many items were decided.
 */
export async function recordAllHands(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string, command: AllHandsCommand) {
  requireRole(principal, councilId, 'secretariat');
  const open = orderedAgenda(await deps.agendas.list(councilId, meetingId)).filter((i) => i.kind === 'deliberation' && !i.decision && !i.chairWording);
  if (open.length === 0) throw new DomainError('結果を記録する議題は残っていません。');
  for (const item of open) {
    await recordShowOfHands(deps, principal, councilId, meetingId, item.itemId, { mode: 'all', present: command.present, votes: {}, conditions: [] });
  }
  return open.length;
}

/** Sends the agenda (会議次第) with links to each case's materials to every member. */
export async function mailAgenda(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string): Promise<number> {
  requireRole(principal, councilId, 'secretariat');
  const { council, meeting, agenda, members, cases } = await meetingRecord(deps, councilId, meetingId);
  if (meeting.status === 'cancelled') throw new DomainError('中止した会議の会議次第は送れません。');
  if (meeting.status === 'closed') throw new DomainError('終了した会議の会議次第は送れません。');
  await deps.notifier.notify({ type: 'agenda.sent', council, meeting, name: meetingName(council, meeting), agenda, cases, members });
  return members.length;
}

/** 会議次第 as a document (for its Word file), for those who see the meeting; named after the meeting. */
export async function agendaOfMeeting(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  requireRole(principal, councilId, 'secretariat', 'member', 'chair');
  const { council, meeting, agenda, departments, cases } = await meetingRecord(deps, councilId, meetingId);
  const document = agendaDocument({ council, meeting, agenda, cases, departments });
  return { document, fileName: `${meetingName(council, meeting)} 会議次第.docx` };
}
