import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '#shared/adapters/deps.ts';
import { verifyIdToken } from '#shared/adapters/id-token.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { signLink, verifyLink } from '#shared/domain/links.ts';
import { PLATFORM_ID, type Principal } from '#shared/domain/principal.ts';
import {
  claimedSessionRef,
  csrfToken,
  needsTouch,
  newSession,
  principalOf,
  type SessionRef,
  type SessionState,
  sessionCookie,
  sessionRefOf,
  sessionState,
  sessionToken,
} from '#shared/domain/session.ts';
import { principalOfStaff } from '#shared/domain/staff.ts';
import { DomainError, ForbiddenError } from '#shared/errors.ts';

type AuthDeps = Pick<Deps, 'settings' | 'signingKey' | 'clock' | 'sessions'>;
type SignInDeps = AuthDeps & Pick<Deps, 'staff' | 'councils'>;
type SessionDeps = Pick<Deps, 'signingKey' | 'clock' | 'sessions'>;

/** The cookie that carries a sign-in in progress (state and PKCE verifier), for ten minutes. */
export const SIGNIN_COOKIE = 'council_signin';

const idp = (deps: AuthDeps) => {
  const { IDP_URL, IDP_CLIENT_ID, ID_TOKEN_ISSUER } = deps.settings;
  if (!IDP_URL || !IDP_CLIENT_ID || !ID_TOKEN_ISSUER) throw new Error('IDP_URL, IDP_CLIENT_ID and ID_TOKEN_ISSUER must be set for sign-in');
  return { url: IDP_URL.replace(/\/$/, ''), clientId: IDP_CLIENT_ID, issuer: ID_TOKEN_ISSUER, redirectUri: `${deps.settings.APP_BASE_URL}/auth/callback` };
};
const secure = (deps: AuthDeps) => deps.settings.APP_BASE_URL.startsWith('https://');

/**
 * Starts an OAuth 2.0 authorization-code sign-in with PKCE at the identity provider
 * (Cognito's hosted UI in AWS, the local stand-in locally). No client secret is needed.
 */
export async function beginSignIn(deps: AuthDeps): Promise<{ location: string; cookie: string }> {
  const { url, clientId, redirectUri } = idp(deps);
  const verifier = randomBytes(32).toString('base64url');
  const state = newId(16);
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const token = signLink(await deps.signingKey.get(), { purpose: 'signin', councilId: '-', subject: state, target: '', exp: now + 600, data: { verifier } });
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  return {
    location: `${url}/oauth2/authorize?${query}`,
    cookie: `${SIGNIN_COOKIE}=${token}; Path=/auth; HttpOnly; SameSite=Lax; Max-Age=600${secure(deps) ? '; Secure' : ''}`,
  };
}

const SIGNIN_FAILED = 'サインインを完了できませんでした。もう一度サインインしてください。';
const ID_TOKEN_REFUSED =
  'サインインを完了できませんでした。認証サーバーからの本人確認の情報が正しくないか、期限が切れています。もう一度サインインしてください。';

/**
 * Completes the sign-in: checks the state against the cookie, exchanges the code (with the
 * PKCE verifier) at the token endpoint over TLS, verifies the ID token (signature by the user
 * pool's published key, issuer, audience = this app's client, expiry) and turns its claims
 * into a session. Council, department and role come from the staff registry (a disabled or
 * unregistered account gets no session).
 */
export async function completeSignIn(
  deps: SignInDeps,
  v: { code: string | undefined; state: string | undefined; signinToken: string | undefined },
): Promise<{ cookie: string; principal: Principal }> {
  const { url, clientId, issuer, redirectUri } = idp(deps);
  const key = await deps.signingKey.get();
  const check = v.signinToken ? verifyLink(key, v.signinToken, 'signin', deps.clock.now()) : undefined;
  if (!check?.ok || !v.state || check.claims.subject !== v.state || !v.code) throw new DomainError(SIGNIN_FAILED);
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code: v.code,
      redirect_uri: redirectUri,
      code_verifier: check.claims.data!['verifier']!,
    }),
  });
  if (!response.ok) throw new DomainError(SIGNIN_FAILED);
  const { id_token: idToken } = (await response.json()) as { id_token?: unknown };
  const verified = await verifyIdToken(typeof idToken === 'string' ? idToken : '', { issuer, audience: clientId });
  if (!verified.ok) {
    // Why, for whoever looks into a failed sign-in; never the token.
    console.warn(JSON.stringify({ level: 'warn', event: 'id_token_refused', reason: verified.reason }));
    throw new DomainError(ID_TOKEN_REFUSED);
  }
  const text = (name: string) => (typeof verified.claims[name] === 'string' ? (verified.claims[name] as string) : '');
  // The token proves who signed in (the pool's user name) and names their council; what they may
  // do there — role, department, chair — is the staff registry's word, read now, not the token's.
  const userId = text('cognito:username') || text('sub');
  const councilId = text('custom:councilId');
  const staff = ID_PATTERN.test(userId) && ID_PATTERN.test(councilId) ? await deps.staff.find(councilId, userId) : undefined;
  // The operator's entry is under the platform's id, which is no council.
  const council =
    staff && !staff.disabled
      ? councilId === PLATFORM_ID
        ? { councilId: PLATFORM_ID }
        : await deps.councils.getCouncil(councilId).catch(() => undefined)
      : undefined;
  if (council && 'suspendedAt' in council && council.suspendedAt) {
    throw new ForbiddenError('この審議会の利用は停止されています。運用管理者にお問い合わせください。');
  }
  const principal = council && staff ? principalOfStaff(council, staff) : undefined;
  if (!principal) {
    throw new DomainError('このアカウントには審議システムの利用権限が設定されていません。事務局にお問い合わせください。');
  }
  return { principal, cookie: sessionCookie(await startSession(deps, principal), secure(deps)) };
}

/** Stores a new session for a person who has just signed in; returns the cookie's token naming it. */
export async function startSession(deps: SessionDeps, principal: Principal): Promise<string> {
  const session = newSession(principal, newId(16), deps.clock.now());
  await deps.sessions.create(session);
  return sessionToken(await deps.signingKey.get(), session);
}

/** A request's session, resolved: who it is, and the CSRF token its forms carry. */
export interface ResolvedSession {
  ref: SessionRef;
  principal: Principal;
  csrf: string;
}

/**
 * The session a cookie's token names, if it may be used now: the token genuine (its council's
 * session key), the session stored, not revoked, used within the idle lifetime and younger than
 * the absolute one. A used session's last-seen time is written at most every few minutes.
 * `state` says why a token was refused (for tests and logs; pages treat every refusal alike).
 */
export async function resolveSession(
  deps: SessionDeps,
  token: string,
): Promise<(ResolvedSession & { state: 'active' }) | { state: Exclude<SessionState, 'active'> | 'invalid' | 'unknown' }> {
  const now = deps.clock.now();
  // The session the token names is read while the key is (one round trip less on a cold container);
  // it is used only once the token's signature and expiry are checked with that key.
  const claimed = claimedSessionRef(token);
  if (!claimed) return { state: 'invalid' };
  const read = deps.sessions.get(claimed);
  // A forged token's made-up key may be one the table refuses: that failure is not the request's.
  read.catch(() => {});
  const key = await deps.signingKey.get();
  const ref = sessionRefOf(key, token, now);
  // The checked claims are the claims read: the same token, parsed alike.
  if (!ref || ref.councilId !== claimed.councilId || ref.userId !== claimed.userId || ref.sessionId !== claimed.sessionId) return { state: 'invalid' };
  const session = await read;
  if (!session) return { state: 'unknown' };
  const state = sessionState(session, now);
  if (state !== 'active') return { state };
  if (needsTouch(session, now)) await deps.sessions.touch(session, now.toISOString());
  return { state, ref, principal: principalOf(session), csrf: csrfToken(key, ref, token) };
}

/** Signing out ends every session of the person, on every device, at once; returns how many were open. */
export function endSessions(deps: Pick<Deps, 'clock' | 'sessions'>, who: Pick<Principal, 'councilId' | 'userId'>): Promise<number> {
  return deps.sessions.revokeAll(who.councilId, who.userId, deps.clock.now().toISOString());
}

/** Where to go to end the identity provider's session too. */
export function signOutLocation(deps: AuthDeps): string {
  const { url, clientId } = idp(deps);
  return `${url}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: `${deps.settings.APP_BASE_URL}/` })}`;
}
