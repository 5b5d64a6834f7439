import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links that act: bound to one person, one purpose and one target, and expiring.
 * The token is `base64url(payload).base64url(HMAC-SHA256(purpose, payload))`; the key
 * never leaves the server, so changing any field breaks the signature.
 */
export interface LinkClaims {
  /** What the token may do: vote, answer a follow-up, be a staff session, or carry a sign-in in progress. */
  purpose: 'vote' | 'followup' | 'session' | 'signin';
  councilId: string;
  /** The person it was sent to (a member id, or a follow-up owner). */
  subject: string;
  /** The thing it acts on: e.g. meetingId/itemId/round. */
  target: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Further signed facts (a session's name and role, a sign-in's PKCE verifier). */
  data?: Record<string, string>;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'wrong_purpose' };

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signLink(key: Buffer, claims: LinkClaims): string {
  const payload = b64(JSON.stringify(claims));
  return `${payload}.${b64(createHmac('sha256', key).update(`${claims.purpose}.${payload}`).digest())}`;
}

export function verifyLink(key: Buffer, token: string, purpose: LinkClaims['purpose'], now: Date): LinkCheck {
  const m = /^([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null || typeof claims.purpose !== 'string') return { ok: false, reason: 'malformed' };
  // The purpose is part of what is signed, so a link minted for one purpose cannot be used for another.
  const expected = createHmac('sha256', key).update(`${claims.purpose}.${m[1]}`).digest();
  const given = Buffer.from(m[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  if (typeof claims.exp !== 'number' || now.getTime() / 1000 >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
