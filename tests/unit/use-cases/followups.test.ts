import { beforeEach, describe, expect, it } from 'vitest';
import type { FollowUpRef } from '#shared/adapters/followup-repository.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import { DomainError, InvalidInputError, LinkError } from '#shared/errors.ts';
import {
  answerFollowUp,
  councilOnFollowUp,
  followUpDashboard,
  followUpLinkView,
  planFollowUp,
  reviewFollowUp,
  runFollowUpClock,
} from '#shared/use-cases/followups.ts';
import { recordShowOfHands } from '#shared/use-cases/meetings.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { approveAnswers, inDeliberation } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const SPEC = '受託者は、個人情報をパソコン等に入力しないこと。また、その旨を契約仕様書に明記すること。';
const NEAR_MISS = '受託者に、ヒヤリハットの件数を期間ごとに報告させること。';

/** A case approved at a meeting with `conditions`: its follow-ups, and the link mailed for each. */
async function approvedWith(conditions: string[]) {
  const { ref, meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');
  await recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, item.itemId, {
    mode: 'all',
    present: sakura.members.map((m) => m.memberId),
    votes: {},
    conditions,
  });
  await approveAnswers(deps, sakura.people);
  const followUps = (await deps.consultations.bundle(ref)).followUps;
  const linkOf = (fu: FollowUp) => deps.notifier.of('followup.requested').find((e) => e.followUp.followUpId === fu.followUpId)!.token;
  const refOf = (fu: FollowUp): FollowUpRef => ({ councilId: fu.councilId, consultationId: fu.consultationId, followUpId: fu.followUpId });
  return { ref, followUps, linkOf, refOf, get: (fu: FollowUp) => deps.followUps.get(refOf(fu)) };
}

const report = { answeredBy: '社会福祉法人さくら会 業務課 佐藤', text: '契約仕様書第12条に明記しました。' };

describe('follow-ups of an answer’s conditions', () => {
  it('are created one per condition, owned and due by their kind, and each owner is sent a link', async () => {
    const { followUps } = await approvedWith([SPEC, NEAR_MISS]);

    expect(followUps.map((f) => [f.type, f.owner, f.ownerName, f.due, f.everyMonths])).toEqual([
      ['spec_clause', 'department', '福祉部 生活福祉課', '2026-08-09', undefined],
      ['near_miss_counts', 'vendor', '社会福祉法人さくら会', '2026-12-10', 6],
    ]);
    const requested = deps.notifier.of('followup.requested');
    expect(requested.map((e) => [e.followUp.followUpId, e.reminder])).toEqual(followUps.map((f) => [f.followUpId, false]));
    expect(followUps.every((f) => f.notified.includes('request'))).toBe(true);
  });

  it('take the owner’s report through their link and tell the secretariat', async () => {
    const { followUps, linkOf, get } = await approvedWith([SPEC]);
    const [fu] = followUps;

    const view = await followUpLinkView(deps, linkOf(fu!));
    expect(view.followUp.condition).toBe(SPEC);
    await answerFollowUp(deps, linkOf(fu!), report);

    expect(await get(fu!)).toMatchObject({
      status: 'submitted',
      answers: [{ n: 1, forDue: fu!.due, answeredBy: report.answeredBy, text: report.text, evidence: [], submittedAt: deps.clock.now().toISOString() }],
    });
    expect(deps.notifier.of('followup.answered')).toEqual([expect.objectContaining({ answeredBy: report.answeredBy })]);
  });

  it('refuses a near-miss report without its count, naming the count field, and stores nothing', async () => {
    const { followUps, linkOf, get } = await approvedWith([NEAR_MISS]);
    const [fu] = followUps;

    const refused = answerFollowUp(deps, linkOf(fu!), { answeredBy: 'さくら会', text: '特になし' });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ fields: { count: expect.stringContaining('件数') } });
    expect(await get(fu!)).toMatchObject({ status: 'open', answers: [] });
    expect(deps.notifier.of('followup.answered')).toEqual([]);
  });

  it('takes one report at a time: a second one waits for the secretariat’s review', async () => {
    const { followUps, linkOf, get } = await approvedWith([SPEC]);
    await answerFollowUp(deps, linkOf(followUps[0]!), report);

    await expect(answerFollowUp(deps, linkOf(followUps[0]!), { ...report, text: '追記' })).rejects.toThrow(DomainError);
    expect((await get(followUps[0]!)).answers).toHaveLength(1);
  });

  it('go back to the owner with the secretariat’s comment and a fresh link', async () => {
    const { followUps, linkOf, refOf, get } = await approvedWith([SPEC]);
    const [fu] = followUps;
    await answerFollowUp(deps, linkOf(fu!), report);

    await reviewFollowUp(deps, sakura.people.secretariat, refOf(fu!), { decision: 'return', comment: '該当ページの写しを添付してください。' });

    const returned = await get(fu!);
    expect(returned).toMatchObject({ status: 'open', comment: '該当ページの写しを添付してください。' });
    expect(returned.answers[0]?.review).toMatchObject({ outcome: 'returned', by: sakura.people.secretariat.userId });
    const [asked] = deps.notifier.of('followup.more_asked');
    expect(asked?.comment).toBe('該当ページの写しを添付してください。');
    await answerFollowUp(deps, asked!.token, { ...report, text: '写しを添付しました。' });
    expect((await get(fu!)).answers.map((a) => a.n)).toEqual([1, 2]);
  });

  it('close the case when the council has closed its last condition', async () => {
    const { ref, followUps, linkOf, refOf, get } = await approvedWith([SPEC, '受託者には、業務に必要な個人情報のみを提供すること。']);
    for (const fu of followUps) {
      await answerFollowUp(deps, linkOf(fu), report);
      await reviewFollowUp(deps, sakura.people.secretariat, refOf(fu), { decision: 'accept' });
      expect((await get(fu)).status).toBe('accepted');
    }

    await councilOnFollowUp(deps, sakura.people.secretariat, refOf(followUps[0]!), { decision: 'close' });
    expect((await deps.consultations.get(ref)).status).toBe('followups_open');
    await councilOnFollowUp(deps, sakura.people.secretariat, refOf(followUps[1]!), { decision: 'close' });

    expect((await get(followUps[1]!)).status).toBe('closed');
    expect((await deps.consultations.get(ref)).status).toBe('closed');
    expect((await deps.consultations.auditTrail(ref)).map((a) => a.action)).toContain('状態:完了');
    expect(await deps.followUps.listActive('sakura')).toEqual([]);
  });

  it('send a recurring condition on to its next due date once a report is accepted', async () => {
    const { followUps, linkOf, refOf, get } = await approvedWith([NEAR_MISS]);
    const [fu] = followUps;
    await answerFollowUp(deps, linkOf(fu!), { answeredBy: 'さくら会', text: '期間中1件(誤送付未遂)', count: 1 });

    await reviewFollowUp(deps, sakura.people.secretariat, refOf(fu!), { decision: 'accept' });

    expect(await get(fu!)).toMatchObject({ status: 'open', due: '2027-06-10', answers: [{ count: 1, review: { outcome: 'accepted' } }] });
  });

  it('let the council ask for more by a new due date', async () => {
    const { followUps, linkOf, refOf, get } = await approvedWith([SPEC]);
    await answerFollowUp(deps, linkOf(followUps[0]!), report);
    await reviewFollowUp(deps, sakura.people.secretariat, refOf(followUps[0]!), { decision: 'accept' });

    await councilOnFollowUp(deps, sakura.people.secretariat, refOf(followUps[0]!), {
      decision: 'more',
      comment: '運用状況も報告してください。',
      due: '2026-12-01',
    });

    expect(await get(followUps[0]!)).toMatchObject({ status: 'open', due: '2026-12-01', comment: '運用状況も報告してください。' });
    expect(deps.notifier.of('followup.more_asked').map((e) => e.followUp.due)).toEqual(['2026-12-01']);
  });

  it('stop the old link from working when the secretariat changes who answers', async () => {
    const { followUps, linkOf, refOf, get } = await approvedWith([SPEC]);
    const [fu] = followUps;

    await planFollowUp(deps, sakura.people.secretariat, refOf(fu!), {
      type: fu!.type,
      owner: 'vendor',
      ownerName: '社会福祉法人さくら会',
      ownerEmail: 'gyomu@sakurakai.example.jp',
      evidence: fu!.evidence,
      due: fu!.due,
      everyMonths: undefined,
      version: fu!.version,
    });

    const refused = answerFollowUp(deps, linkOf(fu!), report);
    await expect(refused).rejects.toBeInstanceOf(LinkError);
    // Reassigning revokes the old owner's links (their generation moves on); the page says why.
    await expect(refused).rejects.toMatchObject({ reason: 'revoked', status: 410, message: expect.stringContaining('報告の依頼先が変わりました') });
    expect(await get(fu!)).toMatchObject({ status: 'open', answers: [], ownerEmail: 'gyomu@sakurakai.example.jp' });
  });

  it('remind the owner a week before the due date and escalate once overdue, each once', async () => {
    const { followUps } = await approvedWith([SPEC]);
    const due = followUps[0]!.due;

    deps.clock.set(`${due}T09:00:00+09:00`);
    expect(await runFollowUpClock(deps, 'sakura')).toEqual({ reminders: 1, escalations: 0 });
    expect(await runFollowUpClock(deps, 'sakura')).toEqual({ reminders: 0, escalations: 0 });
    deps.clock.advance({ days: 1 });
    expect(await runFollowUpClock(deps, 'sakura')).toEqual({ reminders: 0, escalations: 1 });
    expect(await runFollowUpClock(deps, 'sakura')).toEqual({ reminders: 0, escalations: 0 });

    expect(deps.notifier.of('followup.requested').filter((e) => e.reminder)).toHaveLength(1);
    expect(deps.notifier.of('followup.overdue')).toEqual([expect.objectContaining({ department: expect.objectContaining({ departmentId: 'fukushi' }) })]);
    const dashboard = await followUpDashboard(deps, sakura.people.secretariat, 'sakura');
    expect(dashboard.followUps.map((f) => f.bucket)).toEqual(['overdue']);
  });
});
