/**
 * An API Gateway HTTP API (payload 2.0) event shaped as the local gateway makes it
 * (infra/local/gateway.ts), signed in as a demo person through `auth` (session cookie,
 * and the CSRF token in a POSTed form).
 */
import { ROUTES, type RouteId } from '#shared/routes.ts';
import type { Auth } from './auth.ts';

export function httpEvent(route: RouteId, auth: Auth, options: { path: string; userId?: string; form?: Record<string, string> }): Record<string, unknown> {
  const spec = ROUTES[route];
  const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const values = new RegExp(`^${spec.path.replace(/\{\w+\}/g, '([^/]+)')}$`).exec(options.path);
  if (!values) throw new Error(`${options.path} does not match ${spec.path}`);
  const pathParameters = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(values[i + 1]!)]));
  const csrf = auth.csrf(options.userId);
  const form = options.form && { ...options.form, ...(csrf ? { _csrf: csrf } : {}) };
  const body = form ? Buffer.from(new URLSearchParams(form).toString()).toString('base64') : undefined;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${spec.method} ${spec.path}`,
    rawPath: options.path,
    rawQueryString: '',
    cookies: auth.cookies(options.userId),
    headers: {
      host: '127.0.0.1',
      'user-agent': 'bench',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    pathParameters: names.length ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: { method: spec.method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: `${spec.method} ${spec.path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: body !== undefined,
  };
}
