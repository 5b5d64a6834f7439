import { createHmac, timingSafeEqual } from 'node:crypto';
import { purposeKey, signLink, unverifiedClaims, verifyLink } from './links.ts';
import type { Principal } from './principal.ts';

/**
 * Staff sessions: after sign-in (Cognito in AWS, the local identity provider in the local
 * stack) the app stores a session and sets one signed, HttpOnly cookie naming it. Every
 * request checks the cookie's signature (the council's session key) and then the stored
 * session: there, not revoked, used within the idle lifetime, younger than the absolute one.
 * Signing out revokes every session of the person at once. Forms carry a CSRF token derived
 * from the cookie, so it dies with the session.
 */
export const SESSION_COOKIE = 'council_session';
/** A session ends this long after sign-in, however active. */
export const SESSION_ABSOLUTE_SECONDS = 12 * 3600;
/** … and this long after its last request. */
export const SESSION_IDLE_SECONDS = 30 * 60;
/** The last request is written at most this often (so the idle lifetime is really 25–30 minutes). */
export const SESSION_TOUCH_SECONDS = 5 * 60;
/** A stored session is purged by the table's TTL this long after it could last have been used. */
export const SESSION_PURGE_SECONDS = 24 * 3600;

/** A stored session: who signed in, when, and when they were last seen. */
export interface Session {
  sessionId: string;
  councilId: string;
  userId: string;
  name: string;
  role: Principal['role'];
  departmentId?: string | undefined;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end (createdAt + SESSION_ABSOLUTE_SECONDS). */
  expiresAt: string;
  revokedAt?: string | undefined;
  /** Epoch seconds: when the table's TTL may delete the item. */
  purgeAt: number;
}

/** Which session a cookie names: checked, signed facts, nothing more. */
export interface SessionRef {
  councilId: string;
  userId: string;
  sessionId: string;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** A new session for a principal signed in at `now`. */
export function newSession(principal: Principal, sessionId: string, now: Date): Session {
  const end = new Date(now.getTime() + SESSION_ABSOLUTE_SECONDS * 1000);
  return {
    sessionId,
    councilId: principal.councilId,
    userId: principal.userId,
    name: principal.name,
    role: principal.role,
    ...(principal.departmentId ? { departmentId: principal.departmentId } : {}),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: end.toISOString(),
    purgeAt: seconds(end) + SESSION_PURGE_SECONDS,
  };
}

/** The cookie's token for a session: signed with the council's session key, expiring with the session. */
export function sessionToken(master: Buffer, session: Session): string {
  return signLink(master, {
    purpose: 'session',
    councilId: session.councilId,
    subject: session.userId,
    target: session.sessionId,
    exp: seconds(new Date(session.expiresAt)),
  });
}

/** The session a cookie's token claims to name, before any check: only to read it while the key is read (see resolveSession). */
export function claimedSessionRef(token: string): SessionRef | undefined {
  const claims = unverifiedClaims(token);
  if (claims?.purpose !== 'session' || !claims.target) return undefined;
  return { councilId: claims.councilId, userId: claims.subject, sessionId: claims.target };
}

/** The session a cookie's token names, if the token is genuine and not past the absolute end. */
export function sessionRefOf(master: Buffer, token: string, now: Date): SessionRef | undefined {
  const check = verifyLink(master, token, 'session', now);
  if (!check.ok || !check.claims.target) return undefined;
  return { councilId: check.claims.councilId, userId: check.claims.subject, sessionId: check.claims.target };
}

export type SessionState = 'active' | 'revoked' | 'idle' | 'expired';

/** Whether a stored session may be used at `now`. */
export function sessionState(session: Session, now: Date): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= Date.parse(session.expiresAt)) return 'expired';
  if (now.getTime() >= Date.parse(session.lastSeenAt) + SESSION_IDLE_SECONDS * 1000) return 'idle';
  return 'active';
}

/** Whether this request should write the session's last-seen time (at most every SESSION_TOUCH_SECONDS). */
export const needsTouch = (session: Session, now: Date) => now.getTime() - Date.parse(session.lastSeenAt) >= SESSION_TOUCH_SECONDS * 1000;

export const principalOf = (s: Session): Principal => ({ userId: s.userId, name: s.name, role: s.role, councilId: s.councilId, departmentId: s.departmentId });

/** The Set-Cookie value for a session (Secure except on plain-HTTP loopback); the browser keeps it until the absolute end. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_ABSOLUTE_SECONDS}${secure ? '; Secure' : ''}`;
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

/** The CSRF token of a session: derived with its council's CSRF key, so it needs no storage and dies with the session. */
export function csrfToken(master: Buffer, ref: Pick<SessionRef, 'councilId'>, sessionTokenValue: string): string {
  return createHmac('sha256', purposeKey(master, ref.councilId, 'csrf'))
    .update(`csrf.${sessionTokenValue}`)
    .digest('base64url');
}

export function csrfMatches(master: Buffer, ref: Pick<SessionRef, 'councilId'>, sessionTokenValue: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfToken(master, ref, sessionTokenValue));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
