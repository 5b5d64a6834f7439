import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { Deps } from '#shared/adapters/deps.ts';
import { NotFoundError } from '#shared/errors.ts';
import { type ROUTES, type RouteId, type RouteKind, routesOf } from '#shared/routes.ts';
import type { HttpEvent, HttpResult, RouteHandler } from './kit.ts';
import { pageMiddleware, route } from './middleware.ts';

/** The route ids a page function serves. */
export type RoutesOfKind<K extends RouteKind> = { [Id in RouteId]: (typeof ROUTES)[Id]['kind'] extends K ? Id : never }[RouteId];

/**
 * One Lambda function serving every page of a kind through middy's http-router, all behind the
 * same middleware (session, CSRF, errors, security headers, logging). The handlers object must
 * cover exactly the kind's routes (the type says so), so a route cannot be declared and forgotten.
 */
export function pageFunction<K extends RouteKind>(kind: K, deps: Deps, handlers: Record<RoutesOfKind<K>, RouteHandler>) {
  const routes = routesOf(kind).map(([id, r]) => ({ method: r.method, path: r.path, handler: route(deps, handlers[id as RoutesOfKind<K>]) }));
  return middy<HttpEvent, HttpResult>()
    .use(pageMiddleware(deps))
    .handler(
      httpRouterHandler({
        routes,
        notFoundResponse: () => {
          throw new NotFoundError('ページが見つかりません。');
        },
      }) as unknown as (event: HttpEvent) => Promise<HttpResult>,
    );
}
