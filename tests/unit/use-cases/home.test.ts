import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HomeView } from '#shared/domain/home.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { createConsultation, screenConsultation } from '#shared/use-cases/consultations.ts';
import { answerFollowUp } from '#shared/use-cases/followups.ts';
import { homeView } from '#shared/use-cases/home.ts';
import { recordIncident, recordSubmission } from '#shared/use-cases/incidents.ts';
import { recordShowOfHands } from '#shared/use-cases/meetings.ts';
import { castVote } from '#shared/use-cases/voting.ts';
import { draftCommand, type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptCase, acceptedCase, approveAnswers, inDeliberation, newMeetingOf, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

async function homeOf<K extends HomeView['kind']>(who: Principal | undefined, kind: K): Promise<Extract<HomeView, { kind: K }>> {
  const view = await homeView(deps, who);
  expect(view.kind).toBe(kind);
  return view as Extract<HomeView, { kind: K }>;
}
const titles = (cases: { form: { title: string } }[]) => cases.map((c) => c.form.title);

const SPEC = '受託者は、個人情報をパソコン等に入力しないこと。また、その旨を契約仕様書に明記すること。';

/** A case of 生活福祉課 approved at a meeting with one condition; its follow-up (due 2026-08-09: 60 days from the answer, dated on the meeting's day 2026-06-10) and the owner's link. */
async function approvedWithCondition() {
  const { ref, meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');
  await recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, item.itemId, {
    mode: 'all',
    present: sakura.members.map((m) => m.memberId),
    votes: {},
    conditions: [SPEC],
  });
  await approveAnswers(deps, sakura.people);
  const [followUp] = (await deps.consultations.bundle(ref)).followUps;
  const token = deps.notifier.of('followup.requested').find((e) => e.followUp.followUpId === followUp!.followUpId)!.token;
  return { followUp: followUp!, token, meeting };
}

describe('the home page says what waits for the person signed in', () => {
  it('shows someone not signed in nothing about any council or case, and reads no council’s data for them', async () => {
    await submitCase(deps, sakura.people.fukushi);
    const registry = vi.spyOn(deps.councils, 'listCouncils');
    const council = vi.spyOn(deps.councils, 'getCouncil');
    const view = await homeOf(undefined, 'anonymous');
    expect(view).toEqual({ kind: 'anonymous' });
    expect(registry).not.toHaveBeenCalled();
    expect(council).not.toHaveBeenCalled();
  });

  it('shows a department its drafts, the cases returned to it and the reports it owes soon — its own only', async () => {
    await createConsultation(deps, { principal: sakura.people.fukushi }, 'sakura', 'req-draft-0001', draftCommand({ title: '書きかけの諮問' }));
    await createConsultation(deps, { principal: sakura.people.shimin }, 'sakura', 'req-draft-0002', draftCommand({ title: '市民課の下書き' }));
    const returned = await submitCase(deps, sakura.people.fukushi, { title: '差し戻された諮問' });
    await screenConsultation(deps, { principal: sakura.people.secretariat }, returned, { decision: 'return', comment: '添付資料を追加してください。' });
    await deps.workflow.settle();
    const { followUp } = await approvedWithCondition();

    let home = await homeOf(sakura.people.fukushi, 'department');
    expect(titles(home.drafts)).toEqual(['書きかけの諮問']);
    expect(titles(home.returned)).toEqual(['差し戻された諮問']);
    // Due 2026-08-09: more than 30 days ahead on 2026-05-11, so not yet waiting.
    expect(home.followUps).toEqual([]);
    deps.clock.set('2026-07-20T09:00:00+09:00');
    home = await homeOf(sakura.people.fukushi, 'department');
    expect(home.followUps.map((f) => f.followUpId)).toEqual([followUp.followUpId]);
    expect((await homeOf(sakura.people.shimin, 'department')).followUps).toEqual([]);
    expect(titles((await homeOf(sakura.people.shimin, 'department')).drafts)).toEqual(['市民課の下書き']);
  });

  it('shows the secretariat cases to screen and to schedule, stalled cases, meetings ahead, reports to check and overdue ones', async () => {
    await submitCase(deps, sakura.people.fukushi, { title: '受付審査を待つ諮問' });
    const accepted = await submitCase(deps, sakura.people.shimin, { title: '受け付けた諮問' });
    await acceptCase(deps, sakura.people, accepted);
    const { followUp, token, meeting: held } = await approvedWithCondition();
    const later = await newMeetingOf(deps, sakura.people, 'meeting', '2026-08-15');
    const sooner = await newMeetingOf(deps, sakura.people, 'written', '2026-06-01');

    let home = await homeOf(sakura.people.secretariat, 'secretariat');
    expect(titles(home.toScreen)).toEqual(['受付審査を待つ諮問']);
    expect(titles(home.toSchedule)).toEqual(['受け付けた諮問']);
    expect(home.stalled).toEqual([]);
    // The meeting whose every item is decided is over; the others come soonest first.
    expect((await deps.meetings.get('sakura', held.meetingId)).status).toBe('closed');
    expect(home.meetings.map((m) => m.meetingId)).toEqual([sooner.meetingId, later.meetingId]);
    expect(home).toMatchObject({ toReview: [], overdue: [] });

    deps.clock.set('2026-08-10T09:00:00+09:00');
    home = await homeOf(sakura.people.secretariat, 'secretariat');
    expect(home.overdue.map((f) => f.followUpId)).toEqual([followUp.followUpId]);
    expect(home.meetings.map((m) => m.meetingId)).toEqual([later.meetingId]);

    await answerFollowUp(deps, token, { answeredBy: '生活福祉課 長田', text: '契約仕様書第12条に明記しました。' });
    home = await homeOf(sakura.people.secretariat, 'secretariat');
    expect(home.toReview.map((f) => f.followUpId)).toEqual([followUp.followUpId]);
    expect(home.overdue).toEqual([]);
  });

  it('shows a member the written votes they have not cast, until they cast them, and the chair the conditions to word', async () => {
    const { meeting, items } = await inDeliberation(deps, sakura.people, 'written', 2);
    const linkOf = (memberId: string, itemId: string) =>
      deps.notifier.of('vote.invited').find((e) => e.member.memberId === memberId && e.item.itemId === itemId)!.token;
    const member = sakura.people.member;

    let home = await homeOf(member, 'member');
    expect(home.votes.map((v) => v.item.itemId)).toEqual(items.map((i) => i.itemId));
    expect(home.meetings.map((m) => m.meetingId)).toEqual([meeting.meetingId]);
    expect(home.awaitingChair).toEqual([]);

    await castVote(deps, linkOf(member.userId, items[0]!.itemId), { choice: 'approve', conditions: [] });
    home = await homeOf(member, 'member');
    expect(home.votes.map((v) => v.item.itemId)).toEqual([items[1]!.itemId]);

    // Everyone votes on the second item, one with a condition: it waits for the chair's wording.
    for (const m of sakura.members) {
      const choice =
        m.memberId === member.userId
          ? { choice: 'approve_with_conditions' as const, conditions: ['委託先の職員に研修を行うこと'] }
          : { choice: 'approve' as const, conditions: [] };
      await castVote(deps, linkOf(m.memberId, items[1]!.itemId), choice);
    }
    expect((await homeOf(member, 'member')).votes).toEqual([]);
    expect((await homeOf(member, 'member')).awaitingChair).toEqual([]);
    const chair = await homeOf(sakura.people.chair, 'member');
    expect(chair.awaitingChair.map((x) => x.item.itemId)).toEqual([items[1]!.itemId]);
    expect((await homeOf(sakura.people.secretariat, 'secretariat')).awaitingChair.map((x) => x.item.itemId)).toEqual([items[1]!.itemId]);
  });

  it('reads queues and small partitions only: a council’s long history does not make it slower', async () => {
    for (let i = 0; i < 3; i++) await acceptedCase(deps, sakura.people, { title: `受け付けた諮問 ${i}` });
    const reads = { queries: 0 };
    const query = deps.items.query.bind(deps.items);
    deps.items.query = async (spec) => {
      reads.queries++;
      expect(spec.index?.name ?? 'table').not.toBe('gsi4');
      return query(spec);
    };
    await homeView(deps, sakura.people.secretariat);
    // Five status queues (answers to approve among them), the meetings, the open follow-ups, the open incidents, the council's PIA reviews.
    expect(reads.queries).toBe(9);
  });

  it('lists the incidents that still owe the 個人情報保護委員会 a report — the 速報, then the 確報 — the late ones marked, a department its own', async () => {
    // The clock is at 2026-05-11: an incident known on the 8th owes its 速報 by the 13th, its 確報 by 6月7日.
    const input = {
      overview: '通知書を別の世帯に送付した。',
      occurredOn: '2026-05-07',
      foundOn: '2026-05-08',
      affectedCount: 3,
      dataItems: '氏名、住所',
      sensitive: false,
      kind: 'leak' as const,
      unlawfulPurpose: false,
      cause: '封入時の確認が一人だけだった。',
      secondaryDamage: 'none' as const,
    };
    const misdelivery = await recordIncident(deps, sakura.people.shimin, 'sakura', { ...input, title: '通知書の誤送付', departmentId: 'shimin' });
    const usb = await recordIncident(deps, sakura.people.fukushi, 'sakura', {
      ...input,
      title: 'USBメモリの紛失',
      departmentId: 'fukushi',
      foundOn: '2026-05-10',
    });
    const done = await recordIncident(deps, sakura.people.fukushi, 'sakura', { ...input, title: '報告を終えた事案', departmentId: 'fukushi' });
    for (const report of ['preliminary', 'final'] as const)
      await recordSubmission(deps, sakura.people.fukushi, { councilId: 'sakura', incidentId: done }, { report, submittedOn: '2026-05-11' });
    const shown = (ws: { incident: { incidentId: string }; report: string; due: string; overdue: boolean }[]) =>
      ws.map((w) => [w.incident.incidentId, w.report, w.due, w.overdue]);

    expect(shown((await homeOf(sakura.people.secretariat, 'secretariat')).incidents)).toEqual([
      [misdelivery, 'preliminary', '2026-05-13', false],
      [usb, 'preliminary', '2026-05-15', false],
    ]);
    expect(shown((await homeOf(sakura.people.fukushi, 'department')).incidents)).toEqual([[usb, 'preliminary', '2026-05-15', false]]);
    expect(await homeOf(sakura.people.chair, 'member')).not.toHaveProperty('incidents');

    // Three days on, 市民課's 速報 is late; once it is in, its 確報 is what it owes.
    deps.clock.advance({ days: 3 });
    expect(shown((await homeOf(sakura.people.shimin, 'department')).incidents)).toEqual([[misdelivery, 'preliminary', '2026-05-13', true]]);
    await recordSubmission(deps, sakura.people.shimin, { councilId: 'sakura', incidentId: misdelivery }, { report: 'preliminary', submittedOn: '2026-05-14' });
    expect(shown((await homeOf(sakura.people.secretariat, 'secretariat')).incidents)).toEqual([
      [usb, 'preliminary', '2026-05-15', false],
      [misdelivery, 'final', '2026-06-07', false],
    ]);
  });
});
