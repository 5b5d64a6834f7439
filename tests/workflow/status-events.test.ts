import { afterAll, describe, expect, it } from 'vitest';
import { localEventBus, matchesPattern } from '#infra/local/events.ts';
import { lambdaApi } from '#infra/local/lambda-api.ts';
import { type CfnTemplate, resolver, stateMachineEventRulesFrom } from '#infra/local/synth.ts';
import { fnArn, MACHINE_ARN, miniRunner, until, waitingMachine } from '../support/mini-workflow.ts';

/**
 * Step Functions' execution status-change events, delivered to the functions of EventBridge
 * rules read from a template of the tests' own, written as CDK writes
 * `new Rule(..., { eventPattern: { source: ['aws.states'], detailType: [...], detail: { status, stateMachineArn: [machine.stateMachineArn] } }, targets: [new LambdaFunction(fn)] })`.
 */
const TEMPLATE: CfnTemplate = {
  Resources: {
    Machine6FC8AE80: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    Other1234ABCD: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    OnFail15823CE1: { Type: 'AWS::Lambda::Function', Properties: {} },
    Audit0000AAAA: { Type: 'AWS::Lambda::Function', Properties: {} },
    Failed178E83A2: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: 'Machine6FC8AE80' }] },
        },
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': ['OnFail15823CE1', 'Arn'] }, Id: 'Target0' }],
      },
    },
    OtherMachineRule00000000: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['aws.states'], detail: { stateMachineArn: [{ 'Fn::GetAtt': ['Other1234ABCD', 'Arn'] }] } },
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': ['Audit0000AAAA', 'Arn'] }, Id: 'Target0' }],
      },
    },
    SucceededOnly00000000: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['aws.states'], detail: { status: ['SUCCEEDED'], stateMachineArn: [{ Ref: 'Machine6FC8AE80' }] } },
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': ['Audit0000AAAA', 'Arn'] }, Id: 'Target0', InputPath: '$.detail' }],
      },
    },
    Disabled00000000: {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: { source: ['aws.states'] }, State: 'DISABLED', Targets: [{ Arn: { 'Fn::GetAtt': ['Audit0000AAAA', 'Arn'] }, Id: 'T' }] },
    },
    Hourly00000000: {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(60 minutes)', State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': ['Audit0000AAAA', 'Arn'] }, Id: 'T' }] },
    },
  },
};
const rules = stateMachineEventRulesFrom(TEMPLATE, resolver(TEMPLATE, { Machine6FC8AE80: MACHINE_ARN }));

describe('EventBridge rules from the synthesized template', () => {
  it('reads the enabled rules on aws.states events, with state machine references made local ARNs', () => {
    expect(rules.map((r) => r.name)).toEqual(['Failed178E83A2', 'OtherMachineRule00000000', 'SucceededOnly00000000']);
    expect(rules[0]).toEqual({
      name: 'Failed178E83A2',
      pattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [MACHINE_ARN] },
      },
      targets: [{ functionName: 'OnFail15823CE1' }],
    });
    expect(rules[1]!.pattern).toMatchObject({ detail: { stateMachineArn: ['arn:aws:states:ap-northeast-1:000000000000:stateMachine:Other1234ABCD'] } });
    expect(rules[2]!.targets).toEqual([{ functionName: 'Audit0000AAAA', inputPath: '$.detail' }]);
  });

  it('matches events as EventBridge does', () => {
    const event = { source: 'aws.states', detail: { status: 'FAILED', tags: ['a', 'b'], count: 3 } };
    expect(matchesPattern({ source: ['aws.states'], detail: { status: ['FAILED', 'ABORTED'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { status: ['SUCCEEDED'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { tags: ['b'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { status: [{ prefix: 'FAIL' }], count: [{ numeric: ['>', 1, '<=', 3] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { status: [{ 'anything-but': ['FAILED'] }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { error: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { error: [{ exists: true }] } }, event)).toBe(false);
    expect(matchesPattern({ missing: { deeper: ['x'] } }, event)).toBe(false);
  });
});

describe('status-change events of the local runner', () => {
  const received: { fn: string; event: any }[] = [];
  const lambdas = lambdaApi({
    loadHandler: async (fn) => async (event: unknown) => void received.push({ fn, event }),
    settingsOf: () => ({ timeoutSeconds: 3, memorySize: 128 }),
  });
  const bus = localEventBus(rules, lambdas.invokeAsync);
  const { runner, tokens } = miniRunner(
    {
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Broken' }], Default: 'Wait' },
        Broken: { Type: 'Task', Resource: fnArn('Broken'), End: true },
        Wait: waitingMachine().States.Wait,
        Done: { Type: 'Succeed' },
      },
    },
    {
      onStatusChange: bus.publish,
      handlers: {
        Broken: async () => {
          throw Object.assign(new Error('the register is down'), { name: 'RegisterDown' });
        },
      },
    },
  );
  afterAll(async () => {
    await runner.stop();
    await lambdas.drain();
  });

  it('sends a failed execution’s event, shaped as AWS’s, to the rule’s function', async () => {
    const startedAt = Date.now();
    const { executionArn } = runner.startExecution({ fail: true, caseId: 'c9' }, 'broken-case');
    await runner.waitForEnd(executionArn);
    await until(() => received.length === 1, 'the event');
    const { fn, event } = received[0]!;
    expect(fn).toBe('OnFail15823CE1');
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'ap-northeast-1',
      resources: [executionArn],
      detail: {
        executionArn,
        stateMachineArn: MACHINE_ARN,
        name: 'broken-case',
        status: 'FAILED',
        startDate: expect.any(Number),
        stopDate: expect.any(Number),
        input: JSON.stringify({ fail: true, caseId: 'c9' }),
        inputDetails: { included: true },
        output: null,
        outputDetails: null,
        error: 'RegisterDown',
        cause: expect.stringContaining('the register is down'),
        redriveCount: 0,
        redriveDate: null,
        redriveStatus: 'REDRIVABLE',
        redriveStatusReason: null,
      },
    });
    expect(event.detail.startDate).toBeGreaterThanOrEqual(startedAt - 5);
    expect(event.detail.stopDate).toBeGreaterThanOrEqual(event.detail.startDate);
  });

  it('sends an aborted execution’s event too, and a succeeded one only to the rule that asks for it, with its InputPath', async () => {
    received.length = 0;
    const stopped = runner.startExecution({ fail: false, caseId: 'c10' }, 'stopped-case');
    await until(() => tokens.length === 1, 'the step is waiting');
    runner.stopExecution(stopped.executionArn);
    const done = runner.startExecution({ fail: false, caseId: 'c11' }, 'done-case');
    await until(() => tokens.length === 2, 'the second step is waiting');
    runner.sendTaskSuccess(tokens[1]!, { ok: true });
    await runner.waitForEnd(done.executionArn);
    await until(() => received.length === 2, 'two events');
    expect(received).toEqual([
      { fn: 'OnFail15823CE1', event: expect.objectContaining({ detail: expect.objectContaining({ name: 'stopped-case', status: 'ABORTED' }) }) },
      { fn: 'Audit0000AAAA', event: expect.objectContaining({ name: 'done-case', status: 'SUCCEEDED', output: JSON.stringify({ ok: true }) }) },
    ]);
  });
});
