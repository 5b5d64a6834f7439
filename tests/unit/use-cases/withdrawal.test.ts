import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '#shared/adapters/runtime.ts';
import { CONTINUED_ERROR, WITHDRAWN_ERROR } from '#shared/domain/consultation.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { createConsultation, screenConsultation } from '#shared/use-cases/consultations.ts';
import { recordStall, redriveConsultation, renewLongWaits, withdrawConsultation } from '#shared/use-cases/recovery.ts';
import { draftCommand, type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptCase, acceptedCase, newMeetingOf, schedule, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});
const reason = { reason: '事業の実施を見送ることになったため。' };

describe('withdrawing a case', () => {
  it('ends a case waiting in its workflow through the definition’s withdrawal path, and tells its department', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const { taskToken } = await deps.consultations.get(ref);

    await withdrawConsultation(deps, { principal: sakura.people.fukushi, sourceIp: '192.0.2.30' }, ref, reason);
    await deps.workflow.settle();

    expect(deps.workflow.callsOf('fail')).toEqual([{ op: 'fail', taskToken, error: WITHDRAWN_ERROR, cause: reason.reason }]);
    expect((await deps.consultations.get(ref)).status).toBe('withdrawn');
    expect(deps.notifier.of('consultation.withdrawn')).toEqual([expect.objectContaining({ by: 'department', reason: reason.reason })]);
    expect((await deps.consultations.auditTrail(ref)).find((a) => a.action === '取り下げ')).toMatchObject({ detail: reason.reason, sourceIp: '192.0.2.30' });
  });

  it('withdraws a draft at once: no workflow to end, nobody to tell', async () => {
    const { ref } = await createConsultation(deps, { principal: sakura.people.fukushi }, 'sakura', newId(), draftCommand());

    await withdrawConsultation(deps, { principal: sakura.people.fukushi }, ref, reason);

    expect((await deps.consultations.get(ref)).status).toBe('withdrawn');
    expect(deps.workflow.calls).toEqual([]);
    expect(deps.notifier.events).toEqual([]);
  });

  it('lets the secretariat withdraw an accepted case on the department’s behalf', async () => {
    const ref = await acceptedCase(deps, sakura.people);

    await withdrawConsultation(deps, { principal: sakura.people.secretariat }, ref, reason);
    await deps.workflow.settle();

    expect((await deps.consultations.get(ref)).status).toBe('withdrawn');
    expect(deps.notifier.of('consultation.withdrawn').map((e) => e.by)).toEqual(['secretariat']);
  });

  it('is refused once the case is on a meeting’s agenda, and the case goes on', async () => {
    const ref = await acceptedCase(deps, sakura.people);
    await schedule(deps, sakura.people, await newMeetingOf(deps, sakura.people, 'meeting'), [ref]);

    await expect(withdrawConsultation(deps, { principal: sakura.people.fukushi }, ref, reason)).rejects.toBeInstanceOf(ConflictError);
    await deps.workflow.settle();
    const c = await deps.consultations.get(ref);
    expect(c.status).toBe('scheduled');
    expect(deps.workflow.isLive(c.taskToken)).toBe(true);
    expect(deps.workflow.callsOf('fail')).toEqual([]);
  });

  it('is refused to another department as if the case did not exist', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);

    await expect(withdrawConsultation(deps, { principal: sakura.people.shimin }, ref, reason)).rejects.toBeInstanceOf(NotFoundError);
    expect((await deps.consultations.get(ref)).status).toBe('screening');
    expect(deps.workflow.callsOf('fail')).toEqual([]);
  });

  it('stands even when the notice cannot be mailed', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    deps.notifier.failWith(new Error('mail service unavailable'));

    await withdrawConsultation(deps, { principal: sakura.people.fukushi }, ref, reason);
    await deps.workflow.settle();

    expect((await deps.consultations.get(ref)).status).toBe('withdrawn');
  });
});

describe('a stalled case', () => {
  const stall = async (ref: { councilId: string; consultationId: string }) => {
    const { execution } = await deps.consultations.get(ref);
    return recordStall(deps, {
      ref,
      executionArn: `arn:aws:states:ap-northeast-1:000000000000:execution:ConsultationLifecycle:${execution!.name}`,
      executionName: execution!.name,
      error: 'Task.Transient',
      cause: 'ThrottlingException: Rate exceeded',
    });
  };

  it('is run again from its stopped step by the secretariat, once', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    expect(await stall(ref)).toBe(true);
    const stalled = await deps.consultations.get(ref);
    expect(stalled).toMatchObject({ status: 'stalled', stalled: { previousStatus: 'screening', error: 'Task.Transient' } });

    await redriveConsultation(deps, { principal: sakura.people.secretariat }, ref);

    expect(deps.workflow.callsOf('redrive')).toEqual([{ op: 'redrive', executionArn: stalled.stalled!.executionArn }]);
    expect((await deps.consultations.get(ref)).stalled?.redrivenAt).toBe(deps.clock.now().toISOString());
    await expect(redriveConsultation(deps, { principal: sakura.people.secretariat }, ref)).rejects.toBeInstanceOf(ConflictError);
    expect(deps.workflow.callsOf('redrive')).toHaveLength(1);
  });

  it('may be withdrawn without its workflow', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await stall(ref);

    await withdrawConsultation(deps, { principal: sakura.people.secretariat }, ref, reason);

    expect((await deps.consultations.get(ref)).status).toBe('withdrawn');
    expect(deps.workflow.callsOf('fail')).toEqual([]);
    expect(deps.notifier.of('consultation.withdrawn')).toHaveLength(1);
  });
});

describe('a case that waits for a person for most of a year', () => {
  it('is carried on by a newer execution at the same step, and the secretariat’s answer reaches it', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const old = await deps.consultations.get(ref);
    deps.clock.advance({ days: 301 });

    expect(await renewLongWaits(deps, 'sakura')).toEqual({ renewed: 1 });
    await deps.workflow.settle();

    expect(deps.workflow.callsOf('fail')).toEqual([expect.objectContaining({ taskToken: old.taskToken, error: CONTINUED_ERROR })]);
    expect(deps.workflow.callsOf('start').at(-1)).toMatchObject({ cycle: 2, resumeAt: 'screening' });
    const renewed = await deps.consultations.get(ref);
    expect(renewed).toMatchObject({ status: 'screening', execution: { name: expect.stringMatching(/-2$/), startedAt: deps.clock.now().toISOString() } });
    expect(renewed.renewal).toBeUndefined();
    expect(deps.workflow.isLive(old.taskToken)).toBe(false);
    expect(await renewLongWaits(deps, 'sakura')).toEqual({ renewed: 0 });

    expect(await acceptCase(deps, sakura.people, ref)).toEqual({ fiscalYear: 2026, n: 1 });
  });

  it('is left alone before its execution has waited 300 days', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await screenConsultation(deps, { principal: sakura.people.secretariat }, ref, { decision: 'return', comment: '記載が不足しています。' });
    await deps.workflow.settle();
    deps.clock.advance({ days: 299 });

    expect(await renewLongWaits(deps, 'sakura')).toEqual({ renewed: 0 });
    expect(deps.workflow.callsOf('start')).toHaveLength(1);
  });
});
