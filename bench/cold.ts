/**
 * Section 1, step two: cold starts. Each run is a fresh Node 24 process (bench/cold-child.mjs)
 * that imports one bundle and hands it one event, against the running 1× stack, with the
 * environment the stack gives its functions. Runs are interleaved — every function and the
 * floor once per round — so a slow moment of the machine hits them alike; the median of the
 * rounds is reported.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';
import { BUILD_DIR } from './build.ts';
import type { PlannedCall } from './floor-calls-handler.ts';

const run = promisify(execFile);
const CHILD = path.join(REPO_ROOT, 'bench/cold-child.mjs');
const TRACE_CHILD = path.join(REPO_ROOT, 'bench/cold-trace-child.mjs');

export interface ColdSample {
  importMs: number;
  invokeMs: number;
  boot: number;
  status?: number | string;
  rssMiB: number;
  error?: string;
}

export interface ColdCase {
  /** Key of this case in the results (function name and SDK mode). */
  key: string;
  file: string;
  /** The event as JSON, or undefined to import only. */
  event?: unknown;
  env: NodeJS.ProcessEnv;
}

/** A minimal environment: what the stack sets, plus PATH/HOME. Nothing of this process's own (tsx) leaks in. */
export function functionEnv(stackEnv: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], LANG: 'C.UTF-8', TZ: 'UTC', ...stackEnv };
}

export async function coldRuns(cases: ColdCase[], rounds: number): Promise<Map<string, ColdSample[]>> {
  const eventsDir = path.join(BUILD_DIR, 'events');
  mkdirSync(eventsDir, { recursive: true });
  const eventFiles = new Map<string, string | undefined>();
  for (const c of cases) {
    if (c.event === undefined) eventFiles.set(c.key, undefined);
    else {
      const file = path.join(eventsDir, `${c.key.replace(/[^\w.-]+/g, '_')}.json`);
      writeFileSync(file, JSON.stringify(c.event));
      eventFiles.set(c.key, file);
    }
  }
  const samples = new Map<string, ColdSample[]>(cases.map((c) => [c.key, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const eventFile = eventFiles.get(c.key);
      const prof = process.env['BENCH_CPU_PROF']
        ? [
            '--cpu-prof',
            '--cpu-prof-interval=100',
            `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`,
            `--cpu-prof-name=${c.key.replace(/[^\w.-]+/g, '_')}.${r}.cpuprofile`,
          ]
        : [];
      const args = [...prof, CHILD, c.file, ...(eventFile ? [eventFile] : [])];
      let sample: ColdSample;
      try {
        const { stdout } = await run(process.execPath, args, { env: c.env, timeout: 30_000, maxBuffer: 1 << 20 });
        sample = JSON.parse(stdout.trim().split('\n').pop()!) as ColdSample;
      } catch (e) {
        const out = (e as { stdout?: string }).stdout?.trim().split('\n').pop();
        sample = { importMs: Number.NaN, invokeMs: Number.NaN, boot: Number.NaN, rssMiB: Number.NaN, error: out || String(e) };
      }
      samples.get(c.key)!.push(sample);
    }
  }
  return samples;
}

/** One SDK call of a traced cold start (bench/cold-trace-child.mjs): ms from the handler's start, negative while importing. */
export interface TracedCall {
  client: string;
  command: string;
  input: unknown;
  start: number;
  /** NaN if it had not ended when the handler returned. */
  end: number | null;
}

/**
 * The calls one cold start makes, for the floor that makes the same calls (bench/floor-calls-handler.ts):
 * one fresh process, the bundle (SDK external) and the event, every SDK call recorded. Returns the
 * plan's file, written beside the events, and the calls.
 */
export async function traceCalls(c: Required<Pick<ColdCase, 'key' | 'file' | 'event' | 'env'>>): Promise<{ planFile: string; calls: TracedCall[] }> {
  const dir = path.join(BUILD_DIR, 'plans');
  mkdirSync(dir, { recursive: true });
  const base = c.key.replace(/[^\w.-]+/g, '_');
  const eventFile = path.join(dir, `${base}.event.json`);
  writeFileSync(eventFile, JSON.stringify(c.event));
  const { stdout } = await run(process.execPath, [TRACE_CHILD, c.file, eventFile], { env: c.env, timeout: 30_000, maxBuffer: 16 << 20 });
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as { calls?: TracedCall[]; error?: string };
  if (!out.calls) throw new Error(`tracing ${c.key}: ${out.error}`);
  const planFile = path.join(dir, `${base}.plan.json`);
  writeFileSync(planFile, JSON.stringify(replayPlan(out.calls)));
  writeFileSync(path.join(dir, `${base}.trace.json`), JSON.stringify(out.calls));
  return { planFile, calls: out.calls };
}

/** Each call after the calls that had ended when it started: the order the database imposed, not the code between. */
export function replayPlan(calls: readonly TracedCall[]): PlannedCall[] {
  const ended = (c: TracedCall) => typeof c.end === 'number' && Number.isFinite(c.end);
  return calls.map((c) => ({
    client: c.client,
    command: c.command,
    input: c.input,
    atImport: c.start < 0,
    awaited: ended(c),
    after: calls.flatMap((d, j) => (ended(d) && (d.end as number) <= c.start ? [j] : [])),
  }));
}
