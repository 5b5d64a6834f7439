// Temporary: CPU profile of the stack process serving one page under sequential load (not committed).
import path from 'node:path';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';
import { startChild } from './lib/rpc.ts';

const dyn = await startChild<{ url: string }>(path.join(REPO_ROOT, 'bench/dynalite-server.ts'), { logFile: '/tmp/prof2/dyn.log' });
process.env['LOCAL_DYNAMODB_ENDPOINT'] = dyn.ready.url;
const { startLocalStack } = await import('#infra/local/stack.ts');
const { seedOneYear } = await import('./dataset.ts');
const { authFromEnv } = await import('./lib/auth.ts');
const stack = await startLocalStack({ seed: true });
const auth = await authFromEnv(process.env);
const ids = await seedOneYear(stack, auth);
const pagePath =
  process.env['PAGE'] === 'meeting'
    ? `/c/sakura/meetings/${ids.decidedMeeting}`
    : process.env['PAGE'] === 'case'
      ? `/c/sakura/consultations/${ids.decidedCase}`
      : '/c/sakura/members';
const url = `${stack.urls.http}${pagePath}`;
const headers = { cookie: auth.cookies('u-secretariat').join('; ') };
const { Session } = await import('node:inspector/promises');
const session = new Session();
session.connect();
for (let i = 0; i < 300; i++) await (await fetch(url, { headers })).arrayBuffer();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const t0 = performance.now();
const N = 2000;
for (let i = 0; i < N; i++) {
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(String(r.status));
}
console.log('per request ms', (performance.now() - t0) / N);
const { profile } = await session.post('Profiler.stop');
(await import('node:fs')).writeFileSync(`/tmp/prof2/${process.env['PAGE'] ?? 'members'}.cpuprofile`, JSON.stringify(profile));
await stack.stop();
await dyn.stop();
process.exit(0);
