import type { Server } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AsyncInvokeConfig, lambdaApi } from '#infra/local/lambda-api.ts';
import type { FunctionSettings } from '#infra/local/lambda-runtime.ts';
import { close, listen } from '#infra/local/services.ts';
import { asyncInvokeConfigsFrom, type CfnTemplate } from '#infra/local/synth.ts';

/**
 * Asynchronous invocations as Lambda runs them: retries after a wait, a maximum event age,
 * and the on-failure (and on-success) destination with the record Lambda sends. The
 * configuration comes from a small template of the tests' own, written as CDK writes
 * `fn.configureAsyncInvoke({ onFailure: new LambdaDestination(other), retryAttempts, maxEventAge })`.
 */
const TEMPLATE: CfnTemplate = {
  Resources: {
    Worker11F36D0F: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Timeout: 1 } },
    OnFail15823CE1: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
    Once2B3C4D5E: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
    Queue4A7E3555: { Type: 'AWS::SQS::Queue', Properties: {} },
    WorkerEventInvokeConfig3C332003: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['OnFail15823CE1', 'Arn'] } },
          OnSuccess: { Destination: { 'Fn::GetAtt': ['OnFail15823CE1', 'Arn'] } },
        },
        FunctionName: { Ref: 'Worker11F36D0F' },
        MaximumEventAgeInSeconds: 300,
        Qualifier: '$LATEST',
      },
    },
    OnceEventInvokeConfig00000000: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'Once2B3C4D5E' },
        MaximumRetryAttempts: 0,
        Qualifier: '$LATEST',
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['OnFail15823CE1', 'Arn'] } } },
      },
    },
    AliasConfig00000000: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'OnFail15823CE1' },
        MaximumRetryAttempts: 1,
        Qualifier: 'live',
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Queue4A7E3555', 'Arn'] } } },
      },
    },
  },
};

describe('EventInvokeConfig from the synthesized template', () => {
  it('reads retries, maximum age and destinations per function, for $LATEST only', () => {
    const configs = asyncInvokeConfigsFrom(TEMPLATE);
    expect(Object.fromEntries(configs)).toEqual({
      Worker11F36D0F: {
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 300,
        onFailure: 'arn:aws:lambda:ap-northeast-1:000000000000:function:OnFail15823CE1',
        onSuccess: 'arn:aws:lambda:ap-northeast-1:000000000000:function:OnFail15823CE1',
      },
      Once2B3C4D5E: {
        maximumRetryAttempts: 0,
        maximumEventAgeSeconds: 21_600,
        onFailure: 'arn:aws:lambda:ap-northeast-1:000000000000:function:OnFail15823CE1',
        onSuccess: undefined,
      },
    });
  });
});

describe('asynchronous invocations', () => {
  const configs = asyncInvokeConfigsFrom(TEMPLATE);
  const attempts: { fn: string; at: number; event: any }[] = [];
  const delivered: any[] = [];
  /** How the worker behaves this test. */
  let worker: (event: any) => Promise<unknown>;
  const handlers: Record<string, (event: any) => Promise<unknown>> = {
    Worker11F36D0F: (e) => worker(e),
    Once2B3C4D5E: async () => {
      throw new TypeError('once is enough');
    },
    OnFail15823CE1: async (record) => void delivered.push(record),
  };
  const settings = new Map<string, FunctionSettings>([
    ['Worker11F36D0F', { timeoutSeconds: 0.3, memorySize: 128 }],
    ['Once2B3C4D5E', { timeoutSeconds: 3, memorySize: 128 }],
    ['OnFail15823CE1', { timeoutSeconds: 3, memorySize: 128 }],
  ]);
  let ageOverride: Partial<AsyncInvokeConfig> = {};
  const api = lambdaApi({
    loadHandler: async (fn) => async (event: unknown) => {
      attempts.push({ fn, at: Date.now(), event });
      return handlers[fn]!(event);
    },
    settingsOf: (fn) => settings.get(fn),
    asyncConfigOf: (fn) => configs.get(fn) && { ...configs.get(fn)!, ...ageOverride },
    retryDelaysMs: [100, 200],
  });
  let server: Server;
  let lambda: LambdaClient;
  beforeAll(async () => {
    server = api.server;
    lambda = new LambdaClient({ endpoint: await listen(server, 0), region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    lambda.destroy();
    await api.drain();
    await close(server);
  });
  beforeEach(() => {
    attempts.length = 0;
    delivered.length = 0;
    ageOverride = {};
  });
  const invokeEvent = (fn: string, payload: unknown) =>
    lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!check()) throw new Error(`never: ${what}`);
  };

  it('retries a failing invocation twice after its waits, then sends the on-failure destination Lambda’s record', async () => {
    worker = async () => {
      throw Object.assign(new Error('the archive is unreachable'), { name: 'ArchiveDown' });
    };
    const out = await invokeEvent('Worker11F36D0F', { exportId: 'x1' });
    expect(out.StatusCode).toBe(202);
    await until(() => delivered.length === 1, 'the failure record');
    const tries = attempts.filter((a) => a.fn === 'Worker11F36D0F');
    expect(tries).toHaveLength(3);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(95);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(195);
    expect(delivered[0]).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: 'arn:aws:lambda:ap-northeast-1:000000000000:function:Worker11F36D0F:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { exportId: 'x1' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'ArchiveDown', errorMessage: 'the archive is unreachable', trace: expect.any(Array) },
    });
  });

  it('counts a timeout as a failure', async () => {
    worker = () => new Promise((r) => setTimeout(() => r('late'), 1000));
    await invokeEvent('Worker11F36D0F', { exportId: 'slow' });
    await until(() => delivered.length === 1, 'the failure record');
    expect(delivered[0].responsePayload).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 0.30 seconds'),
    });
  });

  it('sends a success to the on-success destination once a retry succeeds', async () => {
    let calls = 0;
    worker = async () => {
      if (++calls === 1) throw new Error('once');
      return { exported: true };
    };
    await invokeEvent('Worker11F36D0F', { exportId: 'x2' });
    await until(() => delivered.length === 1, 'the success record');
    expect(delivered[0]).toMatchObject({
      requestContext: { condition: 'Success', approximateInvokeCount: 2 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { exported: true },
    });
    expect(delivered[0].responseContext.functionError).toBeUndefined();
  });

  it('honours MaximumRetryAttempts', async () => {
    await invokeEvent('Once2B3C4D5E', {});
    await until(() => delivered.length === 1, 'the failure record');
    expect(attempts.filter((a) => a.fn === 'Once2B3C4D5E')).toHaveLength(1);
    expect(delivered[0]).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      responsePayload: { errorType: 'TypeError' },
    });
  });

  it('drops an event older than MaximumEventAgeInSeconds instead of retrying it', async () => {
    ageOverride = { maximumEventAgeSeconds: 0.05 };
    worker = async () => {
      throw new Error('down');
    };
    await invokeEvent('Worker11F36D0F', { exportId: 'old' });
    await until(() => delivered.length === 1, 'the failure record');
    expect(attempts.filter((a) => a.fn === 'Worker11F36D0F')).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 1 } });
  });

  it('answers as the Lambda API does: unknown functions, qualifiers, payloads that are not JSON or too large', async () => {
    await expect(invokeEvent('Nobody', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'Worker11F36D0F:live', InvocationType: 'Event', Payload: Buffer.from('{}') })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'Worker11F36D0F', InvocationType: 'Event', Payload: Buffer.from('{x') }))).rejects.toMatchObject(
      { name: 'InvalidRequestContentException' },
    );
    await expect(invokeEvent('Worker11F36D0F', { pad: 'x'.repeat(1024 * 1024) })).rejects.toMatchObject({
      name: 'RequestTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
    const byArn = await lambda.send(
      new InvokeCommand({ FunctionName: 'arn:aws:lambda:ap-northeast-1:000000000000:function:OnFail15823CE1:$LATEST', Payload: Buffer.from('{"probe":1}') }),
    );
    expect(byArn.StatusCode).toBe(200);
    expect(attempts).toHaveLength(1);
  });
});
