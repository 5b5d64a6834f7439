import * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import {
  AGENDA_KIND_LABELS,
  type AgendaRequestInput,
  agendaLines,
  FREE_KINDS,
  frameItem,
  freeItemFields,
  insertionPoint,
  isFrameId,
  type NextMeetingInput,
  nextSeq,
  WRITTEN_KINDS,
} from '#shared/domain/agenda.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { businessKeyOf, FOLLOW_UP_TYPES, type FollowUp } from '#shared/domain/followups.ts';
import { type AgendaItem, type Meeting, meetingName, moveItem, newMeeting } from '#shared/domain/meeting.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { recordAudit } from './audit.ts';
import { tokenFor } from './followups.ts';
import { handOver } from './hand-over.ts';
import { changeMeeting } from './meeting-changes.ts';

type AgendaDeps = Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas' | 'followUps' | 'workflow' | 'notifier' | 'clock' | 'signingKey' | 'links'>;

/** The agenda of a meeting the secretariat may still change: planned, or open (an item taken up at the meeting). */
async function editableMeeting(deps: Pick<Deps, 'meetings'>, councilId: string, meetingId: string): Promise<Meeting> {
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.status === 'cancelled') throw new DomainError('中止した会議の議題は変更できません。');
  if (meeting.status === 'closed') throw new DomainError('終了した会議の議題は変更できません。');
  return meeting;
}

/**
 * Makes the agenda's frame real items (開会, 諮問書授受, 次回開催日程, 閉会, where none is there),
 * ordered as the page showed them, before the first change to an agenda shown in the fixed
 * skeleton (Meeting.agendaFramed). Frame items have fixed ids, so a retry creates nothing twice.
 */
export async function frameAgenda(deps: Pick<Deps, 'meetings' | 'agendas' | 'clock'>, councilId: string, meeting: Meeting): Promise<AgendaItem[]> {
  const items = await deps.agendas.list(councilId, meeting.meetingId);
  if (meeting.agendaFramed) return items;
  const now = deps.clock.now().toISOString();
  const lines = agendaLines(meeting, items);
  const framed: AgendaItem[] = [];
  for (const [k, line] of lines.entries()) {
    const order = k + 1;
    if (!line.implied) {
      if (line.item.order !== order) await deps.agendas.update(councilId, meeting.meetingId, line.item.itemId, { order });
      framed.push({ ...line.item, order });
      continue;
    }
    const item = frameItem(line.kind, order, now);
    if (!(await deps.agendas.addOnce(councilId, meeting.meetingId, item))) await deps.agendas.update(councilId, meeting.meetingId, item.itemId, { order });
    framed.push(item);
  }
  await deps.meetings.markAgendaFramed(councilId, meeting.meetingId);
  return framed;
}

/** An item of the agenda; a frame line still implied (its fixed id) is made real first, with the rest of the frame. */
export async function agendaItemOf(
  deps: Pick<Deps, 'meetings' | 'agendas' | 'clock'>,
  councilId: string,
  meeting: Meeting,
  itemId: string,
): Promise<AgendaItem> {
  if (!meeting.agendaFramed && isFrameId(itemId)) {
    const item = (await frameAgenda(deps, councilId, meeting)).find((i) => i.itemId === itemId);
    if (item) return item;
  }
  return deps.agendas.get(councilId, meeting.meetingId, itemId);
}

/** Where a new item goes: its order, once the items after it have moved down. */
export async function makeRoom(deps: Pick<Deps, 'agendas'>, councilId: string, meetingId: string, items: readonly AgendaItem[], kind: AgendaItem['kind']) {
  const { order, shifts } = insertionPoint(items, kind);
  // From the end, so two items never share an order for longer than a write.
  for (const s of [...shifts].reverse()) await deps.agendas.update(councilId, meetingId, s.itemId, { order: s.order });
  return order;
}

export const freeItemCommand = z.lazy(() =>
  z.object({
    kind: z.enum(FREE_KINDS, { error: '区分を選んでください。' }),
    ...freeItemFields,
  }),
);
export type FreeItemCommand = z.output<typeof freeItemCommand>;

/**
 * Adds an item of any kind but a deliberation — 開会, 挨拶, 諮問書授受, 報告, 説明 (次第外 too),
 * その他, 次回開催日程, 閉会 — where it belongs, on a planned or open meeting. Its title is the
 * kind's name when none is given. Returns the new item's id.
 */
export async function addFreeItem(deps: AgendaDeps, principal: Principal | undefined, councilId: string, meetingId: string, command: FreeItemCommand) {
  requireRole(principal, councilId, 'secretariat');
  const meeting = await editableMeeting(deps, councilId, meetingId);
  if (meeting.kind === 'written' && !(WRITTEN_KINDS as readonly string[]).includes(command.kind))
    throw new DomainError('書面審議の議題に加えられるのは、報告・説明・その他だけです。');
  const items = await frameAgenda(deps, councilId, meeting);
  const order = await makeRoom(deps, councilId, meetingId, items, command.kind);
  const itemId = newId();
  await deps.agendas.add(councilId, meetingId, {
    itemId,
    kind: command.kind,
    order,
    title: command.title || AGENDA_KIND_LABELS[command.kind],
    consultationIds: [],
    addedAt: deps.clock.now().toISOString(),
    ...(command.text ? { text: command.text } : {}),
    ...(command.explainers ? { explainers: command.explainers } : {}),
    ...(command.kind === 'explanation' && command.outsideAgenda ? { outsideAgenda: true } : {}),
  });
  return itemId;
}

/** Moves an item one place up or down, the frame included (an agenda not framed yet is framed first). */
export async function moveAgendaItem(deps: AgendaDeps, councilId: string, meeting: Meeting, itemId: string, direction: 'up' | 'down') {
  const items = await frameAgenda(deps, councilId, meeting);
  if (!items.some((i) => i.itemId === itemId)) throw new NotFoundError('議題が見つかりません。');
  for (const change of moveItem(items, itemId, direction)) await deps.agendas.update(councilId, meeting.meetingId, change.itemId, { order: change.order });
}

/**
 * Takes an item off a planned or open meeting's agenda. A deliberation goes only before the
 * meeting opens, and its cases go back to 日程調整待ち as a cancelled meeting's do: the workflow
 * is handed back first, then the case lets go of the meeting, then the item goes — so a retry
 * finds what is left to do. An item whose requests became follow-ups stays (they point at it).
 */
export async function removeAgendaItem(deps: AgendaDeps, principal: Principal | undefined, councilId: string, meetingId: string, itemId: string) {
  const actor = requireRole(principal, councilId, 'secretariat');
  const meeting = await editableMeeting(deps, councilId, meetingId);
  const item = await agendaItemOf(deps, councilId, meeting, itemId);
  if (item.decision) throw new ConflictError('結果を記録した議題は削除できません。');
  if (item.requests?.length) throw new DomainError('報告を求めた議題は削除できません(求めた報告は履行確認で追跡しています)。');
  if (item.kind === 'deliberation') {
    if (meeting.status !== 'planned') throw new DomainError('審議を始めた会議からは諮問を外せません。継続審議として記録してください。');
    const reason = `「${item.title}」を${meetingName(await deps.councils.getCouncil(councilId), meeting)}の議題から外したため`;
    for (const c of await deps.consultations.getMany(councilId, item.consultationIds)) {
      if (c.meetingId !== meetingId) continue;
      const ref = { councilId, consultationId: c.consultationId };
      if (await handOver(deps, ref, 'scheduled', { meetingId, cancelled: true }))
        await recordAudit(deps, ref, actor, '議題から外し日程調整待ちに戻す', { detail: reason });
      await deps.consultations.unschedule(ref);
    }
  }
  await deps.agendas.remove(councilId, meetingId, itemId, deps.clock.now().toISOString(), actor.userId);
}

/** A free item's title, text, explainers and 次第外 flag, as its edit form posts them. */
export async function editFreeItem(
  deps: AgendaDeps,
  councilId: string,
  meetingId: string,
  item: AgendaItem,
  fields: { title?: string | undefined; text?: string | undefined; explainers?: string | undefined; outsideAgenda?: 'yes' | undefined },
) {
  await deps.agendas.update(councilId, meetingId, item.itemId, {
    title: fields.title || AGENDA_KIND_LABELS[item.kind],
    text: fields.text ?? '',
    explainers: fields.explainers ?? '',
    ...(item.kind === 'explanation' ? { outsideAgenda: fields.outsideAgenda === 'yes' } : {}),
  });
}

/**
 * A request raised under a report item (「次回報告してください」): it becomes a follow-up owned
 * by the department, due on the date given, on the department's list and the council's
 * dashboard, and the department is sent its request with a link to answer — as a condition's
 * follow-up is, but standing on its own (its source is the meeting's item, not a case's answer).
 */
export async function raiseRequest(
  deps: AgendaDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  itemId: string,
  input: AgendaRequestInput,
) {
  requireRole(principal, councilId, 'secretariat');
  const [council, meeting, item, departments] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.meetings.get(councilId, meetingId),
    deps.agendas.get(councilId, meetingId, itemId),
    deps.councils.listDepartments(councilId),
  ]);
  if (meeting.status === 'cancelled') throw new DomainError('中止した会議では報告を求められません。');
  if (item.kind !== 'report') throw new DomainError('報告の議題でだけ、次回の報告を求められます。');
  const department = departments.find((d) => d.departmentId === input.departmentId);
  if (!department) throw new InvalidInputError({ departmentId: '報告を求める所管課を選んでください。' });
  const before = item.requests?.length ?? 0;
  const now = deps.clock.now().toISOString();
  const spec = FOLLOW_UP_TYPES.council_request;
  const fu: FollowUp = {
    followUpId: `${itemId}-${before + 1}`,
    councilId,
    consultationId: itemId,
    source: { meetingId, itemId },
    title: `${meetingName(council, meeting)}「${item.title}」`,
    businessKey: businessKeyOf({ businessName: item.title }),
    conditionIndex: before,
    condition: input.text,
    binding: false,
    type: 'council_request',
    owner: 'department',
    ownerName: department.name,
    departmentId: department.departmentId,
    ownerEmail: department.email ?? '',
    evidence: spec.evidence,
    due: input.due,
    status: 'open',
    answers: [],
    pendingEvidence: [],
    notified: [],
    createdAt: now,
    version: 1,
  };
  // The follow-up first (a retry finds it and creates nothing), then the item names it.
  await deps.followUps.createAll([fu]);
  await deps.agendas.addRequest(
    councilId,
    meetingId,
    itemId,
    { text: input.text, departmentId: department.departmentId, due: input.due, followUpId: fu.followUpId, at: now },
    before,
  );
  const created = await deps.followUps.get({ councilId, consultationId: itemId, followUpId: fu.followUpId });
  if (!created.notified.includes('request')) {
    await deps.notifier.notify({ type: 'followup.requested', council, followUp: created, token: await tokenFor(deps, created), reminder: false });
    await deps.followUps.markNotified({ councilId, consultationId: itemId, followUpId: fu.followUpId }, 'request');
  }
  return fu;
}

/**
 * 次回開催日程: the next meeting's date, time and place. The first time, it creates that meeting
 * (planned, numbered this one's + 1 in the same fiscal year, or 1 in a new one, as public as
 * this one) and the item links to it; later, it changes that meeting while still planned (members
 * are told of a new date, time or place, as any change tells them). Returns the next meeting's id.
 */
export async function planNextMeeting(
  deps: AgendaDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  itemId: string,
  input: NextMeetingInput,
): Promise<string> {
  requireRole(principal, councilId, 'secretariat');
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.status === 'cancelled') throw new DomainError('中止した会議では次回の日程を決められません。');
  const item = await agendaItemOf(deps, councilId, meeting, itemId);
  if (item.kind !== 'next_meeting') throw new DomainError('次回開催日程の議題でだけ、次回の会議を登録できます。');
  if (input.nextDate <= meeting.date)
    throw new InvalidInputError({ nextDate: `次回の開催日は、この会議(${formatEraDate(meeting.date)})より後にしてください。` });
  const nextId = item.next?.meetingId ?? newId();
  const publicObservation = meeting.publicObservation === false ? ('no' as const) : ('yes' as const);
  const plan = { date: input.nextDate, startTime: input.nextStartTime, venue: input.nextVenue, meetingId: nextId };
  const form = {
    kind: 'meeting' as const,
    requestId: nextId,
    date: plan.date,
    startTime: plan.startTime,
    venue: plan.venue,
    publicObservation,
    ...(publicObservation === 'no' ? { closedReason: meeting.closedReason ?? '' } : {}),
  };
  const existing = item.next
    ? await deps.meetings.get(councilId, nextId).catch((e) => (e instanceof NotFoundError ? undefined : Promise.reject(e)))
    : undefined;
  if (existing?.seq) {
    if (existing.status !== 'planned') throw new DomainError('次回の会議は既に開催予定ではないため、日程を変更できません。');
    // Unchanged values change nothing (no notice to members).
    if (existing.date !== plan.date || existing.startTime !== plan.startTime || existing.venue !== plan.venue) {
      // What the item does not set (the end time, whether the public may observe) stays as the meeting has it.
      const closed = existing.publicObservation === false;
      await changeMeeting(deps, principal, councilId, nextId, {
        input: {
          ...form,
          endTime: existing.endTime ?? '',
          publicObservation: closed ? 'no' : 'yes',
          ...(closed ? { closedReason: existing.closedReason ?? '' } : {}),
        },
        number: { seq: existing.seq, version: existing.version },
      }).catch((e) => {
        // The change form's fields are this form's next… fields.
        if (!(e instanceof InvalidInputError)) throw e;
        const field: Record<string, string> = { date: 'nextDate', startTime: 'nextStartTime', venue: 'nextVenue' };
        throw new InvalidInputError(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [field[k] ?? 'nextDate', v])));
      });
    }
  } else {
    // The item names the meeting before it exists: a retry creates that same meeting, never a second one.
    await deps.agendas.setNext(councilId, meetingId, itemId, plan);
    const created = await deps.meetings.create(councilId, newMeeting(form, deps.clock.now().toISOString()));
    const wanted = nextSeq(meeting, created.fiscalYear);
    if (created.seq !== wanted) {
      const taken = (await deps.meetings.list(councilId)).some(
        (m) => m.fiscalYear === created.fiscalYear && m.meetingId !== nextId && m.seq === wanted && m.status !== 'cancelled',
      );
      if (!taken) await deps.meetings.change(councilId, created, {}, wanted);
    }
  }
  await deps.agendas.setNext(councilId, meetingId, itemId, plan);
  return nextId;
}
