import type { Server } from 'node:http';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, listen } from '#infra/local/services.ts';
import { sfnApi } from '#infra/local/sfn-api.ts';
import { fnArn, MACHINE_ARN, miniRunner, until, waitingMachine } from '../support/mini-workflow.ts';

/** Names and data limits as Step Functions enforces them, through the real SFN client. */
const KIB = 1024;
const big = (kib: number) => 'x'.repeat(kib * KIB);

const grow = (resultPath: string, next: Record<string, unknown>) => ({ Type: 'Task', Resource: fnArn('Grow'), ResultPath: resultPath, ...next });
const caught = { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Caught' }] };
const definition = {
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.kind', StringEquals: 'wait', Next: 'Wait' },
        { Variable: '$.kind', StringEquals: 'huge-result', Next: 'Huge' },
      ],
      Default: 'GrowA',
    },
    Wait: waitingMachine().States.Wait,
    GrowA: grow('$.a', { Next: 'GrowB', ...caught }),
    GrowB: grow('$.b', { Next: 'Done', ...caught }),
    Huge: { Type: 'Task', Resource: fnArn('Huge'), Next: 'Done', ...caught },
    Caught: { Type: 'Succeed' },
    Done: { Type: 'Succeed' },
  },
};

const { runner, tokens } = miniRunner(definition, {
  handlers: {
    Grow: async () => big(200), // each result fits; two of them in one state's output do not
    Huge: async () => big(300),
  },
});
let server: Server;
let endpoint: string;
let sfn: SFNClient;
beforeAll(async () => {
  server = sfnApi(runner);
  endpoint = await listen(server, 0);
  sfn = new SFNClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  sfn.destroy();
  await runner.stop();
  await close(server);
});

const start = (name: string | undefined, input: string) => sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name, input }));

describe('StartExecution', () => {
  it('refuses names longer than 80 characters or outside letters, digits, - and _ with InvalidName (HTTP 400)', async () => {
    for (const name of ['x'.repeat(81), 'has space', 'dot.ted', 'colon:name', 'slash/name', '諮問', 'tab\tname', '']) {
      await expect(start(name, '{}'), name).rejects.toMatchObject({ name: 'InvalidName', $metadata: { httpStatusCode: 400 } });
    }
    await expect(start(`A-z_0${'9'.repeat(75)}`, JSON.stringify({ kind: 'wait' }))).resolves.toMatchObject({
      executionArn: expect.stringContaining(':execution:Mini:A-z_0'),
    });
    const raw = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      body: JSON.stringify({ stateMachineArn: MACHINE_ARN, name: 'no spaces allowed' }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ __type: 'InvalidName' });
  });

  it('refuses an input over 256 KiB, or not JSON, with InvalidExecutionInput', async () => {
    await expect(start('too-big', JSON.stringify({ kind: 'wait', pad: big(256) }))).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    await expect(start('not-json', '{kind: wait}')).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    // Just under the limit is accepted.
    const fits = JSON.stringify({ kind: 'wait', pad: '' });
    await expect(start('just-fits', JSON.stringify({ kind: 'wait', pad: big(256).slice(fits.length) }))).resolves.toBeDefined();
  });

  it('refuses an unknown state machine', async () => {
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: `${MACHINE_ARN}Other`, input: '{}' }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });
});

describe('data inside an execution', () => {
  it('fails the execution with States.DataLimitExceeded when a state’s output passes 256 KiB, whatever its Catch says', async () => {
    const { executionArn } = await start('grows', JSON.stringify({ kind: 'grow' }));
    expect(await runner.waitForEnd(executionArn!)).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringContaining("'GrowB'"),
    });
  });

  it('fails it the same way when a task’s result passes 256 KiB', async () => {
    const { executionArn } = await start('huge-result', JSON.stringify({ kind: 'huge-result' }));
    expect(await runner.waitForEnd(executionArn!)).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringContaining("'Huge'"),
    });
  });

  it('refuses a SendTaskSuccess output over 256 KiB with InvalidOutput, and the step goes on waiting', async () => {
    const before = tokens.length;
    const { executionArn } = await start('big-answer', JSON.stringify({ kind: 'wait' }));
    await until(() => tokens.length > before, 'the step is waiting');
    const taskToken = tokens.at(-1)!;
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ pad: big(257) }) }))).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{not json' }))).rejects.toMatchObject({ name: 'InvalidOutput' });
    expect(runner.describeExecution(executionArn!).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ ok: true }) }));
    expect(await runner.waitForEnd(executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
  });
});
