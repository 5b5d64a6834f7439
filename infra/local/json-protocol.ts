import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An error as an AWS service returns it; `name` is the code clients see (the SDK's error name). */
export class ServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * The request body, at most `maxBytes`; past that a 413 is thrown, but the rest is still read
 * (and dropped) so that a client still sending can read the refusal.
 */
export async function readLimited(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) throw tooLarge();
  return Buffer.concat(chunks);
}

/** A body a JSON-protocol service accepts: a JSON object (or nothing). */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ServiceError('SerializationException', 'The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Reads a string member of a request, as the service's model types it. */
export function stringMember(body: Record<string, unknown>, key: string, options: { required?: boolean; max?: number } = {}): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (options.required)
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof value !== 'string') throw new ServiceError('SerializationException', `${key} must be a string`);
  if (options.max !== undefined && value.length > options.max)
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must have length less than or equal to ${options.max}`,
    );
  return value;
}

/**
 * A stand-in for an AWS service on the JSON protocol (`X-Amz-Target: <prefix>.<Operation>`, a JSON
 * object in, a JSON object out). Whatever comes in, it answers in the service's error format,
 * `{"__type": code, "message": …}`, and never lets a request take the process down.
 */
export function jsonProtocolServer(options: {
  /** e.g. `AWSStepFunctions` or `secretsmanager`. */
  targetPrefix: string;
  contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
  maxBodyBytes: number;
  operations: Record<string, (body: Record<string, unknown>) => unknown>;
  /** Plain GET endpoints beside the protocol, by path (a Lambda extension's local API), answered as JSON. */
  get?: Record<string, (query: URLSearchParams, headers: IncomingMessage['headers']) => unknown>;
  /** Where errors that are not the service's own are reported. */
  label: string;
}): Server {
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (res.destroyed) return;
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': options.contentType });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // The path and query split by hand: any request line must get the service's own answer, not a URL parser's error.
    const [pathname = '', query = ''] = (req.url ?? '').split('?', 2);
    const endpoint = req.method === 'GET' && options.get && Object.hasOwn(options.get, pathname) ? options.get[pathname] : undefined;
    if (endpoint) return reply(res, 200, await endpoint(new URLSearchParams(query), req.headers));
    const body = await readLimited(req, options.maxBodyBytes, () => new ServiceError('RequestEntityTooLargeException', 'Request entity too large', 413));
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(`${options.targetPrefix}.`) ? target.slice(options.targetPrefix.length + 1) : '';
    const fn = Object.hasOwn(options.operations, operation) ? options.operations[operation] : undefined;
    if (req.method !== 'POST' || !fn)
      throw new ServiceError('UnknownOperationException', req.method !== 'POST' ? `${req.method} is not supported` : `not supported locally: ${target}`);
    reply(res, 200, (await fn(parseJsonObject(body))) ?? {});
  };
  return createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof ServiceError) return reply(res, e.status, { __type: e.name, message: e.message });
      console.error(`${options.label}:`, e);
      reply(res, 500, { __type: 'InternalFailure', message: 'The request processing has failed because of an unknown error.' });
    });
  });
}
