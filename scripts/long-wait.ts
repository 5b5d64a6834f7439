/**
 * A human check that a case waiting for a person does not fail after the minute the local Step
 * Functions library would otherwise allow: starts the local stack (in memory, free ports), submits
 * a case, lets it wait at screening for 75 real seconds, then checks it still waits and that its
 * token still completes the step. Run with `npx tsx scripts/long-wait.ts` (about 80 s).
 */
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startLocalStack } from '#infra/local/stack.ts';

const WAIT_SECONDS = Number(process.env['LONG_WAIT_SECONDS'] ?? 75);

const stack = await startLocalStack({ seed: true });
let ok = false;
try {
  const sfn = new SFNClient({});
  const { dynamo } = await import('#shared/adapters/aws.ts');
  const { ConsultationRepository } = await import('#shared/adapters/consultation-repository.ts');
  const consultations = new ConsultationRepository(dynamo, stack.tableName);
  const ref = { councilId: 'sakura', consultationId: `long-wait-${Date.now()}` };
  const now = new Date().toISOString();
  await consultations.create({
    ...ref,
    departmentId: 'fukushi',
    form: { title: '長時間待機の確認' },
    status: 'draft',
    returns: 0,
    createdBy: 'u-fukushi',
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: stack.stateMachineArn, name: ref.consultationId, input: JSON.stringify(ref) }),
  );

  const waitingAt = async (status: string) => {
    for (let i = 0; i < 500; i++) {
      const c = await consultations.get(ref);
      if (c.status === status && c.taskToken) return c;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`the case never waited at ${status}`);
  };
  const before = await waitingAt('screening');
  const started = Date.now();
  console.log(`${new Date().toISOString()} waiting at screening; now waiting ${WAIT_SECONDS} s …`);
  for (let s = 15; s < WAIT_SECONDS; s += 15) {
    await new Promise((r) => setTimeout(r, 15_000));
    console.log(`  ${s} s: execution ${stack.runner.describeExecution(executionArn!).status}`);
  }
  await new Promise((r) => setTimeout(r, started + WAIT_SECONDS * 1000 - Date.now()));

  const record = stack.runner.describeExecution(executionArn!);
  const stillWaiting = record.status === 'RUNNING' && record.waiting?.state === 'AwaitScreening';
  console.log(
    `after ${Math.round((Date.now() - started) / 1000)} s: status ${record.status}, waiting in ${record.waiting?.state ?? '(nothing)'}${record.error ? `, error ${record.error}` : ''}`,
  );
  await sfn.send(new SendTaskSuccessCommand({ taskToken: before.taskToken, output: JSON.stringify({ outcome: 'accepted' }) }));
  const moved = await waitingAt('accepted');
  console.log(`the token from before the wait completed the step: the case is now ${moved.status}`);
  ok = stillWaiting;
} catch (e) {
  console.error(e);
} finally {
  await stack.stop();
}
console.log(ok ? 'OK: the step waited past the library’s 60-second default' : 'FAILED: the step did not keep waiting');
process.exit(ok ? 0 : 1);
