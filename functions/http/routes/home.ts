import { ROLES, type Role } from '#shared/domain/principal.ts';
import { clearedSessionCookie } from '#shared/domain/session.ts';
import { NotFoundError } from '#shared/errors.ts';
import { href } from '#shared/routes.ts';
import { beginSignIn, completeSignIn, endSessions, SIGNIN_COOKIE, signOutLocation } from '#shared/use-cases/auth.ts';
import { homeView } from '#shared/use-cases/home.ts';
import { helpIndexPage, helpPage } from '#templates/pages/help.ts';
import { homePage } from '#templates/pages/home.ts';
import { page, type RouteHandler, seeOther } from '../kit.ts';

/** The entry page, and signing in and out through the identity provider (Cognito's hosted UI, or the local one). */
export const homeRoutes = {
  Home: async (req) =>
    // The operator belongs to no council: they land on the councils they manage.
    req.principal?.role === 'operator' ? seeOther(href('AdminCouncils', {})) : page(homePage(await homeView(req.deps, req.principal), req.deps.clock.now())),

  /** 「ヘルプ」: open to anyone, signed in or not (a member from a vote link has no session). */
  Help: async (req) => page(helpIndexPage({ viewer: req.principal })),

  HelpRole: async (req) => {
    const role = req.param('role');
    if (!(ROLES as readonly string[]).includes(role)) throw new NotFoundError('ページが見つかりません。');
    return page(helpPage({ viewer: req.principal, role: role as Role }));
  },

  /** Off to the identity provider. */
  AuthSignIn: async (req) => {
    const { location, cookie } = await beginSignIn(req.deps);
    return { statusCode: 303, headers: { location }, cookies: [cookie], body: '' };
  },

  /** The identity provider sends the person back with a code; a session begins. */
  AuthCallback: async (req) => {
    const signinToken = (req.event.cookies ?? [])
      .map((c) => c.trim())
      .find((c) => c.startsWith(`${SIGNIN_COOKIE}=`))
      ?.slice(SIGNIN_COOKIE.length + 1);
    const { cookie } = await completeSignIn(req.deps, { code: req.query('code'), state: req.query('state'), signinToken });
    return { statusCode: 303, headers: { location: '/' }, cookies: [cookie, `${SIGNIN_COOKIE}=; Path=/auth; Max-Age=0`], body: '' };
  },

  /** Ends every session of the person here (on every device: the cookie alone no longer opens anything) and at the identity provider. */
  AuthSignOut: async (req) => {
    if (req.principal) await endSessions(req.deps, req.principal);
    return {
      statusCode: 303,
      headers: { location: signOutLocation(req.deps) },
      cookies: [clearedSessionCookie(req.deps.settings.APP_BASE_URL.startsWith('https://'))],
      body: '',
    };
  },
} satisfies Record<string, RouteHandler>;
