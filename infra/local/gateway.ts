import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { page } from '#functions/http/kit.ts';
import { withPageHeaders } from '#functions/http/middleware.ts';
import { errorPage } from '#templates/pages/error.ts';
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

/** The gateway's own answers, as Japanese pages a person can read (API Gateway's are JSON for programs). */
const OWN_ANSWERS = {
  400: 'アドレス(URL)を読み取れませんでした。文字の符号化(%の後の2桁)が壊れていないか確かめてください。',
  404: 'ページが見つかりません。アドレスを確かめるか、トップページからたどってください。',
  413: '送信された内容が大きすぎます。',
  500: '処理中に問題が発生しました。時間をおいてもう一度お試しください。',
  502: 'サーバーからの応答を読み取れませんでした。時間をおいてもう一度お試しください。',
} as const;

/** One of the gateway's own answers: a Japanese page with every header a page of the app gets (HSTS, CSP, nosniff …). */
export async function gatewayAnswer(status: keyof typeof OWN_ANSWERS): Promise<APIGatewayProxyStructuredResultV2> {
  return withPageHeaders(page(errorPage(status, OWN_ANSWERS[status]), status));
}

/**
 * A local HTTP API: turns each request into an API Gateway v2 (payload 2.0) event for
 * the handler module of the matching route, and the result back into a response. Its own
 * answers (unknown URL, unreadable URL, body too large, a handler that throws or answers
 * nonsense) are Japanese pages with the app's full header set.
 */
export function localGateway(options: { routes: readonly GatewayRoute[]; loadHandler: (entry: string) => Promise<HttpHandler> }): Server {
  const routes = options.routes.map(compile);
  return createServer((req, res) => {
    handle(req, res).catch(async (error) => {
      // A request it cannot read is the client's fault; a handler that throws is a 500, one that answers nonsense a 502.
      const status = error instanceof BadRequest ? 400 : error instanceof BadGateway ? 502 : 500;
      if (status !== 400) console.error('local gateway:', error);
      if (res.headersSent) return void res.destroy();
      send(res, await gatewayAnswer(status));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const url = URL.parse(req.url ?? '/', 'http://localhost');
    if (!url) throw new BadRequest();
    if (body === undefined) {
      res.setHeader('connection', 'close');
      return send(res, await gatewayAnswer(413));
    }
    // A path whose percent-encoding is broken is refused before any route sees it, as API Gateway does.
    decode(url.pathname);

    const method = req.method ?? 'GET';
    for (const route of routes) {
      if (route.spec.method !== method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      const pathParameters = Object.fromEntries(route.params.map((p, i) => [p, decode(m[i + 1]!)]));
      const event = toEvent(req, url, body, route.spec, pathParameters);
      const handler = await options.loadHandler(route.spec.entry);
      const result = await handler(event, lambdaContext(route.spec.id));
      if (!isResult(result)) throw new BadGateway();
      try {
        return send(res, result);
      } catch (e) {
        // A header Node cannot send (a line break in a value, say): API Gateway would not send it either.
        if (res.headersSent) throw e;
        throw new BadGateway(String(e));
      }
    }
    return send(res, await gatewayAnswer(404));
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
class BadGateway extends Error {}

/** What API Gateway can turn into a response; anything else is its 502 (a malformed Lambda proxy response). */
const isResult = (r: unknown): r is APIGatewayProxyStructuredResultV2 =>
  typeof r === 'object' &&
  r !== null &&
  (r as { statusCode?: unknown }).statusCode !== undefined &&
  Number.isInteger((r as { statusCode?: unknown }).statusCode) &&
  Number((r as { statusCode: number }).statusCode) >= 100 &&
  Number((r as { statusCode: number }).statusCode) <= 599;

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
  // An undefined header is no header (as in the JSON a Lambda function answers with), not the word "undefined".
  for (const [k, v] of Object.entries(result.headers ?? {})) if (v !== undefined && v !== null) headers[k] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
