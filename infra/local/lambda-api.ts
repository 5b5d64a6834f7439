import { createServer, type Server } from 'node:http';
import { asFunctionError, CFN_FUNCTION_DEFAULTS, invokeHandler, type FunctionSettings, type Handler } from './lambda-runtime.ts';

/**
 * The Lambda Invoke API on loopback, for the background jobs pages start (the real
 * @aws-sdk/client-lambda reaches it through AWS_ENDPOINT_URL_LAMBDA). An 'Event'
 * invocation answers 202 at once and runs the same handler module in the background.
 */
export function lambdaApi(loadHandler: (functionName: string) => Promise<Handler>, settingsOf: (functionName: string) => FunctionSettings | undefined = () => undefined) {
  const inflight = new Set<Promise<unknown>>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"Type":"User","message":"not supported locally"}');
      }
      const name = decodeURIComponent(m[1]!).split(':').pop()!;
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const run = loadHandler(name).then((handler) => invokeHandler(handler, payload, name, settingsOf(name) ?? CFN_FUNCTION_DEFAULTS));
      if (req.headers['x-amz-invocation-type'] === 'Event') {
        const tracked = run.catch((e) => console.error(`local lambda ${name}:`, e));
        inflight.add(tracked);
        void tracked.finally(() => inflight.delete(tracked));
        res.writeHead(202);
        return res.end();
      }
      run.then(
        (result) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(result ?? null));
        },
        (e: unknown) => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
          res.end(JSON.stringify(asFunctionError(e).payload));
        },
      );
    });
  });
  return {
    server,
    /** Lets background jobs finish (briefly) before the services they use stop. */
    drain: () => Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 3000))]),
  };
}
