import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ROLES, type Principal, type Role } from '#shared/domain/principal.ts';
import { csrfMatches, csrfToken, principalFromSession, sessionTokenIn } from '#shared/domain/session.ts';
import { DomainError, ForbiddenError, PayloadTooLargeError } from '#shared/errors.ts';
import { errorPage } from '#templates/pages/error.ts';
import { signingKey } from './signing-key.ts';

/** The key that signs sessions: the container's one cached copy, shared with the use cases (createDeps). */
const sessionKey = signingKey;
/** Each request's CSRF token, from the `before` step to the `after` step. */
const csrfOf = new WeakMap<object, string>();
const CSRF_REFUSED = 'フォームの有効期限が切れたか、正しくない送信です。ページを開き直してから、もう一度操作してください。';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { lambda?: Record<string, unknown> };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;
type Route = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Sent on every page: no framing, no sniffing, scripts and styles only from the page itself. */
const csp = (formAction: string) =>
  `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': csp("'self'"),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Largest form body a page accepts; attachments never pass through the API. */
export const MAX_FORM_BYTES = 64 * 1024;

export const htmlResponse = (body: string, statusCode = 200): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

/** A page whose form posts somewhere else too (the upload form posts to object storage). */
export const allowFormTarget = (response: HttpResult, url: string | undefined): HttpResult =>
  url ? { ...response, headers: { ...response.headers, 'content-security-policy': csp(`'self' ${new URL(url).origin}`) } } : response;

/** After a successful POST: send the browser on with GET, so a reload does not resubmit. */
export const seeOther = (location: string): HttpResult => ({ statusCode: 303, headers: { location }, body: '' });

/** The signed-in staff member, as the authorizer put it on the request; undefined when signed out. */
export function principalOf(event: HttpEvent): Principal | undefined {
  const ctx = event.requestContext.authorizer?.lambda;
  if (!ctx) return undefined;
  const { userId, name, role, councilId, departmentId } = ctx;
  if (typeof userId !== 'string' || typeof name !== 'string' || typeof councilId !== 'string') return undefined;
  if (!ROLES.includes(role as Role)) return undefined;
  return { userId, name, role: role as Role, councilId, departmentId: typeof departmentId === 'string' ? departmentId : undefined };
}

/** The signed-in principal and the address the request came from, for the audit trail. */
export const actorOf = (event: HttpEvent) => ({ principal: principalOf(event), sourceIp: event.requestContext.http?.sourceIp });

/** The url-encoded form body as an object; a repeated field becomes an array. */
export function readForm(event: HttpEvent): Record<string, string | string[]> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) throw new PayloadTooLargeError();
  const form: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = form[key];
    form[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return form;
}

export function pathParam(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new DomainError(`URL に ${name} がありません。`);
  return value;
}

/**
 * Who is signing in is decided here and only here: from the signed session cookie, never
 * from anything else the request carries. A signed-in POST must bring the session's CSRF
 * token, which is written into every same-origin form of the pages sent back.
 */
async function resolveSession(event: HttpEvent): Promise<void> {
  delete event.requestContext.authorizer;
  const cookies = event.cookies ?? (event.headers?.['cookie'] ?? '').split(';');
  const token = sessionTokenIn(cookies);
  if (!token) return;
  const key = await sessionKey.get();
  const principal = principalFromSession(key, token, new Date());
  if (!principal) return;
  event.requestContext.authorizer = { lambda: { ...principal } };
  csrfOf.set(event, csrfToken(key, token));
  if (event.requestContext.http?.method === 'POST') {
    const given = readForm(event)['_csrf'];
    if (!csrfMatches(key, token, Array.isArray(given) ? given[0] : given)) throw new ForbiddenError(CSRF_REFUSED);
  }
}

function withCsrfFields(response: HttpResult, csrf: string | undefined): HttpResult {
  if (!csrf || typeof response.body !== 'string' || !String(response.headers?.['content-type'] ?? '').startsWith('text/html')) return response;
  const field = `<input type="hidden" name="_csrf" value="${csrf}">`;
  return { ...response, body: response.body.replace(/(<form method="post" action="\/[^"]*"[^>]*>)/g, `$1\n${field}`) };
}

/**
 * Wraps a route: resolves the session, normalises headers, maps domain errors to a
 * Japanese error page with their status (detail only for 4xx), and adds the security headers.
 */
export function httpHandler(route: Route) {
  return middy<HttpEvent, HttpResult>()
    .use(httpHeaderNormalizer())
    .use({
      before: (request) => resolveSession(request.event),
      after: (request) => {
        request.response = withSecurityHeaders(withCsrfFields(request.response!, csrfOf.get(request.event)));
      },
      onError: (request) => {
        const error = request.error;
        const principal = principalOf(request.event);
        if (error instanceof DomainError) {
          request.response = withSecurityHeaders(htmlResponse(errorPage(error.status, error.message, principal), error.status));
          return;
        }
        console.error(JSON.stringify({ level: 'error', route: request.event.routeKey, error: String(error), stack: error?.stack }));
        request.response = withSecurityHeaders(
          htmlResponse(errorPage(500, '処理中に問題が発生しました。時間をおいてもう一度お試しください。', principal), 500),
        );
      },
    })
    .handler(route);
}

function withSecurityHeaders(response: HttpResult): HttpResult {
  return { ...response, headers: { ...SECURITY_HEADERS, ...response.headers } };
}
