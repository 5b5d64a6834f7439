import type middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { Context } from 'aws-lambda';
import type { Deps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { FairShare } from '#shared/domain/fair-share.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { csrfMatches, sessionTokenIn } from '#shared/domain/session.ts';
import { DomainError, ForbiddenError, TooManyRequestsError } from '#shared/errors.ts';
import { resolveSession } from '#shared/use-cases/auth.ts';
import { renderContext } from '#templates/context.ts';
import { errorPage } from '#templates/pages/error.ts';
import { type HttpEvent, type HttpResult, page, pathParam, type Request, type RouteHandler, readForm } from './kit.ts';

/** Signed-in requests a second per council per container when COUNCIL_REQUESTS_PER_SECOND is not set. */
export const DEFAULT_COUNCIL_RATE = 20;
const COUNCIL_BUSY = 'この審議会からのアクセスが短い時間に集中しています。数秒待ってから、もう一度操作してください。';
const CSRF_REFUSED = 'フォームの有効期限が切れたか、正しくない送信です。ページを開き直してから、もう一度操作してください。';

/** Scripts never run; styles are inline; forms post to the page's own origin (and to storage, on upload pages). */
const csp = (formTarget?: string) =>
  `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'${formTarget ? ` ${formTarget}` : ''}; frame-ancestors 'none'; base-uri 'none'`;

/** The security headers of every response, error pages included (HSTS, Permissions-Policy, CORP …), from the maintained middleware. */
const securityHeaders = () =>
  httpSecurityHeaders({
    // Written below instead: upload pages widen form-action, and the defaults would sandbox the forms.
    contentSecurityPolicy: false,
    // Deprecated, and it would name reporting endpoints that do not exist.
    reportTo: false,
    xssProtection: false,
  } as Parameters<typeof httpSecurityHeaders>[0]);

/** The request's session and its CSRF token, resolved once by `session` for the route and the error page. */
const principals = new WeakMap<object, Principal>();
const csrfs = new WeakMap<object, string>();

/**
 * Who is signed in is decided here and only here: from the session the signed cookie names —
 * stored, not revoked, within its idle and absolute lifetimes — never from anything else the
 * request carries. A cookie of a session that ended is no session at all (pages then ask to
 * sign in). A signed-in POST must bring the session's CSRF token; the token is put in the
 * render context, where every form helper writes it.
 */
function session(deps: Deps): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const rate = deps.settings.COUNCIL_REQUESTS_PER_SECOND ?? DEFAULT_COUNCIL_RATE;
  const fair = new FairShare(rate, rate * 3);
  // The key is read by the first request that needs it (alongside its session item), not at import:
  // the secrets extension answers only once the function is invoked (Lambda's INIT phase is too early).
  return {
    before: async (request) => {
      const { event } = request;
      const cookies = event.cookies ?? (event.headers?.['cookie'] ?? '').split(';');
      const token = sessionTokenIn(cookies);
      if (!token) return;
      const resolved = await resolveSession(deps, token);
      if (resolved.state !== 'active') return;
      principals.set(event, resolved.principal);
      csrfs.set(event, resolved.csrf);
      // Each council's fair share of this container (the operator's requests count as the platform's).
      const wait = fair.take(resolved.principal.councilId);
      if (wait > 0) throw new TooManyRequestsError(wait, COUNCIL_BUSY);
      if (event.requestContext.http?.method === 'POST') {
        const given = readForm(event)['_csrf'];
        if (!csrfMatches(await deps.signingKey.get(), resolved.ref, token, Array.isArray(given) ? given[0] : given)) throw new ForbiddenError(CSRF_REFUSED);
      }
    },
  };
}

/** Domain errors become a Japanese page with their status (their message only for 4xx); anything else a 500, logged. */
function errors(): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    onError: (request) => {
      const { error, event } = request;
      const principal = principals.get(event);
      if (error instanceof DomainError) {
        request.response = page(errorPage(error.status, error.message, principal), error.status);
        if (error instanceof TooManyRequestsError) request.response.headers = { ...request.response.headers, 'retry-after': String(error.retryAfterSeconds) };
        return;
      }
      logger.error('request failed', { route: event.routeKey, error: error as Error });
      request.response = page(errorPage(500, '処理中に問題が発生しました。時間をおいてもう一度お試しください。', principal), 500);
    },
  };
}

/** The response headers every page gets besides the maintained set: our CSP, and no caching of personal data. */
function pageHeaders(): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const finish = (request: middy.Request<HttpEvent, HttpResult, Error, Context>) => {
    const response = request.response;
    if (!response) return;
    const { 'x-form-target': formTarget, ...headers } = (response.headers ?? {}) as Record<string, string>;
    response.headers = { 'content-security-policy': csp(formTarget), 'cache-control': 'no-store', ...headers };
  };
  return { after: finish, onError: finish };
}

/**
 * A response made outside a page function — the local stand-ins' own pages (the gateway's 400, 404,
 * 413, 500 and 502, the identity provider's pages) — with exactly the headers a page gets: run
 * through the same two middlewares, in the order middy runs them, so the sets cannot drift apart.
 */
export async function withPageHeaders(response: HttpResult): Promise<HttpResult> {
  const request = { event: {}, context: {}, response: { ...response, headers: { ...response.headers } }, error: undefined, internal: {} };
  const run = request as unknown as middy.Request<HttpEvent, HttpResult, Error, Context>;
  await pageHeaders().after!(run);
  await securityHeaders().after!(run);
  return run.response!;
}

/** Request id and council on every log line of the request. */
function requestLogging(): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    before: (request) => {
      logger.resetKeys();
      logger.appendKeys({ requestId: request.context?.awsRequestId, route: request.event.routeKey, councilId: request.event.pathParameters?.['councilId'] });
    },
  };
}

/** Everything around a page function's router, in order. */
export function pageMiddleware(deps: Deps): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context>[] {
  // middy runs `after`/`onError` in reverse order: the security headers and ours land on error pages too.
  return [securityHeaders(), pageHeaders(), requestLogging(), httpHeaderNormalizer(), errors(), session(deps)];
}

/**
 * A route handler as the router calls it: the request built from the event (its session resolved
 * by the middleware), run with the request's CSRF token in the render context of every page it renders.
 */
export function route(deps: Deps, handler: RouteHandler): (event: HttpEvent) => Promise<HttpResult> {
  return (event) => {
    let form: ReturnType<typeof readForm> | undefined;
    const principal = principals.get(event);
    const request: Request = {
      event,
      deps,
      principal,
      actor: { principal, sourceIp: event.requestContext.http?.sourceIp },
      param: (name) => pathParam(event, name),
      query: (name) => event.queryStringParameters?.[name],
      form: () => (form ??= readForm(event)),
    };
    return renderContext.run({ csrf: csrfs.get(event) }, () => handler(request));
  };
}
