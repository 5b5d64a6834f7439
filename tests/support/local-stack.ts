import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll } from 'vitest';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { LOCAL_SIGNING_SECRET, type LocalStack, type LocalStackOptions, startLocalStack } from '#infra/local/stack.ts';
import { csrfToken, SESSION_COOKIE } from '#shared/domain/session.ts';

/** Starts the local stack (in memory unless a dataDir is given) for one test file. */
export function useLocalStack(options: LocalStackOptions = {}) {
  const ref: { stack: LocalStack } = {} as never;
  beforeAll(async () => {
    ref.stack = await startLocalStack(options);
  });
  afterAll(async () => {
    await ref.stack?.stop();
  });
  return ref;
}

const cookieFrom = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`));

/**
 * Signs in as a demo user the way a browser does: the app's /auth/signin, the local
 * identity provider's page, back to /auth/callback. Returns the session cookie and the
 * CSRF token the session's forms carry.
 */
export async function signIn(baseUrl: string, userId: string, password = LOCAL_DEMO_PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const start = await fetch(`${baseUrl}/auth/signin`, { redirect: 'manual' });
  const signinCookie = cookieFrom(start, 'council_signin')!;
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams({ userId, password });
  for (const k of ['client_id', 'redirect_uri', 'state', 'code_challenge']) form.set(k, authorize.searchParams.get(k) ?? '');
  const chosen = await fetch(`${authorize.origin}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  if (!chosen.headers.get('location')) throw new Error(`sign-in as ${userId} failed at the identity provider (${chosen.status})`);
  const back = await fetch(chosen.headers.get('location')!, { headers: { cookie: signinCookie }, redirect: 'manual' });
  const cookie = cookieFrom(back, SESSION_COOKIE);
  if (!cookie) throw new Error(`sign-in as ${userId} failed (${back.status})`);
  const token = cookie.slice(SESSION_COOKIE.length + 1);
  const { councilId } = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { councilId: string };
  return { cookie, csrf: csrfToken(await localMasterSecret(), { councilId }, token) };
}

/** The local stack's master secret (what every council's session and link keys are derived from). */
export async function localMasterSecret(): Promise<Buffer> {
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: LOCAL_SIGNING_SECRET }));
  return Buffer.from(secret.SecretString!, 'utf8');
}

/**
 * A browser-less client of the local gateway, signed in as one of the demo identities (or not at
 * all); `password` for a person the secretariat invited (the temporary one the staff page showed).
 */
export function asUser(baseUrl: () => string, userId?: string, password?: string) {
  let session: Promise<{ cookie: string; csrf: string }> | undefined;
  const auth = () => (userId ? (session ??= signIn(baseUrl(), userId, password)) : Promise.resolve(undefined));
  return {
    get: async (path: string) => {
      const s = await auth();
      return fetch(`${baseUrl()}${path}`, { headers: s ? { cookie: s.cookie } : {}, redirect: 'manual' });
    },
    post: async (path: string, form: Record<string, string | string[]>) => {
      const s = await auth();
      const body = new URLSearchParams();
      if (s) body.append('_csrf', s.csrf);
      for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) body.append(k, value);
      return fetch(`${baseUrl()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(s ? { cookie: s.cookie } : {}) },
        body: body.toString(),
        redirect: 'manual',
      });
    },
  };
}

export interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text: string; html?: string };
}

/** Every mail the SES stand-in has accepted. */
export async function sentMails(sesUrl: string): Promise<StoredMail[]> {
  const res = await fetch(`${sesUrl}/store`);
  return ((await res.json()) as { emails: StoredMail[] }).emails;
}

/** The value of a hidden or text input in a page. */
export function inputValue(page: string, name: string): string {
  const m = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page);
  if (!m) throw new Error(`no input ${name} on the page`);
  return m[1]!;
}

/** Page text back as a person reads it: the five entities the templates escape, undone. */
export const unescapeHtml = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
