// Section 1: the calls a cold start makes. Like cold-child.mjs (a fresh Node process imports
// the bundle and hands it one event), with every AWS SDK call recorded: which client, which
// command, its input, and when it started and ended (ms from the handler's start; negative
// while the bundle was being imported). Only for bundles that leave the SDK out, which is
// loaded from node_modules here: that is the copy whose Client this script wraps.
// Prints one line of JSON: { status, calls: [{ client, command, input, start, end }] }.
// Usage: node cold-trace-child.mjs <bundle.mjs> <event.json>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import smithyClient from '@smithy/core/client';
import { lambdaContext } from './lib/lambda-context.mjs';

/** An input as JSON the replay (bench/floor-calls-handler.ts, decodeInput) turns back: bytes and sets tagged. */
const encodeInput = (input) =>
  JSON.parse(
    JSON.stringify(input, (_k, v) => (v instanceof Uint8Array ? { $bytes: Buffer.from(v).toString('base64') } : v instanceof Set ? { $set: [...v] } : v)),
  );

const [file, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const calls = [];
let handlerStart;
const since = () => performance.now() - (handlerStart ?? performance.now());
const send = smithyClient.Client.prototype.send;
smithyClient.Client.prototype.send = function (command, ...rest) {
  const call = { client: this.constructor.name, command: command.constructor.name, input: encodeInput(command.input), start: since(), end: Number.NaN };
  calls.push(call);
  // Whether it succeeds or fails, the time it took is what a replay spends.
  const settle = () => {
    call.end = since();
  };
  const result = send.call(this, command, ...rest);
  result.then(settle, settle);
  return result;
};
try {
  // Calls made while importing are timed from the moment the import began.
  handlerStart = performance.now();
  const mod = await import(pathToFileURL(file).href);
  const importEnd = performance.now();
  for (const c of calls) {
    c.start -= importEnd - handlerStart;
    if (Number.isFinite(c.end)) c.end -= importEnd - handlerStart;
  }
  handlerStart = importEnd;
  const result = await mod.handler(event, lambdaContext);
  const status = result && typeof result === 'object' && 'statusCode' in result ? result.statusCode : 'ok';
  process.stdout.write(`${JSON.stringify({ status, calls })}\n`);
  process.exit(0);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ error: String(e?.stack ?? e) })}\n`);
  process.exit(1);
}
