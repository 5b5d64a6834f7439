import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import type { ConsultationRepository } from '#shared/adapters/consultation-repository.ts';
import { type Consultation, type ConsultationStatus, executionNameFor, WITHDRAWN_ERROR } from '#shared/domain/consultation.ts';

/**
 * The state machine CDK synthesizes, run by the local Step Functions stand-in with
 * its tasks in the real handler modules, driven only through the real SFN client —
 * as page handlers will drive it.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'council-wf-'));
let stack: LocalStack;
let sfn: SFNClient;
let consultations: ConsultationRepository;

async function boot(ports?: LocalStack['urls']) {
  stack = await startLocalStack({
    dataDir,
    ports: ports && Object.fromEntries(Object.entries(ports).map(([k, url]) => [k, Number(new URL(url).port)])),
  });
  // Clients are made after the stack has set the SDK's endpoint variables, as a Lambda container would.
  sfn = new SFNClient({});
  const { dynamo } = await import('#shared/adapters/aws.ts');
  const { ConsultationRepository } = await import('#shared/adapters/consultation-repository.ts');
  consultations = new ConsultationRepository(dynamo, stack.tableName);
}
await boot();
afterAll(async () => {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let seq = 0;
async function submit(): Promise<{ ref: { councilId: string; consultationId: string }; executionArn: string }> {
  const ref = { councilId: 'sakura', consultationId: `wf-${++seq}` };
  const now = new Date().toISOString();
  await consultations.create({
    ...ref,
    departmentId: 'fukushi',
    form: { title: '生活保護受給者金銭管理支援業務委託' },
    status: 'draft',
    returns: 0,
    createdBy: 'u-fukushi',
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: stack.stateMachineArn, name: executionNameFor(ref, 1), input: JSON.stringify(ref) }),
  );
  return { ref, executionArn: executionArn! };
}

/** Waits until the case rests in `status` (and, for a human step, holds a token). */
async function reaches(ref: { councilId: string; consultationId: string }, status: ConsultationStatus): Promise<Consultation> {
  const waitsForPerson = !['closed', 'withdrawn', 'answered', 'submitted', 'followups_open'].includes(status);
  for (let i = 0; i < 300; i++) {
    const c = await consultations.get(ref);
    if (c.status === status && (!waitsForPerson || c.taskToken)) return c;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`case ${ref.consultationId} never reached ${status} (is ${(await consultations.get(ref)).status})`);
}

async function answer(ref: { councilId: string; consultationId: string }, status: ConsultationStatus, output: object) {
  const { taskToken } = await reaches(ref, status);
  await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
}

/** The chair approves the drafted answer (as the answer page does), and the workflow sends it. */
async function approve(ref: { councilId: string; consultationId: string }) {
  await reaches(ref, 'answer_review');
  const draft = await consultations.getAnswer(ref);
  expect(draft.state).toBe('draft');
  await consultations.approveAnswer(ref, {
    issuedOn: draft.issuedOn,
    documentNumber: 'さくら市個審第1号',
    approvedBy: 'm-kobayashi',
    approvedAs: '会長',
    approvedAt: new Date().toISOString(),
  });
  await answer(ref, 'answer_review', { approved: true });
}

describe('consultation workflow (synthesized definition, local runner)', () => {
  it('approves a case: submitted → screening → accepted → scheduled → decided → answer approved → closed', async () => {
    const { ref, executionArn } = await submit();
    await answer(ref, 'screening', { outcome: 'accepted' });
    await answer(ref, 'accepted', { meetingId: 'mtg-1' });
    await answer(ref, 'scheduled', { meetingId: 'mtg' });
    await answer(ref, 'in_deliberation', { outcome: 'approved', conditions: [] });
    await approve(ref);
    const end = await stack.runner.waitForEnd(executionArn);
    expect(end.status).toBe('SUCCEEDED');
    expect((await consultations.get(ref)).status).toBe('closed');
    expect((await consultations.get(ref)).taskToken).toBeUndefined();
    expect((await consultations.getAnswer(ref)).outcome).toBe('approved');
  });

  it('returns a case at screening, takes the revision, carries it over, and ends its execution at the answer with conditions', async () => {
    const { ref, executionArn } = await submit();
    await answer(ref, 'screening', { outcome: 'returned' });
    await answer(ref, 'returned', { revised: true });
    await answer(ref, 'screening', { outcome: 'accepted' });
    await answer(ref, 'accepted', { meetingId: 'mtg-1' });
    await answer(ref, 'scheduled', { meetingId: 'mtg' });
    await answer(ref, 'in_deliberation', { outcome: 'carried_over', conditions: [] });
    await answer(ref, 'accepted', { meetingId: 'mtg-2' });
    await answer(ref, 'scheduled', { meetingId: 'mtg' });
    await answer(ref, 'in_deliberation', { outcome: 'approved_with_conditions', conditions: ['受託者は契約終了時に書類を市に返還すること。'] });
    await approve(ref);
    // The follow-ups may run for years: the execution ends with the answer and they go on without it.
    const end = await stack.runner.waitForEnd(executionArn);
    expect(end.status).toBe('SUCCEEDED');
    expect(end.output).toMatchObject({ scheduling: { meetingId: 'mtg-2' }, decision: { outcome: 'approved_with_conditions' } });
    expect((await consultations.get(ref)).status).toBe('followups_open');
    expect((await consultations.get(ref)).taskToken).toBeUndefined();
    const kept = await consultations.getAnswer(ref);
    expect(kept).toMatchObject({
      outcome: 'approved_with_conditions',
      conditions: ['受託者は契約終了時に書類を市に返還すること。'],
      councilName: 'さくら市個人情報保護審議会',
      addressee: 'さくら市長',
    });
  });

  it('ends a withdrawn case cleanly from whichever step it waits in', async () => {
    const { ref, executionArn } = await submit();
    await answer(ref, 'screening', { outcome: 'accepted' });
    const { taskToken } = await reaches(ref, 'accepted');
    await sfn.send(new SendTaskFailureCommand({ taskToken, error: WITHDRAWN_ERROR, cause: '所管課が取り下げ' }));
    const end = await stack.runner.waitForEnd(executionArn);
    expect(end.status).toBe('SUCCEEDED');
    expect((await consultations.get(ref)).status).toBe('withdrawn');
  });

  it('hands a case waiting near the one-year limit to a newer execution that waits at the same step', async () => {
    const { ref, executionArn } = await submit();
    await answer(ref, 'screening', { outcome: 'accepted' });
    const before = await reaches(ref, 'accepted');
    expect(before.execution?.name).toBe(executionNameFor(ref, 1));
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { renewLongWaits } = await import('#shared/use-cases/recovery.ts');
    const deps = createDeps();
    const later = (days: number) => ({ ...deps, clock: { now: () => new Date(Date.now() + days * 86_400_000) } });
    // 299 days: nothing to do yet.
    expect((await renewLongWaits(later(299), ref.councilId)).renewed).toBe(0);
    expect((await renewLongWaits(later(301), ref.councilId)).renewed).toBeGreaterThanOrEqual(1);
    expect((await stack.runner.waitForEnd(executionArn)).status).toBe('SUCCEEDED');
    let after = await reaches(ref, 'accepted');
    for (let i = 0; i < 300 && after.execution?.name !== executionNameFor(ref, 2); i++) after = await reaches(ref, 'accepted');
    expect(after.execution?.name).toBe(executionNameFor(ref, 2));
    expect(after.renewal).toBeUndefined();
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: before.taskToken, output: JSON.stringify({ meetingId: 'x' }) }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    // Another 301 days later the second execution is handed on in turn; the case never stops.
    expect((await renewLongWaits(later(301 * 2), ref.councilId)).renewed).toBeGreaterThanOrEqual(1);
    let third = await reaches(ref, 'accepted');
    for (let i = 0; i < 300 && third.execution?.name !== executionNameFor(ref, 3); i++) third = await reaches(ref, 'accepted');
    await answer(ref, 'accepted', { meetingId: 'mtg-3' });
    await answer(ref, 'scheduled', { meetingId: 'mtg' });
    await answer(ref, 'in_deliberation', { outcome: 'approved', conditions: [] });
    await approve(ref);
    const thirdArn = executionArn.replace(/[^:]+$/, executionNameFor(ref, 3));
    expect((await stack.runner.waitForEnd(thirdArn)).status).toBe('SUCCEEDED');
    expect((await consultations.get(ref)).status).toBe('closed');
  });

  it('hands an answer waiting long for its approval to a newer execution, which sends it once approved', async () => {
    const { ref, executionArn } = await submit();
    await answer(ref, 'screening', { outcome: 'accepted' });
    await answer(ref, 'accepted', { meetingId: 'mtg-1' });
    await answer(ref, 'scheduled', { meetingId: 'mtg' });
    await answer(ref, 'in_deliberation', { outcome: 'approved_with_opinions', conditions: [], opinions: ['個人情報の取扱状況を年に一度報告すること。'] });
    const before = await reaches(ref, 'answer_review');
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { renewLongWaits } = await import('#shared/use-cases/recovery.ts');
    const deps = createDeps();
    expect((await renewLongWaits({ ...deps, clock: { now: () => new Date(Date.now() + 301 * 86_400_000) } }, ref.councilId)).renewed).toBeGreaterThanOrEqual(1);
    expect((await stack.runner.waitForEnd(executionArn)).status).toBe('SUCCEEDED');
    let after = await reaches(ref, 'answer_review');
    for (let i = 0; i < 300 && after.execution?.name !== executionNameFor(ref, 2); i++) after = await reaches(ref, 'answer_review');
    expect(after.taskToken).not.toBe(before.taskToken);
    await approve(ref);
    const secondArn = executionArn.replace(/[^:]+$/, executionNameFor(ref, 2));
    expect((await stack.runner.waitForEnd(secondArn)).status).toBe('SUCCEEDED');
    // The opinion is followed up (not binding), so the case stays open for it.
    expect((await consultations.get(ref)).status).toBe('followups_open');
    expect(await consultations.getAnswer(ref)).toMatchObject({
      outcome: 'approved_with_opinions',
      state: 'approved',
      opinions: ['個人情報の取扱状況を年に一度報告すること。'],
    });
    const [followUp] = (await consultations.bundle(ref)).followUps;
    expect(followUp).toMatchObject({ binding: false, condition: '個人情報の取扱状況を年に一度報告すること。' });
  });

  it('refuses a token that was already used, changing nothing', async () => {
    const { ref } = await submit();
    const { taskToken } = await reaches(ref, 'screening');
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ outcome: 'accepted' }) }));
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ outcome: 'returned' }) }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    expect((await reaches(ref, 'accepted')).status).toBe('accepted');
  });

  it('treats a repeated start of the same case as the same execution', async () => {
    const { ref, executionArn } = await submit();
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: stack.stateMachineArn, name: executionNameFor(ref, 1), input: JSON.stringify(ref) }),
    );
    expect(again.executionArn).toBe(executionArn);
  });

  it('resumes a case that waited for a person across a restart of the local stack', async () => {
    const { ref, executionArn } = await submit();
    await answer(ref, 'screening', { outcome: 'accepted' });
    const before = await reaches(ref, 'accepted');
    const urls = stack.urls;
    await stack.stop();

    await boot(urls);
    expect(stack.resumed).toBeGreaterThanOrEqual(1);
    // The resumed step records a fresh token; the one from before the restart is dead.
    let after = await reaches(ref, 'accepted');
    for (let i = 0; i < 300 && after.taskToken === before.taskToken; i++) after = await reaches(ref, 'accepted');
    expect(after.taskToken).not.toBe(before.taskToken);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: before.taskToken, output: JSON.stringify({ meetingId: 'stale' }) }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await answer(ref, 'accepted', { meetingId: 'mtg-9' });
    await answer(ref, 'scheduled', { meetingId: 'mtg' });
    await answer(ref, 'in_deliberation', { outcome: 'rejected', conditions: [] });
    await approve(ref);
    expect((await stack.runner.waitForEnd(executionArn)).status).toBe('SUCCEEDED');
    expect((await consultations.get(ref)).status).toBe('closed');
  });
});
