import { beforeEach, describe, expect, it } from 'vitest';
import { agendaOutline, outlineText } from '#shared/domain/agenda.ts';
import { DomainError, InvalidInputError } from '#shared/errors.ts';
import { addFreeItem, frameAgenda, planNextMeeting, raiseRequest, removeAgendaItem } from '#shared/use-cases/agenda.ts';
import { addAgendaItems } from '#shared/use-cases/meetings.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptedCase, inDeliberation, newMeetingOf, schedule } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});
const outlineOf = async (meetingId: string) => {
  const [meeting, items] = await Promise.all([deps.meetings.get('sakura', meetingId), deps.agendas.list('sakura', meetingId)]);
  return outlineText(agendaOutline(meeting, items));
};

describe('the free agenda', () => {
  it('frames an agenda once: a retry from a page read before the frame was made creates no second frame', async () => {
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    await frameAgenda(deps, 'sakura', meeting);
    // The same stale meeting (not yet marked framed) framed again.
    await frameAgenda(deps, 'sakura', meeting);
    const items = await deps.agendas.list('sakura', meeting.meetingId);
    expect(items.map((i) => i.itemId).sort()).toEqual(['frame-closing', 'frame-handover', 'frame-next', 'frame-opening']);
    expect(await outlineOf(meeting.meetingId)).toEqual(['1 開会', '2 諮問書授受', '3 次回開催日程', '4 閉会']);
  });

  it('gives a written decision no frame: reports, explanations and other business only', async () => {
    const written = await newMeetingOf(deps, sakura.people, 'written');
    await expect(addFreeItem(deps, sakura.people.secretariat, 'sakura', written.meetingId, { kind: 'greeting' })).rejects.toThrow(DomainError);
    await addFreeItem(deps, sakura.people.secretariat, 'sakura', written.meetingId, { kind: 'report', title: '業務届出の件数' });
    expect(await outlineOf(written.meetingId)).toEqual(['1 報告', '  (1) 業務届出の件数']);
  });

  it('puts cases added to a framed agenda after the last case, before the report and the closing frame', async () => {
    const [a, b] = [await acceptedCase(deps, sakura.people, { title: '事務A' }), await acceptedCase(deps, sakura.people, { title: '事務B' })];
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    await schedule(deps, sakura.people, meeting, [a]);
    await addFreeItem(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, { kind: 'report', title: '業務届出の件数' });
    await addAgendaItems(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, {
      kind: 'deliberation',
      consultationIds: [b.consultationId],
      bundle: 'separate',
    });
    await deps.workflow.settle();
    expect(await outlineOf(meeting.meetingId)).toEqual([
      '1 開会',
      '2 諮問書授受',
      '3 議事 個人情報を取り扱う事務について(諮問)',
      '  (1) 事務A',
      '  (2) 事務B',
      '4 報告',
      '  (1) 業務届出の件数',
      '5 次回開催日程',
      '6 閉会',
    ]);
  });

  it('sends a removed case back to 日程調整待ち with its audit line, and refuses to remove one once deliberation has begun', async () => {
    const [a, b] = [await acceptedCase(deps, sakura.people, { title: '外す事務' }), await acceptedCase(deps, sakura.people, { title: '残す事務' })];
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    const [itemA, itemB] = await schedule(deps, sakura.people, meeting, [a, b]);
    expect((await deps.consultations.get(a)).status).toBe('scheduled');

    await removeAgendaItem(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, itemA!.itemId);
    await deps.workflow.settle();
    const removed = await deps.consultations.get(a);
    expect(removed.status).toBe('accepted');
    expect(removed.meetingId).toBeUndefined();
    expect((await deps.consultations.bundle(a)).audit.map((e) => e.action)).toContain('議題から外し日程調整待ちに戻す');
    expect((await deps.agendas.list('sakura', meeting.meetingId)).map((i) => i.itemId)).toEqual([itemB!.itemId]);

    // Once the meeting has opened, a case is carried over, not removed; nothing changes.
    const open = await inDeliberation(deps, sakura.people, 'meeting');
    await expect(removeAgendaItem(deps, sakura.people.secretariat, 'sakura', open.meeting.meetingId, open.items[0]!.itemId)).rejects.toThrow(DomainError);
    expect((await deps.consultations.get(open.refs[0]!)).status).toBe('in_deliberation');
    expect(await deps.agendas.list('sakura', open.meeting.meetingId)).toHaveLength(1);
  });

  it('files a report request as a follow-up of the department, mailed once, and refuses a department that does not exist', async () => {
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    const itemId = await addFreeItem(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, { kind: 'report', title: '再委託の状況' });
    await expect(
      raiseRequest(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, itemId, {
        text: '次回報告してください',
        departmentId: 'nowhere',
        due: '2026-07-01',
      }),
    ).rejects.toThrow(InvalidInputError);
    const fu = await raiseRequest(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, itemId, {
      text: '次回報告してください',
      departmentId: 'fukushi',
      due: '2026-07-01',
    });
    const listed = await deps.followUps.listActive('sakura');
    expect(listed.map((f) => [f.followUpId, f.departmentId, f.due, f.source])).toEqual([
      [fu.followUpId, 'fukushi', '2026-07-01', { meetingId: meeting.meetingId, itemId }],
    ]);
    expect(deps.notifier.events.filter((e) => e.type === 'followup.requested')).toHaveLength(1);
    expect((await deps.agendas.get('sakura', meeting.meetingId, itemId)).requests?.map((r) => r.followUpId)).toEqual([fu.followUpId]);
  });

  it('creates the next meeting once, numbered after this one, and refuses a day that is not after it', async () => {
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting', '2026-06-10');
    const secretariat = sakura.people.secretariat;
    await expect(
      planNextMeeting(deps, secretariat, 'sakura', meeting.meetingId, 'frame-next', { nextDate: '2026-06-10', nextStartTime: '10:00', nextVenue: '市長公室' }),
    ).rejects.toThrow(InvalidInputError);
    const next = await planNextMeeting(deps, secretariat, 'sakura', meeting.meetingId, 'frame-next', {
      nextDate: '2026-07-13',
      nextStartTime: '10:00',
      nextVenue: '市長公室',
    });
    // Saving the same date again makes no second meeting.
    expect(
      await planNextMeeting(deps, secretariat, 'sakura', meeting.meetingId, 'frame-next', {
        nextDate: '2026-07-13',
        nextStartTime: '10:00',
        nextVenue: '市長公室',
      }),
    ).toBe(next);
    const meetings = await deps.meetings.list('sakura');
    expect(meetings).toHaveLength(2);
    expect(await deps.meetings.get('sakura', next)).toMatchObject({ date: '2026-07-13', seq: (meeting.seq ?? 0) + 1, status: 'planned', venue: '市長公室' });
  });
});
