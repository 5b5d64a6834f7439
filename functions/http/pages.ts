import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { Deps } from '#shared/adapters/deps.ts';
import { NotFoundError } from '#shared/errors.ts';
import { type ROUTES, type RouteArea, type RouteId, type RouteKind, routesOf } from '#shared/routes.ts';
import type { HttpEvent, HttpResult, RouteHandler } from './kit.ts';
import { pageMiddleware, route } from './middleware.ts';

type Spec<Id extends RouteId> = (typeof ROUTES)[Id];
/** The route ids of a kind, and of one area within it. */
export type RoutesOfKind<K extends RouteKind> = { [Id in RouteId]: Spec<Id>['kind'] extends K ? Id : never }[RouteId];
type RoutesOfArea<K extends RouteKind, A extends RouteArea> = { [Id in RoutesOfKind<K>]: Spec<Id>['area'] extends A ? Id : never }[RoutesOfKind<K>];
type AreasOfKind<K extends RouteKind> = Spec<RoutesOfKind<K>>['area'];

/**
 * How a page function reaches its handlers: per area, a loader of the module serving the area's
 * routes of this kind (a dynamic import). The type asks for every area of the kind and for a
 * handler of each of its routes, so a route cannot be declared and forgotten.
 */
export type AreaModules<K extends RouteKind> = { [A in AreasOfKind<K>]: () => Promise<Record<RoutesOfArea<K, A>, RouteHandler>> };

/**
 * One Lambda function serving every page of a kind through middy's http-router, all behind the
 * same middleware (session, CSRF, errors, security headers, logging). An area's module is loaded
 * on the first request to one of its routes and kept for the container's life: the bundle is
 * split by module (infra/constructs/bundle.ts), so a cold start parses the router, the middleware
 * and the one page asked for — not the hundred others.
 */
export function pageFunction<K extends RouteKind>(kind: K, deps: Deps, modules: AreaModules<K>) {
  const loaded = new Map<RouteArea, Promise<Record<string, RouteHandler>>>();
  const load = (area: RouteArea) => {
    let handlers = loaded.get(area);
    if (!handlers) {
      handlers = (modules as unknown as Record<RouteArea, () => Promise<Record<string, RouteHandler>>>)[area]();
      loaded.set(area, handlers);
      // A failed load (a file system hiccup) is tried again by the next request, not remembered.
      handlers.catch(() => loaded.delete(area));
    }
    return handlers;
  };
  // The gateway names the route it matched (`GET /c/{councilId}/members`): its area starts loading
  // before the session is checked, so a cold container reads the page's code while it waits for the table.
  const areaOfRouteKey = new Map(routesOf(kind).map(([, r]) => [`${r.method} ${r.path}`, r.area]));
  const preload: middy.MiddlewareObj<HttpEvent, HttpResult> = {
    before: ({ event }) => {
      const area = areaOfRouteKey.get(event.routeKey);
      if (area) load(area).catch(() => {});
    },
  };
  const routes = routesOf(kind).map(([id, r]) => ({
    method: r.method,
    path: r.path,
    handler: route(deps, async (req) => {
      const handler = (await load(r.area))[id];
      if (!handler) throw new Error(`${r.area} does not serve ${id}`);
      return handler(req);
    }),
  }));
  return middy<HttpEvent, HttpResult>()
    .use(preload)
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
