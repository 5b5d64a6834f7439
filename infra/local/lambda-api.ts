import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { readLimited, ServiceError } from './json-protocol.ts';
import { asFunctionError, type FunctionError, type FunctionSettings, type Handler, invokeHandler } from './lambda-runtime.ts';

/** How Lambda handles a function's asynchronous invocations (its EventInvokeConfig, or the defaults). */
export interface AsyncInvokeConfig {
  /** 0–2. @default 2 */
  maximumRetryAttempts: number;
  /** 60–21600. @default 21600 (6 hours) */
  maximumEventAgeSeconds: number;
  /** Destination ARNs; only functions are supported locally. */
  onFailure?: string | undefined;
  onSuccess?: string | undefined;
}

export const ASYNC_INVOKE_DEFAULTS: AsyncInvokeConfig = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };

export interface LambdaApiOptions {
  loadHandler: (functionName: string) => Promise<Handler>;
  /** A function's timeout and memory; undefined when there is no such function. */
  settingsOf: (functionName: string) => FunctionSettings | undefined;
  asyncConfigOf?: ((functionName: string) => AsyncInvokeConfig | undefined) | undefined;
  /** Waits before the retries of a failed asynchronous invocation; Lambda waits about 1, then 2 minutes. */
  retryDelaysMs?: readonly number[] | undefined;
  region?: string;
  account?: string;
  /** Where queued asynchronous invocations are kept, so a restart runs those not yet finished (Lambda's queue is durable). */
  journalPath?: string | undefined;
  /**
   * Asynchronous invocations running at once, in all (Lambda's concurrency limit; the rest wait
   * in the queue, as throttled events do). Unlimited when omitted.
   */
  concurrency?: number | undefined;
  /** Told of every invocation's end: which function, how long it ran, and whether it failed. */
  onInvocation?: ((record: { name: string; ms: number; error?: string }) => void) | undefined;
}

/** An asynchronous invocation accepted and not yet finished (run, retried, or handed to its destination). */
interface QueuedInvocation {
  requestId: string;
  name: string;
  payload: unknown;
  queuedAt: number;
  attempts: number;
}

/** Request payload limits: 6 MB for a synchronous invocation, 1 MB for an asynchronous one. */
const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD = 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations(?:\?(.*))?$/;

/**
 * The Lambda Invoke API on loopback, for the background jobs pages start (the real
 * @aws-sdk/client-lambda reaches it through AWS_ENDPOINT_URL_LAMBDA), and the local stack's
 * own asynchronous invocations (schedules, event rules). An 'Event' invocation answers 202 at
 * once and runs as Lambda runs it: a failure (a timeout included) is retried twice after a
 * wait, events older than the function's maximum age are dropped, and what finally fails or
 * succeeds goes to the function's on-failure or on-success destination, as the record Lambda sends.
 */
export function lambdaApi(options: LambdaApiOptions) {
  const region = options.region ?? 'ap-northeast-1';
  const account = options.account ?? '000000000000';
  const delays = options.retryDelaysMs ?? [60_000, 120_000];
  const functionArn = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
  const running = new Set<Promise<unknown>>();
  const scheduled = new Set<NodeJS.Timeout>();

  const settings = (name: string) => {
    const found = options.settingsOf(name);
    if (!found) throw new ServiceError('ResourceNotFoundException', `Function not found: ${functionArn(name)}`, 404);
    return found;
  };

  /** A synchronous invocation: the result, or the function's error. */
  async function invoke(name: string, payload: unknown, requestId: string = randomUUID()): Promise<unknown> {
    const fn = settings(name);
    const handler = await options.loadHandler(name).catch((e: unknown) => {
      throw asFunctionError(e);
    });
    const started = performance.now();
    try {
      const result = await invokeHandler(handler, payload, name, fn, requestId);
      options.onInvocation?.({ name, ms: performance.now() - started });
      return result;
    } catch (e) {
      options.onInvocation?.({ name, ms: performance.now() - started, error: asFunctionError(e).errorType });
      throw e;
    }
  }

  // Lambda's concurrency limit for asynchronous invocations: the rest wait their turn.
  const limit = options.concurrency ?? Number.POSITIVE_INFINITY;
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
  };
  const release = () => {
    active--;
    waiting.shift()?.();
  };

  const queue = new Map<string, QueuedInvocation>(
    options.journalPath && existsSync(options.journalPath)
      ? (JSON.parse(readFileSync(options.journalPath, 'utf8')) as QueuedInvocation[]).map((q) => [q.requestId, q])
      : [],
  );
  const saveQueue = () => {
    const file = options.journalPath;
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify([...queue.values()]));
    renameSync(`${file}.tmp`, file);
  };

  /** An asynchronous invocation, queued as Lambda queues it; resolves once it is queued. */
  function invokeAsync(name: string, payload: unknown, resumed?: QueuedInvocation): void {
    settings(name);
    const config = options.asyncConfigOf?.(name) ?? ASYNC_INVOKE_DEFAULTS;
    const queued: QueuedInvocation = resumed ?? { requestId: randomUUID(), name, payload, queuedAt: Date.now(), attempts: 0 };
    const { requestId, queuedAt } = queued;
    let attempts = queued.attempts;
    let lastError: FunctionError | undefined;
    queue.set(requestId, queued);
    saveQueue();
    const done = () => {
      queue.delete(requestId);
      saveQueue();
    };

    const record = (condition: string, response: { functionError?: string; payload: unknown } | undefined) => ({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId, functionArn: `${functionArn(name)}:$LATEST`, condition, approximateInvokeCount: attempts },
      requestPayload: payload,
      ...(response && {
        responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(response.functionError && { functionError: response.functionError }) },
        responsePayload: response.payload,
      }),
    });
    const deliver = (destination: string | undefined, body: unknown) => {
      if (!destination) return;
      const target = /^arn:aws[\w-]*:lambda:[^:]+:\d+:function:([^:]+)/.exec(destination)?.[1];
      if (!target) return console.warn(`local lambda ${name}: destination ${destination} is not a function; the local stack delivers only to functions`);
      try {
        invokeAsync(target, body);
      } catch (e) {
        console.error(`local lambda ${name}: destination ${destination}:`, e);
      }
    };
    const failed = (condition: 'RetriesExhausted' | 'EventAgeExceeded') => {
      console.error(`local lambda ${name}: asynchronous invocation ${requestId} dropped (${condition}) after ${attempts} attempt(s)`);
      deliver(config.onFailure, record(condition, lastError && { functionError: 'Unhandled', payload: lastError.payload }));
      done();
    };

    const attempt = () => {
      if (Date.now() - queuedAt > config.maximumEventAgeSeconds * 1000) return failed('EventAgeExceeded');
      attempts++;
      queued.attempts = attempts;
      saveQueue();
      const work = slot()
        .then(() => invoke(name, payload, requestId))
        .finally(release)
        .then(
          (result) => {
            deliver(config.onSuccess, record('Success', { payload: result ?? null }));
            done();
          },
          (e: unknown) => {
            lastError = asFunctionError(e);
            console.error(`local lambda ${name} (attempt ${attempts}):`, lastError.errorType, lastError.errorMessage);
            if (attempts > config.maximumRetryAttempts) return failed('RetriesExhausted');
            const timer = setTimeout(
              () => {
                scheduled.delete(timer);
                attempt();
              },
              delays[attempts - 1] ?? delays.at(-1) ?? 0,
            );
            scheduled.add(timer);
          },
        );
      running.add(work);
      void work.finally(() => running.delete(work));
    };
    attempt();
  }

  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const m = INVOKE_PATH.exec(req.url ?? '');
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    const body = await readLimited(
      req,
      limit,
      () => new ServiceError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, 413),
    );
    if (req.method !== 'POST' || !m) throw new ServiceError('UnknownOperationException', 'Unknown operation', 404);
    if (!['RequestResponse', 'Event', 'DryRun'].includes(type))
      throw new ServiceError('InvalidParameterValueException', `Unsupported invocation type: ${type}`);
    const { name, qualifier } = functionName(m[1]!, new URLSearchParams(m[2] ?? '').get('Qualifier'));
    settings(name);
    if (qualifier !== undefined && qualifier !== '$LATEST')
      throw new ServiceError('ResourceNotFoundException', `Function not found: ${functionArn(name)}:${qualifier}`, 404);
    let payload: unknown = {};
    if (body.length) {
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw new ServiceError('InvalidRequestContentException', `Could not parse request body into json: ${(e as Error).message}`);
      }
    }
    if (type === 'DryRun') return reply(res, 204, undefined);
    if (type === 'Event') {
      invokeAsync(name, payload);
      return reply(res, 202, undefined);
    }
    try {
      const result = await invoke(name, payload);
      reply(res, 200, result ?? null, { 'x-amz-executed-version': '$LATEST' });
    } catch (e) {
      reply(res, 200, asFunctionError(e).payload, { 'x-amz-executed-version': '$LATEST', 'x-amz-function-error': 'Unhandled' });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!(e instanceof ServiceError)) console.error('local lambda:', e);
      const err = e instanceof ServiceError ? e : new ServiceError('ServiceException', 'The AWS Lambda service encountered an internal error.', 500);
      reply(res, err.status, { Type: err.status < 500 ? 'User' : 'Service', Message: err.message }, { 'x-amzn-errortype': err.name });
    });
  });

  return {
    server,
    invoke,
    invokeAsync,
    /** Runs again the asynchronous invocations a stop (or a crash) cut off; returns how many. */
    resumeQueued: () => {
      const cut = [...queue.values()];
      for (const q of cut) invokeAsync(q.name, q.payload, q);
      return cut.length;
    },
    /** Resolves once no asynchronous invocation is queued, running or waiting for a retry (at most `timeoutMs`). */
    idle: async (timeoutMs = 600_000) => {
      const until = Date.now() + timeoutMs;
      while (queue.size && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      if (queue.size) throw new Error(`local lambda: ${queue.size} asynchronous invocation(s) still queued after ${timeoutMs} ms`);
    },
    /** Drops the retries still waiting and lets invocations already running finish (briefly) before the services they use stop. */
    drain: () => {
      for (const timer of scheduled) clearTimeout(timer);
      scheduled.clear();
      return Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 3000))]);
    },
  };
}

/** A function named by its name, its ARN or a partial ARN, with or without a qualifier. */
function functionName(raw: string, qualifierParam: string | null): { name: string; qualifier: string | undefined } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new ServiceError('InvalidParameterValueException', 'The function name is not valid');
  }
  const m = /^(?:arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/.exec(decoded);
  if (!m) throw new ServiceError('ValidationException', `1 validation error detected: Value '${decoded}' at 'functionName' failed to satisfy constraint`);
  const qualifier = m[2] ?? qualifierParam ?? undefined;
  return { name: m[1]!, qualifier };
}
