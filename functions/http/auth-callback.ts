import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler } from '#shared/adapters/http.ts';
import { completeSignIn, SIGNIN_COOKIE } from '#shared/use-cases/auth.ts';

const deps = createDeps();

/** GET /auth/callback — the identity provider sends the person back with a code; a session begins. */
export const handler = httpHandler(async (event) => {
  const signinToken = (event.cookies ?? []).map((c) => c.trim()).find((c) => c.startsWith(`${SIGNIN_COOKIE}=`))?.slice(SIGNIN_COOKIE.length + 1);
  const { cookie } = await completeSignIn(deps, { code: event.queryStringParameters?.['code'], state: event.queryStringParameters?.['state'], signinToken });
  return { statusCode: 303, headers: { location: '/' }, cookies: [cookie, `${SIGNIN_COOKIE}=; Path=/auth; Max-Age=0`], body: '' };
});
