/**
 * Child process: the load generator of sections 2 and 3, on its own core. Each request
 * is either an HTTP GET of a page on a stack's gateway (loopback only) or the page's raw
 * DynamoDB calls against that stack's dynalite. Every run is bounded twice: by time and
 * by a request count.
 */
import { Agent, get } from 'node:http';
import { API_ROUTES, type RouteIds, rawDeps } from './api-routes.ts';
import { type Auth, authFromEnv } from './lib/auth.ts';
import { serve } from './lib/rpc.ts';

export interface LoadTarget {
  stack: string;
  route: string;
  /** The page through the gateway; its calls made here; its calls made behind a bare HTTP server in the stack's process. */
  kind: 'api' | 'raw' | 'raw-http';
}
export interface LoadRequest extends LoadTarget {
  concurrency: number;
  durationMs: number;
  maxRequests: number;
}
export interface LoadResult {
  latencies: number[];
  errors: number;
  elapsedMs: number;
  firstError?: string;
}

interface StackTarget {
  /** The environment the stack gives its functions (for signing in). */
  env: Record<string, string>;
  http: string;
  dynamodb: string;
  tableName: string;
  ids: RouteIds;
  /** The stack's bare HTTP server making each page's raw calls (bench/stack-server.ts), if it has one. */
  bare?: string;
}

const stacks = new Map<string, StackTarget & { deps: ReturnType<typeof rawDeps>; auth: Auth }>();

function requestFor(t: LoadTarget): () => Promise<void> {
  const stack = stacks.get(t.stack);
  const route = API_ROUTES.find((r) => r.name === t.route);
  if (!stack || !route) throw new Error(`unknown target ${t.stack} ${t.route}`);
  if (t.kind === 'raw') {
    // As the page does: the session the cookie names (one GetItem), then the page's own reads.
    const ref = stack.auth.session(route.userId);
    return async () => {
      await stack.deps.sessions.get(ref);
      await route.raw(stack.deps, stack.ids);
    };
  }
  if (t.kind === 'raw-http' && !stack.bare) throw new Error(`stack ${t.stack} has no bare server`);
  const url = t.kind === 'raw-http' ? `${stack.bare}/${API_ROUTES.indexOf(route)}` : `${stack.http}${route.path(stack.ids)}`;
  const headers = t.kind === 'raw-http' ? {} : { cookie: stack.auth.cookies(route.userId).join('; ') };
  // node:http with kept-alive connections: the client's own cost is not the API's, and fetch's is ≈ 0.6 ms more a request here.
  return () =>
    new Promise<void>((resolve, reject) => {
      get(url, { agent, headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${res.statusCode} (${bytes} bytes)`))));
        res.on('error', reject);
      }).on('error', reject);
    });
}
/** One pool of connections per load process, as many as the most connections a run asks for. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

async function run(r: LoadRequest): Promise<LoadResult> {
  const request = requestFor(r);
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + r.durationMs;
  await Promise.all(
    Array.from({ length: r.concurrency }, async () => {
      while (issued < r.maxRequests && performance.now() < deadline) {
        issued++;
        const t = performance.now();
        try {
          await request();
          latencies.push(performance.now() - t);
        } catch (e) {
          errors++;
          firstError ??= String(e);
        }
      }
    }),
  );
  return { latencies, errors, elapsedMs: performance.now() - started, ...(firstError ? { firstError } : {}) };
}

serve(async () => ({ pid: process.pid }), {
  addStack: async ({ name, target }: { name: string; target: StackTarget }) => {
    stacks.set(name, { ...target, deps: rawDeps(target.dynamodb, target.tableName), auth: await authFromEnv(target.env) });
    return true;
  },
  run,
});
