import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler } from '#shared/adapters/http.ts';
import { clearedSessionCookie } from '#shared/domain/session.ts';
import { signOutLocation } from '#shared/use-cases/auth.ts';

const deps = createDeps();

/** GET /auth/signout — ends the session here and at the identity provider. */
export const handler = httpHandler(async () => ({
  statusCode: 303,
  headers: { location: signOutLocation(deps) },
  cookies: [clearedSessionCookie(deps.settings.APP_BASE_URL.startsWith('https://'))],
  body: '',
}));
