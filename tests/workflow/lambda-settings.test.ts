import type { Server } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaApi } from '#infra/local/lambda-api.ts';
import { close, listen } from '#infra/local/services.ts';
import { type CfnTemplate, functionSettingsFrom } from '#infra/local/synth.ts';
import { fnArn, miniRunner } from '../support/mini-workflow.ts';

/** The local stack runs every function within its synthesized timeout and memory. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('function settings from the synthesized template', () => {
  it('reads each function’s Timeout and MemorySize, with CloudFormation’s defaults where unset', () => {
    // As CDK writes them (a Function with timeout and memory, one without).
    const template: CfnTemplate = {
      Resources: {
        SlowA1B2C3D4: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 42, MemorySize: 2048 } },
        PlainE5F6A7B8: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x' } },
        PlainRole0000: { Type: 'AWS::IAM::Role', Properties: {} },
      },
    };
    expect(Object.fromEntries(functionSettingsFrom(template))).toEqual({
      SlowA1B2C3D4: { timeoutSeconds: 42, memorySize: 2048 },
      PlainE5F6A7B8: { timeoutSeconds: 3, memorySize: 128 },
    });
  });
});

describe('a handler running past its function’s timeout', () => {
  it('fails its Step Functions task with Sandbox.Timedout, which the definition can retry, and sees its memory in the context', async () => {
    const contexts: Context[] = [];
    const { runner } = miniRunner(
      {
        StartAt: 'Slow',
        States: {
          Slow: {
            Type: 'Task',
            Resource: fnArn('Slow'),
            Retry: [{ ErrorEquals: ['Sandbox.Timedout'], MaxAttempts: 1, IntervalSeconds: 1 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Stalled' }],
            End: true,
          },
          Stalled: { Type: 'Pass', End: true },
        },
      },
      {
        retryIntervalMs: 10,
        functionSettings: (name) => (name === 'Slow' ? { timeoutSeconds: 0.2, memorySize: 256 } : undefined),
        handlers: {
          Slow: async (_event, context: Context) => {
            contexts.push(context);
            await sleep(500);
            return 'too late';
          },
        },
      },
    );
    const { executionArn } = runner.startExecution({ case: 3 }, 'slow');
    const end = await runner.waitForEnd(executionArn);
    expect(contexts).toHaveLength(2); // the first attempt and its retry
    expect(contexts[0]!.memoryLimitInMB).toBe('256');
    expect(contexts[0]!.getRemainingTimeInMillis()).toBeLessThanOrEqual(200);
    const failure = (end.output as { failure: { Error: string; Cause: string } }).failure;
    expect(failure.Error).toBe('Sandbox.Timedout');
    expect(JSON.parse(failure.Cause)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 0.20 seconds'),
    });
  });

  let server: Server | undefined;
  afterAll(async () => server && (await close(server)));

  it('answers a synchronous Invoke with the Sandbox.Timedout function error', async () => {
    const api = lambdaApi({
      loadHandler: async () => async () => {
        await sleep(400);
        return 'too late';
      },
      settingsOf: () => ({ timeoutSeconds: 0.1, memorySize: 128 }),
    });
    server = api.server;
    const lambda = new LambdaClient({
      endpoint: await listen(server, 0),
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'Slow', Payload: Buffer.from('{}') }));
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toMatchObject({ errorType: 'Sandbox.Timedout' });
    lambda.destroy();
  });
});
