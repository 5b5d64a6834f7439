import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { openDeliberation, recordShowOfHands } from '#shared/use-cases/meetings.ts';
import { reportVendor } from '#shared/use-cases/vendor-report.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptedCase, approveAnswers, newMeetingOf, schedule } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const NEAR_MISS = '受託者に、ヒヤリハットの件数を期間ごとに報告させること。';
const SPEC = '受託者は、個人情報をパソコン等に入力しないこと。また、その旨を契約仕様書に明記すること。';
const chosen = { name: '株式会社さくらクラウド', address: 'さくら市本町1-1', chosenOn: '2027-01-10' };

/** A case whose form left the vendor 「選定中」, accepted; `decided` approves it with two conditions. */
async function selectingCase(decided: boolean) {
  const ref = await acceptedCase(deps, sakura.people, { title: '選定中の委託', 'vendor.selecting': 'on', 'vendor.name': '' });
  if (!decided) return ref;
  const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
  const [item] = await schedule(deps, sakura.people, meeting, [ref]);
  await openDeliberation(deps, sakura.people.secretariat, 'sakura', meeting.meetingId);
  await deps.workflow.settle();
  await recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, item!.itemId, {
    mode: 'all',
    present: sakura.members.map((m) => m.memberId),
    votes: {},
    conditions: [NEAR_MISS, SPEC],
  });
  await approveAnswers(deps, sakura.people);
  return ref;
}

describe('reporting the vendor chosen after the decision (委託先の報告)', () => {
  it('records it once, on the audit trail, tells the secretariat, and puts the vendor’s follow-ups in its name', async () => {
    const ref = await selectingCase(true);
    const planned = (await deps.consultations.bundle(ref)).followUps;
    // Planned while no vendor was chosen: the department answers everything.
    expect(planned.map((f) => [f.type, f.owner])).toEqual([
      ['near_miss_counts', 'department'],
      ['spec_clause', 'department'],
    ]);

    await reportVendor(deps, { principal: sakura.people.fukushi, sourceIp: '192.0.2.7' }, ref, chosen);

    const bundle = await deps.consultations.bundle(ref);
    expect(bundle.consultation.vendorReport).toMatchObject({ ...chosen, reportedBy: sakura.people.fukushi.userId });
    expect(bundle.followUps.map((f) => [f.type, f.owner, f.ownerName])).toEqual([
      ['near_miss_counts', 'vendor', '株式会社さくらクラウド'],
      ['spec_clause', 'department', planned[1]!.ownerName],
    ]);
    expect((await deps.consultations.auditTrail(ref)).find((a) => a.action === '委託先を報告')).toMatchObject({ sourceIp: '192.0.2.7' });
    expect(deps.notifier.of('consultation.vendor_reported').map((e) => e.report.name)).toEqual(['株式会社さくらクラウド']);

    await expect(reportVendor(deps, { principal: sakura.people.fukushi }, ref, { ...chosen, name: '別の会社' })).rejects.toBeInstanceOf(ConflictError);
    expect((await deps.consultations.get(ref)).vendorReport?.name).toBe('株式会社さくらクラウド');
    expect(deps.notifier.of('consultation.vendor_reported')).toHaveLength(1);
  });

  it('is refused before the decision, to another department and to the secretariat, changing nothing', async () => {
    const ref = await selectingCase(false);
    await expect(reportVendor(deps, { principal: sakura.people.fukushi }, ref, chosen)).rejects.toBeInstanceOf(ConflictError);
    await expect(reportVendor(deps, { principal: sakura.people.shimin }, ref, chosen)).rejects.toBeInstanceOf(NotFoundError);
    await expect(reportVendor(deps, { principal: sakura.people.secretariat }, ref, chosen)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await deps.consultations.get(ref)).vendorReport).toBeUndefined();
    expect(deps.notifier.of('consultation.vendor_reported')).toEqual([]);
  });

  it('is refused for a case whose form named its vendor', async () => {
    const ref = await acceptedCase(deps, sakura.people, { title: '委託先の決まった委託' });
    await expect(reportVendor(deps, { principal: sakura.people.fukushi }, ref, chosen)).rejects.toBeInstanceOf(ConflictError);
  });
});
