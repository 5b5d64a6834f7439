import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { close, listen } from '#infra/local/services.ts';
import { sfnApi } from '#infra/local/sfn-api.ts';
import { fnArn, MACHINE_ARN, miniRunner, until, waitStep } from '../support/mini-workflow.ts';

/**
 * RedriveExecution and StopExecution with AWS's semantics, through the real SFN client: a
 * redrive continues from the state that stopped, with the input it received, under the same
 * ARN, also after a restart of the stand-in (the journal keeps what it needs).
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'council-redrive-'));
const journalPath = path.join(dataDir, 'executions.json');
const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: fnArn('Prepare'), ResultPath: '$.prepared', Next: 'Flaky' },
    Flaky: { Type: 'Task', Resource: fnArn('Flaky'), ResultPath: '$.flaky', Next: 'Wait' },
    Wait: waitStep({ ResultPath: '$.answer', Next: 'Done' }),
    Done: { Type: 'Succeed' },
  },
};
const calls: { fn: string; event: any }[] = [];
let flakyFails = true;
const handlers = {
  Prepare: async (event: unknown) => (calls.push({ fn: 'Prepare', event }), { at: 'prepared' }),
  Flaky: async (event: unknown) => {
    calls.push({ fn: 'Flaky', event });
    if (flakyFails) throw Object.assign(new Error('the register is down'), { name: 'RegisterDown' });
    return 'ok';
  },
};

const servers: Server[] = [];
async function standIn(options: { timeoutSeconds?: number } = {}) {
  const def = options.timeoutSeconds ? { ...definition, TimeoutSeconds: options.timeoutSeconds } : definition;
  const { runner, tokens } = miniRunner(def, { journalPath: options.timeoutSeconds ? undefined : journalPath, handlers, timerChunkMs: 200 });
  const server = sfnApi(runner);
  servers.push(server);
  const sfn = new SFNClient({ endpoint: await listen(server, 0), region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return { runner, tokens, sfn };
}
afterAll(async () => {
  for (const s of servers) await close(s);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('RedriveExecution and StopExecution', () => {
  it('redrives a failed execution from its failed state, then a stopped one after a restart, until it succeeds', async () => {
    let local = await standIn();
    const { executionArn } = await local.sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'case-1', input: JSON.stringify({ caseId: 'c1' }) }),
    );
    const redrive = () => local.sfn.send(new RedriveExecutionCommand({ executionArn }));
    const describe = () => local.sfn.send(new DescribeExecutionCommand({ executionArn }));

    await expect(local.runner.waitForEnd(executionArn!)).resolves.toMatchObject({ status: 'FAILED', error: 'RegisterDown' });
    expect(await describe()).toMatchObject({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });

    flakyFails = false;
    const { redriveDate } = await redrive();
    expect(redriveDate).toBeInstanceOf(Date);
    expect(await describe()).toMatchObject({
      executionArn,
      status: 'RUNNING',
      redriveCount: 1,
      redriveDate,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven.',
    });
    await expect(redrive()).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
    await until(() => local.tokens.length === 1, 'the step is waiting');
    // Prepare ran once; Flaky ran again with the very input it received the first time.
    expect(calls.map((c) => c.fn)).toEqual(['Prepare', 'Flaky', 'Flaky']);
    expect(calls[2]!.event).toEqual(calls[1]!.event);
    expect(calls[2]!.event).toEqual({ caseId: 'c1', prepared: { at: 'prepared' } });

    const { stopDate } = await local.sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator.Stop', cause: 'paused by the secretariat' }));
    expect(stopDate).toBeInstanceOf(Date);
    expect(await describe()).toMatchObject({ status: 'ABORTED', error: 'Operator.Stop', cause: 'paused by the secretariat', redriveStatus: 'REDRIVABLE' });
    await expect(local.sfn.send(new SendTaskSuccessCommand({ taskToken: local.tokens[0], output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });

    // A restart: a new stand-in reading the same journal.
    await local.runner.stop();
    local = await standIn();
    expect(await describe()).toMatchObject({ status: 'ABORTED', redriveCount: 1, redriveStatus: 'REDRIVABLE' });
    await redrive();
    await until(() => local.tokens.length === 1, 'the step waits again');
    expect(calls.filter((c) => c.fn === 'Flaky')).toHaveLength(2);
    await local.sfn.send(new SendTaskSuccessCommand({ taskToken: local.tokens[0], output: JSON.stringify({ decided: true }) }));
    await expect(local.runner.waitForEnd(executionArn!)).resolves.toMatchObject({
      status: 'SUCCEEDED',
      output: { caseId: 'c1', flaky: 'ok', answer: { decided: true } },
    });
    expect(await describe()).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 2,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven.',
    });
    await expect(redrive()).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
    await local.runner.stop();
  });

  it('redrives a timed-out execution with its timeout reset', async () => {
    const local = await standIn({ timeoutSeconds: 1 });
    const { executionArn } = await local.sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'case-2', input: '{}' }));
    await expect(local.runner.waitForEnd(executionArn!)).resolves.toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    await local.sfn.send(new RedriveExecutionCommand({ executionArn }));
    await until(() => local.tokens.length === 2, 'the step waits again');
    await new Promise((r) => setTimeout(r, 500));
    expect(local.runner.describeExecution(executionArn!).status).toBe('RUNNING');
    await local.sfn.send(new SendTaskSuccessCommand({ taskToken: local.tokens[1], output: '"yes"' }));
    await expect(local.runner.waitForEnd(executionArn!)).resolves.toMatchObject({ status: 'SUCCEEDED' });
    await local.runner.stop();
  });

  it('refuses unknown executions and malformed ARNs', async () => {
    const local = await standIn({ timeoutSeconds: 5 });
    await expect(
      local.sfn.send(new RedriveExecutionCommand({ executionArn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:nobody` })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(local.sfn.send(new StopExecutionCommand({ executionArn: 'not-an-arn' }))).rejects.toMatchObject({ name: 'InvalidArn' });
  });
});
