/**
 * Section 5: what one consultation consumes, from submission to a decision with conditions,
 * driven through the real pages of a fresh local stack. Runs inside the stack's process,
 * because everything is counted where it happens:
 *  - DynamoDB: every command of the application's DocumentClient gets ReturnConsumedCapacity
 *    TOTAL (a middleware on its stack); dynalite does report capacity, for the base table only,
 *    so index writes are estimated from the final items (see gsiWriteEstimate).
 *  - Lambda: every page request to the gateway is one invocation of its route's function,
 *    timed from the client (so it includes the local gateway's own fraction of a millisecond);
 *    workflow tasks are timed where they run, by wrapping the runner's handler loader. The
 *    local Step Functions stand-in validates the whole definition inside StartExecution
 *    (100–300 ms, where AWS answers in tens of ms): that time is measured apart
 *    (startExecutionMs) so the cost model can leave it out.
 *  - Step Functions: StateEntered events (what Standard workflows bill as state transitions),
 *    counted by wrapping the library's event logger.
 *  - SES: the stand-in's store, before and after. Secrets Manager: the signing key's reads, each
 *    one GetSecretValue (the functions read it through the secrets extension, its cache off).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import type { LocalStack } from '#infra/local/stack.ts';
import { ROUTES } from '#infra/routes.ts';
import { dynamo, sfn } from '#shared/adapters/aws.ts';
import type { Auth } from './lib/auth.ts';
import { asUser, statusReader, text } from './lib/pages.ts';
import { CONDITIONS, COUNCIL, dayFromNow, steps } from './lib/scenario.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface Invocations {
  /** Function (route id or task function) → calls and handler milliseconds, each call rounded up to 1 ms as Lambda bills. */
  byFunction: Record<string, { calls: number; ms: number }>;
  calls: number;
  billedMs: number;
}

export interface CostCounts {
  dynamo: {
    /** Operations by command name. */
    operations: Record<string, number>;
    /** As dynalite reports them (base table only). */
    readUnits: number;
    writeUnits: number;
    /** Writes whose capacity was not reported (e.g. a failed condition): counted as 1 WCU each, as DynamoDB charges them. */
    unreportedWrites: number;
    /** Estimated extra write units for the global secondary indexes. */
    gsiWriteUnitsEstimate: number;
  };
  http: Invocations;
  tasks: Invocations;
  stateTransitions: number;
  executions: number;
  mails: { messages: number; recipients: number };
  secretsManagerCalls: number;
  /** Time the functions spent waiting for the local Step Functions stand-in to start executions. */
  startExecutionMs: number;
  /** The person's page views, for the record of what was done. */
  pageViews: string[];
  wallMs: number;
}

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** Counting is switched on for the scenario only (seeding and polling are not counted). */
let counting = false;

function timed(store: Record<string, { calls: number; ms: number }>, name: string, handler: Handler): Handler {
  return async (event, context) => {
    const start = performance.now();
    try {
      return await handler(event, context);
    } finally {
      if (counting) {
        const s = (store[name] ??= { calls: 0, ms: 0 });
        s.calls++;
        s.ms += Math.ceil(performance.now() - start);
      }
    }
  };
}

const summarize = (byFunction: Record<string, { calls: number; ms: number }>): Invocations => ({
  byFunction,
  calls: Object.values(byFunction).reduce((n, f) => n + f.calls, 0),
  billedMs: Object.values(byFunction).reduce((n, f) => n + f.ms, 0),
});

/** The string value of a key attribute, marshalled ({ S: … }) or not, depending on where in the stack we look. */
const keyValue = (v: unknown): string | undefined => (typeof v === 'string' ? v : (v as { S?: string } | undefined)?.S);

/** The route a request goes to, matched as the gateway matches it. */
const ROUTE_PATTERNS = Object.entries(ROUTES).map(([id, r]) => ({ id, method: r.method, pattern: new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`) }));
const routeOf = (method: string, path: string) => ROUTE_PATTERNS.find((r) => r.method === method && r.pattern.test(path))?.id ?? `${method} ${path}`;

export async function runCostScenario(stack: LocalStack, auth: Auth): Promise<CostCounts> {
  const counts: CostCounts = {
    dynamo: { operations: {}, readUnits: 0, writeUnits: 0, unreportedWrites: 0, gsiWriteUnitsEstimate: 0 },
    http: summarize({}),
    tasks: summarize({}),
    stateTransitions: 0,
    executions: 0,
    mails: { messages: 0, recipients: 0 },
    secretsManagerCalls: 0,
    startExecutionMs: 0,
    pageViews: [],
    wallMs: 0,
  };
  const written: string[] = [];

  // DynamoDB: ask for consumed capacity on every command the application sends.
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (!counting) return next(args);
      const input = args.input as Record<string, unknown>;
      input['ReturnConsumedCapacity'] = 'TOTAL';
      const command = context.commandName ?? 'unknown';
      counts.dynamo.operations[command] = (counts.dynamo.operations[command] ?? 0) + 1;
      const isWrite = WRITE_COMMANDS.has(command);
      const key = (input['Key'] ?? input['Item']) as Record<string, unknown> | undefined;
      if (isWrite && key) written.push(JSON.stringify([keyValue(key['pk']), keyValue(key['sk'])]));
      try {
        const result = await next(args);
        const consumed = [(result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity].flat() as ({ CapacityUnits?: number } | undefined)[];
        const units = consumed.reduce((n, c) => n + (c?.CapacityUnits ?? 0), 0);
        if (isWrite) counts.dynamo.writeUnits += units;
        else counts.dynamo.readUnits += units;
        return result;
      } catch (e) {
        if (isWrite) counts.dynamo.unreportedWrites++;
        throw e;
      }
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  stack.secretsServer.on('request', (req: { method?: string; url?: string }) => {
    if (counting && req.method === 'GET' && req.url?.startsWith('/secretsmanager/get')) counts.secretsManagerCalls++;
  });

  (await sfn()).middlewareStack.add(
    (next, context) => async (args) => {
      if (!counting || context.commandName !== 'StartExecutionCommand') return next(args);
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        counts.startExecutionMs += Math.floor(performance.now() - start);
      }
    },
    { step: 'initialize', name: 'benchStartExecutionTime' },
  );

  // Step Functions: each state entered is one billed transition. The runner makes a new
  // StateMachine per run; its event logger is handed to `execute`, where we count.
  const proto = StateMachine.prototype as unknown as {
    execute: (input: unknown, options: { eventLogger: Record<string, (...a: unknown[]) => unknown> }, ...rest: unknown[]) => unknown;
  };
  const execute = proto.execute;
  proto.execute = function (this: unknown, input, options, ...rest) {
    const logger = options.eventLogger;
    const entered = logger['dispatchStateEnteredEvent']!;
    logger['dispatchStateEnteredEvent'] = function (this: unknown, ...a: unknown[]) {
      if (counting) counts.stateTransitions++;
      return entered.apply(this, a);
    };
    return execute.call(this, input, options, ...rest);
  };
  const startExecution = stack.runner.startExecution.bind(stack.runner);
  stack.runner.startExecution = (...a) => {
    if (counting) counts.executions++;
    return startExecution(...a);
  };

  // Lambda: workflow tasks through the runner's loader (a private field, wrapped for the bench only) …
  const taskStore: Record<string, { calls: number; ms: number }> = {};
  const runnerOptions = (stack.runner as unknown as { options: { loadHandler: (fn: string) => Promise<Handler> } }).options;
  const loadTask = runnerOptions.loadHandler;
  runnerOptions.loadHandler = async (fn) => timed(taskStore, fn, await loadTask(fn));
  // … and pages from the client: each request to the gateway, one invocation of its route's function.
  const httpStore: Record<string, { calls: number; ms: number }> = {};
  const base = stack.urls.http;
  const reader = statusReader(stack.urls.dynamodb, stack.tableName);
  const originalFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!counting || !url.startsWith(base)) return originalFetch(input, init);
    const method = init?.method ?? 'GET';
    const path = new URL(url).pathname;
    counts.pageViews.push(`${method} ${url.slice(base.length)}`);
    const start = performance.now();
    const res = await originalFetch(input, init);
    const body = await res.arrayBuffer();
    const s = (httpStore[routeOf(method, path)] ??= { calls: 0, ms: 0 });
    s.calls++;
    s.ms += Math.ceil(performance.now() - start);
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };

  // The person's steps. Run once uncounted first, so that what is counted is a warm container
  // (modules loaded, connections open); cold starts are priced separately (see run.ts).
  const scenario = async (title: string) => {
    const s = steps(base, reader, auth);
    const id = await s.submitCase(title);
    await s.screen(id, 'accept', true);
    const meetingDay = dayFromNow(14);
    const meeting = await s.createMeeting('meeting', meetingDay);
    await s.addItems(meeting, [id]);
    await s.mailAgenda(meeting);
    const [itemId] = await s.open(meeting, [id]);
    await s.decide(meeting, itemId!, CONDITIONS);
    await s.approveAnswers([id], meetingDay);
    await reader.waitForStatus(COUNCIL, id, 'followups_open');
    // The department reads the answer it was mailed about.
    await text(asUser(base, auth, 'u-fukushi').get(`/c/${COUNCIL}/consultations/${id}/answer`));
    // Let the workflow settle in its waiting state before counting stops.
    await new Promise((r) => setTimeout(r, 200));
  };
  await scenario('介護保険関係事務(準備運転)');

  const mailsBefore = await storedMails(stack.urls.ses);
  const started = performance.now();
  counting = true;
  try {
    await scenario('生活保護受給者金銭管理支援業務委託(費用計測)');
  } finally {
    counting = false;
    globalThis.fetch = originalFetch;
  }
  counts.wallMs = Math.round(performance.now() - started);

  const mails = (await storedMails(stack.urls.ses)).slice(mailsBefore.length);
  counts.mails = { messages: mails.length, recipients: mails.reduce((n, m) => n + (m.destination?.to?.length ?? 1), 0) };
  counts.http = summarize(httpStore);
  counts.tasks = summarize(taskStore);
  counts.dynamo.gsiWriteUnitsEstimate = await gsiWriteEstimate(stack, written);
  reader.destroy();
  return counts;
}

/**
 * dynalite charges writes to the base table only; DynamoDB also charges one write per KB
 * for each index an item is projected into (two when an index key changes). Estimated from
 * each written item's final state: + ceil(size / 1 KB) per index whose key it carries.
 */
async function gsiWriteEstimate(stack: LocalStack, written: string[]): Promise<number> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.urls.dynamodb, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const cache = new Map<string, Record<string, unknown> | undefined>();
  let units = 0;
  for (const k of written) {
    if (!cache.has(k)) {
      const [pk, sk] = JSON.parse(k) as [string, string];
      cache.set(k, (await db.send(new GetCommand({ TableName: stack.tableName, Key: { pk, sk } }))).Item);
    }
    const item = cache.get(k);
    if (!item) continue;
    const indexes = Object.keys(item).filter((a) => /^gsi\d+pk$/.test(a)).length;
    units += indexes * Math.ceil(Buffer.byteLength(JSON.stringify(item)) / 1024);
  }
  db.destroy();
  return units;
}

interface StoredMail {
  destination?: { to?: string[] };
  subject: string;
  body: { text: string };
}

export async function storedMails(sesUrl: string): Promise<StoredMail[]> {
  const res = await fetch(`${sesUrl}/store`);
  return ((await res.json()) as { emails: StoredMail[] }).emails;
}
