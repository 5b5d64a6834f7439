import { beforeEach, describe, expect, it } from 'vitest';
import type { RollCommand } from '#shared/domain/proceedings.ts';
import { ConflictError, DomainError, ForbiddenError, InvalidInputError } from '#shared/errors.ts';
import { openMinutes, saveMinutes } from '#shared/use-cases/minutes.ts';
import { changeAttendees, recordRoll, saveEntry, viewRecord } from '#shared/use-cases/proceedings.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptedCase, newMeetingOf, schedule } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

type Entry = RollCommand['roll'][string];
const rollOf = (statuses: Record<string, Pick<Entry, 'status'> & { time?: string }>, over: Partial<RollCommand> = {}): RollCommand => ({
  version: 0,
  presidingMemberId: undefined,
  openedAt: undefined,
  closedAt: undefined,
  roll: Object.fromEntries(sakura.members.map((m): [string, Entry] => [m.memberId, { time: undefined, status: 'present', ...statuses[m.memberId] }])),
  ...over,
});

describe('the roll and the presiding officer', () => {
  it('makes the vice-chair preside when the chair is absent, and refuses an absent presiding officer beside the field', async () => {
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    const { secretariat } = sakura.people;
    await expect(
      recordRoll(deps, secretariat, 'sakura', meeting.meetingId, rollOf({ 'm-kobayashi': { status: 'absent' } }, { presidingMemberId: 'm-kobayashi' })),
    ).rejects.toMatchObject({ fields: { presidingMemberId: '議長は、欠席していない委員から選んでください。' } });
    expect(await deps.meetings.getProceedings('sakura', meeting.meetingId)).toBeUndefined();

    await recordRoll(
      deps,
      secretariat,
      'sakura',
      meeting.meetingId,
      rollOf({ 'm-kobayashi': { status: 'absent' }, 'm-koyama': { status: 'late', time: '14:20' } }),
    );
    const p = await deps.meetings.getProceedings('sakura', meeting.meetingId);
    expect(p?.presidingMemberId).toBe('m-tanabe');
    expect(p?.roll.find((r) => r.memberId === 'm-koyama')).toEqual({ memberId: 'm-koyama', status: 'late', time: '14:20' });

    // A second clerk saving over the version they did not see is told so.
    await expect(recordRoll(deps, secretariat, 'sakura', meeting.meetingId, rollOf({}))).rejects.toBeInstanceOf(ConflictError);
    await expect(recordRoll(deps, sakura.people.chair, 'sakura', meeting.meetingId, rollOf({}, { version: 1 }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      recordRoll(deps, secretariat, 'sakura', meeting.meetingId, rollOf({}, { version: 1, openedAt: '15:00', closedAt: '14:00' })),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('has no roll or record for a written decision', async () => {
    const written = await newMeetingOf(deps, sakura.people, 'written');
    await expect(recordRoll(deps, sakura.people.secretariat, 'sakura', written.meetingId, rollOf({}))).rejects.toBeInstanceOf(DomainError);
    await expect(viewRecord(deps, sakura.people.secretariat, 'sakura', written.meetingId)).rejects.toBeInstanceOf(DomainError);
  });
});

describe('attendees and the record kept during the meeting', () => {
  it('lists each person once, and keeps, changes and takes back rows of an item on this meeting only', async () => {
    const c = await acceptedCase(deps, sakura.people, { title: '委託業務 A' });
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    const [item] = await schedule(deps, sakura.people, meeting, [c]);
    const { secretariat } = sakura.people;
    await changeAttendees(deps, secretariat, 'sakura', meeting.meetingId, {
      role: 'explainer',
      name: '堀 義幸',
      title: '課長',
      departmentId: 'shimin',
      userId: undefined,
    });
    await expect(
      changeAttendees(deps, secretariat, 'sakura', meeting.meetingId, {
        role: 'explainer',
        name: '堀　義幸',
        title: '',
        departmentId: undefined,
        userId: undefined,
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);

    const row = { itemId: item!.itemId, entryId: undefined, kind: 'qa' as const, askerOther: '', answererOther: '', note: '' };
    const id = await saveEntry(deps, secretariat, 'sakura', meeting.meetingId, {
      ...row,
      asker: '事務局',
      question: '質問',
      answerer: '説明員',
      answer: '回答',
    });
    await saveEntry(deps, secretariat, 'sakura', meeting.meetingId, { ...row, entryId: id, asker: '事務局', question: '質問(訂正)', answerer: '', answer: '' });
    let view = await viewRecord(deps, secretariat, 'sakura', meeting.meetingId);
    expect(view.entries.map((e) => [e.question, e.answerer, e.answer])).toEqual([['質問(訂正)', '', '']]);
    await saveEntry(deps, secretariat, 'sakura', meeting.meetingId, { ...row, entryId: id, asker: '', question: '', answerer: '', answer: '' });
    view = await viewRecord(deps, secretariat, 'sakura', meeting.meetingId);
    expect(view.entries).toEqual([]);
    await expect(
      saveEntry(deps, secretariat, 'sakura', meeting.meetingId, { ...row, itemId: 'elsewhere', asker: '事務局', question: 'x', answerer: '', answer: '' }),
    ).rejects.toThrow('議題が見つかりません。');
  });
});

describe('the minutes draft follows the record until it is saved', () => {
  it('writes rows typed later into the unsaved draft, and leaves a saved draft to its editor', async () => {
    const c = await acceptedCase(deps, sakura.people, { title: '委託業務 A' });
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    const [item] = await schedule(deps, sakura.people, meeting, [c]);
    const { secretariat } = sakura.people;
    const row = { itemId: item!.itemId, entryId: undefined, kind: 'qa' as const, askerOther: '', answererOther: '', note: '', answerer: '', answer: '' };
    const first = await openMinutes(deps, secretariat, 'sakura', meeting.meetingId);
    expect(first.minutes.items[0]!.qa).toEqual([]);

    await saveEntry(deps, secretariat, 'sakura', meeting.meetingId, { ...row, asker: 'm-miura', question: '一つ目の意見' });
    const second = await openMinutes(deps, secretariat, 'sakura', meeting.meetingId);
    expect(second.minutes.items[0]!.qa).toEqual([{ asker: 'm-miura', question: '一つ目の意見', answerer: '', answer: '' }]);
    // Opening again with nothing new writes nothing.
    expect((await openMinutes(deps, secretariat, 'sakura', meeting.meetingId)).minutes.version).toBe(second.minutes.version);

    const { meetingId: _m, version, status: _s, updatedAt: _u, updatedBy: _b, ...edit } = second.minutes;
    await saveMinutes(deps, secretariat, 'sakura', meeting.meetingId, { minutes: { ...edit, closing: '閉会を宣言した。' }, version });
    await saveEntry(deps, secretariat, 'sakura', meeting.meetingId, { ...row, asker: 'm-koyama', question: '保存の後の意見' });
    const saved = await openMinutes(deps, secretariat, 'sakura', meeting.meetingId);
    expect(saved.minutes.closing).toBe('閉会を宣言した。');
    expect(saved.minutes.items[0]!.qa.map((q) => q.question)).toEqual(['一つ目の意見']);
  });
});
