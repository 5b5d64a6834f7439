/**
 * Child process: one in-memory local stack (the real one, from infra/local/stack.ts), driven
 * by the orchestrator (bench/run.ts) over IPC. It reports the environment the stack set —
 * the same settings CDK gives the functions, with the local endpoints — so fresh processes
 * (the cold starts) can run bundled handlers against it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { API_ROUTES, type RouteIds, rawDeps } from './api-routes.ts';
import { runCostScenario } from './cost-scenario.ts';
import { bigMeeting, doneExport, grow, type SeedResult, seedOneYear } from './dataset.ts';
import { type Auth, authFromEnv } from './lib/auth.ts';
import { serve } from './lib/rpc.ts';

export interface StackInfo {
  urls: LocalStack['urls'];
  tableName: string;
  /** Environment variables the stack set (what a function of it sees). */
  env: Record<string, string>;
  startMs: number;
}

let stack: LocalStack | undefined;
let auth: Auth | undefined;
let bare: Server | undefined;

/**
 * The API's second baseline: a bare node:http server in this process (beside the gateway and its
 * handlers, on the same event loop) that answers `GET /<route index>` by making that page's raw
 * calls — the session item, then the route's reads — and a two-byte body. No gateway, event,
 * middy, session check or HTML: what a minimal HTTP service making the same calls costs here.
 */
async function startBareServer(ids: RouteIds): Promise<string> {
  const deps = rawDeps(stack!.urls.dynamodb, stack!.tableName);
  bare = createServer((req, res) => {
    const route = API_ROUTES[Number(req.url?.slice(1))];
    if (!route) return void res.writeHead(404).end();
    deps.sessions
      .get(auth!.session(route.userId))
      .then(() => route.raw(deps, ids))
      .then(
        () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
  });
  await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
}

serve(
  async (): Promise<StackInfo> => {
    const before = { ...process.env };
    const started = performance.now();
    stack = await startLocalStack({ seed: true });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && before[k] !== v) env[k] = v;
    auth = await authFromEnv(process.env);
    return { urls: stack.urls, tableName: stack.tableName, env, startMs: Math.round(performance.now() - started) };
  },
  {
    cost: () => runCostScenario(stack!, auth!),
    seed: async ({ scale }: { scale: number }): Promise<SeedResult> => {
      const t0 = performance.now();
      const ids = await seedOneYear(stack!, auth!);
      const seedMs = Math.round(performance.now() - t0);
      const grown = await grow(stack!, scale);
      return { items: grown.items, oneYearBytes: grown.oneYearBytes, seedMs, cloneMs: grown.ms, ids };
    },
    bareServer: ({ ids }: { ids: RouteIds }) => startBareServer(ids),
    doneExport: ({ meetingId }: { meetingId: string }) => doneExport(stack!, meetingId),
    bigMeeting: ({ meetingId, size }: { meetingId: string; size: number }) => bigMeeting(stack!, meetingId, size),
  },
  async () => {
    bare?.close();
    await stack?.stop();
  },
);
