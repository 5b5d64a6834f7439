import { beforeEach, describe, expect, it } from 'vitest';
import type { HandsCommand } from '#shared/domain/meeting.ts';
import { ConflictError, DomainError, InvalidInputError } from '#shared/errors.ts';
import { addAgendaItems, listMeetings, openDeliberation, recordAllHands, recordShowOfHands, viewMeeting } from '#shared/use-cases/meetings.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptedCase, approveAnswers, inDeliberation, newMeetingOf, schedule, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});
const everyone = () => sakura.members.map((m) => m.memberId);
const hands = (over: Partial<HandsCommand>): HandsCommand => ({ mode: 'all', present: everyone(), votes: {}, conditions: [], ...over });

describe('scheduling', () => {
  it('numbers the fiscal year’s meetings and written decisions 第1回, 第2回 …', async () => {
    const first = await newMeetingOf(deps, sakura.people, 'meeting', '2026-06-10');
    const second = await newMeetingOf(deps, sakura.people, 'written', '2026-07-15');

    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(await deps.meetings.get('sakura', second.meetingId)).toMatchObject({ kind: 'written', status: 'planned', seq: 2, fiscalYear: 2026 });
  });

  it('puts accepted cases on a meeting, each as its own item, and their workflows wait for the meeting', async () => {
    const a = await acceptedCase(deps, sakura.people, { title: '委託業務 A' });
    const b = await acceptedCase(deps, sakura.people, { title: '委託業務 B' });
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');

    const items = await schedule(deps, sakura.people, meeting, [a, b]);

    expect(items.map((i) => [i.order, i.title, i.consultationIds])).toEqual([
      [1, '委託業務 A', [a.consultationId]],
      [2, '委託業務 B', [b.consultationId]],
    ]);
    for (const [ref, item] of [
      [a, items[0]!],
      [b, items[1]!],
    ] as const) {
      expect(await deps.consultations.get(ref)).toMatchObject({ status: 'scheduled', meetingId: meeting.meetingId, itemId: item.itemId });
    }
    expect(
      deps.workflow
        .callsOf('complete')
        .slice(-2)
        .map((c) => c.output),
    ).toEqual([
      { meetingId: meeting.meetingId, itemId: items[0]!.itemId },
      { meetingId: meeting.meetingId, itemId: items[1]!.itemId },
    ]);
  });

  it('tells each department when and where its case is heard, once, by the contact’s name', async () => {
    const a = await acceptedCase(deps, sakura.people, { title: '委託業務 A' });
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting', '2026-06-10');

    await schedule(deps, sakura.people, meeting, [a]);

    const told = deps.notifier.of('consultation.scheduled');
    expect(told.map((e) => [e.consultation.consultationId, e.department.departmentId, e.meeting.meetingId, e.name])).toEqual([
      [a.consultationId, 'fukushi', meeting.meetingId, '令和8年度第1回さくら市個人情報保護審議会'],
    ]);
    const { MailNotifier } = await import('#shared/adapters/notifier.ts');
    const sent: { text: string; subject: string }[] = [];
    await new MailNotifier({ send: async (m) => (sent.push(m), []) }, 'https://council.example.jp').notify(told[0]!);
    expect(sent[0]!.subject).toContain('審議日程のお知らせ');
    expect(sent[0]!.text).toContain('令和8年6月10日(水) 10:00〜11:30');
    expect(sent[0]!.text).toContain('市役所 第3会議室');
    expect(sent[0]!.text).toContain('説明員');
  });

  it('bundles cases on one shared system into one item with one vote (一括諮問)', async () => {
    const a = await acceptedCase(deps, sakura.people, { title: '戸籍システムの更改' });
    const b = await acceptedCase(deps, sakura.people, { title: '戸籍システムの保守委託' });
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');

    await addAgendaItems(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, {
      kind: 'deliberation',
      consultationIds: [a.consultationId, b.consultationId],
      bundle: 'bundle',
    });

    const [item, ...rest] = await deps.agendas.list('sakura', meeting.meetingId);
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ title: '戸籍システムの更改 他1件', consultationIds: [a.consultationId, b.consultationId] });
  });

  it('puts a case ticked twice on the agenda once', async () => {
    const ref = await acceptedCase(deps, sakura.people);
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');

    await addAgendaItems(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, {
      kind: 'deliberation',
      consultationIds: [ref.consultationId, ref.consultationId],
      bundle: 'separate',
    });
    await deps.workflow.settle();

    const agenda = await deps.agendas.list('sakura', meeting.meetingId);
    expect(agenda.map((i) => i.consultationIds)).toEqual([[ref.consultationId]]);
    expect(await deps.consultations.get(ref)).toMatchObject({ status: 'scheduled', itemId: agenda[0]!.itemId });
  });

  it('refuses a case that is not waiting for a meeting, and adds nothing', async () => {
    const accepted = await acceptedCase(deps, sakura.people);
    const screening = await submitCase(deps, sakura.people.shimin, { title: '審査中の諮問' });
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');

    await expect(
      addAgendaItems(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, {
        kind: 'deliberation',
        consultationIds: [accepted.consultationId, screening.consultationId],
        bundle: 'separate',
      }),
    ).rejects.toThrow('「審査中の諮問」は日程調整待ちではありません');
    expect(await deps.agendas.list('sakura', meeting.meetingId)).toEqual([]);
    expect((await deps.consultations.get(accepted)).meetingId).toBeUndefined();
  });

  it('refuses a case already on a meeting', async () => {
    const ref = await acceptedCase(deps, sakura.people);
    const first = await newMeetingOf(deps, sakura.people, 'meeting');
    const second = await newMeetingOf(deps, sakura.people, 'written');
    await schedule(deps, sakura.people, first, [ref]);

    await expect(schedule(deps, sakura.people, second, [ref])).rejects.toBeInstanceOf(ConflictError);
    expect(await deps.agendas.list('sakura', second.meetingId)).toEqual([]);
  });

  it('shows the secretariat the accepted cases still waiting for a meeting', async () => {
    const waiting = await acceptedCase(deps, sakura.people, { title: '待っている諮問' });
    const scheduled = await acceptedCase(deps, sakura.people, { title: '議題に入った諮問' });
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    await schedule(deps, sakura.people, meeting, [scheduled]);

    const view = await viewMeeting(deps, sakura.people.secretariat, 'sakura', meeting.meetingId);
    expect(view.waiting.map((c) => c.consultationId)).toEqual([waiting.consultationId]);
    expect(view.name).toBe('令和8年度第1回さくら市個人情報保護審議会');
  });

  it('reads no waiting cases for a meeting that no longer takes items', async () => {
    const { meeting } = await inDeliberation(deps, sakura.people, 'meeting');
    await acceptedCase(deps, sakura.people, { title: '次の会議を待つ諮問' });
    let queueReads = 0;
    const listByStatus = deps.consultations.listByStatus.bind(deps.consultations);
    deps.consultations.listByStatus = (...args) => (queueReads++, listByStatus(...args));

    const view = await viewMeeting(deps, sakura.people.secretariat, 'sakura', meeting.meetingId);
    expect(view.meeting.status).not.toBe('planned');
    expect(view.waiting).toEqual([]);
    expect(queueReads).toBe(0);
  });
});

describe('the list of meetings', () => {
  it('shows this fiscal year and later ones, then a year at a time back, latest first', async () => {
    const dates = ['2024-06-10', '2024-11-10', '2026-05-20', '2026-09-01', '2027-04-15'];
    const [old1, old2, now1, now2, next] = await Promise.all(dates.map((d) => newMeetingOf(deps, sakura.people, 'meeting', d)));
    const ids = (v: { meetings: { meetingId: string }[] }) => v.meetings.map((m) => m.meetingId);

    const first = await listMeetings(deps, sakura.people.member, 'sakura');
    expect(ids(first)).toEqual([next!.meetingId, now2!.meetingId, now1!.meetingId]);
    expect(first).toMatchObject({ year: 2026, andLater: true, years: [2027, 2026, 2024], older: 2024, newer: undefined });

    const before = await listMeetings(deps, sakura.people.member, 'sakura', first.older);
    expect(ids(before)).toEqual([old2!.meetingId, old1!.meetingId]);
    expect(before).toMatchObject({ andLater: false, newer: 2026, older: undefined });
    expect(ids(await listMeetings(deps, sakura.people.secretariat, 'sakura', 2025))).toEqual([]);
  });
});

describe('opening the deliberation', () => {
  it('puts every case on the agenda in deliberation and the meeting in session', async () => {
    const { refs, meeting } = await inDeliberation(deps, sakura.people, 'meeting', 2);

    expect((await deps.meetings.get('sakura', meeting.meetingId)).status).toBe('in_session');
    for (const ref of refs) expect((await deps.consultations.get(ref)).status).toBe('in_deliberation');
  });

  it('refuses a meeting with nothing to deliberate, and a new item once it has opened', async () => {
    const empty = await newMeetingOf(deps, sakura.people, 'meeting');
    await expect(openDeliberation(deps, sakura.people.secretariat, 'sakura', empty.meetingId)).rejects.toThrow('審議する議題がありません');
    expect((await deps.meetings.get('sakura', empty.meetingId)).status).toBe('planned');

    const { meeting } = await inDeliberation(deps, sakura.people, 'meeting');
    const late = await acceptedCase(deps, sakura.people);
    await expect(schedule(deps, sakura.people, meeting, [late])).rejects.toThrow(DomainError);
    expect((await deps.consultations.get(late)).status).toBe('accepted');
  });
});

describe('the show of hands at a meeting', () => {
  it('records 全員挙手 for every item still to decide in one step, from one roll; an item decided on its own stays as it was', async () => {
    const { refs, meeting, items } = await inDeliberation(deps, sakura.people, 'meeting', 3);
    const conditions = ['受託者に、ヒヤリハットの件数を期間ごとに報告させること。'];
    await recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, items[1]!.itemId, hands({ conditions }));
    const present = everyone().slice(0, 5);

    expect(await recordAllHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, { present })).toBe(2);
    await approveAnswers(deps, sakura.people);

    const decided = await Promise.all(items.map((i) => deps.agendas.get('sakura', meeting.meetingId, i.itemId)));
    expect(decided.map((i) => [i.decision?.outcome, i.present])).toEqual([
      ['approved', present],
      ['approved_with_conditions', everyone()],
      ['approved', present],
    ]);
    expect(await Promise.all(refs.map(async (r) => (await deps.consultations.get(r)).status))).toEqual(['closed', 'followups_open', 'closed']);
    expect((await deps.meetings.get('sakura', meeting.meetingId)).status).toBe('closed');
    await expect(recordAllHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, { present })).rejects.toBeInstanceOf(DomainError);
  });

  it('refuses a roll that names no one of the council, deciding nothing', async () => {
    const { meeting, items } = await inDeliberation(deps, sakura.people, 'meeting', 2);
    await expect(recordAllHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, { present: ['someone-else'] })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    for (const i of items) expect((await deps.agendas.get('sakura', meeting.meetingId, i.itemId)).decision).toBeUndefined();
  });

  it('approves with the chair’s conditions: the answer is issued and each condition becomes a follow-up', async () => {
    const { ref, meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');
    const conditions = ['受託者には、業務に必要な個人情報のみを提供すること。', '受託者に、ヒヤリハットの件数を期間ごとに報告させること。'];

    const outcome = await recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, item.itemId, hands({ conditions }));
    await approveAnswers(deps, sakura.people);

    expect(outcome).toBe('approved_with_conditions');
    expect((await deps.agendas.get('sakura', meeting.meetingId, item.itemId)).decision).toMatchObject({
      outcome: 'approved_with_conditions',
      conditions,
      decidedBy: sakura.people.secretariat.userId,
    });
    const bundle = await deps.consultations.bundle(ref);
    expect(bundle.consultation.status).toBe('followups_open');
    expect(bundle.answer).toMatchObject({ outcome: 'approved_with_conditions', conditions, number: { n: 1 }, chairName: '小林 千尋' });
    expect(bundle.followUps.map((f) => [f.condition, f.type, f.owner, f.status])).toEqual([
      [conditions[0], 'free', 'department', 'open'],
      [conditions[1], 'near_miss_counts', 'vendor', 'open'],
    ]);
    expect(deps.notifier.of('answer.issued')).toHaveLength(1);
    expect(deps.notifier.of('followup.requested').map((e) => e.followUp.conditionIndex)).toEqual([0, 1]);
    expect((await deps.meetings.get('sakura', meeting.meetingId)).status).toBe('closed');
  });

  it('decides by the hands of the members present: a majority against is 否, and the case closes without follow-ups', async () => {
    const { ref, meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');
    const [chair, vice, m3, m4, m5] = everyone();
    const votes = { [chair!]: 'approve', [vice!]: 'reject', [m3!]: 'reject', [m4!]: 'reject', [m5!]: 'abstain' };

    const outcome = await recordShowOfHands(
      deps,
      sakura.people.secretariat,
      'sakura',
      meeting.meetingId,
      item.itemId,
      hands({ mode: 'each', present: Object.keys(votes), votes }),
    );
    await approveAnswers(deps, sakura.people);

    expect(outcome).toBe('rejected');
    const stored = await deps.agendas.get('sakura', meeting.meetingId, item.itemId);
    expect(stored.present).toEqual(Object.keys(votes));
    expect(Object.values(stored.ballots ?? {}).map((b) => [b.memberId, b.choice, b.source])).toEqual(
      expect.arrayContaining(Object.entries(votes).map(([id, choice]) => [id, choice, 'meeting'])),
    );
    const bundle = await deps.consultations.bundle(ref);
    expect(bundle.consultation.status).toBe('closed');
    expect(bundle.answer?.outcome).toBe('rejected');
    expect(bundle.followUps).toEqual([]);
  });

  it('carries a case over: it leaves the meeting and waits to be scheduled again', async () => {
    const { ref, meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');

    const outcome = await recordShowOfHands(
      deps,
      sakura.people.secretariat,
      'sakura',
      meeting.meetingId,
      item.itemId,
      hands({ mode: 'continue', present: [] }),
    );
    await deps.workflow.settle();

    expect(outcome).toBe('carried_over');
    const c = await deps.consultations.get(ref);
    expect(c.status).toBe('accepted');
    expect(c.meetingId).toBeUndefined();
    expect(deps.notifier.of('answer.issued')).toEqual([]);
    const next = await newMeetingOf(deps, sakura.people, 'meeting', '2026-07-10');
    await schedule(deps, sakura.people, next, [ref]);
    expect((await deps.consultations.get(ref)).status).toBe('scheduled');
  });

  it('refuses hands missing for a present member with InvalidInputError on that member’s field, and records nothing', async () => {
    const { ref, meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');
    const [chair, vice] = everyone();
    const before = deps.items.dump();
    const completes = deps.workflow.calls.length;

    const refused = recordShowOfHands(
      deps,
      sakura.people.secretariat,
      'sakura',
      meeting.meetingId,
      item.itemId,
      hands({ mode: 'each', present: [chair!, vice!], votes: { [chair!]: 'approve' } }),
    );

    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ fields: { [`vote.${vice}`]: '挙手の結果を選んでください。' } });
    expect(deps.items.dump()).toEqual(before);
    expect(deps.workflow.calls).toHaveLength(completes);
    expect((await deps.consultations.get(ref)).status).toBe('in_deliberation');
  });

  it('refuses a vote with nobody present, naming the field', async () => {
    const { meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');

    await expect(
      recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, item.itemId, hands({ present: ['someone-else'] })),
    ).rejects.toMatchObject({ fields: { present: 'この議題に出席している委員を選んでください。' } });
    expect((await deps.agendas.get('sakura', meeting.meetingId, item.itemId)).decision).toBeUndefined();
  });

  it('records an item’s decision once', async () => {
    const { meeting, items } = await inDeliberation(deps, sakura.people, 'meeting', 2);
    await recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, items[0]!.itemId, hands({}));
    await deps.workflow.settle();

    await expect(
      recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, items[0]!.itemId, hands({ mode: 'continue' })),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await deps.agendas.get('sakura', meeting.meetingId, items[0]!.itemId)).decision?.outcome).toBe('approved');
    // One item is still undecided: the meeting stays in session.
    expect((await deps.meetings.get('sakura', meeting.meetingId)).status).toBe('in_session');
  });
});
