/**
 * A tiny request/response protocol over Node's IPC channel, so the orchestrator can keep
 * the local stacks and the load generator in their own processes (their own core on a
 * 2-core machine) and still drive them step by step. Every call has a time limit.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { openSync } from 'node:fs';

interface Request {
  id: number;
  type: string;
  payload: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type Ready = { ready: true; result: unknown } | { ready: false; error: string };

export interface Child<R> {
  /** What the child reported once it was ready. */
  ready: R;
  call<T>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop, and kills it (this process started it, by its pid) if it does not. */
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript module (through tsx) as a child process and waits until it is ready.
 * Its stdout and stderr go to `logFile`, so the printed table stays readable.
 */
export async function startChild<R>(
  script: string,
  options: { logFile: string; env?: NodeJS.ProcessEnv; args?: string[]; execArgv?: string[]; readyTimeoutMs?: number },
): Promise<Child<R>> {
  const log = openSync(options.logFile, 'a');
  const proc: ChildProcess = fork(script, options.args ?? [], {
    // tsx resolved from this repository, whatever the working directory.
    execArgv: ['--import', import.meta.resolve('tsx'), ...(options.execArgv ?? [])],
    stdio: ['ignore', log, log, 'ipc'],
    env: options.env ?? process.env,
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let exited = false;
  const failAll = (why: string) => {
    for (const w of waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(why));
    }
    waiting.clear();
  };

  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} not ready after ${options.readyTimeoutMs ?? 60_000} ms (see ${options.logFile})`)),
      options.readyTimeoutMs ?? 60_000,
    );
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready (see ${options.logFile})`));
    });
    proc.on('message', (raw) => {
      const m = raw as Ready | Reply;
      if ('ready' in m) {
        clearTimeout(timer);
        if (m.ready) resolve(m.result as R);
        else reject(new Error(`${script}: ${m.error}`));
        return;
      }
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      clearTimeout(w.timer);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(m.error));
    });
  });
  proc.on('exit', (code) => {
    exited = true;
    failAll(`${script} exited with ${code} (see ${options.logFile})`);
  });

  return {
    ready,
    call<T>(type: string, payload?: unknown, timeoutMs = 120_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`${script} has exited (see ${options.logFile})`));
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${script}: ${type} took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        proc.send({ id, type, payload } satisfies Request);
      });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.send({ id: 0, type: '__stop', payload: null } satisfies Request);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The child's side: announces readiness, answers requests, stops on request. */
export function serve(
  init: () => Promise<unknown>,
  handlers: Record<string, (payload: any) => Promise<unknown>>,
  onStop: () => Promise<void> = async () => {},
) {
  const send = (m: Ready | Reply) => process.send?.(m);
  process.on('message', (raw) => {
    const m = raw as Request;
    if (m.type === '__stop') {
      void onStop().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[m.type];
    if (!handler) return send({ id: m.id, ok: false, error: `unknown request ${m.type}` });
    handler(m.payload).then(
      (result) => send({ id: m.id, ok: true, result }),
      (e: Error) => send({ id: m.id, ok: false, error: e.stack ?? String(e) }),
    );
  });
  // The orchestrator went away: do not linger.
  process.on('disconnect', () => void onStop().finally(() => process.exit(0)));
  init().then(
    (result) => send({ ready: true, result }),
    (e: Error) => {
      send({ ready: false, error: e.stack ?? String(e) });
      setTimeout(() => process.exit(1), 100);
    },
  );
}
