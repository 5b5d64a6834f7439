import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler } from '#shared/adapters/http.ts';
import { beginSignIn } from '#shared/use-cases/auth.ts';

const deps = createDeps();

/** GET /auth/signin — off to the identity provider. */
export const handler = httpHandler(async () => {
  const { location, cookie } = await beginSignIn(deps);
  return { statusCode: 303, headers: { location }, cookies: [cookie], body: '' };
});
