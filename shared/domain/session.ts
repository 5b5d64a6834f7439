import { createHmac, timingSafeEqual } from 'node:crypto';
import { signLink, verifyLink } from './links.ts';
import { type Principal, ROLES, type Role } from './principal.ts';

/**
 * Staff sessions: after sign-in (Cognito in AWS, the local identity provider in the local
 * stack) the app sets one signed, HttpOnly cookie holding who the person is. Every request
 * verifies it; nothing is stored server-side. Forms carry a CSRF token derived from it.
 */
export const SESSION_COOKIE = 'council_session';
export const SESSION_SECONDS = 10 * 3600;

export function sessionToken(key: Buffer, principal: Principal, now: Date): string {
  return signLink(key, {
    purpose: 'session',
    councilId: principal.councilId,
    subject: principal.userId,
    target: '',
    exp: Math.floor(now.getTime() / 1000) + SESSION_SECONDS,
    data: { name: principal.name, role: principal.role, ...(principal.departmentId ? { departmentId: principal.departmentId } : {}) },
  });
}

/** The Set-Cookie value for a session (Secure except on plain-HTTP loopback). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
}
export const clearedSessionCookie = (secure: boolean) => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;

/** The session token among a request's cookies, if any. */
export function sessionTokenIn(cookies: readonly string[]): string | undefined {
  for (const c of cookies) {
    const [name, ...rest] = c.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** The principal a valid session token stands for. */
export function principalFromSession(key: Buffer, token: string, now: Date): Principal | undefined {
  const check = verifyLink(key, token, 'session', now);
  if (!check.ok || !check.claims.data) return undefined;
  const { name, role, departmentId } = check.claims.data;
  if (!name || !ROLES.includes(role as Role)) return undefined;
  return { userId: check.claims.subject, name, role: role as Role, councilId: check.claims.councilId, departmentId };
}

/** The CSRF token of a session: derived, so it needs no storage and dies with the session. */
export function csrfToken(key: Buffer, sessionTokenValue: string): string {
  return createHmac('sha256', key).update(`csrf.${sessionTokenValue}`).digest('base64url');
}

export function csrfMatches(key: Buffer, sessionTokenValue: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfToken(key, sessionTokenValue));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
