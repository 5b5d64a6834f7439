import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { lambdaContext } from './lambda-context.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type TaskHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  input: Json;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  output?: Json;
  error?: string;
  cause?: string;
  /** The human step it waits in, with that state's own input, so it can resume after a restart. */
  waiting?: { state: string; stateInput: Json };
}

interface PendingTask {
  executionArn: string;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

/** Thrown to callers of the API stand-in; `name` becomes the AWS error code. */
export class WorkflowApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

const STATIC_TOKEN = '__local_static_token__';
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs the synthesized state machine with aws-local-stepfunctions, each Task state
 * calling the same handler module as its Lambda function. What AWS does and the
 * library does not, this adds:
 *  - a fresh task token per waitForTaskToken state, completed by sendTaskSuccess/Failure;
 *  - executions kept in a journal on disk, so a case waiting for a person resumes
 *    (by running the definition again from the state it waited in) after a restart.
 */
export class WorkflowRunner {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly aborts = new Map<string, () => void>();
  private readonly waitStates: Set<string>;
  private readonly taskFunctions = new Map<string, string>();
  /** Task handlers still running, so a stop can let them finish before the services close. */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      definition: Record<string, unknown>;
      stateMachineArn: string;
      /** Function name → loader of its handler. */
      loadHandler: (functionName: string) => Promise<TaskHandler>;
      /** Where executions are journaled; omit to keep them in memory only. */
      journalPath?: string | undefined;
      /** Wait this long between retries instead of the definition's backoff (tests). */
      retryIntervalMs?: number | undefined;
    },
  ) {
    const states = options.definition['States'] as Record<string, Record<string, unknown>>;
    this.waitStates = new Set();
    for (const [name, state] of Object.entries(states)) {
      if (state['Type'] !== 'Task') continue;
      const resource = String(state['Resource']);
      const params = (state['Parameters'] ?? {}) as Record<string, unknown>;
      const arn = resource.startsWith('arn:aws:lambda:') ? resource : String(params['FunctionName'] ?? '');
      const fn = /:function:([^:]+)/.exec(arn)?.[1];
      if (!fn) throw new Error(`Task state ${name} does not invoke a Lambda function the local stack knows`);
      this.taskFunctions.set(name, fn);
      if (resource.endsWith('.waitForTaskToken')) this.waitStates.add(name);
    }
    if (options.journalPath && existsSync(options.journalPath)) {
      for (const record of JSON.parse(readFileSync(options.journalPath, 'utf8')) as ExecutionRecord[]) {
        this.executions.set(record.executionArn, record);
      }
    }
  }

  /** Resumes every journaled execution that was waiting for a person when the stack stopped. */
  resumeWaiting(): number {
    let resumed = 0;
    for (const record of this.executions.values()) {
      if (record.status === 'RUNNING' && record.waiting) {
        this.run(record, record.waiting.state, record.waiting.stateInput);
        resumed++;
      }
    }
    return resumed;
  }

  startExecution(input: Json, name = randomUUID()): ExecutionRecord {
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
    return record;
  }

  sendTaskSuccess(taskToken: string, output: Json): void {
    this.takePending(taskToken).resolve(output);
  }

  sendTaskFailure(taskToken: string, error = 'States.TaskFailed', cause = ''): void {
    const failure = new Error(cause);
    failure.name = error;
    this.takePending(taskToken).reject(failure);
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
    for (const abort of this.aborts.values()) abort();
    this.aborts.clear();
    // Waiting steps are left unsettled: settling them would run the next states against stopped services.
    this.pending.clear();
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 2000))]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work)).catch(() => undefined);
    return work;
  }

  private takePending(taskToken: string): PendingTask {
    const task = this.pending.get(taskToken);
    if (!task) throw new WorkflowApiError('TaskDoesNotExist', 'Task does not exist or has already completed');
    this.pending.delete(taskToken);
    return task;
  }

  private run(record: ExecutionRecord, startAt: string, input: Json): void {
    const definition = { ...this.options.definition, StartAt: startAt } as Record<string, unknown>;
    // Node timers overflow past ~24.8 days and then fire at once; a local run never lasts that long anyway.
    if (Number(definition['TimeoutSeconds']) * 1000 > MAX_TIMER_MS) delete definition['TimeoutSeconds'];
    // A resumed run starts mid-way, leaving earlier states unreachable: the definition was validated on its first run.
    const resumed = startAt !== this.options.definition['StartAt'];
    const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: resumed ? { noValidate: true } : { checkArn: false },
    });
    const entered = new Map<string, Deferred<Json>>();
    const enteredInput = (state: string) => getDeferred(entered, state);

    const overrides: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [state, functionName] of this.taskFunctions) {
      overrides[state] = this.waitStates.has(state)
        ? async (params) => {
            const stateInput = await enteredInput(state).promise;
            entered.delete(state);
            const token = `${record.name}:${state}:${randomUUID()}`;
            const result = new Promise<Json>((resolve, reject) =>
              this.pending.set(token, { executionArn: record.executionArn, resolve, reject }),
            );
            // A failure can arrive before the handler below has returned; it is awaited further down.
            result.catch(() => undefined);
            record.waiting = { state, stateInput };
            this.save();
            const payload = JSON.parse(JSON.stringify((params as Record<string, Json>)['Payload']).replaceAll(STATIC_TOKEN, token));
            try {
              const handler = await this.options.loadHandler(functionName);
              await this.track(handler(payload, lambdaContext(functionName)));
            } catch (e) {
              this.pending.delete(token);
              throw e;
            }
            const output = await result;
            delete record.waiting;
            this.save();
            return output;
          }
        : async (payload) => {
            const handler = await this.options.loadHandler(functionName);
            return ((await this.track(handler(payload, lambdaContext(functionName)))) ?? null) as Json;
          };
    }

    const states = this.options.definition['States'] as Record<string, { Retry?: unknown[] }>;
    const retryIntervalOverrides =
      this.options.retryIntervalMs === undefined
        ? {}
        : Object.fromEntries(Object.entries(states).filter(([, st]) => st.Retry).map(([name, st]) => [name, st.Retry!.map(() => this.options.retryIntervalMs!)]));
    const execution = machine.run(input, {
      overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: record.executionArn, Name: record.name, Input: record.input, StartTime: record.startDate },
        StateMachine: { Id: this.options.stateMachineArn },
        Task: { Token: STATIC_TOKEN },
      },
    });
    this.aborts.set(record.executionArn, execution.abort);

    void (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered' && this.waitStates.has(event.state.name)) {
          getDeferred(entered, event.state.name).resolve(event.state.input as Json);
        }
      }
    })().catch(() => undefined);

    execution.result.then(
      (output) => this.finish(record, { status: 'SUCCEEDED', output: output as Json }),
      (error: Error) => this.finish(record, { status: 'FAILED', error: error.name, cause: error.message }),
    );
  }

  private finish(record: ExecutionRecord, outcome: Partial<ExecutionRecord>) {
    if (!this.aborts.has(record.executionArn)) return; // stopped: leave it RUNNING for the next start
    this.aborts.delete(record.executionArn);
    Object.assign(record, outcome, { stopDate: new Date().toISOString() });
    delete record.waiting;
    this.save();
  }

  private save(): void {
    const file = this.options.journalPath;
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify([...this.executions.values()], null, 1));
    renameSync(`${file}.tmp`, file);
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function getDeferred<T>(map: Map<string, Deferred<T>>, key: string): Deferred<T> {
  let d = map.get(key);
  if (!d) {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    d = { promise, resolve };
    map.set(key, d);
  }
  return d;
}
