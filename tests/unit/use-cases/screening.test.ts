import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '#shared/adapters/runtime.ts';
import { ConflictError, DomainError } from '#shared/errors.ts';
import { acceptConsultations, screenConsultation } from '#shared/use-cases/consultations.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptCase, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});
const secretariat = () => ({ principal: sakura.people.secretariat, sourceIp: '192.0.2.20' });
const accept = () => ({ decision: 'accept' as const, requestId: newId() });

describe('the secretariat returns a case', () => {
  it('keeps the comment as round 1, tells the department, and the case waits for its revision', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const { taskToken } = await deps.consultations.get(ref);

    const result = await screenConsultation(deps, secretariat(), ref, { decision: 'return', comment: '委託先の選定方法を記載してください。' });
    await deps.workflow.settle();

    expect(result).toEqual({ decision: 'return' });
    expect(deps.workflow.callsOf('complete')).toEqual([{ op: 'complete', taskToken, output: { outcome: 'returned', round: 1 } }]);
    const bundle = await deps.consultations.bundle(ref);
    expect(bundle.consultation).toMatchObject({ status: 'returned', returns: 1 });
    expect(bundle.consultation.number).toBeUndefined();
    expect(bundle.rounds).toEqual([
      expect.objectContaining({ round: 1, comment: '委託先の選定方法を記載してください。', returnedBy: sakura.people.secretariat.userId }),
    ]);
    expect(deps.notifier.of('consultation.returned')).toEqual([
      expect.objectContaining({ round: 1, comment: '委託先の選定方法を記載してください。', department: expect.objectContaining({ departmentId: 'fukushi' }) }),
    ]);
  });

  it('refuses to screen a case that is not waiting for screening', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await screenConsultation(deps, secretariat(), ref, { decision: 'return', comment: '不足があります。' });
    await deps.workflow.settle();

    await expect(screenConsultation(deps, secretariat(), ref, accept())).rejects.toThrow(DomainError);
    await expect(screenConsultation(deps, secretariat(), ref, { decision: 'return', comment: 'もう一度' })).rejects.toThrow('受付審査中ではありません');
    expect(await deps.consultations.get(ref)).toMatchObject({ status: 'returned', returns: 1 });
    expect(deps.notifier.of('consultation.returned')).toHaveLength(1);
  });
});

describe('the secretariat accepts a case', () => {
  it('numbers it 諮問第1号 of the fiscal year, tells the department, and the case waits for a meeting', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);

    const result = await screenConsultation(deps, secretariat(), ref, accept());
    await deps.workflow.settle();

    expect(result).toEqual({ decision: 'accept', number: { fiscalYear: 2026, n: 1 } });
    expect(deps.workflow.callsOf('complete').map((c) => c.output)).toEqual([{ outcome: 'accepted', number: { fiscalYear: 2026, n: 1 } }]);
    expect(await deps.consultations.get(ref)).toMatchObject({ status: 'accepted', number: { fiscalYear: 2026, n: 1 } });
    expect(deps.notifier.of('consultation.accepted').map((e) => e.number)).toEqual([{ fiscalYear: 2026, n: 1 }]);
    expect((await deps.consultations.auditTrail(ref)).find((a) => a.action === '受付')).toMatchObject({ sourceIp: '192.0.2.20' });
  });

  it('numbers the council’s cases one after another, whichever was submitted first', async () => {
    const first = await submitCase(deps, sakura.people.fukushi);
    const second = await submitCase(deps, sakura.people.shimin, { title: '住民記録システムの更改' });

    expect(await acceptCase(deps, sakura.people, second)).toEqual({ fiscalYear: 2026, n: 1 });
    expect(await acceptCase(deps, sakura.people, first)).toEqual({ fiscalYear: 2026, n: 2 });
  });

  it('starts again at 第1号 in a new fiscal year, and numbers each council on its own', async () => {
    const kaede = await seedCouncil(deps, 'kaede');
    await acceptCase(deps, sakura.people, await submitCase(deps, sakura.people.fukushi));
    expect(await acceptCase(deps, kaede.people, await submitCase(deps, kaede.people.fukushi))).toEqual({ fiscalYear: 2026, n: 1 });

    deps.clock.set('2027-04-01T09:00:00+09:00');
    expect(await acceptCase(deps, sakura.people, await submitCase(deps, sakura.people.fukushi))).toEqual({ fiscalYear: 2027, n: 1 });
  });

  it('leaves no gap when an acceptance is cut off after numbering: the retry finishes it with the same number', async () => {
    const a = await submitCase(deps, sakura.people.fukushi);
    const b = await submitCase(deps, sakura.people.shimin);
    deps.workflow.failNext('complete');

    await expect(screenConsultation(deps, secretariat(), a, accept())).rejects.toThrow('Rate exceeded');
    expect(await deps.consultations.get(a)).toMatchObject({ status: 'screening', number: { n: 1 } });

    // Another click (a new form, so a new request id) takes over the unfinished acceptance.
    expect(await screenConsultation(deps, secretariat(), a, accept())).toEqual({ decision: 'accept', number: { fiscalYear: 2026, n: 1 } });
    await deps.workflow.settle();
    expect(await acceptCase(deps, sakura.people, b)).toEqual({ fiscalYear: 2026, n: 2 });
    expect(deps.notifier.of('consultation.accepted').map((e) => e.number.n)).toEqual([1, 2]);
  });

  it('tells a second click that someone else handled it, and the case keeps its one number', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await screenConsultation(deps, secretariat(), ref, accept());

    // The workflow has not recorded the move yet: the case still shows 受付審査中.
    await expect(screenConsultation(deps, secretariat(), ref, accept())).rejects.toBeInstanceOf(ConflictError);
    await deps.workflow.settle();
    expect(await deps.consultations.get(ref)).toMatchObject({ status: 'accepted', number: { n: 1 } });
    expect(deps.notifier.of('consultation.accepted')).toHaveLength(1);
    await expect(screenConsultation(deps, secretariat(), ref, accept())).rejects.toThrow(DomainError);
  });
});

describe('an acceptance in progress and a return', () => {
  /** An acceptance that marked the case and was then cut off before it numbered it. */
  const cutOffAcceptance = async (ref: { councilId: string; consultationId: string }) =>
    deps.consultations.beginAcceptance(ref, newId(), deps.clock.now().toISOString());

  it('refuses a return while an acceptance is under way, and stores nothing of it', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await cutOffAcceptance(ref);
    deps.clock.advance({ seconds: 30 });

    await expect(screenConsultation(deps, secretariat(), ref, { decision: 'return', comment: '差し戻します。' })).rejects.toBeInstanceOf(ConflictError);
    const bundle = await deps.consultations.bundle(ref);
    expect(bundle.consultation).toMatchObject({ status: 'screening', returns: 0 });
    expect(bundle.rounds).toEqual([]);
    expect(deps.workflow.callsOf('complete')).toEqual([]);
    expect(deps.notifier.of('consultation.returned')).toEqual([]);
  });

  it('lets a return through once the cut-off acceptance has lapsed (a minute)', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await cutOffAcceptance(ref);
    deps.clock.advance({ seconds: 61 });

    await screenConsultation(deps, secretariat(), ref, { decision: 'return', comment: '差し戻します。' });
    await deps.workflow.settle();
    expect(await deps.consultations.get(ref)).toMatchObject({ status: 'returned', returns: 1 });
  });

  it('lets another acceptance take over the cut-off one and number the case', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await cutOffAcceptance(ref);

    expect(await acceptCase(deps, sakura.people, ref)).toEqual({ fiscalYear: 2026, n: 1 });
    expect((await deps.consultations.get(ref)).status).toBe('accepted');
  });
});

describe('the secretariat accepts several cases in one step', () => {
  it('numbers them gap-free in the order chosen, moves each on and tells each department; one handled meanwhile is named, the rest accepted', async () => {
    const refs = [];
    for (const [who, title] of [
      [sakura.people.fukushi, '一件目'],
      [sakura.people.shimin, '二件目'],
      [sakura.people.fukushi, '三件目'],
      [sakura.people.shimin, '四件目'],
    ] as const)
      refs.push(await submitCase(deps, who, { title }));
    // Someone returns the third one from its own page just before (the workflow has not yet recorded it as returned).
    await screenConsultation(deps, secretariat(), refs[2]!, { decision: 'return', comment: '添付資料を追加してください。' });

    const chosen = [refs[1]!, refs[0]!, refs[2]!, refs[3]!].map((r) => r.consultationId);
    const result = await acceptConsultations(deps, secretariat(), 'sakura', { requestId: newId(), consultationIds: chosen });
    await deps.workflow.settle();

    expect(result.accepted.map((a) => [a.consultation.form.title, a.number.n])).toEqual([
      ['二件目', 1],
      ['一件目', 2],
      ['四件目', 3],
    ]);
    expect(result.skipped).toEqual([{ consultationId: refs[2]!.consultationId, title: '三件目', reason: expect.stringContaining('既に他の方が処理しました') }]);
    expect((await deps.consultations.get(refs[2]!)).number).toBeUndefined();
    for (const ref of [refs[0]!, refs[1]!, refs[3]!]) expect((await deps.consultations.get(ref)).status).toBe('accepted');
    expect(deps.notifier.of('consultation.accepted').map((e) => e.number.n)).toEqual([1, 2, 3]);
    expect((await deps.consultations.auditTrail(refs[1]!)).map((a) => a.action)).toContain('受付');
  });

  it('is the secretariat’s only', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await expect(
      acceptConsultations(deps, { principal: sakura.people.fukushi }, 'sakura', { requestId: newId(), consultationIds: [ref.consultationId] }),
    ).rejects.toMatchObject({ status: 403 });
    expect((await deps.consultations.get(ref)).number).toBeUndefined();
  });
});
