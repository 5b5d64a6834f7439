/**
 * Child process: one in-memory local stack (the real one, from infra/local/stack.ts), driven
 * by the orchestrator (bench/run.ts) over IPC. It reports the environment the stack set —
 * the same settings CDK gives the functions, with the local endpoints — so fresh processes
 * (the cold starts) can run bundled handlers against it.
 */
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
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
    doneExport: ({ meetingId }: { meetingId: string }) => doneExport(stack!, meetingId),
    bigMeeting: ({ meetingId, size }: { meetingId: string; size: number }) => bigMeeting(stack!, meetingId, size),
  },
  async () => {
    await stack?.stop();
  },
);
