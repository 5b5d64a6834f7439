import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import { localGateway } from '#infra/local/gateway.ts';
import { localIdentityProvider } from '#infra/local/idp.ts';
import { lambdaApi } from '#infra/local/lambda-api.ts';
import { startS3 } from '#infra/local/s3.ts';
import { secretsApi } from '#infra/local/secrets.ts';
import { close, listen } from '#infra/local/services.ts';
import { startSes } from '#infra/local/ses.ts';
import { sfnApi } from '#infra/local/sfn-api.ts';
import { MACHINE_ARN, miniRunner, waitingMachine } from '../support/mini-workflow.ts';

/**
 * Hostile HTTP thrown at each stand-in started alone, over raw sockets (so that methods, paths
 * and headers are not tidied by a client): every request must get an answer, in time, in the
 * service's own error format when refused, and the stand-in must still serve a valid request
 * afterwards. A crash of any of them would fail the run (an uncaught error in the worker).
 */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request over a fresh connection; rejects if no complete answer comes within `timeoutMs`. */
function exchange(port: number, request: Buffer, timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(request.subarray(0, 200).toString('latin1'))}`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // a reset after the answer still leaves the answer
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(raw.toString('latin1', 0, 20));
      if (!m || end === -1)
        return reject(
          new Error(`no HTTP answer to ${JSON.stringify(request.subarray(0, 200).toString('latin1'))}: ${JSON.stringify(raw.toString('latin1', 0, 100))}`),
        );
      const headers: Record<string, string> = {};
      for (const line of raw.toString('latin1', 0, end).split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = raw.subarray(end + 4);
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        for (let pos = 0; pos < body.length; ) {
          const eol = body.indexOf('\r\n', pos);
          const size = parseInt(body.toString('latin1', pos, eol), 16);
          if (!size) break;
          parts.push(body.subarray(eol + 2, eol + 2 + size));
          pos = eol + 2 + size + 2;
        }
        body = Buffer.concat(parts);
      }
      resolve({ status: Number(m[1]), headers, body });
    });
    socket.write(request);
  });
}

const clean = (s: string) => s.replace(/[\r\n]/g, '');
function httpRequest(method: string, path: string, headers: [string, string][], body: Uint8Array): Buffer {
  const head =
    `${clean(method)} ${clean(path)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
    headers
      .filter(([name]) => !['content-length', 'transfer-encoding', 'connection', 'host'].includes(name.toLowerCase()))
      .map(([name, value]) => `${clean(name)}: ${clean(value)}\r\n`)
      .join('') +
    `Content-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Node's own answer to a request it cannot parse (before any stand-in sees it). */
const parserRefusal = (r: Reply) => r.status === 400 && r.body.length === 0 && r.headers['connection'] === 'close';
const json = (r: Reply) => {
  try {
    return JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

interface Target {
  name: string;
  port: () => number;
  paths: string[];
  headers: [string, string[]][];
  /** Members a valid request would have, to get deeper than the parser, and values that make sense in them. */
  members: string[];
  values?: string[];
  /** Whether a refusal is in the service's own error format. */
  errorFormat: (r: Reply, method: string, path: string) => boolean;
  /** A valid request, answered as such. */
  healthy: () => Promise<boolean>;
  /** Statuses of the service's own that are not a refusal of the request (S3's 501 for what it does not implement). */
  allowed?: number[];
}

/** A stand-in's page for people: Japanese, titled, with the app's security headers (issue 17). */
const japanesePage = (r: Reply) => {
  const page = r.body.toString('utf8');
  return (
    (r.headers['content-type'] ?? '').startsWith('text/html') &&
    page.startsWith('<!doctype html>\n<html lang="ja">') &&
    /<title>[^<]+<\/title>/.test(page) &&
    /^max-age=\d+/.test(r.headers['strict-transport-security'] ?? '') &&
    r.headers['x-content-type-options'] === 'nosniff' &&
    (r.headers['content-security-policy'] ?? '').includes("default-src 'none'")
  );
};
const FUZZ_CALLBACK = 'http://127.0.0.1:9/auth/callback';
const AUTHORIZE = `/oauth2/authorize?client_id=fuzz-client&response_type=code&code_challenge_method=S256&redirect_uri=${encodeURIComponent(FUZZ_CALLBACK)}`;

const jsonError = (contentType: string) => (r: Reply) => (r.headers['content-type'] ?? '').startsWith(contentType) && typeof json(r)?.['__type'] === 'string';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const SIGV4 = 'AWS4-HMAC-SHA256 Credential=local/20260101/ap-northeast-1/s3/aws4_request, SignedHeaders=host, Signature=00';

const servers: Server[] = [];
const ports: Record<string, number> = {};
async function serve(name: string, server: Server) {
  servers.push(server);
  ports[name] = Number(new URL(await listen(server, 0)).port);
}
const { runner } = miniRunner(waitingMachine());
const lambdas = lambdaApi({
  loadHandler: async () => async (event: unknown) => ({ echo: event }),
  settingsOf: (name) => (name === 'Echo' ? { timeoutSeconds: 3, memorySize: 128 } : undefined),
});

beforeAll(async () => {
  await serve('sfn', sfnApi(runner));
  await serve('lambda', lambdas.server);
  await serve('secrets', secretsApi({ names: ['signing-key'] }));
  await serve(
    'idp',
    localIdentityProvider({ users: DEMO_IDENTITIES, clientId: 'fuzz-client', redirectUris: [FUZZ_CALLBACK], logoutUris: ['http://127.0.0.1:9/'] }),
  );
  await serve(
    'gateway',
    localGateway({
      routes: [{ id: 'Echo', method: 'POST', path: '/c/{councilId}/items/{itemId}', entry: 'echo' }],
      loadHandler: async () => async (event) => ({
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: event.rawPath }),
      }),
    }),
  );
  const s3 = await startS3({ port: 0 });
  servers.push(s3.server);
  ports['s3'] = (s3.server.address() as AddressInfo).port;
  const ses = await startSes(0);
  servers.push(ses.server);
  ports['ses'] = (ses.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await runner.stop();
  await lambdas.drain();
  for (const s of servers) await close(s);
});

const post = (name: string, path: string, headers: [string, string][], body: string) =>
  exchange(ports[name]!, httpRequest('POST', path, headers, Buffer.from(body)));
const TARGETS: Target[] = [
  {
    name: 'sfn',
    port: () => ports['sfn']!,
    paths: ['/'],
    headers: [
      [
        'x-amz-target',
        [
          'AWSStepFunctions.StartExecution',
          'AWSStepFunctions.SendTaskSuccess',
          'AWSStepFunctions.SendTaskFailure',
          'AWSStepFunctions.DescribeExecution',
          'AWSStepFunctions.RedriveExecution',
          'AWSStepFunctions.StopExecution',
          'AWSStepFunctions.SendTaskHeartbeat',
          'AWSStepFunctions.constructor',
          'AWSStepFunctions.__proto__',
          'StartExecution',
        ],
      ],
      ['content-type', ['application/x-amz-json-1.0', 'text/plain']],
    ],
    members: ['stateMachineArn', 'name', 'input', 'taskToken', 'output', 'error', 'cause', 'executionArn'],
    values: [MACHINE_ARN, `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:x`, '{}', '{"a":[1]}', 'x'.repeat(81), 'ok-name'],
    errorFormat: jsonError('application/x-amz-json-1.0'),
    healthy: async () =>
      (
        await post(
          'sfn',
          '/',
          [
            ['x-amz-target', 'AWSStepFunctions.StartExecution'],
            ['content-type', 'application/x-amz-json-1.0'],
          ],
          JSON.stringify({ stateMachineArn: MACHINE_ARN, input: '{}' }),
        )
      ).status === 200,
  },
  {
    name: 'lambda',
    port: () => ports['lambda']!,
    paths: [
      '/2015-03-31/functions/Echo/invocations',
      '/2015-03-31/functions/Nobody/invocations',
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aap-northeast-1%3A000000000000%3Afunction%3AEcho/invocations',
      '/2015-03-31/functions/%E0%A4%A/invocations',
      '/2015-03-31/functions/Echo/invocations?Qualifier=live',
    ],
    headers: [
      ['x-amz-invocation-type', ['Event', 'RequestResponse', 'DryRun', 'Sometimes']],
      ['content-type', ['application/json', 'application/octet-stream']],
    ],
    members: ['exportId', 'councilId', '__proto__', 'constructor'],
    errorFormat: (r) => typeof r.headers['x-amzn-errortype'] === 'string' && typeof json(r)?.['Message'] === 'string',
    healthy: async () => {
      const r = await post('lambda', '/2015-03-31/functions/Echo/invocations', [], '{"ok":true}');
      return r.status === 200 && JSON.stringify(json(r)) === '{"echo":{"ok":true}}';
    },
  },
  {
    name: 'secrets',
    port: () => ports['secrets']!,
    // The extension's local API too: its query parsed, its token header checked.
    paths: ['/', '/secretsmanager/get?secretId=signing-key', '/secretsmanager/get?secretId=%', '/secretsmanager/get?secretId=__proto__', '/secretsmanager/get'],
    headers: [
      ['x-amz-target', ['secretsmanager.GetSecretValue', 'secretsmanager.PutSecretValue', 'secretsmanager.hasOwnProperty', 'GetSecretValue']],
      ['content-type', ['application/x-amz-json-1.1']],
      ['x-aws-parameters-secrets-token', ['', 'token']],
    ],
    members: ['SecretId', 'VersionId', 'VersionStage'],
    values: ['signing-key', 'constructor', '__proto__'],
    errorFormat: jsonError('application/x-amz-json-1.1'),
    healthy: async () => {
      const r = await post(
        'secrets',
        '/',
        [
          ['x-amz-target', 'secretsmanager.GetSecretValue'],
          ['content-type', 'application/x-amz-json-1.1'],
        ],
        '{"SecretId":"signing-key"}',
      );
      return r.status === 200 && typeof json(r)?.['SecretString'] === 'string';
    },
  },
  {
    name: 's3',
    port: () => ports['s3']!,
    paths: [
      '/',
      '/fuzz-bucket',
      '/fuzz-bucket/a/b.pdf',
      '/fuzz-bucket?list-type=2&max-keys=x',
      '/fuzz-bucket/k?acl',
      '/Bad_Bucket/x',
      '/fuzz-bucket/%ZZ',
      '/fuzz-bucket/../../etc',
    ],
    headers: [
      ['authorization', [SIGV4, 'AWS4-HMAC-SHA256 Credential=someone/20260101/x/s3/aws4_request', 'Basic eA==']],
      ['content-type', ['multipart/form-data; boundary=xyz', 'multipart/form-data', 'application/pdf']],
      ['range', ['bytes=0-1', 'bytes=9-2', 'bytes=-0', 'lines=1']],
      ['content-encoding', ['aws-chunked', 'gzip']],
      ['x-amz-content-sha256', ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'UNSIGNED-PAYLOAD']],
      ['content-md5', ['1B2M2Y8AsgTpgAmY7PhCfg==', 'nope']],
      ['x-amz-copy-source', ['/other/key']],
    ],
    members: ['key', 'policy', 'x-amz-signature'],
    errorFormat: (r, method) => method === 'HEAD' || /^<\?xml[^>]*>\s*<Error><Code>\w+<\/Code>/.test(r.body.toString('utf8')),
    allowed: [501],
    healthy: async () =>
      [200, 409].includes((await exchange(ports['s3']!, httpRequest('PUT', '/fuzz-health', [['authorization', SIGV4]], new Uint8Array()))).status),
  },
  {
    name: 'idp',
    port: () => ports['idp']!,
    paths: [
      '/oauth2/authorize',
      '/oauth2/authorize?client_id=fuzz-client&response_type=code&code_challenge_method=S256',
      AUTHORIZE,
      '/oauth2/token',
      '/logout?logout_uri=%',
      '/logout?client_id=fuzz-client&logout_uri=https%3A%2F%2Fevil.example%2F',
      '//',
      '/%',
    ],
    headers: [['content-type', ['application/x-www-form-urlencoded']]],
    members: ['client_id', 'redirect_uri', 'code', 'code_verifier', 'userId', 'state'],
    // The token endpoint answers programs in JSON; every other refusal is a page for people.
    errorFormat: (r, method, path) => (method === 'POST' && path.split('?')[0] === '/oauth2/token' ? typeof json(r)?.['error'] === 'string' : japanesePage(r)),
    healthy: async () => (await exchange(ports['idp']!, httpRequest('GET', AUTHORIZE, [], new Uint8Array()))).status === 200,
  },
  {
    name: 'gateway',
    port: () => ports['gateway']!,
    paths: ['/', '/c/sakura/items/1', '/c/%E0%A4%A/items/1', '/c/a/items/%', '//x', '/c/sakura/items/1?x=%'],
    headers: [
      ['cookie', ['a=b; c', '=;;=']],
      ['content-type', ['application/x-www-form-urlencoded', 'multipart/form-data']],
    ],
    members: ['_csrf', 'title'],
    // Its own refusals (unknown URL, unreadable URL, body too large) are Japanese pages with the app's headers.
    errorFormat: japanesePage,
    healthy: async () => (await post('gateway', '/c/sakura/items/1', [], 'a=1')).status === 200,
  },
  {
    name: 'ses',
    port: () => ports['ses']!,
    paths: [
      '/',
      '/store',
      '/store?since=abc',
      '/store?since=1&since=2',
      '/get-emlContent',
      '/get-emlContent?messageId=nope',
      // Express routes these too: any case, one trailing slash.
      '/GET-EMLCONTENT?messageId=nope',
      '/get-emlContent/?messageId=nope',
      '/Store/?since=abc',
      '/clear-store',
      '/v2/email/outbound-emails',
      '/v2/email/templates',
      '/v2/email/templates/x/render',
      '/health-check',
    ],
    headers: [
      ['authorization', ['AWS4-HMAC-SHA256 Credential=local/20260101/ap-northeast-1/ses/aws4_request', 'Bearer x']],
      ['content-type', ['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=latin9']],
    ],
    members: [
      'Action',
      'Source',
      'Message.Subject.Data',
      'Message.Body.Text.Data',
      'Destination.ToAddresses.member.1',
      'RawMessage.Data',
      'Content',
      'TemplateName',
    ],
    errorFormat: (r, method, path) =>
      method === 'POST' && path.split('?')[0] === '/'
        ? /^<ErrorResponse[^>]*><Error><Type>\w+<\/Type><Code>\w+<\/Code>/.test(r.body.toString('utf8'))
        : r.body.length > 0,
    healthy: async () => {
      const ses = new SESClient({ endpoint: `http://127.0.0.1:${ports['ses']}`, region: 'ap-northeast-1', credentials: CREDENTIALS });
      const sent = await ses.send(
        new SendEmailCommand({
          Source: 'a@example.jp',
          Destination: { ToAddresses: ['b@example.jp'] },
          Message: { Subject: { Data: '確認' }, Body: { Text: { Data: '本文' } } },
        }),
      );
      ses.destroy();
      return Boolean(sent.MessageId) && (await exchange(ports['ses']!, httpRequest('GET', '/store', [], new Uint8Array()))).status === 200;
    },
  },
];

/** Bodies: text, bytes, JSON of any shape, and objects with the members a real request carries, holding anything. */
const body = (target: Target) =>
  fc.oneof(
    fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))),
    fc
      .dictionary(
        fc.constantFrom(...target.members),
        fc.oneof(fc.string({ maxLength: 60 }), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...(target.values ?? ['']), `{"x":"${'y'.repeat(300_000)}"}`)),
        { maxKeys: 4 },
      )
      .map((o) => Buffer.from(JSON.stringify(o))),
    fc.dictionary(fc.constantFrom(...target.members), fc.string({ maxLength: 60 }), { maxKeys: 4 }).map((o) => Buffer.from(new URLSearchParams(o).toString())),
    fc.constantFrom(Buffer.from('{x'), Buffer.from(''), Buffer.from('null'), Buffer.from('[]'), Buffer.from('"s"'), Buffer.from('{"__proto__":{"x":1}}')),
  );

const request = (target: Target) =>
  fc.record({
    method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'), fc.stringMatching(/^[A-Z]{1,8}$/)),
    path: fc.oneof(
      fc.constantFrom(...target.paths),
      fc.string({ maxLength: 60 }).map((s) => `/${s}`),
      fc.webPath(),
    ),
    headers: fc.array(
      fc.oneof(
        fc.oneof(...target.headers.map(([name, values]) => fc.tuple(fc.constant(name), fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 40 }))))),
        fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.string({ maxLength: 40 })),
      ),
      { maxLength: 4 },
    ),
    body: body(target),
  });

describe('every stand-in answers malformed requests and stays up', () => {
  for (const target of TARGETS) {
    it(`${target.name}: answers hostile requests in time and in its own error format`, async () => {
      // The example first: a 2-byte malformed body.
      const first = await exchange(
        target.port(),
        httpRequest(
          'POST',
          target.paths[0]!,
          target.headers.map(([name, values]) => [name, values[0]!]),
          Buffer.from('{x'),
        ),
      );
      expect(first.status < 500 || (target.allowed ?? []).includes(first.status)).toBe(true);
      // Every known path with each usual method, bodiless, before the random ones.
      for (const path of target.paths) {
        for (const method of ['GET', 'HEAD', 'POST', 'DELETE']) {
          const reply = await exchange(target.port(), httpRequest(method, path, [], new Uint8Array()));
          expect(reply.status < 500 || (target.allowed ?? []).includes(reply.status), `${method} ${path} → ${reply.status}`).toBe(true);
        }
      }
      await fc.assert(
        fc.asyncProperty(request(target), async ({ method, path, headers, body: payload }) => {
          const reply = await exchange(target.port(), httpRequest(method, path, headers, payload));
          const what = `${method} ${path} ${JSON.stringify(headers)} ${JSON.stringify(payload.subarray(0, 80).toString('utf8'))} → ${reply.status} ${reply.body.subarray(0, 200).toString('utf8')}`;
          if (parserRefusal(reply)) return;
          expect(reply.status < 500 || (target.allowed ?? []).includes(reply.status), what).toBe(true);
          // HEAD answers carry no body.
          if (reply.status >= 400 && method !== 'HEAD') expect(target.errorFormat(reply, method, path), what).toBe(true);
        }),
        { numRuns: Number(process.env['FUZZ_RUNS'] ?? 70) },
      );
      expect(await target.healthy()).toBe(true);
    }, 60_000);
  }
});
