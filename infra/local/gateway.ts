import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';
/** A route of the HTTP API and the function (by its handler module) it is integrated with. */
export interface GatewayRoute {
  id: string;
  method: 'GET' | 'POST';
  path: string;
  entry: string;
}
type RouteSpec = GatewayRoute;

type HttpHandler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  params: string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const params: string[] = [];
  // Route paths hold only letters, '/', '-' and {params}: nothing to escape.
  const source = spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { spec, pattern: new RegExp(`^${source}$`), params };
}

/**
 * A local HTTP API: turns each request into an API Gateway v2 (payload 2.0) event for
 * the handler module of the matching route, and the result back into a response.
 */
export function localGateway(options: { routes: readonly GatewayRoute[]; loadHandler: (entry: string) => Promise<HttpHandler> }): Server {
  const routes = options.routes.map(compile);
  return createServer((req, res) => {
    handle(req, res).catch((error) => {
      // API Gateway's answers: a request it cannot read is the client's fault; a handler that throws is a 500.
      const badRequest = error instanceof BadRequest;
      if (!badRequest) console.error('local gateway:', error);
      if (res.headersSent) return void res.destroy();
      res.writeHead(badRequest ? 400 : 500, { 'content-type': 'application/json' });
      res.end(badRequest ? '{"message":"Bad Request"}' : '{"message":"Internal Server Error"}');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const url = URL.parse(req.url ?? '/', 'http://localhost');
    if (!url) throw new BadRequest();
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      return res.end('{"message":"Request Entity Too Large"}');
    }

    const method = req.method ?? 'GET';
    for (const route of routes) {
      if (route.spec.method !== method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      const pathParameters = Object.fromEntries(route.params.map((p, i) => [p, decode(m[i + 1]!)]));
      const event = toEvent(req, url, body, route.spec, pathParameters);
      const handler = await options.loadHandler(route.spec.entry);
      const result = await handler(event, lambdaContext(route.spec.id));
      return send(res, result);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"message":"Not Found"}');
  }

  function toEvent(req: IncomingMessage, url: URL, body: Buffer, spec: RouteSpec, pathParameters: Record<string, string>) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;
    const cookies = (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim())
      .filter(Boolean);
    const now = new Date();
    const query = Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k).join(',')]));
    return {
      version: '2.0',
      routeKey: `${spec.method} ${spec.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      cookies,
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers['host'] ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method: spec.method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: `${spec.method} ${spec.path}`,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
      body: body.length ? body.toString('base64') : undefined,
      isBase64Encoded: body.length > 0,
    } as APIGatewayProxyEventV2;
  }
}

class BadRequest extends Error {}

const decode = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new BadRequest();
  }
};

/** The request body, or undefined past API Gateway's limit (the rest is read and dropped, so the client sees the 413). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
