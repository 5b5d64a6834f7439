/**
 * `npm run bench` — the performance figures of issue 9, each measured in the same run as
 * its baseline (interleaved where timing matters) so that the ratios hold on a noisy
 * 2-core machine. Prints the tables and writes them as JSON to bench/results/latest.json.
 *
 *  1. cold starts of bundled handlers vs a floor that only makes the AWS clients; zod vs zod/mini
 *  2. API latency and throughput under 1/10/50 connections vs the raw DynamoDB calls of each page
 *  3. the same at 1× and 100× the data in the table
 *  4. exporting the minutes of a 100-item meeting (.docx, html, csv — "pending" while the feature
 *     is missing), and rendering its 会議次第 page and its 100 case pages
 *  5. DynamoDB units, state transitions, Lambda time and mails of one consultation, in dollars and yen
 *  6. parsing a hostile 64 KB 審議票 of 3,500 rows, and the page that shows it again (in this process)
 *  7. the hourly and daily jobs over 100 and 1,700 councils, each with a year of open rounds and
 *     follow-ups and all due the same day: total time, time per council, each unit against its timeout
 *
 * Processes: this orchestrator; the local stacks (bench/stack-server.ts) and the load
 * generator (bench/load.ts) as children over IPC; each cold start as its own fresh process.
 * Everything listens on and talks to 127.0.0.1 only; every loop is bounded.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';
import { API_ROUTES } from './api-routes.ts';
import { BUILD_DIR, type Bundle, bundle, SDK_MODES, type SdkMode } from './build.ts';
import { type ColdCase, type ColdSample, coldRuns, functionEnv, traceCalls } from './cold.ts';
import type { CostCounts } from './cost-scenario.ts';
import type { SeedResult } from './dataset.ts';
import { type FormParseResult, measureFormParsing } from './form.ts';
import type { JobsResult } from './jobs.ts';
import { type Auth, authFromEnv } from './lib/auth.ts';
import { httpEvent } from './lib/events.ts';
import { type Child, startChild } from './lib/rpc.ts';
import { kib, median, percentile, ratio, round } from './lib/stats.ts';
import { printTable } from './lib/table.ts';
import type { LoadResult } from './load.ts';
import { costOfCase, idleMonth, PRICES } from './prices.ts';
import type { RenderResult } from './render.ts';
import type { StackInfo } from './stack-server.ts';

const RESULTS = path.join(REPO_ROOT, 'bench/results');
const LOGS = path.join(RESULTS, 'logs');
/** How much bigger the table is in section 3 (BENCH_SCALE overrides; 100 seeds in a few seconds). */
const SCALE = Number(process.env['BENCH_SCALE'] ?? 100);
/** 3 (was 5) and 2 slices (was 4) since the jobs part (section 7) came: the whole run stays near five minutes. */
const COLD_ROUNDS = Number(process.env['BENCH_COLD_ROUNDS'] ?? 3);
const ZOD_ROUNDS = 5;
const CONCURRENCY = [1, 10, 50];
const BARE_HTTP_MAX_CONCURRENCY = 10;
/** Each API figure is 2 slices of this long, interleaved with its baseline and the other table size. */
const SLICE_MS = Number(process.env['BENCH_SLICE_MS'] ?? 250);
const SLICES = 2;
const MAX_REQUESTS_PER_SLICE = 50_000;
const MEETING_ITEMS = 100;
/** Section 7: the jobs over this many councils, and over the small set it is compared with. */
const JOB_COUNCILS = [100, Number(process.env['BENCH_JOB_COUNCILS'] ?? 1700)];
/** SES sending rates a reminder day is reported against (a new production account's, and a raised one). */
const SES_RATES = [14, 200];
/** `BENCH_ONLY=cold`: only section 1 (the cold starts of every function kind). */
const ONLY = process.env['BENCH_ONLY'];
if (ONLY !== undefined && ONLY !== 'cold') throw new Error(`BENCH_ONLY=${ONLY}: only 'cold' is known`);

const started = performance.now();
const progress = (message: string) => process.stderr.write(`[${String(Math.round((performance.now() - started) / 1000)).padStart(4)} s] ${message}\n`);

/**
 * The handlers of section 1: every function kind of infra/routes.ts FUNCTIONS, each with the
 * first request of some of its routes (ids come from the seeded 1× stack). The two export kinds
 * share one bundle (functions/exports.ts) and are handed an export already done: one read, so the
 * figure is the cold start and not the rendering of minutes (section 4 measures that).
 */
const COLD_HANDLERS = [
  { name: 'home', kind: 'StaffPages', entry: 'functions/staff.ts' },
  { name: 'members-list', kind: 'StaffPages', entry: 'functions/staff.ts' },
  { name: 'consultation-view', kind: 'StaffPages', entry: 'functions/staff.ts' },
  { name: 'meeting-view', kind: 'StaffPages', entry: 'functions/staff.ts' },
  { name: 'vote-view', kind: 'LinkPages', entry: 'functions/links.ts' },
  { name: 'vote-cast', kind: 'LinkPages', entry: 'functions/links.ts' },
  { name: 'record-status', kind: 'WorkflowTasks', entry: 'functions/workflow.ts' },
  { name: 'dispatch', kind: 'JobDispatcher', entry: 'functions/dispatch.ts' },
  { name: 'voting-clock', kind: 'ScheduledJobs', entry: 'functions/jobs.ts' },
  { name: 'export-done', kind: 'MinutesExports', entry: 'functions/exports.ts' },
  { name: 'export-gave-up', kind: 'MinutesExportFailures', entry: 'functions/exports.ts' },
] as const;
const FLOORS = [
  { name: 'floor (clients only)', entry: 'bench/floor-handler.ts' },
  { name: 'floor + 1 GetItem', entry: 'bench/floor-call-handler.ts' },
] as const;
/**
 * The floor of one function kind's first request: the same clients making the same calls
 * (traced from the function's own cold start), for the as-deployed variant only.
 */
const CALLS_FLOOR = { name: 'floor + the same calls', entry: 'bench/floor-calls-handler.ts', variant: 'external', mode: 'sdk-external' } as const;
const callsFloorKey = (handler: string) => `${handler} (${CALLS_FLOOR.name})|${CALLS_FLOOR.variant}`;
/**
 * Cold-start variants: how the bundle treats the SDK, and whether Node runs with
 * --enable-source-maps (what `-c council:sourceMaps=true` deploys; off by default). Each is
 * compared with the floor of the same variant.
 */
const VARIANTS = [
  { id: 'external', label: 'SDK external (as deployed)', mode: 'sdk-external', sourceMaps: false },
  { id: 'external-maps', label: 'SDK external, with council:sourceMaps', mode: 'sdk-external', sourceMaps: true },
  { id: 'bundled', label: 'SDK bundled', mode: 'sdk-bundled', sourceMaps: false },
] as const satisfies readonly { id: string; label: string; mode: SdkMode; sourceMaps: boolean }[];

type ColdIds = SeedResult['ids'] & { exportId: string };

function eventFor(name: (typeof COLD_HANDLERS)[number]['name'], ids: ColdIds, auth: Auth): unknown {
  const exportJob = { councilId: 'sakura', meetingId: ids.decidedMeeting, exportId: ids.exportId };
  switch (name) {
    case 'home':
      return httpEvent('Home', auth, { path: '/', userId: 'u-secretariat' });
    case 'members-list':
      return httpEvent('MembersList', auth, { path: '/c/sakura/members', userId: 'u-secretariat' });
    case 'consultation-view':
      return httpEvent('ConsultationView', auth, { path: `/c/sakura/consultations/${ids.decidedCase}`, userId: 'u-secretariat' });
    case 'meeting-view':
      return httpEvent('MeetingView', auth, { path: `/c/sakura/meetings/${ids.decidedMeeting}`, userId: 'u-secretariat' });
    case 'vote-view':
      return httpEvent('VoteView', auth, { path: `/v/${ids.voteToken}` });
    case 'vote-cast':
      // 前田委員 votes through the link mailed to her (a vote may be sent again; the last one counts).
      return httpEvent('VoteCast', auth, { path: `/v/${ids.voteToken}`, form: { choice: 'approve' } });
    case 'record-status':
      // The workflow recording a status the case already has: one conditional UpdateItem.
      return { task: 'recordStatus', councilId: 'sakura', consultationId: ids.closedCase, status: 'closed' };
    case 'dispatch':
      // The hourly schedule's event: one page of the council registry, one unit started per council.
      return { job: 'votingClock' };
    case 'voting-clock':
      // One unit of the hourly job: the demo council's (the dispatcher starts one per council).
      return { job: 'votingClock', councilId: 'sakura' };
    case 'export-done':
      return exportJob;
    case 'export-gave-up':
      return { requestContext: { condition: 'RetriesExhausted' }, requestPayload: exportJob, responsePayload: { errorType: 'Error', errorMessage: 'bench' } };
  }
}

/** Section 1b: every handler and floor in fresh processes against the 1× stack, interleaved round by round. */
export interface ColdResult {
  samples: Map<string, ColdSample[]>;
  /** SDK calls of each function's traced first request. */
  callCounts: Map<string, number>;
}

async function coldStarts(bundles: Map<string, Bundle>, small: Child<StackInfo>, seedSmall: SeedResult): Promise<ColdResult> {
  progress(
    `cold starts: ${COLD_ROUNDS} rounds × ${(COLD_HANDLERS.length + FLOORS.length) * VARIANTS.length + COLD_HANDLERS.length} fresh processes (after one traced first request each) …`,
  );
  const auth = await authFromEnv(small.ready.env);
  const coldIds: ColdIds = { ...seedSmall.ids, exportId: await small.call<string>('doneExport', { meetingId: seedSmall.ids.decidedMeeting }) };
  const coldCases: ColdCase[] = [];
  for (const v of VARIANTS) {
    const env = functionEnv(small.ready.env);
    if (v.sourceMaps) env['NODE_OPTIONS'] = '--enable-source-maps';
    else delete env['NODE_OPTIONS'];
    for (const h of COLD_HANDLERS)
      coldCases.push({ key: `${h.name}|${v.id}`, file: bundles.get(`${h.entry}|${v.mode}`)!.file, event: eventFor(h.name, coldIds, auth), env });
    for (const f of FLOORS) coldCases.push({ key: `${f.name}|${v.id}`, file: bundles.get(`${f.entry}|${v.mode}`)!.file, event: {}, env });
  }
  // Each first request once more, its SDK calls recorded, for the floor that makes the same calls.
  const callCounts = new Map<string, number>();
  for (const h of COLD_HANDLERS) {
    const asDeployed = coldCases.find((c) => c.key === `${h.name}|${CALLS_FLOOR.variant}`)!;
    const { planFile, calls } = await traceCalls({ key: h.name, file: asDeployed.file, event: asDeployed.event, env: asDeployed.env });
    callCounts.set(h.name, calls.length);
    coldCases.push({
      key: callsFloorKey(h.name),
      file: bundles.get(`${CALLS_FLOOR.entry}|${CALLS_FLOOR.mode}`)!.file,
      event: {},
      env: { ...asDeployed.env, BENCH_CALLS_PLAN: planFile },
    });
  }
  return { samples: await coldRuns(coldCases, COLD_ROUNDS), callCounts };
}

async function main() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) throw new Error(`Node ${process.versions.node}: run through npm (npm run bench) so the node@24 dev dependency is used`);
  if (!Number.isInteger(SCALE) || SCALE < 2) throw new Error(`BENCH_SCALE must be a whole number of at least 2, not ${SCALE}`);
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  const children: Child<unknown>[] = [];
  const child = async <R>(script: string, log: string, execArgv: string[] = [], env?: NodeJS.ProcessEnv) => {
    const c = await startChild<R>(path.join(REPO_ROOT, script), { logFile: path.join(LOGS, log), execArgv, ...(env ? { env } : {}) });
    children.push(c as Child<unknown>);
    return c;
  };

  try {
    // ── 6. form parsing: cheap, in this process, before the children load the machine ─────
    progress('form parsing: a 64 KB form of 3,500 rows …');
    const formParse = measureFormParsing();

    // ── 1a. bundles ─────────────────────────────────────────────────────────────────
    progress('bundling handlers with esbuild (as CDK does) …');
    rmSync(BUILD_DIR, { recursive: true, force: true });
    const bundles = new Map<string, Bundle>();
    for (const mode of SDK_MODES) {
      for (const h of [...COLD_HANDLERS, ...FLOORS]) {
        const key = `${h.entry}|${mode}`;
        if (!bundles.has(key)) bundles.set(key, await bundle(h.entry.replace(/\W+/g, '-'), h.entry, mode));
      }
    }
    bundles.set(`${CALLS_FLOOR.entry}|${CALLS_FLOOR.mode}`, await bundle(CALLS_FLOOR.entry.replace(/\W+/g, '-'), CALLS_FLOOR.entry, CALLS_FLOOR.mode));
    const probes = new Map<string, { file: string; bytes: number }>();
    for (const p of ['zod-full', 'zod-mini', 'empty']) {
      const b = await bundle(p, `bench/probes/${p}.ts`, 'sdk-bundled');
      probes.set(`${p} (bundled)`, { file: b.file, bytes: b.bytes });
    }
    // The packages as they are in node_modules, unbundled.
    const rawDir = path.join(BUILD_DIR, 'zod-node-modules');
    mkdirSync(rawDir, { recursive: true });
    for (const [name, spec] of [
      ['zod', "import { z } from 'zod'; export const ok = typeof z.object;"],
      ['zod/mini', "import * as z from 'zod/mini'; export const ok = typeof z.object;"],
    ] as const) {
      const file = path.join(rawDir, `${name.replace('/', '-')}.mjs`);
      writeFileSync(file, `${spec}\n`);
      probes.set(`${name} (node_modules)`, { file, bytes: Number.NaN });
    }

    if (ONLY === 'cold') {
      // `BENCH_ONLY=cold npm run bench`: section 1 alone (bundles, one 1× stack, the cold starts), about a minute.
      progress('starting the 1× stack and seeding it through the pages …');
      const small = await child<StackInfo>('bench/stack-server.ts', 'stack-1x.log');
      const seedSmall = await small.call<SeedResult>('seed', { scale: 1 }, 180_000);
      const cold = await coldStarts(bundles, small, seedSmall);
      await small.stop();
      const { coldJson } = coldReport(bundles, cold);
      writeFileSync(
        path.join(RESULTS, 'cold.json'),
        `${JSON.stringify({ generatedAt: new Date().toISOString(), coldRounds: COLD_ROUNDS, detail: coldJson }, null, 2)}\n`,
      );
      progress(`done in ${round((performance.now() - started) / 1000, 0)} s — written to bench/results/cold.json`);
      return;
    }

    // ── 5. cost of one consultation, on a fresh stack of its own ──────────────────────
    progress('cost: one consultation through the pages, counted (fresh stack) …');
    const costStack = await child<StackInfo>('bench/stack-server.ts', 'stack-cost.log');
    const costCounts = await costStack.call<CostCounts>('cost', undefined, 120_000);
    await costStack.stop();

    // ── 2/3. the two stacks of the load test: 1× and SCALE× ────────────────────────────
    progress(`starting the 1× and ${SCALE}× stacks and seeding them through the pages …`);
    // Each stack's DynamoDB runs in a process of its own, as the service is apart from Lambda in
    // AWS: the pages' handlers and dynalite do not take turns on one event loop, and the raw
    // baseline and the API reach the same server the same way.
    const [dynamoSmall, dynamoLarge] = await Promise.all([
      child<{ url: string }>('bench/dynalite-server.ts', 'dynalite-1x.log'),
      child<{ url: string }>('bench/dynalite-server.ts', `dynalite-${SCALE}x.log`),
    ]);
    const withDynamo = (d: Child<{ url: string }>) => ({ ...process.env, LOCAL_DYNAMODB_ENDPOINT: d.ready.url });
    const [small, large] = await Promise.all([
      child<StackInfo>('bench/stack-server.ts', 'stack-1x.log', [], withDynamo(dynamoSmall)),
      child<StackInfo>('bench/stack-server.ts', `stack-${SCALE}x.log`, [], withDynamo(dynamoLarge)),
    ]);
    const [seedSmall, seedLarge] = await Promise.all([
      small.call<SeedResult>('seed', { scale: 1 }, 180_000),
      large.call<SeedResult>('seed', { scale: SCALE }, 180_000),
    ]);
    progress(
      `seeded: 1× = ${seedSmall.items} items (${seedSmall.seedMs} ms through the pages); ${SCALE}× = ${seedLarge.items} items (copies written in ${seedLarge.cloneMs} ms)`,
    );

    // ── 1b. cold starts against the 1× stack ─────────────────────────────────────────────
    const cold = await coldStarts(bundles, small, seedSmall);

    progress('zod vs zod/mini: import in fresh processes …');
    // Import only, no event; without NODE_OPTIONS so only the module's own cost shows.
    const probeRuns = await coldRuns(
      [...probes].map(([key, p]) => ({ key, file: p.file, env: functionEnv({}) })),
      ZOD_ROUNDS,
    );

    // ── 2/3. load ──────────────────────────────────────────────────────────────────────────
    const load = await child<{ pid: number }>('bench/load.ts', 'load.log');
    const sizes = { '1x': { stack: small, seed: seedSmall }, [`${SCALE}x`]: { stack: large, seed: seedLarge } };
    // The second baseline (1× only): the same calls behind a bare HTTP server in the stack's process.
    const bare = await small.call<string>('bareServer', { ids: seedSmall.ids });
    for (const [name, s] of Object.entries(sizes)) {
      await load.call('addStack', {
        name,
        target: {
          env: s.stack.ready.env,
          http: s.stack.ready.urls.http,
          dynamodb: s.stack.ready.urls.dynamodb,
          tableName: s.stack.ready.tableName,
          ids: s.seed.ids,
          ...(name === '1x' ? { bare } : {}),
        },
      });
    }
    /** What each size and connection count is measured as: the bare-HTTP baseline at 1× and at 1 and 10 connections only (the run stays near five minutes). */
    const kindsOf = (size: string, concurrency: number) =>
      size === '1x' && concurrency <= BARE_HTTP_MAX_CONCURRENCY ? (['api', 'raw', 'raw-http'] as const) : (['api', 'raw'] as const);
    const api: ApiRow[] = [];
    for (const route of API_ROUTES) {
      progress(`load: ${route.name} …`);
      // Warm-up (not counted): modules loaded, connections opened, JIT warm.
      for (const size of Object.keys(sizes))
        for (const kind of kindsOf(size, 10)) {
          await load.call<LoadResult>('run', { stack: size, route: route.name, kind, concurrency: 10, durationMs: 250, maxRequests: 2000 });
        }
      for (const concurrency of CONCURRENCY) {
        const acc = new Map<string, { latencies: number[]; count: number; elapsedMs: number; errors: number; firstError?: string }>();
        for (let slice = 0; slice < SLICES; slice++) {
          for (const size of Object.keys(sizes)) {
            for (const kind of kindsOf(size, concurrency)) {
              const r = await load.call<LoadResult>(
                'run',
                { stack: size, route: route.name, kind, concurrency, durationMs: SLICE_MS, maxRequests: MAX_REQUESTS_PER_SLICE },
                60_000,
              );
              const a = acc.get(`${size}|${kind}`) ?? { latencies: [], count: 0, elapsedMs: 0, errors: 0 };
              a.latencies.push(...r.latencies);
              a.count += r.latencies.length;
              a.elapsedMs += r.elapsedMs;
              a.errors += r.errors;
              a.firstError ??= r.firstError;
              acc.set(`${size}|${kind}`, a);
            }
          }
        }
        const figure = (key: string): LoadFigure => {
          const a = acc.get(key)!;
          return {
            p50: round(percentile(a.latencies, 50)),
            p99: round(percentile(a.latencies, 99)),
            rps: round(a.count / (a.elapsedMs / 1000), 0),
            requests: a.count,
            errors: a.errors,
            ...(a.firstError ? { firstError: a.firstError } : {}),
          };
        };
        const base = { api: figure('1x|api'), raw: figure('1x|raw'), ...(acc.has('1x|raw-http') ? { rawHttp: figure('1x|raw-http') } : {}) };
        const grown = { api: figure(`${SCALE}x|api`), raw: figure(`${SCALE}x|raw`) };
        api.push({
          route: route.name,
          concurrency,
          '1x': base,
          [`${SCALE}x`]: grown,
          overheadP50: ratio(base.api.p50, base.raw.p50),
          overheadP99: ratio(base.api.p99, base.raw.p99),
          ...(base.rawHttp ? { overheadHttpP50: ratio(base.api.p50, base.rawHttp.p50), overheadHttpP99: ratio(base.api.p99, base.rawHttp.p99) } : {}),
          growthP50: ratio(grown.api.p50, base.api.p50),
          growthRawP50: ratio(grown.raw.p50, base.raw.p50),
        });
      }
    }
    await load.stop();
    await large.stop();
    await dynamoLarge.stop();

    // ── 4. rendering a 100-item meeting and its cases ───────────────────────────────────
    progress(`export: minutes and pages of a ${MEETING_ITEMS}-item meeting …`);
    const meeting = await small.call<{ meetingId: string; caseIds: string[]; items: number }>('bigMeeting', {
      meetingId: seedSmall.ids.decidedMeeting,
      size: MEETING_ITEMS,
    });
    // --expose-gc: memory is read after a collection, so it is the export's and not leftovers.
    const renderer = await child<{ pid: number }>('bench/render.ts', 'render.log', ['--expose-gc']);
    const render = await renderer.call<RenderResult>('render', { ...meeting, env: small.ready.env }, 120_000);
    await renderer.stop();
    await small.stop();
    await dynamoSmall.stop();

    // ── 7. the scheduled jobs at 100 and 1,700 councils, each size on a fresh stack of its own ─────
    const jobs: JobsResult[] = [];
    for (const councils of JOB_COUNCILS) {
      progress(`jobs: hourly and daily over ${councils} councils (seeded with BatchWriteItem) …`);
      const runner = await child<{ pid: number }>('bench/jobs.ts', `jobs-${councils}.log`);
      jobs.push(await runner.call<JobsResult>('run', { councils, logFile: path.join(LOGS, `jobs-${councils}-dynalite.log`) }, 400_000));
      await runner.stop();
    }

    // ── results ──────────────────────────────────────────────────────────────────────────
    const results = report({ bundles, cold, probes, probeRuns, api, render, costCounts, seedSmall, seedLarge, formParse, jobs });
    writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    progress(`done in ${round((performance.now() - started) / 1000, 0)} s — written to bench/results/latest.json`);
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
  }
}

interface LoadFigure {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
  firstError?: string;
}
type ApiRow = {
  route: string;
  concurrency: number;
  overheadP50: number;
  overheadP99: number;
  /** Over the bare HTTP server making the same calls (1× only, at most BARE_HTTP_MAX_CONCURRENCY connections). */
  overheadHttpP50?: number;
  overheadHttpP99?: number;
  growthP50: number;
  growthRawP50: number;
} & Record<string, unknown>;

/** Whether a target is met — printed, never asserted (no timing thresholds in the tests). */
const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

function coldReport(bundles: Map<string, Bundle>, cold: ColdResult) {
  const coldStat = (key: string) => {
    const samples = cold.samples.get(key) ?? [];
    const ok = samples.filter((s) => !s.error);
    const total = ok.map((s) => s.importMs + s.invokeMs);
    return {
      runs: samples.length,
      failed: samples.length - ok.length,
      status: ok[0]?.status,
      ...(samples.find((s) => s.error) ? { error: samples.find((s) => s.error)!.error!.slice(0, 300) } : {}),
      importMs: round(median(ok.map((s) => s.importMs)), 1),
      firstInvokeMs: round(median(ok.map((s) => s.invokeMs)), 1),
      totalMs: round(median(total), 1),
      nodeBootMs: round(median(ok.map((s) => s.boot)), 1),
      rssMiB: round(median(ok.map((s) => s.rssMiB)), 1),
    };
  };
  /**
   * A function against a floor: the median of each round's own ratio. A round runs every case
   * once, one after another, so a slow moment of the machine lands on both sides of its ratio,
   * where a ratio of the two medians could take a slow floor from one round and a fast function
   * from another.
   */
  const paired = (key: string, floorKey: string) => {
    const a = cold.samples.get(key) ?? [];
    const b = cold.samples.get(floorKey) ?? [];
    const ratios = a.flatMap((s, r) => {
      const f = b[r];
      return !s.error && f && !f.error ? [(s.importMs + s.invokeMs) / (f.importMs + f.invokeMs)] : [];
    });
    return round(median(ratios), 2);
  };
  const coldRows: Record<string, unknown>[] = [];
  const coldJson: Record<string, Record<string, unknown>> = {};
  for (const v of VARIANTS) {
    for (const h of [...COLD_HANDLERS, ...FLOORS]) {
      const s = coldStat(`${h.name}|${v.id}`);
      const b = bundles.get(`${h.entry}|${v.mode}`)!;
      const vsFloor = paired(`${h.name}|${v.id}`, `${FLOORS[0].name}|${v.id}`);
      const row = {
        function: h.name,
        variant: v.label,
        'entry KiB': kib(b.bytes),
        'all chunks KiB': kib(b.totalBytes),
        'zod KiB': kib(b.composition['zod'] ?? 0),
        'import ms': s.importMs,
        '1st event ms': s.firstInvokeMs,
        'total ms': s.totalMs,
        '× floor': vsFloor,
        '× floor+Get': paired(`${h.name}|${v.id}`, `${FLOORS[1].name}|${v.id}`),
        status: s.failed ? `${s.failed} failed` : String(s.status ?? ''),
      };
      coldRows.push(row);
      const callsFloor = v.id === CALLS_FLOOR.variant && cold.callCounts.has(h.name) ? coldStat(callsFloorKey(h.name)) : undefined;
      coldJson[`${h.name}|${v.id}`] = {
        ...s,
        variant: v.label,
        bundleBytes: b.bytes,
        totalBytes: b.totalBytes,
        composition: b.composition,
        vsFloor,
        ...(callsFloor
          ? { sdkCalls: cold.callCounts.get(h.name), sameCallsFloor: callsFloor, vsSameCallsFloor: paired(`${h.name}|${v.id}`, callsFloorKey(h.name)) }
          : {}),
      };
    }
  }
  printTable(
    '1. Cold start: fresh Node 24 process imports the bundle and handles one event (median of runs; × a floor: median of each round’s ratio)',
    coldRows,
  );
  // Each function kind, its routes' first request, beside the floor of the same variant (as deployed, and with source maps).
  for (const v of VARIANTS.filter((x) => x.mode === 'sdk-external')) {
    const floor = coldStat(`${FLOORS[0].name}|${v.id}`);
    printTable(
      `1a. Each function kind (${v.label}): first request beside the floor (${floor.totalMs} ms = ${floor.importMs} import + ${floor.firstInvokeMs} handler); target ≤ 1.3×; ratios are the median of each round's own` +
        (v.id === CALLS_FLOOR.variant ? '; and beside the floor making the same SDK calls (traced from that request)' : ''),
      COLD_HANDLERS.map((h) => {
        const x = coldStat(`${h.name}|${v.id}`);
        const vsFloor = paired(`${h.name}|${v.id}`, `${FLOORS[0].name}|${v.id}`);
        const same = v.id === CALLS_FLOOR.variant ? coldStat(callsFloorKey(h.name)) : undefined;
        return {
          kind: h.kind,
          'first request': h.name,
          'import ms': x.importMs,
          'request ms': x.firstInvokeMs,
          'total ms': x.totalMs,
          'floor ms': floor.totalMs,
          '× floor': vsFloor,
          target: mark(vsFloor <= 1.3),
          ...(same
            ? {
                'SDK calls': cold.callCounts.get(h.name),
                'same calls floor ms': same.totalMs,
                '× same calls': paired(`${h.name}|${v.id}`, callsFloorKey(h.name)),
              }
            : {}),
          status: x.failed ? `${x.failed} failed` : String(x.status ?? ''),
        };
      }),
    );
  }

  return { coldStat, coldRows, coldJson };
}

function report(r: {
  bundles: Map<string, Bundle>;
  cold: ColdResult;
  probes: Map<string, { file: string; bytes: number }>;
  probeRuns: Map<string, ColdSample[]>;
  api: ApiRow[];
  render: RenderResult;
  costCounts: CostCounts;
  seedSmall: SeedResult;
  seedLarge: SeedResult;
  formParse: FormParseResult;
  jobs: JobsResult[];
}) {
  // ── section 1 ──
  const { coldStat, coldRows, coldJson } = coldReport(r.bundles, r.cold);

  const probeRows = [...r.probes].map(([name, p]) => {
    const ok = (r.probeRuns.get(name) ?? []).filter((s) => !s.error);
    return {
      module: name,
      'size KiB': Number.isNaN(p.bytes) ? '(package)' : kib(p.bytes),
      'import ms': round(median(ok.map((s) => s.importMs)), 1),
      runs: ok.length,
    };
  });
  printTable('1b. zod vs zod/mini: import alone in fresh processes (median)', probeRows);

  // ── sections 2 and 3 ──
  const sizeKey = `${SCALE}x`;
  const apiRows = r.api.map((row) => {
    const base = row['1x'] as { api: LoadFigure; raw: LoadFigure };
    const grown = row[sizeKey] as { api: LoadFigure; raw: LoadFigure };
    return {
      route: row.route,
      conn: row.concurrency,
      'p50 ms': base.api.p50,
      'p99 ms': base.api.p99,
      'req/s': base.api.rps,
      'raw p50': base.raw.p50,
      'raw p99': base.raw.p99,
      'raw req/s': base.raw.rps,
      '× raw (p50)': row.overheadP50,
      '× raw (p99)': row.overheadP99,
      '× bare HTTP (p50 / p99)': row.overheadHttpP50 === undefined ? '' : `${row.overheadHttpP50} / ${row.overheadHttpP99}`,
      [`${SCALE}× p50`]: grown.api.p50,
      [`${SCALE}× p99`]: grown.api.p99,
      [`${SCALE}× req/s`]: grown.api.rps,
      [`${SCALE}×/1× p50`]: row.growthP50,
      errors: base.api.errors + base.raw.errors + grown.api.errors + grown.raw.errors,
    };
  });
  printTable(
    `2/3. API on the local stack vs the same DynamoDB calls direct ("raw"); 1× = ${r.seedSmall.items} items, ${SCALE}× = ${r.seedLarge.items} items`,
    apiRows,
  );

  // ── section 4 ──
  const m = r.render;
  const x = m.minutes;
  const exportRows = x.available
    ? [
        { what: `minutes layout (draftMinutes + minutesDocument), ${m.items} items`, value: `${x.layoutMs} ms` },
        { what: '.docx export (minutesDocx)', value: `${x.docx!.ms} ms, ${x.docx!.kiB} KiB` },
        ...(x.html ? [{ what: '.html export (minutesHtml)', value: `${x.html.ms} ms, ${x.html.kiB} KiB` }] : []),
        ...(x.csv ? [{ what: '.csv export (minutesCsv)', value: `${x.csv.ms} ms, ${x.csv.kiB} KiB` }] : []),
        {
          what: 'export memory: heap before → peak; RSS before → peak',
          value: `${x.memory!.heapBeforeMiB} → ${x.memory!.peakHeapMiB} MiB; ${x.memory!.rssBeforeMiB} → ${x.memory!.peakRssMiB} MiB`,
        },
      ]
    : [{ what: '.docx minutes export', value: `pending the minutes feature (${x.reason})` }];
  printTable(`4. Export of a ${m.items}-item meeting: the minutes (when built) and the pages it is made from`, [
    ...exportRows,
    { what: `会議次第 (meeting page), ${m.items} items: handler, first call`, value: `${m.meeting.handlerFirstMs} ms` },
    { what: '  same, median of 5 (warm)', value: `${m.meeting.handlerMedianMs} ms` },
    { what: '  of which DynamoDB (viewMeeting) / HTML (meetingPage)', value: `${m.meeting.dataMedianMs} ms / ${m.meeting.renderMedianMs} ms` },
    { what: '  HTML size', value: `${m.meeting.htmlKiB} KiB` },
    {
      what: `審議票 (case pages) × ${m.cases.pages}, one after another`,
      value: `${m.cases.totalMs} ms (median ${m.cases.medianMs} ms/page, ${m.cases.htmlKiB} KiB in all)`,
    },
    {
      what: 'pages memory: RSS → peak after meeting page → peak after case pages',
      value: `${m.memory.rssBeforeMiB} → ${m.memory.peakRssAfterMeetingMiB} → ${m.memory.peakRssMiB} MiB`,
    },
  ]);

  // ── section 5 ──
  const c = r.costCounts;
  const writeUnits = c.dynamo.writeUnits + c.dynamo.unreportedWrites + c.dynamo.gsiWriteUnitsEstimate;
  const usage = {
    httpRequests: c.http.calls,
    lambdaInvocations: c.http.calls + c.tasks.calls,
    // Less the local Step Functions stand-in's own validation inside StartExecution (see cost-scenario.ts).
    lambdaBilledMs: Math.max(0, c.http.billedMs + c.tasks.billedMs - c.startExecutionMs),
    readUnits: c.dynamo.readUnits,
    writeUnits,
    stateTransitions: c.stateTransitions,
    emails: c.mails.recipients,
    secretsManagerCalls: c.secretsManagerCalls,
    traces: c.http.calls + c.executions,
  };
  const warm = costOfCase(usage);
  // In a quiet system nearly every invocation is a cold start, and Lambda bills the INIT phase
  // (since August 2025): the upper bound adds the median import time of the deployed bundles.
  const initMs = median(COLD_HANDLERS.map((h) => coldStat(`${h.name}|external`).importMs).filter(Number.isFinite));
  // A cold page function also reads the signing key (sessions, links) once: one Secrets Manager call each.
  const allCold = costOfCase({
    ...usage,
    lambdaBilledMs: usage.lambdaBilledMs + Math.ceil(initMs) * usage.lambdaInvocations,
    secretsManagerCalls: usage.secretsManagerCalls + usage.httpRequests,
  });
  const yen = (usd: number) => round(usd * PRICES.jpyPerUsd, 3);
  const costRows = [
    ...warm.lines.map((l) => ({ item: l.item, quantity: l.quantity, USD: round(l.usd, 6), JPY: yen(l.usd) })),
    { item: 'per consultation, warm containers', quantity: '', USD: round(warm.usd, 6), JPY: round(warm.jpy, 3) },
    {
      item: `per consultation, every invocation cold (+${round(initMs, 0)} ms INIT, +1 key read each)`,
      quantity: '',
      USD: round(allCold.usd, 6),
      JPY: round(allCold.jpy, 3),
    },
  ];
  printTable(
    `5. Cost of one consultation (submit → accept → agenda → mail → open → decision with conditions → answer read): ${PRICES.region} list prices ${PRICES.asOf}, ¥${PRICES.jpyPerUsd}/$`,
    costRows,
  );
  process.stdout.write(
    `   counted: ${c.http.calls} page requests, ${c.tasks.calls} workflow task invocations, ${c.http.billedMs + c.tasks.billedMs} ms handler time (${c.startExecutionMs} ms of it in the local StartExecution, left out); ` +
      `DynamoDB ${JSON.stringify(c.dynamo.operations)}, ${c.dynamo.readUnits} RCU and ${c.dynamo.writeUnits} WCU reported by dynalite (base table) + ${c.dynamo.gsiWriteUnitsEstimate} WCU estimated for indexes + ${c.dynamo.unreportedWrites} unreported; ` +
      `${c.stateTransitions} state transitions; ${c.mails.messages} mails to ${c.mails.recipients} recipients; ${c.secretsManagerCalls} Secrets Manager calls\n`,
  );

  const votingClock = coldStat('voting-clock|external');
  // 10 years of the 1× data, ×2 for the index copies of items.
  const tableGb = Math.max(0.001, round((r.seedSmall.oneYearBytes * 10 * 2) / 2 ** 30, 4));
  const idle = idleMonth({ tableGb, attachmentsGb: 1, jobRunsPerMonth: 24 * 30, jobBilledMs: Math.ceil(votingClock.totalMs), jobReadUnits: 1 });
  printTable('5b. Idle cost per month (no case moving; assumptions: 10 years of 1× data ×2 for indexes, 1 GB attachments, hourly job always cold)', [
    ...idle.lines.map((l) => ({ item: l.item, quantity: l.quantity, USD: round(l.usd, 4), JPY: yen(l.usd) })),
    { item: 'per month', quantity: '', USD: round(idle.usd, 4), JPY: round(idle.jpy, 1) },
  ]);

  // ── section 6 ──
  const f = r.formParse;
  printTable(`6. A hostile 審議票: ${f.rows} items.N.name rows in ${kib(f.bodyBytes)} KiB, read and checked as a page does`, [
    { what: 'body read + draft and submission checks, median of the warm runs', value: `${f.parseMedianMs} ms` },
    { what: '  first run (cold JIT)', value: `${f.parseFirstMs} ms` },
    { what: 'the form page again, with its errors', value: `${f.renderMedianMs} ms, ${f.pageKiB} KiB, ${f.errors} field errors` },
  ]);

  // ── section 7 ──
  const jobRows = r.jobs.flatMap((j) =>
    j.runs.map((run) => ({
      job: run.job === 'votingClock' ? 'hourly (voting clock)' : 'daily (follow-ups, renewals)',
      councils: j.councils,
      'total s': round(run.totalMs / 1000, 1),
      'ms / council': round(run.totalMs / j.councils, 1),
      'dispatcher ms': run.dispatcherMs,
      units: run.units,
      'unit p50 ms': run.unitMedianMs,
      'unit p99 ms': run.unitP99Ms,
      'unit max ms': run.unitMaxMs,
      'unit timeout s': j.timeouts.unitS,
      fits: mark(run.failed === 0 && run.unitMaxMs < j.timeouts.unitS * 1000 && run.dispatcherMs < j.timeouts.dispatcherS * 1000),
      mails: run.mails,
      ...Object.fromEntries(SES_RATES.map((rate) => [`mail at ${rate}/s, s`, round(run.mails / rate, 0)])),
    })),
  );
  const big = r.jobs.at(-1)!;
  printTable(
    `7. Scheduled jobs: ${r.jobs.map((j) => `${j.councils} councils (${j.items} items, seeded in ${round(j.seedMs / 1000, 1)} s)`).join(' and ')}; every council due the same day; at most ${big.concurrency} units at once in one process (the local Lambda's limit), DynamoDB in another`,
    jobRows,
  );
  const perCouncil = (j: JobsResult, job: string) => j.runs.find((x) => x.job === job)!.totalMs / j.councils;

  // ── targets ──
  const worstCold = (variant: string) => Math.max(...COLD_HANDLERS.map((h) => coldJson[`${h.name}|${variant}`]!['vsFloor'] as number));
  const worstSameCalls = Math.max(...COLD_HANDLERS.map((h) => coldJson[`${h.name}|${CALLS_FLOOR.variant}`]!['vsSameCallsFloor'] as number));
  const overheadAt = (c: number) => r.api.filter((a) => a.concurrency === c);
  const worst = (rows: ApiRow[], key: 'overheadP50' | 'overheadP99' | 'overheadHttpP50' | 'overheadHttpP99') =>
    Math.max(...rows.map((a) => a[key] ?? Number.NaN));
  const flatRoutes = r.api.filter((a) => !/home/.test(a.route));
  const worstGrowth = Math.max(...flatRoutes.map((a) => a.growthP50));
  const targets = [
    ...VARIANTS.map((v) => ({
      target: `cold start ≤ 1.3× floor, every function kind (${v.label})`,
      measured: `worst ${worstCold(v.id)}×`,
      result: mark(worstCold(v.id) <= 1.3),
    })),
    {
      target: `  beside the floor making the same SDK calls (${VARIANTS.find((v) => v.id === CALLS_FLOOR.variant)!.label}): the functions' own code`,
      measured: `worst ${worstSameCalls}×`,
      result: 'info',
    },
    ...[1, 10].flatMap((c) => [
      {
        target: `API overhead ≤ 1.2× raw DynamoDB at p50, ${c} connection${c > 1 ? 's' : ''}`,
        measured: `worst ${worst(overheadAt(c), 'overheadP50')}×`,
        result: mark(worst(overheadAt(c), 'overheadP50') <= 1.2),
      },
      {
        target: `API overhead ≤ 1.5× raw DynamoDB at p99, ${c} connection${c > 1 ? 's' : ''}`,
        measured: `worst ${worst(overheadAt(c), 'overheadP99')}×`,
        result: mark(worst(overheadAt(c), 'overheadP99') <= 1.5),
      },
      {
        target: `  beside a bare HTTP server making the same calls in the stack's process, ${c} connection${c > 1 ? 's' : ''}: p50 / p99`,
        measured: `worst ${worst(overheadAt(c), 'overheadHttpP50')}× / ${worst(overheadAt(c), 'overheadHttpP99')}×`,
        result: 'info',
      },
    ]),
    {
      target: `no growth with the table: ${SCALE}×/1× p50 < 1.5 (every page but home; the department's list pages through its own index)`,
      measured: `worst ${worstGrowth}×`,
      result: mark(worstGrowth < 1.5),
    },
    {
      target: `  (home reads the secretariat's status queues, which the ${SCALE}× copies fill ${SCALE} times over)`,
      measured: r.api
        .filter((a) => /home/.test(a.route) && a.concurrency === 1)
        .map((a) => `${a.growthP50}×`)
        .join(', '),
      result: 'info',
    },
    {
      target: `${MEETING_ITEMS}-item meeting page < 1 s (warm handler)`,
      measured: `${m.meeting.handlerMedianMs} ms`,
      result: mark(m.meeting.handlerMedianMs < 1000),
    },
    x.available
      ? {
          target: `${MEETING_ITEMS}-item .docx export < 10 s and < 512 MiB peak RSS (the job has 300 s, 1024 MB)`,
          measured: `${x.docx!.ms} ms, ${x.memory!.peakRssMiB} MiB`,
          result: mark(x.docx!.ms < 10_000 && x.memory!.peakRssMiB < 512),
        }
      : { target: `${MEETING_ITEMS}-item .docx export`, measured: 'pending the minutes feature', result: 'pending' },
    { target: 'cost per consultation < ¥100 (every invocation cold)', measured: `¥${round(allCold.jpy, 2)}`, result: mark(allCold.jpy < 100) },
    ...['votingClock', 'followUpClock'].map((job) => {
      const small = r.jobs[0]!;
      const growth = ratio(perCouncil(big, job), perCouncil(small, job));
      const run = big.runs.find((x) => x.job === job)!;
      return {
        target: `${job}: time per council flat from ${small.councils} to ${big.councils} councils (< 1.5×), every unit within its ${big.timeouts.unitS} s timeout`,
        measured: `${round(perCouncil(small, job), 1)} → ${round(perCouncil(big, job), 1)} ms/council (${growth}×); unit max ${run.unitMaxMs} ms; ${run.failed} failed`,
        result: mark(growth < 1.5 && run.failed === 0 && run.unitMaxMs < big.timeouts.unitS * 1000),
      };
    }),
    {
      target: `64 KB form of ${f.rows} rows parsed < 50 ms`,
      measured: `${f.parseMedianMs} ms (first ${f.parseFirstMs} ms)`,
      result: mark(f.parseMedianMs < 50),
    },
  ];
  printTable('Targets (reported, not enforced)', targets);

  return {
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.versions.node,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.arch()}`,
    },
    durationS: round((performance.now() - started) / 1000, 1),
    settings: {
      scale: SCALE,
      coldRounds: COLD_ROUNDS,
      zodRounds: ZOD_ROUNDS,
      concurrency: CONCURRENCY,
      sliceMs: SLICE_MS,
      slices: SLICES,
      meetingItems: MEETING_ITEMS,
      jobCouncils: JOB_COUNCILS,
    },
    data: {
      oneX: { items: r.seedSmall.items, bytes: r.seedSmall.oneYearBytes, seedMs: r.seedSmall.seedMs },
      scaled: { items: r.seedLarge.items, seedMs: r.seedLarge.seedMs, cloneMs: r.seedLarge.cloneMs },
    },
    coldStart: { rows: coldRows, detail: coldJson },
    zod: probeRows,
    api: r.api,
    render: r.render,
    cost: {
      counts: c,
      usage,
      prices: PRICES,
      perCaseWarm: warm,
      perCaseAllCold: { ...allCold, initMsPerInvocation: round(initMs, 1) },
      idleMonth: { ...idle, tableGb },
    },
    formParse: f,
    jobs: r.jobs,
    targets,
  };
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n(logs of the child processes: bench/results/logs/)\n`);
  process.exit(1);
});
