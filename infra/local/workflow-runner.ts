import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { AwsEvent } from './events.ts';
import { ServiceError } from './json-protocol.ts';
import { asFunctionError, CFN_FUNCTION_DEFAULTS, type FunctionSettings, type Handler, invokeHandler } from './lambda-runtime.ts';
import { after, MAX_TIMER_MS } from './timers.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type StateDefinition = Record<string, unknown> & { Type?: string; Retry?: Record<string, unknown>[] };

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  input: Json;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: Json;
  error?: string;
  cause?: string;
  /** The human step it waits in, with that state's own input, so it can resume after a restart. */
  waiting?: { state: string; stateInput: Json };
  /** The state a RUNNING execution entered last, with its input: after a crash it runs again from there. */
  at?: { state: string; stateInput: Json };
  /** Where a FAILED, TIMED_OUT or ABORTED execution stopped, with that state's input: a redrive starts there. */
  stoppedAt?: { state: string; stateInput: Json };
  redriveCount?: number;
  redriveDate?: string;
}

export type RedriveStatus = { redriveStatus: 'REDRIVABLE' } | { redriveStatus: 'NOT_REDRIVABLE'; redriveStatusReason: string };

interface PendingTask {
  executionArn: string;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
  heartbeat: () => void;
}

/** A Task state as the runner drives it: the function it invokes, how, and the time limits its definition sets. */
interface TaskSpec {
  functionName: string;
  /** The function's ARN as Resource, `lambda:invoke`, or `lambda:invoke.waitForTaskToken`. */
  integration: 'direct' | 'invoke' | 'token';
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
  heartbeatSeconds?: number;
  heartbeatSecondsPath?: string;
}

/** One attempt at a Task state; it outlives the library's calls of the state that only re-arm its timer. */
interface Attempt {
  outcome: Promise<Json>;
  rearmed: boolean;
}

/** One run of the library for an execution (a resumed execution gets a new run). */
interface Run {
  record: ExecutionRecord;
  abort: () => void;
  /** The top-level state being run, with the input it entered with. */
  current?: { state: string; input: Json };
  /** The error the library failed the execution with, as AWS names it. */
  failure?: { error: string; cause: string };
  attempts: Map<string, Attempt>;
  timers: Set<() => void>;
}

/** Thrown to callers of the API stand-in; `name` becomes the AWS error code. */
export class WorkflowApiError extends ServiceError {}

const STATIC_TOKEN = '__local_static_token__';
/** The longest timer the library may arm for a Task state: the largest whole second Node can time. */
const TIMER_CHUNK_MS = Math.floor(MAX_TIMER_MS / 1000) * 1000;
/** A Standard execution lasts a year at most. */
const MAX_EXECUTION_SECONDS = 365 * 24 * 3600;
/** An unsuccessful execution can be redriven for 14 days after it stopped. */
const REDRIVABLE_MS = 14 * 24 * 3600 * 1000;
const REARM_ERROR = 'Local.TimerRearm';
/** Step Functions' limit on an execution's input, a state's input or output, and a task's result: 256 KiB of UTF-8. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Execution names: 1–80 letters, digits, `-` and `_` (what AWS allows for names logged to CloudWatch). */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export const payloadBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? 'null');

/** Asks the library, through the retrier the runner puts first on every Task state, to call the task again. */
class RearmSignal extends Error {
  override readonly name = REARM_ERROR;
  readonly isCatchable = false;
}

/** An error AWS raises that no Retry or Catch can handle (the library reads these two flags). */
function terminalError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, isRetryable: false, isCatchable: false });
}

/**
 * The library's own States.Timeout error class (not exported): `States.TaskFailed` retriers and
 * catchers skip instances of it, as AWS skips timeouts, so the runner's timeouts must be of it.
 */
const StatesTimeout = await (async () => {
  const probe = new StateMachine(
    {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:ap-northeast-1:000000000000:function:probe', TimeoutSeconds: 0.001, End: true } },
    } as StateMachineDefinition,
    { validationOptions: { noValidate: true } },
  );
  const run = probe.run({}, { overrides: { taskResourceLocalHandlers: { T: () => new Promise<never>(() => undefined) } } });
  const cause = (await run.result.then(
    () => undefined,
    (e: Error) => e.cause,
  )) as Error | undefined;
  if (!(cause instanceof Error) || cause.name !== 'States.Timeout')
    throw new Error('aws-local-stepfunctions has changed: its States.Timeout error was not found');
  return cause.constructor as new () => Error;
})();

/**
 * Runs the synthesized state machine with aws-local-stepfunctions, each Task state
 * calling the same handler module as its Lambda function. What AWS does and the
 * library does not, this adds:
 *  - a fresh task token per waitForTaskToken state, completed by sendTaskSuccess/Failure;
 *  - executions kept in a journal on disk, so a case waiting for a person resumes
 *    (by running the definition again from the state it waited in) after a restart;
 *  - Task states without a timeout wait as long as AWS lets them (the library would end them
 *    after 60 s), and TimeoutSeconds(Path), HeartbeatSeconds(Path) and the execution's own
 *    TimeoutSeconds hold at any length, past what one Node timer can time.
 */
export class WorkflowRunner {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pending = new Map<string, PendingTask>();
  /** Tokens of tasks that timed out or whose execution ended: AWS answers them with TaskTimedOut. */
  private readonly closed = new Set<string>();
  private readonly runs = new Map<string, Run>();
  private readonly tasks = new Map<string, TaskSpec>();
  /** The definition as the library runs it: see `localDefinition`. */
  private readonly local: Record<string, unknown>;
  private readonly retryIntervals: Record<string, number[]>;
  private readonly chunkMs: number;
  private readonly executionTimeoutMs: number;
  /** Task handlers still running, so a stop can let them finish before the services close. */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      definition: Record<string, unknown>;
      stateMachineArn: string;
      /** Function name → loader of its handler. */
      loadHandler: (functionName: string) => Promise<Handler>;
      /** Function name → its timeout and memory as synthesized; CloudFormation's defaults otherwise. */
      functionSettings?: ((functionName: string) => FunctionSettings | undefined) | undefined;
      /** Where executions are journaled; omit to keep them in memory only. */
      journalPath?: string | undefined;
      /** Wait this long between retries instead of the definition's backoff (tests). */
      retryIntervalMs?: number | undefined;
      /** The longest timer the library may arm for a Task state (tests make it short to see it re-armed). */
      timerChunkMs?: number | undefined;
      /** Receives Step Functions' "Execution Status Change" event (for EventBridge) each time an execution's status changes. */
      onStatusChange?: ((event: AwsEvent) => void) | undefined;
    },
  ) {
    const definition = options.definition;
    // Checked once, as CreateStateMachine does; every run then skips the library's validation.
    new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
    const states = definition['States'] as Record<string, StateDefinition>;
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') this.tasks.set(name, taskSpec(name, state));
    }
    this.chunkMs = options.timerChunkMs ?? TIMER_CHUNK_MS;
    this.executionTimeoutMs = Math.min(Number(definition['TimeoutSeconds'] ?? MAX_EXECUTION_SECONDS), MAX_EXECUTION_SECONDS) * 1000;
    this.local = localDefinition(definition, this.chunkMs);
    const localStates = this.local['States'] as Record<string, StateDefinition>;
    this.retryIntervals =
      options.retryIntervalMs === undefined
        ? {}
        : Object.fromEntries(
            Object.entries(localStates)
              .filter(([, st]) => st.Retry)
              .map(([name, st]) => [name, st.Retry!.map((r) => ((r['ErrorEquals'] as string[]).includes(REARM_ERROR) ? 0 : options.retryIntervalMs!))]),
          );
    if (options.journalPath && existsSync(options.journalPath)) {
      for (const record of JSON.parse(readFileSync(options.journalPath, 'utf8')) as ExecutionRecord[]) {
        this.executions.set(record.executionArn, record);
      }
    }
  }

  /**
   * Resumes every journaled execution that was running when the stack stopped: one waiting for a
   * person waits again (with a new token); one cut off mid-step runs that step again from its
   * input, as Step Functions retries a task whose worker vanished (task handlers are idempotent).
   */
  resumeWaiting(): number {
    let resumed = 0;
    for (const record of this.executions.values()) {
      const from = record.status === 'RUNNING' ? (record.waiting ?? record.at) : undefined;
      if (!from) continue;
      this.run(record, from.state, from.stateInput);
      resumed++;
    }
    return resumed;
  }

  get stateMachineArn(): string {
    return this.options.stateMachineArn;
  }

  startExecution(input: Json, name: string = randomUUID()): ExecutionRecord {
    if (!EXECUTION_NAME.test(name)) throw new WorkflowApiError('InvalidName', `Invalid Name: '${name}' (1 to 80 letters, digits, '-' or '_')`);
    if (payloadBytes(input) > MAX_PAYLOAD_BYTES)
      throw new WorkflowApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: the input is larger than ${MAX_PAYLOAD_BYTES} bytes`);
    const executionArn = `${this.options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS: same name and input is idempotent while running; anything else is a conflict.
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) return existing;
      throw new WorkflowApiError('ExecutionAlreadyExists', `Execution already exists: ${executionArn}`);
    }
    const record: ExecutionRecord = { executionArn, name, input, status: 'RUNNING', startDate: new Date().toISOString() };
    this.executions.set(executionArn, record);
    this.save();
    this.run(record, String(this.options.definition['StartAt']), input);
    this.emit(record);
    return record;
  }

  sendTaskSuccess(taskToken: string, output: Json): void {
    if (payloadBytes(output) > MAX_PAYLOAD_BYTES)
      throw new WorkflowApiError('InvalidOutput', `Invalid Output: the output is larger than ${MAX_PAYLOAD_BYTES} bytes`);
    this.live(taskToken).resolve(output);
  }

  sendTaskFailure(taskToken: string, error: string | undefined, cause: string | undefined): void {
    if ((error?.length ?? 0) > 256 || (cause?.length ?? 0) > 32_768)
      throw new WorkflowApiError('ValidationException', 'error is limited to 256 characters and cause to 32768');
    const failure = new Error(cause ?? '');
    failure.name = error ?? 'States.TaskFailed';
    this.live(taskToken).reject(failure);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.live(taskToken).heartbeat();
  }

  /**
   * Stops a running execution (ABORTED): the tokens it waits on are dead, and a task handler
   * already running finishes unheard. Stopping an execution that has ended changes nothing.
   */
  stopExecution(executionArn: string, error?: string, cause?: string): ExecutionRecord {
    const record = this.describeExecution(executionArn);
    const run = this.runs.get(executionArn);
    if (record.status === 'RUNNING' && run) this.end(run, { status: 'ABORTED', error, cause });
    return record;
  }

  /** Whether an execution can be redriven now, as DescribeExecution says it. */
  redriveStatus(record: ExecutionRecord): RedriveStatus {
    const no = (redriveStatusReason: string): RedriveStatus => ({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason });
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') return no(`Execution is ${record.status} and cannot be redriven.`);
    if (!record.stoppedAt) return no('Execution was started before the launch of RedriveExecution.');
    if (Date.now() - Date.parse(record.startDate) > MAX_EXECUTION_SECONDS * 1000) return no('Execution has exceeded the max execution time.');
    if (Date.now() - Date.parse(record.stopDate!) > REDRIVABLE_MS) return no('Execution redrivable period exceeded.');
    return { redriveStatus: 'REDRIVABLE' };
  }

  /**
   * Continues a FAILED, TIMED_OUT or ABORTED execution from the state it stopped in, with the
   * input that state received: same ARN, RUNNING again, one more redrive, its timeout reset.
   */
  redriveExecution(executionArn: string): { redriveDate: string } {
    const record = this.describeExecution(executionArn);
    const status = this.redriveStatus(record);
    if (status.redriveStatus === 'NOT_REDRIVABLE') throw new WorkflowApiError('ExecutionNotRedrivable', status.redriveStatusReason);
    const { state, stateInput } = record.stoppedAt!;
    for (const key of ['stopDate', 'output', 'error', 'cause', 'stoppedAt'] as const) delete record[key];
    Object.assign(record, { status: 'RUNNING', redriveCount: (record.redriveCount ?? 0) + 1, redriveDate: new Date().toISOString() });
    this.save();
    this.run(record, state, stateInput);
    this.emit(record);
    return { redriveDate: record.redriveDate! };
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const record = this.executions.get(executionArn);
    if (!record) throw new WorkflowApiError('ExecutionDoesNotExist', `Execution does not exist: ${executionArn}`);
    return record;
  }

  /** Settles once the execution has ended (for tests and scripts). */
  async waitForEnd(executionArn: string, timeoutMs = 10_000): Promise<ExecutionRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = this.describeExecution(executionArn);
      if (record.status !== 'RUNNING') return record;
      if (Date.now() > deadline) throw new Error(`execution still running after ${timeoutMs} ms: ${executionArn}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Stops running executions without marking them ended, so the journal resumes them
   * next time, and waits (briefly) for task handlers already running to finish.
   */
  async stop(): Promise<void> {
    for (const run of [...this.runs.values()]) {
      this.detach(run);
      run.abort();
    }
    // Waiting steps are left unsettled: settling them would run the next states against stopped services.
    this.pending.clear();
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 2000))]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work)).catch(() => undefined);
    return work;
  }

  /** The waiting task a token belongs to, or the error AWS gives for it. */
  private live(taskToken: string): PendingTask {
    const task = this.pending.get(taskToken);
    if (task) return task;
    if (this.closed.has(taskToken)) throw new WorkflowApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    throw new WorkflowApiError('TaskDoesNotExist', 'Task does not exist or has already completed');
  }

  /** Calls `fn` after `ms` unless the run ends first. */
  private timer(run: Run, ms: number, fn: () => void): () => void {
    const cancel = after(ms, () => {
      run.timers.delete(cancel);
      fn();
    });
    run.timers.add(cancel);
    return () => {
      run.timers.delete(cancel);
      cancel();
    };
  }

  private run(record: ExecutionRecord, startAt: string, input: Json): void {
    const run: Run = { record, abort: () => undefined, attempts: new Map(), timers: new Set() };
    this.runs.set(record.executionArn, run);
    const machine = new StateMachine({ ...this.local, StartAt: startAt } as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    observe(machine, (event) => this.observe(run, event));
    const overrides = Object.fromEntries([...this.tasks].map(([state, spec]) => [state, (params: unknown) => this.task(run, state, spec, params as Json)]));
    const execution = machine.run(input, {
      overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides: this.retryIntervals },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: record.executionArn, Name: record.name, Input: record.input, StartTime: record.startDate },
        StateMachine: { Id: this.options.stateMachineArn },
        Task: { Token: STATIC_TOKEN },
      },
    });
    run.abort = execution.abort;
    // A redrive resets the execution's timeout; a year from the start stays the limit.
    const due = Math.min(
      Date.parse(record.redriveDate ?? record.startDate) + this.executionTimeoutMs,
      Date.parse(record.startDate) + MAX_EXECUTION_SECONDS * 1000,
    );
    this.timer(run, due - Date.now(), () =>
      this.end(run, { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds.' }),
    );
    execution.result.then(
      (output) => this.finish(run, { status: 'SUCCEEDED', output: output as Json }),
      (error: Error) => this.finish(run, { status: 'FAILED', ...(run.failure ?? { error: error.name, cause: error.message }) }),
    );
  }

  /**
   * Sees each event as the library dispatches it (see `observe`). A state's input or output over
   * the limit throws here, inside the library's run loop: the execution fails at once, past any
   * Retry or Catch, as AWS fails it with States.DataLimitExceeded.
   */
  private observe(run: Run, event: EventLog): void {
    const nested = 'index' in event && event.index !== undefined;
    if (event.type === 'StateEntered' && !nested) {
      run.current = { state: event.state.name, input: event.state.input as Json };
      run.record.at = { state: event.state.name, stateInput: event.state.input as Json };
      this.save();
      if (payloadBytes(event.state.input) > MAX_PAYLOAD_BYTES) throw dataLimitExceeded(event.state.name, 'input');
    } else if (event.type === 'StateExited' && !nested) {
      if (payloadBytes(event.state.output) > MAX_PAYLOAD_BYTES) throw dataLimitExceeded(event.state.name, 'output');
    } else if (event.type === 'ExecutionFailed') {
      run.failure = { error: String(event.Error), cause: typeof event.Cause === 'string' ? event.Cause : (JSON.stringify(event.Cause) ?? '') };
    }
  }

  /**
   * The library's handler for a Task state. It races what it returns against a timer of its own
   * (the chunk); ours fires at half of it, and the rearm retrier calls again: the same attempt
   * goes on, with a new timer on both sides.
   */
  private task(run: Run, state: string, spec: TaskSpec, params: Json): Promise<Json> {
    let attempt = run.attempts.get(state);
    if (!attempt?.rearmed) {
      attempt = this.attempt(run, state, spec, params);
      run.attempts.set(state, attempt);
    }
    const current = attempt;
    current.rearmed = false;
    return new Promise((resolve, reject) => {
      const cancel = this.timer(run, this.chunkMs / 2, () => {
        current.rearmed = true;
        reject(new RearmSignal());
      });
      current.outcome.then(
        (output) => (cancel(), resolve(output)),
        (error: unknown) => (cancel(), reject(error)),
      );
    });
  }

  /** Starts one attempt at a Task state: its Lambda invocation, its token, and its time limits. */
  private attempt(run: Run, state: string, spec: TaskSpec, params: Json): Attempt {
    let resolve!: (output: Json) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<Json>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined);
    const attempt: Attempt = { outcome: promise, rearmed: false };
    const { record } = run;
    const stateInput = run.current?.state === state ? run.current.input : params;
    const cleanups: (() => void)[] = [];
    let token: string | undefined;
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      for (const cleanup of cleanups) cleanup();
      if (run.attempts.get(state) === attempt) run.attempts.delete(state);
      if (token) this.pending.delete(token);
      if (token && record.waiting?.state === state) {
        delete record.waiting;
        this.save();
      }
      done();
    };
    const succeed = (output: Json) => settle(() => resolve(output));
    const fail = (error: unknown) => settle(() => reject(error));
    /** The token is dead from now on: AWS answers it with TaskTimedOut. */
    const expire = (error: Error) => () => {
      if (token) this.closed.add(token);
      fail(error);
    };

    try {
      if (payloadBytes(params) > MAX_PAYLOAD_BYTES) throw dataLimitExceeded(state, 'input');
      const timeout = limit(spec.timeoutSeconds, spec.timeoutSecondsPath, stateInput, 'TimeoutSecondsPath');
      const heartbeat = limit(spec.heartbeatSeconds, spec.heartbeatSecondsPath, stateInput, 'HeartbeatSecondsPath');
      if (timeout !== undefined) cleanups.push(this.timer(run, timeout * 1000, expire(new StatesTimeout())));
      let stopBeat: (() => void) | undefined;
      const beat = () => {
        stopBeat?.();
        if (heartbeat !== undefined) stopBeat = this.timer(run, heartbeat * 1000, expire(Object.assign(new Error(''), { name: 'States.HeartbeatTimeout' })));
      };
      cleanups.push(() => stopBeat?.());
      beat();

      if (spec.integration === 'token') {
        token = `${record.name}:${state}:${randomUUID()}`;
        this.pending.set(token, { executionArn: record.executionArn, resolve: succeed, reject: fail, heartbeat: beat });
        record.waiting = { state, stateInput };
        this.save();
        const payload = JSON.parse(JSON.stringify(field(params, 'Payload')).replaceAll(STATIC_TOKEN, token)) as Json;
        // Invoked as RequestResponse: the function failing fails the step, even while it waits.
        this.invoke(spec.functionName, payload).catch(fail);
      } else {
        const payload = spec.integration === 'direct' ? params : field(params, 'Payload');
        this.invoke(spec.functionName, payload).then(
          (result) =>
            payloadBytes(result) > MAX_PAYLOAD_BYTES
              ? fail(dataLimitExceeded(state, 'result'))
              : succeed(spec.integration === 'invoke' ? { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 } : result),
          fail,
        );
      }
    } catch (e) {
      fail(e);
    }
    return attempt;
  }

  /**
   * Invokes a task's function as Lambda would (its timeout, its memory); a failure reaches the
   * state machine as Step Functions reports it: the error type as the error, the payload as the cause.
   */
  private async invoke(functionName: string, payload: Json): Promise<Json> {
    const settings = this.options.functionSettings?.(functionName) ?? CFN_FUNCTION_DEFAULTS;
    try {
      const handler = await this.options.loadHandler(functionName);
      return ((await this.track(invokeHandler(handler, payload, functionName, settings))) ?? null) as Json;
    } catch (e) {
      const failure = asFunctionError(e);
      throw Object.assign(new Error(JSON.stringify(failure.payload)), { name: failure.errorType });
    }
  }

  /** Ends an execution from outside the library's own course (a timeout), stopping its run. */
  private end(run: Run, outcome: Partial<ExecutionRecord>): void {
    this.finish(run, outcome);
    run.abort();
  }

  private finish(run: Run, outcome: Partial<ExecutionRecord>): void {
    const { record } = run;
    if (this.runs.get(record.executionArn) !== run) return; // stopped: leave it as the journal has it
    this.detach(run);
    Object.assign(record, outcome, { stopDate: new Date().toISOString() });
    delete record.waiting;
    delete record.at;
    if (record.status !== 'SUCCEEDED' && run.current) record.stoppedAt = { state: run.current.state, stateInput: run.current.input };
    this.save();
    this.emit(record);
  }

  /** Step Functions' "Execution Status Change" event, as EventBridge carries it (dates in epoch milliseconds, data as JSON strings). */
  private emit(record: ExecutionRecord): void {
    const listener = this.options.onStatusChange;
    if (!listener) return;
    const [, , , region = '', account = ''] = this.options.stateMachineArn.split(':');
    const millis = (iso: string | undefined) => (iso ? Date.parse(iso) : null);
    const redrive = this.redriveStatus(record);
    const event: AwsEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [record.executionArn],
      detail: {
        executionArn: record.executionArn,
        stateMachineArn: this.options.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: millis(record.startDate),
        stopDate: millis(record.stopDate),
        input: JSON.stringify(record.input),
        inputDetails: { included: true },
        output: record.output === undefined ? null : JSON.stringify(record.output),
        outputDetails: record.output === undefined ? null : { included: true },
        error: record.error ?? null,
        cause: record.cause ?? null,
        redriveCount: record.redriveCount ?? 0,
        redriveDate: millis(record.redriveDate),
        redriveStatus: redrive.redriveStatus,
        redriveStatusReason: redrive.redriveStatus === 'NOT_REDRIVABLE' ? redrive.redriveStatusReason : null,
      },
    };
    try {
      listener(event);
    } catch (e) {
      console.error('local Step Functions: status change listener:', e);
    }
  }

  /** Forgets a run: its timers stop and the tokens it waits on are dead. */
  private detach(run: Run): void {
    const arn = run.record.executionArn;
    this.runs.delete(arn);
    for (const cancel of [...run.timers]) cancel();
    for (const [token, task] of this.pending) {
      if (task.executionArn !== arn) continue;
      this.pending.delete(token);
      this.closed.add(token);
    }
  }

  private save(): void {
    const file = this.options.journalPath;
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify([...this.executions.values()], null, 1));
    renameSync(`${file}.tmp`, file);
  }
}

function taskSpec(name: string, state: StateDefinition): TaskSpec {
  const resource = String(state['Resource']);
  const params = (state['Parameters'] ?? {}) as Record<string, unknown>;
  const integration = resource.startsWith('arn:aws:lambda:')
    ? 'direct'
    : /^arn:aws:states:::lambda:invoke$/.test(resource)
      ? 'invoke'
      : /^arn:aws:states:::lambda:invoke\.waitForTaskToken$/.test(resource)
        ? 'token'
        : undefined;
  const arn = integration === 'direct' ? resource : String(params['FunctionName'] ?? '');
  const functionName = /:function:([^:]+)/.exec(arn)?.[1];
  if (!integration || !functionName) throw new Error(`Task state ${name} does not invoke a Lambda function the local stack knows`);
  const num = (key: string) => (state[key] === undefined ? undefined : Number(state[key]));
  const str = (key: string) => (state[key] === undefined ? undefined : String(state[key]));
  return {
    functionName,
    integration,
    timeoutSeconds: num('TimeoutSeconds'),
    timeoutSecondsPath: str('TimeoutSecondsPath'),
    heartbeatSeconds: num('HeartbeatSeconds'),
    heartbeatSecondsPath: str('HeartbeatSecondsPath'),
  };
}

/**
 * The definition as the library runs it. Every Task state's time limits move to the runner, and
 * the library's own timer (a 60-second default where none is set) becomes a chunk the runner
 * re-arms before it fires, through a retrier put first; the execution's timeout moves too.
 */
function localDefinition(definition: Record<string, unknown>, chunkMs: number): Record<string, unknown> {
  const { TimeoutSeconds: _executionTimeout, ...top } = definition;
  const states = Object.fromEntries(
    Object.entries(definition['States'] as Record<string, StateDefinition>).map(([name, state]) => {
      if (state.Type !== 'Task') return [name, state];
      const { TimeoutSeconds: _t, TimeoutSecondsPath: _tp, HeartbeatSeconds: _h, HeartbeatSecondsPath: _hp, ...rest } = state;
      const rearm = { ErrorEquals: [REARM_ERROR], IntervalSeconds: 0, MaxAttempts: 99_999_999, BackoffRate: 1 };
      return [name, { ...rest, TimeoutSeconds: chunkMs / 1000, Retry: [rearm, ...(state.Retry ?? [])] }];
    }),
  );
  return { ...top, States: states };
}

function dataLimitExceeded(state: string, what: 'input' | 'output' | 'result'): Error {
  return terminalError(
    'States.DataLimitExceeded',
    `The state/task '${state}' ${what === 'input' ? 'received an input' : `returned ${what === 'output' ? 'an output' : 'a result'}`} with a size exceeding the maximum number of bytes service limit (${MAX_PAYLOAD_BYTES}).`,
  );
}

/** A state's time limit in seconds, given outright or by a reference path into its input. */
function limit(seconds: number | undefined, referencePath: string | undefined, input: Json, field: string): number | undefined {
  if (seconds !== undefined) return seconds;
  if (referencePath === undefined) return undefined;
  const value = select(referencePath, input);
  if (!Number.isInteger(value) || (value as number) < 1) throw terminalError('States.Runtime', `${field} ${referencePath} does not select a positive integer`);
  return value as number;
}

/** Follows a reference path (`$`, `$.a.b`, `$['a']`, `$.a[0]`) into a JSON value. */
function select(referencePath: string, input: Json): Json | undefined {
  const steps = /^\$((?:\.[^.[\]]+|\['[^']*'\]|\["[^"]*"\]|\[\d+\])*)$/.exec(referencePath);
  if (!steps) throw terminalError('States.Runtime', `invalid reference path ${referencePath}`);
  let value: Json | undefined = input;
  for (const [, dotted, quoted1, quoted2, index] of steps[1]!.matchAll(/\.([^.[\]]+)|\['([^']*)'\]|\["([^"]*)"\]|\[(\d+)\]/g)) {
    const key = dotted ?? quoted1 ?? quoted2 ?? Number(index);
    value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string | number, Json>)[key] : undefined;
  }
  return value;
}

const field = (value: Json, key: string): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value[key] ?? null) : null);

/**
 * Sees the library's events as it dispatches them. Its public event stream is read
 * asynchronously and lags behind the run, so a task reading it could not know which input its
 * state entered with, which a resume, a timeout path and a redrive need.
 */
function observe(machine: StateMachine, listener: (event: EventLog) => void): void {
  type Logger = { dispatch?: (event: EventLog) => void };
  type Execute = (this: unknown, input: unknown, options: { eventLogger: Logger }, ...rest: unknown[]) => unknown;
  const target = machine as unknown as { execute?: Execute };
  const execute = target.execute;
  if (typeof execute !== 'function') throw new Error('aws-local-stepfunctions has changed: StateMachine.execute is gone');
  target.execute = function (input, options, ...rest) {
    const logger = options.eventLogger;
    const dispatch = logger.dispatch;
    if (typeof dispatch !== 'function') throw new Error('aws-local-stepfunctions has changed: its event logger has no dispatch');
    logger.dispatch = function (this: unknown, event: EventLog) {
      listener(event);
      dispatch.call(this, event);
    };
    return execute.call(this, input, options, ...rest);
  };
}
