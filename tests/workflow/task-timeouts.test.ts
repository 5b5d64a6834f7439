import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { miniRunner, until, waitingMachine } from '../support/mini-workflow.ts';

/**
 * Time limits of Task states as AWS applies them: none unless the definition sets one. The
 * library alone gives every Task state 60 s; a case waiting for a person must not fail after a
 * minute. Long waits run on a fake clock; short limits on the real one, with the runner's timer
 * chunk made small so that they span many of the library's timers.
 */
const DAY = 24 * 3600 * 1000;

afterEach(() => {
  vi.useRealTimers();
});

/** Lets fake time pass in small steps until `check` holds (handlers run on real microtasks). */
async function fakeUntil(check: () => boolean, what: string) {
  for (let i = 0; i < 1000 && !check(); i++) await vi.advanceTimersByTimeAsync(1);
  if (!check()) throw new Error(`never: ${what}`);
}

describe('Task states wait as long as AWS lets them', () => {
  it('(the library alone ends a step without TimeoutSeconds after 60 s)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const machine = new StateMachine(waitingMachine() as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    const { result } = machine.run(
      {},
      { overrides: { taskResourceLocalHandlers: { Wait: () => new Promise(() => undefined) } }, context: { Task: { Token: 't' } } },
    );
    const outcome = result.then(
      () => 'succeeded',
      (e: Error) => (e.cause as Error).name,
    );
    await vi.advanceTimersByTimeAsync(61_000);
    expect(await outcome).toBe('States.Timeout');
  });

  it('keeps a step without a timeout waiting for 75 s, then for 40 days, and resumes it with its token', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { runner, tokens } = miniRunner(waitingMachine());
    const { executionArn } = runner.startExecution({ case: 1 }, 'fake-clock');
    await fakeUntil(() => tokens.length === 1, 'the step is waiting');
    await vi.advanceTimersByTimeAsync(75_000);
    expect(runner.describeExecution(executionArn).status).toBe('RUNNING');
    // Past 2^31-1 ms, a Node timer fires at once (the fake clock does the same): the runner re-arms in smaller steps.
    await vi.advanceTimersByTimeAsync(40 * DAY);
    expect(runner.describeExecution(executionArn)).toMatchObject({ status: 'RUNNING', waiting: { state: 'Wait' } });
    runner.sendTaskSuccess(tokens[0]!, { ok: true });
    await fakeUntil(() => runner.describeExecution(executionArn).status !== 'RUNNING', 'the execution ends');
    expect(runner.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
    expect(tokens).toHaveLength(1);
  });

  it('re-arms the library’s timer many times without invoking the step’s function again', async () => {
    const { runner, tokens } = miniRunner(waitingMachine(), { timerChunkMs: 100 });
    const { executionArn } = runner.startExecution({}, 'rearmed');
    await until(() => tokens.length === 1, 'the step is waiting');
    await new Promise((r) => setTimeout(r, 700));
    expect(runner.describeExecution(executionArn).status).toBe('RUNNING');
    runner.sendTaskHeartbeat(tokens[0]!);
    runner.sendTaskSuccess(tokens[0]!, 'done');
    expect((await runner.waitForEnd(executionArn)).status).toBe('SUCCEEDED');
    expect(tokens).toHaveLength(1);
  });
});

describe('explicit time limits hold, at any length', () => {
  it('ends a step at its TimeoutSeconds with States.Timeout, which States.TaskFailed does not match', async () => {
    const { runner, tokens } = miniRunner(
      {
        StartAt: 'Wait',
        States: {
          Wait: {
            ...waitingMachine().States.Wait,
            TimeoutSeconds: 1,
            Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 3 }],
            Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'TimedOut' }],
          },
          TimedOut: { Type: 'Pass', End: true },
          Done: { Type: 'Succeed' },
        },
      },
      { timerChunkMs: 200 },
    );
    const started = Date.now();
    const { executionArn } = runner.startExecution({ case: 2 }, 'timeout');
    const end = await runner.waitForEnd(executionArn);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(end).toMatchObject({ status: 'SUCCEEDED', output: { case: 2, failure: { Error: 'States.Timeout' } } });
    expect(tokens).toHaveLength(1);
    expect(() => runner.sendTaskSuccess(tokens[0]!, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('reads TimeoutSecondsPath from the state’s input, and fails the execution when it selects no positive integer', async () => {
    const { runner } = miniRunner(waitingMachine({ TimeoutSecondsPath: '$.limits.seconds' }), { timerChunkMs: 200 });
    const timed = runner.startExecution({ limits: { seconds: 1 } }, 'timeout-path');
    const wrong = runner.startExecution({ limits: { seconds: 'soon' } }, 'timeout-path-wrong');
    expect(await runner.waitForEnd(timed.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(await runner.waitForEnd(wrong.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('keeps a step alive while heartbeats come within HeartbeatSeconds, and ends it when they stop', async () => {
    const { runner, tokens } = miniRunner(waitingMachine({ HeartbeatSeconds: 1, TimeoutSeconds: 30 }), { timerChunkMs: 200 });
    const { executionArn } = runner.startExecution({}, 'heartbeat');
    await until(() => tokens.length === 1, 'the step is waiting');
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 300));
      runner.sendTaskHeartbeat(tokens[0]!);
    }
    expect(runner.describeExecution(executionArn).status).toBe('RUNNING');
    expect(await runner.waitForEnd(executionArn)).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(() => runner.sendTaskHeartbeat(tokens[0]!)).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('times the whole execution out at its own TimeoutSeconds', async () => {
    const { runner, tokens } = miniRunner(waitingMachine({}, { TimeoutSeconds: 1 }), { timerChunkMs: 200 });
    const { executionArn } = runner.startExecution({}, 'execution-timeout');
    expect(await runner.waitForEnd(executionArn)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(() => runner.sendTaskSuccess(tokens[0]!, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });
});
