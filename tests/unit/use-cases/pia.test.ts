import { beforeEach, describe, expect, it } from 'vitest';
import { signLink } from '#shared/domain/links.ts';
import { ConflictError, ForbiddenError, InvalidInputError, LinkError, NotFoundError } from '#shared/errors.ts';
import { recordShowOfHands } from '#shared/use-cases/meetings.ts';
import {
  approvePiaOpinion,
  closePiaReview,
  createPiaReview,
  listPiaReviews,
  openPiaReview,
  type PiaRef,
  piaLinkView,
  recordPiaStep,
  runPiaClock,
  savePiaComments,
  savePiaOpinion,
} from '#shared/use-cases/pia.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil, TEST_SIGNING_SECRET } from '../../support/memory-deps.ts';
import { approveAnswers, inDeliberation } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps({ now: '2026-05-11T10:00:00+09:00' });
  sakura = await seedCouncil(deps);
});

const INPUT = { businessName: '住民基本台帳に関する事務', evaluationType: 'full', subjects: 120_000, handlers: 600, seriousIncident: 'no' } as const;

/** A review whose 評価書 (第1版) was registered: as the upload would leave it, without storage. */
async function reviewWithVersion(): Promise<PiaRef> {
  const ref = await createPiaReview(deps, sakura.people.fukushi, 'sakura', INPUT);
  const review = await deps.pia.get('sakura', ref.reviewId);
  await deps.pia.save(review, {
    ...review,
    versions: [
      {
        n: 1,
        date: '2026-05-01',
        note: '初版',
        fileName: '評価書.pdf',
        contentType: 'application/pdf',
        size: 10,
        objectKey: 'kept/x',
        uploadedAt: '2026-05-01T00:00:00Z',
        uploadedBy: 'u',
      },
    ],
  });
  return ref;
}

async function opened(): Promise<{ ref: PiaRef; tokens: Map<string, string> }> {
  const ref = await reviewWithVersion();
  await openPiaReview(deps, sakura.people.secretariat, ref, '2026-05-31');
  return { ref, tokens: new Map(deps.notifier.of('pia.review_requested').map((e) => [e.member.memberId, e.token])) };
}

async function issued(): Promise<PiaRef> {
  const { ref, tokens } = await opened();
  await savePiaComments(deps, tokens.get('m-maeda')!, ['', '', '監督の頻度', '', '', '']);
  await closePiaReview(deps, sakura.people.secretariat, ref);
  await savePiaOpinion(deps, sakura.people.secretariat, ref, {
    verdict: 'conditional',
    summary: '',
    findings: ['', '', '監督の頻度を明記', '', '', ''],
    intent: 'submit',
  });
  await approvePiaOpinion(deps, sakura.people.chair, ref, { issuedOn: '2026-05-20' });
  return ref;
}

describe('PIA review use cases', () => {
  it('refuses an evaluation lighter than the threshold requires, beside the field, and stores nothing', async () => {
    const refused = createPiaReview(deps, sakura.people.fukushi, 'sakura', { ...INPUT, evaluationType: 'basic' });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ fields: { evaluationType: expect.stringContaining('「全項目評価」') } });
    expect((await listPiaReviews(deps, sakura.people.secretariat, 'sakura')).reviews).toEqual([]);
  });

  it('shows a review to its own department, the secretariat and the chair only', async () => {
    const ref = await reviewWithVersion();
    expect((await listPiaReviews(deps, sakura.people.shimin, 'sakura')).reviews).toEqual([]);
    expect((await listPiaReviews(deps, sakura.people.secretariat, 'sakura')).reviews.map((r) => r.reviewId)).toEqual([ref.reviewId]);
    await expect(recordPiaStep(deps, sakura.people.shimin, ref, { step: 'submitted', on: '2026-06-01' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(listPiaReviews(deps, sakura.people.member, 'sakura')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(openPiaReview(deps, sakura.people.fukushi, ref, '2026-05-31')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('is found by the council’s archive and deletion: its partition is among the council’s', async () => {
    const ref = await reviewWithVersion();
    const partitions = await deps.councilData.partitions('sakura');
    expect(partitions).toContain(`C#sakura#PIA#${ref.reviewId}`);
    const items = await deps.councilData.readPartition(`C#sakura#PIA#${ref.reviewId}`);
    expect(items.map((i) => i['_type']).sort()).toEqual(['piaAudit', 'piaReview']);
    expect(await deps.councilData.partitions('other')).not.toContain(`C#sakura#PIA#${ref.reviewId}`);
  });

  it('mails every member a link for this review only; a vote link or a link of another review opens nothing', async () => {
    const { ref, tokens } = await opened();
    expect([...tokens.keys()].sort()).toEqual(sakura.members.map((m) => m.memberId).sort());
    const view = await piaLinkView(deps, tokens.get('m-maeda')!, { audit: true });
    expect(view.review.reviewId).toBe(ref.reviewId);
    expect(view.open).toBe(true);
    const key = Buffer.from(TEST_SIGNING_SECRET, 'utf8');
    const vote = signLink(key, { purpose: 'vote', councilId: 'sakura', subject: 'm-maeda', target: 'meeting/item/1', exp: 2_000_000_000 });
    await expect(piaLinkView(deps, vote, { audit: true })).rejects.toMatchObject({ reason: 'wrong_purpose' });
    const other = signLink(key, { purpose: 'vote', councilId: 'sakura', subject: 'm-maeda', target: 'pia/another', exp: 2_000_000_000 });
    await expect(piaLinkView(deps, other, { audit: true })).rejects.toBeInstanceOf(NotFoundError);
    // Signed in as someone else on the browser: refused.
    await expect(piaLinkView(deps, tokens.get('m-maeda')!, { audit: false, viewer: sakura.people.secretariat })).rejects.toMatchObject({
      reason: 'other_person',
    });
  });

  it('refuses a link past its expiry (a week after the deadline) with the expired-link page', async () => {
    const { tokens } = await opened();
    deps.clock.set('2026-06-07T23:59:00+09:00');
    expect((await piaLinkView(deps, tokens.get('m-maeda')!, { audit: false })).open).toBe(true);
    deps.clock.set('2026-06-08T00:00:00+09:00');
    await expect(piaLinkView(deps, tokens.get('m-maeda')!, { audit: false })).rejects.toMatchObject({ reason: 'expired', status: 410 });
  });

  it('keeps comments changeable until the review closes, then refuses them', async () => {
    const { ref, tokens } = await opened();
    await savePiaComments(deps, tokens.get('m-maeda')!, ['a', '', '', '', '', '']);
    await savePiaComments(deps, tokens.get('m-maeda')!, ['b', '', '', '', '', '']);
    expect((await deps.pia.comments('sakura', ref.reviewId)).map((c) => c.comments[0])).toEqual(['b']);
    await closePiaReview(deps, sakura.people.secretariat, ref);
    const late = savePiaComments(deps, tokens.get('m-maeda')!, ['c', '', '', '', '', '']);
    await expect(late).rejects.toBeInstanceOf(LinkError);
    await expect(late).rejects.toMatchObject({ status: 410 });
    expect((await deps.pia.comments('sakura', ref.reviewId)).map((c) => c.comments[0])).toEqual(['b']);
  });

  it('numbers approved opinions in the council’s 文書番号 series, once each', async () => {
    const first = await issued();
    const second = await issued();
    const numbers = await Promise.all([first, second].map(async (r) => (await deps.pia.get('sakura', r.reviewId)).opinion?.documentNumber));
    expect(numbers).toEqual(['さくら市個審第1号', 'さくら市個審第2号']);
    await approvePiaOpinion(deps, sakura.people.chair, first, { issuedOn: '2026-05-21' });
    expect((await deps.pia.get('sakura', first.reviewId)).opinion?.documentNumber).toBe('さくら市個審第1号');
    expect(deps.notifier.of('pia.opinion_issued')).toHaveLength(2);
    await expect(
      savePiaOpinion(deps, sakura.people.secretariat, first, { verdict: 'conforming', summary: '', findings: [], intent: 'save' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('shares one 文書番号 series with the answers: opinion, answer, opinion take 第1号, 第2号, 第3号', async () => {
    const first = await issued();
    const { ref, meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');
    await recordShowOfHands(deps, sakura.people.secretariat, 'sakura', meeting.meetingId, item.itemId, {
      mode: 'all',
      present: sakura.members.map((m) => m.memberId),
      votes: {},
      conditions: [],
    });
    await approveAnswers(deps, sakura.people);
    const second = await issued();
    expect([
      (await deps.pia.get('sakura', first.reviewId)).opinion?.documentNumber,
      (await deps.consultations.getAnswer(ref)).documentNumber,
      (await deps.pia.get('sakura', second.reviewId)).opinion?.documentNumber,
    ]).toEqual(['さくら市個審第1号', 'さくら市個審第2号', 'さくら市個審第3号']);
  });

  it('reminds the department 6 months and 1 month before re-evaluation, once each, and again for a due date brought forward', async () => {
    const ref = await issued();
    await recordPiaStep(deps, sakura.people.fukushi, ref, { step: 'submitted', on: '2026-06-01' });
    expect((await deps.pia.get('sakura', ref.reviewId)).reevaluationDue).toBe('2031-06-01');
    const at = async (day: string) => {
      deps.clock.set(`${day}T06:00:00+09:00`);
      return (await runPiaClock(deps, 'sakura')).piaReminders;
    };
    expect(await at('2030-11-30')).toBe(0);
    expect(await at('2030-12-01')).toBe(1);
    expect(await at('2030-12-02')).toBe(0);
    expect(await at('2031-05-01')).toBe(1);
    expect(await at('2031-05-02')).toBe(0);
    deps.clock.set('2026-07-01T06:00:00+09:00');
    await recordPiaStep(deps, sakura.people.fukushi, ref, { step: 'major_change', on: '2027-03-01', note: '基幹系システムの標準化' });
    expect((await deps.pia.get('sakura', ref.reviewId)).reevaluationDue).toBe('2027-03-01');
    expect(await at('2026-09-01')).toBe(1);
    expect(await at('2027-02-01')).toBe(1);
    expect(await at('2027-02-02')).toBe(0);
    expect(deps.notifier.of('pia.reevaluation_reminder').map((e) => `${e.milestone}:${e.review.reevaluationDue}`)).toEqual([
      '6m:2031-06-01',
      '1m:2031-06-01',
      '6m:2027-03-01',
      '1m:2027-03-01',
    ]);
  });
});
