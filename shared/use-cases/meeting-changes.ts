import type { Deps } from '#shared/adapters/deps.ts';
import { fiscalYear, formatFiscalYear } from '#shared/domain/era.ts';
import { type CancelMeetingInput, type MeetingInput, type MeetingNumberInput, meetingChanges, meetingName, meetingWhen } from '#shared/domain/meeting.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { DomainError, InvalidInputError } from '#shared/errors.ts';
import { recordAudit } from './audit.ts';
import { handOver } from './hand-over.ts';

type ChangeDeps = Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas' | 'workflow' | 'notifier' | 'clock'>;

const NOT_PLANNED = '開催前の会議だけを変更・中止できます。';

/**
 * The secretariat changes a planned meeting: its date, time and place (or a written decision's
 * deadline) within the same fiscal year, and its number (第N回) when the council counts otherwise.
 * Members are told what changed when the date, time or place did.
 */
export async function changeMeeting(
  deps: ChangeDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  command: { input: MeetingInput; number: MeetingNumberInput },
) {
  requireRole(principal, councilId, 'secretariat');
  const [council, meeting] = await Promise.all([deps.councils.getCouncil(councilId), deps.meetings.get(councilId, meetingId)]);
  if (meeting.status !== 'planned') throw new DomainError(NOT_PLANNED);
  if (command.input.kind !== meeting.kind) throw new InvalidInputError({ kind: '会議と書面審議は切り替えられません。新しく登録してください。' });
  if (fiscalYear(command.input.date) !== meeting.fiscalYear)
    throw new InvalidInputError({ date: `${formatFiscalYear(meeting.fiscalYear)}の日付にしてください(年度をまたぐときは新しく登録してください)。` });
  const { seq, version } = command.number;
  if (version !== meeting.version) throw new InvalidInputError({ seq: 'この会議は他の人が変更しました。最新の内容を確認してから、もう一度変更してください。' });
  if (seq !== meeting.seq) {
    const taken = (await deps.meetings.list(councilId)).find(
      (m) => m.fiscalYear === meeting.fiscalYear && m.meetingId !== meetingId && m.seq === seq && m.status !== 'cancelled',
    );
    if (taken) throw new InvalidInputError({ seq: `第${seq}回は既に${meetingWhen(taken)}の会議に付いています。` });
  }
  const changes = meetingChanges(command.input);
  await deps.meetings.change(councilId, meeting, changes, seq);
  const before = meetingWhen(meeting) + (meeting.venue ?? '');
  const after = { ...meeting, ...changes, seq, version: meeting.version + 1 };
  if (meetingWhen(after) + (after.venue ?? '') !== before) {
    for (const member of await deps.councils.listMembers(councilId))
      await deps.notifier.notify({ type: 'meeting.changed', council, meeting: after, before: meeting, name: meetingName(council, after), member });
  }
  return after;
}

/**
 * The secretariat cancels a planned meeting (中止), saying why: its cases go back to scheduling
 * (日程調整待ち) and members are told. Cancelling again finishes what an interrupted cancellation
 * left (cases still waiting on it) and tells no one twice.
 */
export async function cancelMeeting(deps: ChangeDeps, principal: Principal | undefined, councilId: string, meetingId: string, command: CancelMeetingInput) {
  const actor = requireRole(principal, councilId, 'secretariat');
  const [council, meeting] = await Promise.all([deps.councils.getCouncil(councilId), deps.meetings.get(councilId, meetingId)]);
  if (meeting.status !== 'planned' && meeting.status !== 'cancelled') throw new DomainError(NOT_PLANNED);
  const now = deps.clock.now().toISOString();
  const cancelledNow = meeting.status === 'planned' && (await deps.meetings.cancel(councilId, meetingId, command.reason, now));
  const agenda = await deps.agendas.list(councilId, meetingId);
  const ids = agenda.filter((i) => i.kind === 'deliberation').flatMap((i) => i.consultationIds);
  for (const c of await deps.consultations.getMany(councilId, ids)) {
    if (c.meetingId !== meetingId) continue;
    const ref = { councilId, consultationId: c.consultationId };
    // Handed back before the case lets go of the meeting: a retry still finds what is left to do.
    if (await handOver(deps, ref, 'scheduled', { meetingId, cancelled: true }))
      await recordAudit(deps, ref, actor, '会議の中止により日程調整待ちに戻す', { detail: command.reason });
    await deps.consultations.unschedule(ref);
  }
  if (cancelledNow) {
    const cancelled = { ...meeting, status: 'cancelled' as const, cancelledReason: command.reason };
    for (const member of await deps.councils.listMembers(councilId))
      await deps.notifier.notify({ type: 'meeting.cancelled', council, meeting: cancelled, name: meetingName(council, meeting), member });
  }
  return ids.length;
}
