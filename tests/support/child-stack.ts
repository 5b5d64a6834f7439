import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';
import { exportFunctionOf, jobsFunctionOf, type LocalStack, localEnvironment } from '#infra/local/stack.ts';
import { synthesize } from '#infra/local/synth.ts';

const PORT_VARIABLES = {
  http: 'PORT',
  dynamodb: 'DYNAMODB_PORT',
  ses: 'SES_PORT',
  sfn: 'SFN_PORT',
  s3: 'S3_PORT',
  secrets: 'SECRETS_PORT',
  lambda: 'LAMBDA_PORT',
  idp: 'IDP_PORT',
} as const;
type Service = keyof typeof PORT_VARIABLES;

/**
 * A free port below the kernel's ephemeral range (32768 and up here): the stack is started
 * again on the same ports after a crash, and a port in that range could meanwhile be taken by
 * any outgoing connection of this machine.
 */
async function freePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const server = createServer();
    const free = await new Promise<boolean>((r) => {
      server.once('error', () => r(false));
      server.listen(port, '127.0.0.1', () => r(true));
    });
    if (!free) continue;
    await new Promise((r) => server.close(r));
    taken.add(port);
    return port;
  }
}

/**
 * The local stack as `npm start` runs it — its own process, its data in a folder — so a test
 * can kill it with SIGKILL mid-step and start it again on the same ports and data. This test
 * process gets the same environment the stack's functions get, so its SDK clients (and the
 * repositories the assertions read through) reach the child's services.
 */
export async function childStack(dataDir: string) {
  const taken = new Set<number>();
  const ports: Record<string, number> = {};
  for (const k of Object.keys(PORT_VARIABLES)) ports[k] = await freePort(taken);
  const urls = Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, `http://127.0.0.1:${p}`])) as LocalStack['urls'];
  const synth = synthesize();
  Object.assign(process.env, localEnvironment(synth.environment, urls, { exports: exportFunctionOf(synth), jobs: jobsFunctionOf(synth) }));

  let child: ChildProcess | undefined;
  let output = '';
  /** Starts the stack; a port still held by the killed process (or anyone) is tried again for a few seconds. */
  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOnce();
      } catch (e) {
        if (attempt >= 10 || !output.includes('既に使われています')) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  const startOnce = async () => {
    output = '';
    const env = {
      ...process.env,
      LOCAL_DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, p]) => [PORT_VARIABLES[k as Service], String(p)])),
    };
    child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'infra/local/start.ts')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('ローカル環境を起動しました')) {
      if (child.exitCode !== null) throw new Error(`the local stack exited (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`the local stack did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    urls,
    start,
    /** kill -9: no shutdown handler runs, nothing is flushed. */
    async crash() {
      const c = child!;
      if (c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    },
    output: () => output,
  };
}
