import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { meetingName } from '#shared/domain/meeting.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import {
  type Attendee,
  type AttendeeCommand,
  automaticPresiding,
  type EntryCommand,
  emptyProceedings,
  entryFields,
  isEmptyEntry,
  type MeetingEntry,
  type Proceedings,
  type RollCommand,
  type RollEntry,
} from '#shared/domain/proceedings.ts';
import { DomainError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { meetingRecord } from './meeting-record.ts';

type ProceedingsDeps = Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas' | 'staff' | 'clock'>;

async function meetingOnTheDay(deps: ProceedingsDeps, councilId: string, meetingId: string) {
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.kind !== 'meeting') throw new DomainError('書面審議には出欠や会議中の記録はありません。');
  if (meeting.status === 'cancelled') throw new DomainError('中止した会議には記録できません。');
  return meeting;
}

/**
 * The secretariat takes the roll: every roster member present, absent, arrived late or left
 * early (with the time); who presides — the chair, or the vice-chair (or an acting chair) when
 * the chair is absent; and the actual opening and closing times. Each item's presence and the
 * minutes' attendance default from it.
 */
export async function recordRoll(deps: ProceedingsDeps, principal: Principal | undefined, councilId: string, meetingId: string, command: RollCommand) {
  const actor = requireRole(principal, councilId, 'secretariat');
  await meetingOnTheDay(deps, councilId, meetingId);
  const [council, members, current] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.councils.listMembers(councilId),
    deps.meetings.getProceedings(councilId, meetingId),
  ]);
  const errors: Record<string, string> = {};
  const ids = new Set(members.map((m) => m.memberId));
  if (Object.keys(command.roll).some((id) => !ids.has(id))) errors['_form'] = '委員名簿が変わりました。ページを開き直してください。';
  const roll: RollEntry[] = [];
  for (const m of members) {
    const r = command.roll[m.memberId];
    if (!r) {
      errors[`roll.${m.memberId}.status`] = '出欠を選んでください。';
      continue;
    }
    roll.push({ memberId: m.memberId, status: r.status, ...(r.time && r.status !== 'present' && r.status !== 'absent' ? { time: r.time } : {}) });
  }
  const attending = (id: string | undefined) => Boolean(id) && roll.some((r) => r.memberId === id && r.status !== 'absent');
  let presiding = command.presidingMemberId;
  if (presiding && !attending(presiding)) errors['presidingMemberId'] = '議長は、欠席していない委員から選んでください。';
  presiding ??= automaticPresiding(council, roll);
  if (command.openedAt && command.closedAt && command.closedAt < command.openedAt) errors['closedAt'] = '閉会時刻は開会時刻より後にしてください。';
  if (Object.keys(errors).length) throw new InvalidInputError(errors);
  const now = deps.clock.now().toISOString();
  const base = current ?? emptyProceedings(meetingId, now, actor.userId);
  const { presidingMemberId: _p, openedAt: _o, closedAt: _c, ...rest } = base;
  const next: Proceedings = {
    ...rest,
    roll,
    ...(presiding ? { presidingMemberId: presiding } : {}),
    ...(command.openedAt ? { openedAt: command.openedAt } : {}),
    ...(command.closedAt ? { closedAt: command.closedAt } : {}),
    updatedAt: now,
    updatedBy: actor.userId,
  };
  await deps.meetings.saveProceedings(councilId, next, command.version);
}

/** 山下 潤(総務課 情報公開係) → 山下 潤: the registry's display name without the placement in brackets. */
const personalName = (name: string) => name.replace(/[((][^()()]*[))]\s*$/, '').trim();

/**
 * The secretariat adds a secretariat attendee or an explainer — chosen from the staff registry
 * (name, title and department from it unless typed) or typed — each person listed once; or takes
 * one off the list.
 */
export async function changeAttendees(deps: ProceedingsDeps, principal: Principal | undefined, councilId: string, meetingId: string, command: AttendeeCommand) {
  const actor = requireRole(principal, councilId, 'secretariat');
  await meetingOnTheDay(deps, councilId, meetingId);
  const current = await deps.meetings.getProceedings(councilId, meetingId);
  const now = deps.clock.now().toISOString();
  const base = current ?? emptyProceedings(meetingId, now, actor.userId);
  if ('remove' in command) {
    if (!base.attendees.some((a) => a.attendeeId === command.remove)) return;
    await deps.meetings.saveProceedings(
      councilId,
      { ...base, attendees: base.attendees.filter((a) => a.attendeeId !== command.remove), updatedAt: now, updatedBy: actor.userId },
      base.version,
    );
    return;
  }
  const departments = await deps.councils.listDepartments(councilId);
  if (command.departmentId && !departments.some((d) => d.departmentId === command.departmentId))
    throw new InvalidInputError({ departmentId: '部・課を選び直してください。' });
  let staff: Awaited<ReturnType<ProceedingsDeps['staff']['get']>> | undefined;
  if (command.userId) {
    staff = await deps.staff.get(councilId, command.userId).catch((e) => {
      if (e instanceof NotFoundError) throw new InvalidInputError({ userId: '職員を選び直してください。' });
      throw e;
    });
    if (staff.role === 'member' || staff.role === 'operator') throw new InvalidInputError({ userId: '事務局または所管課の職員を選んでください。' });
  }
  const name = command.name ?? (staff ? personalName(staff.name) : undefined);
  if (!name) throw new InvalidInputError({ name: '職員を選ぶか、氏名を入力してください。' });
  const departmentId = command.departmentId ?? staff?.departmentId;
  const attendee: Attendee = {
    attendeeId: newId(),
    role: command.role,
    name,
    title: command.title || staff?.title || '',
    ...(departmentId ? { departmentId } : {}),
    ...(staff ? { userId: staff.userId } : {}),
  };
  const key = (a: Pick<Attendee, 'role' | 'name'>) => `${a.role}:${a.name.replace(/[\s\u3000]+/g, '')}`;
  if (base.attendees.some((a) => key(a) === key(attendee)))
    throw new InvalidInputError({ name: `${name}さんは既に${attendee.role === 'explainer' ? '説明員' : '事務局'}に入っています(1人1回)。` });
  await deps.meetings.saveProceedings(councilId, { ...base, attendees: [...base.attendees, attendee], updatedAt: now, updatedBy: actor.userId }, base.version);
}

/** The meeting-in-progress page: every agenda item with the rows typed so far, the roll and the explainers to choose from. */
export async function viewRecord(deps: ProceedingsDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const [record, entries] = await Promise.all([meetingRecord(deps, councilId, meetingId), deps.meetings.listEntries(councilId, meetingId)]);
  if (record.meeting.kind !== 'meeting') throw new DomainError('書面審議には会議中の記録はありません。');
  return { viewer, ...record, name: meetingName(record.council, record.meeting), entries: entries.filter((e) => !e.deleted) };
}

/**
 * Saves one row of the meeting-in-progress record as typed: a new row, a change to one, or — an
 * emptied row, or 「削除」 — takes it back. Returns the row's id (none when taken back).
 */
export async function saveEntry(
  deps: ProceedingsDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  command: EntryCommand,
): Promise<string | undefined> {
  const actor = requireRole(principal, councilId, 'secretariat');
  await meetingOnTheDay(deps, councilId, meetingId);
  const [items, entries] = await Promise.all([deps.agendas.list(councilId, meetingId), deps.meetings.listEntries(councilId, meetingId)]);
  if (!items.some((i) => i.itemId === command.itemId)) throw new NotFoundError('議題が見つかりません。');
  const existing = command.entryId ? entries.find((e) => e.entryId === command.entryId && e.itemId === command.itemId) : undefined;
  if (command.entryId && !existing) throw new NotFoundError('記録が見つかりません。ページを読み込み直してください。');
  const now = deps.clock.now().toISOString();
  const fields = entryFields(command);
  if (command.delete === 'yes' || isEmptyEntry(fields)) {
    if (existing && !existing.deleted) await deps.meetings.putEntry(councilId, meetingId, { ...existing, deleted: true, updatedAt: now, by: actor.userId });
    return undefined;
  }
  const entry: MeetingEntry = existing
    ? { ...existing, ...fields, updatedAt: now, by: actor.userId }
    : { entryId: newId(), ...fields, createdAt: now, updatedAt: now, by: actor.userId };
  await deps.meetings.putEntry(councilId, meetingId, entry);
  return entry.entryId;
}
