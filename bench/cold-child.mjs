// Section 1: one cold start. A fresh Node process (no tsx, no loader: only the bundle, as
// Lambda runs it) imports the bundle and, if an event is given, hands it to the handler once.
// Prints one line of JSON with the timings; exits at once (open SDK sockets must not keep it).
// Usage: node cold-child.mjs <bundle.mjs> [event.json]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './lib/lambda-context.mjs';

const [file, eventFile] = process.argv.slice(2);
// Time since the process started (performance.timeOrigin): Node's own bootstrap.
const boot = performance.now();
const event = eventFile ? JSON.parse(readFileSync(eventFile, 'utf8')) : undefined;
try {
  const t0 = performance.now();
  const mod = await import(pathToFileURL(file).href);
  const t1 = performance.now();
  let status;
  if (event !== undefined) {
    const result = await mod.handler(event, lambdaContext);
    status = result && typeof result === 'object' && 'statusCode' in result ? result.statusCode : 'ok';
  }
  const t2 = performance.now();
  process.stdout.write(`${JSON.stringify({ boot, importMs: t1 - t0, invokeMs: t2 - t1, status, rssMiB: process.memoryUsage.rss() / 2 ** 20 })}\n`);
  process.exit(0);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ error: String(e?.stack ?? e) })}\n`);
  process.exit(1);
}
