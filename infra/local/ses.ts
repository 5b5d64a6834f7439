import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sesLocal from 'aws-ses-v2-local';
import { readLimited } from './json-protocol.ts';

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;
interface StoredMail {
  messageId: string;
}
interface SesStore {
  emails: StoredMail[];
}

/**
 * aws-ses-v2-local keeps mails in one store per process, in memory. Every way it accepts a mail
 * (SendEmail, SendRawEmail, v2 sends) goes through its `saveEmail` export, and the viewer's
 * "clear" through `clearStore`: wrapped here, they also append to (or empty) a journal.
 */
const storeModule = createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as {
  saveEmail: (email: StoredMail) => void;
  clearStore: () => void;
  getStoreReadonly: () => SesStore;
};
let journal: string | undefined;
const { saveEmail, clearStore } = storeModule;
storeModule.saveEmail = (email) => {
  saveEmail(email);
  if (journal) appendFileSync(journal, `${JSON.stringify(email)}\n`);
};
storeModule.clearStore = () => {
  clearStore();
  if (journal) writeFileSync(journal, '');
};

/** Buffers (attachments of raw mails) come back from JSON as Buffers. */
const revive = (_key: string, value: unknown) =>
  value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)
    ? Buffer.from((value as { data: number[] }).data)
    : value;

const LOOPBACK = '127.0.0.1';
/** aws-ses-v2-local's own body limit. */
const MAX_BODY = 25 * 1024 * 1024;

class SesError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * aws-ses-v2-local on loopback behind a small guard: it takes SES SendEmail and shows every
 * mail in its viewer. With `dataDir`, every accepted mail is kept in `mails.jsonl` there and
 * shown again after a restart. The guard answers what the library would mishandle (an unknown
 * Action it never answers, a missing message it answers twice, bodies that are not what their
 * content type says) with SES's own error format, so no request can hang or take the process down.
 */
export async function startSes(port: number, dataDir?: string) {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    journal = path.join(dataDir, 'mails.jsonl');
    const kept = existsSync(journal)
      ? readFileSync(journal, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line, revive) as StoredMail)
      : [];
    storeModule.getStoreReadonly().emails = kept;
  }
  // The package is CommonJS with `exports.default`; depending on the loader the function is one level down.
  const mod = sesLocal as unknown as StartSes | { default: StartSes };
  const start = typeof mod === 'function' ? mod : mod.default;
  const inner = await start({ host: LOOPBACK, port: 0 });
  const innerPort = (inner.address() as AddressInfo).port;

  const server = createServer((req, res) => {
    guard(req, res, innerPort).catch((e: unknown) => {
      const err = e instanceof SesError ? e : new SesError(500, 'InternalFailure', 'The request processing has failed because of an unknown error.');
      if (!(e instanceof SesError)) console.error('local SES:', e);
      sendError(req, res, err);
    });
  });
  server.on('close', () => {
    inner.closeAllConnections?.();
    inner.close();
    if (dataDir && journal === path.join(dataDir, 'mails.jsonl')) journal = undefined;
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, LOOPBACK, resolve));
  return { server, url: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}` };
}

/** SES v1 (the Query protocol) answers in XML; the v2 API and the viewer's own routes in JSON. */
function sendError(req: IncomingMessage, res: ServerResponse, err: SesError) {
  if (res.destroyed) return;
  if (res.headersSent) return void res.destroy();
  const requestId = randomUUID();
  if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/') {
    const xml = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
    res.writeHead(err.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    return void res.end(
      `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${err.status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${err.code}</Code><Message>${xml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  }
  res.writeHead(err.status, { 'content-type': 'application/json', 'x-amzn-errortype': err.code, 'x-amzn-requestid': requestId });
  res.end(JSON.stringify({ message: err.message }));
}

async function guard(req: IncomingMessage, res: ServerResponse, innerPort: number) {
  const body = await readLimited(req, MAX_BODY, () => new SesError(413, 'RequestEntityTooLarge', 'Request entity too large'));
  const url = URL.parse(req.url ?? '/', 'http://localhost');
  if (!url) throw new SesError(400, 'InvalidParameterValue', 'The request URL is not valid');
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  // Routed as the library's Express app routes: HEAD runs a GET route, paths match in any case
  // and with one trailing slash.
  const pathname = url.pathname.toLowerCase().replace(/(.)\/$/, '$1');
  const route = `${req.method === 'HEAD' ? 'GET' : req.method} ${pathname}`;
  const single = (name: string) => {
    const values = url.searchParams.getAll(name);
    return values.length === 1 ? values[0]! : undefined;
  };

  if (route === 'POST /') {
    if (!/^AWS/.test(String(req.headers['authorization'] ?? '')))
      throw new SesError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    if (type !== 'application/x-www-form-urlencoded')
      throw new SesError(400, 'MalformedQueryString', 'The request must be a form (application/x-www-form-urlencoded)');
    let action: string | null;
    try {
      action = new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(body)).get('Action');
    } catch {
      throw new SesError(400, 'MalformedQueryString', 'The request body is not valid UTF-8');
    }
    if (action !== 'SendEmail' && action !== 'SendRawEmail')
      throw new SesError(400, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service.`);
  } else if (route === 'GET /store') {
    if (url.searchParams.has('since') && !/^\d+$/.test(single('since') ?? ''))
      throw new SesError(400, 'BadRequestException', 'Bad since query param, expected integer representing epoch timestamp in seconds');
  } else if (route === 'GET /get-emlcontent') {
    const messageId = single('messageId');
    if (!messageId || !storeModule.getStoreReadonly().emails.some((e) => e.messageId === messageId))
      throw new SesError(400, 'BadRequestException', 'Email not found within the store');
  } else if (pathname.startsWith('/v2/') && body.length) {
    if (type !== 'application/json') throw new SesError(400, 'BadRequestException', 'The request body must be JSON');
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    } catch {
      throw new SesError(400, 'BadRequestException', 'The request body is not a JSON object');
    }
  }
  await forward(req, res, innerPort, body);
}

/** Passes a request the guard let through to the library, and its answer back (within 10 s). */
function forward(req: IncomingMessage, res: ServerResponse, innerPort: number, body: Buffer): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'upgrade'].includes(name)) headers[name] = value;
  }
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const out = request({ host: LOOPBACK, port: innerPort, method: req.method, path: req.url, headers, agent: false, timeout: 10_000 }, (answer) => {
      if ((answer.statusCode ?? 500) >= 500) {
        answer.resume();
        return reject(new Error(`aws-ses-v2-local answered ${answer.statusCode} to ${req.method} ${req.url}`));
      }
      const kept = Object.entries(answer.headers).filter(([name]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name));
      res.writeHead(answer.statusCode ?? 500, Object.fromEntries(kept) as Record<string, string | string[]>);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    out.on('timeout', () => out.destroy(new Error(`aws-ses-v2-local did not answer ${req.method} ${req.url}`)));
    out.on('error', reject);
    out.end(body);
  });
}
