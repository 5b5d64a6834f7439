import { createHash, createHmac, createSecretKey, hkdfSync, type KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * Signed links that act: bound to one person, one purpose and one target, and expiring.
 * The token is `base64url(payload).base64url(HMAC-SHA256(purpose, payload))`; the key
 * never leaves the server, so changing any field breaks the signature.
 *
 * Every token has exactly one spelling: base64url without padding and with its unused low
 * bits zero, the signature exactly 43 characters. Re-encodings Node would decode to the same
 * bytes (padding bits set, `=` padding, `+`/`/` for `-`/`_`) are refused as malformed, so
 * anything keyed on a token or its link (rate limits, audit de-duplication, revocation)
 * cannot be bypassed by spelling the token differently.
 *
 * Keys are per council and per purpose: each is derived from the master secret with HKDF
 * (see {@link purposeKey}), so a key of one council signs and verifies nothing of another,
 * and a vote key nothing of a session.
 */
export const LINK_PURPOSES = ['vote', 'followup', 'session', 'signin'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export interface LinkClaims {
  /** What the token may do: vote, answer a follow-up, be a staff session, or carry a sign-in in progress. */
  purpose: LinkPurpose;
  councilId: string;
  /** The person it was sent to (a member id, or a follow-up owner). */
  subject: string;
  /** The thing it acts on: e.g. meetingId/itemId/round. */
  target: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Further signed facts (a link's generation, a sign-in's PKCE verifier). */
  data?: Record<string, string>;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'wrong_purpose' };

/** Keys derived from the master secret: one per council and purpose (and `csrf`, the forms of a council's sessions). */
export const KEY_PURPOSES = [...LINK_PURPOSES, 'csrf'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

const HKDF_SALT = 'council-review/keys/v1';

/**
 * The key of one council for one purpose: HKDF-SHA256 of the master secret, with the council
 * and purpose as `info` (JSON, so no two pairs share an encoding). Knowing it gives nothing of
 * the master secret or of any other council's or purpose's key.
 */
export function purposeKey(master: Buffer, councilId: string, purpose: KeyPurpose): KeyObject {
  let keys = derivedKeys.get(master);
  if (!keys) derivedKeys.set(master, (keys = new Map()));
  const info = JSON.stringify([purpose, councilId]);
  let key = keys.get(info);
  if (!key) {
    // The council comes from a token before its check: a flood of made-up councils empties the memo, it cannot grow it without bound.
    if (keys.size >= MAX_DERIVED_KEYS) keys.clear();
    // A KeyObject: on Node 24 an HMAC keyed by a Buffer costs ≈ 13 µs for its key check, ≈ 3 µs by a KeyObject.
    key = createSecretKey(Buffer.from(hkdfSync('sha256', master, HKDF_SALT, info, 32)));
    keys.set(info, key);
  }
  return key;
}

/**
 * Keys already derived, per master secret (the key source hands out one Buffer while the secret
 * is unchanged): every request checks a session and a CSRF token, and HKDF each time was most
 * of what that check cost.
 */
const derivedKeys = new WeakMap<Buffer, Map<string, KeyObject>>();
const MAX_DERIVED_KEYS = 10_000;

/** The signature is 32 bytes: 43 characters, the last one carrying 4 bits and two zero bits. */
const TOKEN = /^([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{42}[AEIMQUYcgkosw048])$/;
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
/** Base64url in its one spelling: decoding and encoding again gives the same text (no padding bits set, no impossible length). */
const canonical = (text: string) => b64(Buffer.from(text, 'base64url')) === text;
const mac = (key: KeyObject, purpose: string, payload: string) => createHmac('sha256', key).update(`${purpose}.${payload}`).digest();

/** Signs claims with an already derived key (the council's key for the claims' purpose). Use {@link signLink}. */
export function sealLink(key: KeyObject, claims: LinkClaims): string {
  const payload = b64(JSON.stringify(claims));
  return `${payload}.${b64(mac(key, claims.purpose, payload))}`;
}

/** The claims a token states, before any check of its signature: only to choose the key that checks it. */
function parse(token: string): { payload: string; signature: string; claims: LinkClaims } | undefined {
  if (typeof token !== 'string') return undefined;
  const m = TOKEN.exec(token);
  if (!m || !canonical(m[1]!) || !canonical(m[2]!)) return undefined;
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null || !LINK_PURPOSES.includes(claims.purpose) || typeof claims.councilId !== 'string') return undefined;
  if (typeof claims.subject !== 'string' || typeof claims.target !== 'string') return undefined;
  return { payload: m[1]!, signature: m[2]!, claims };
}

/**
 * What a token says, unchecked: only to start reading what it names while its key is being
 * read. Nothing may be decided on these claims; {@link verifyLink} decides.
 */
export function unverifiedClaims(token: string): LinkClaims | undefined {
  return parse(token)?.claims;
}

/** Checks a token against an already derived key (constant-time). Use {@link verifyLink}. */
export function openLink(key: KeyObject, token: string, purpose: LinkPurpose, now: Date): LinkCheck {
  const parsed = parse(token);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const { claims } = parsed;
  // The purpose is part of what is signed, so a link minted for one purpose cannot be used for another.
  const expected = mac(key, claims.purpose, parsed.payload);
  const given = Buffer.from(parsed.signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  if (typeof claims.exp !== 'number' || now.getTime() / 1000 >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** Signs claims with their council's key for their purpose, derived from the master secret. */
export function signLink(master: Buffer, claims: LinkClaims): string {
  return sealLink(purposeKey(master, claims.councilId, claims.purpose), claims);
}

/**
 * Checks a token: one spelling, signed by the key of the council and purpose it states,
 * for `purpose`, not expired. A token stating another council is checked with that council's
 * key, so it holds only if that council's key signed it.
 */
export function verifyLink(master: Buffer, token: string, purpose: LinkPurpose, now: Date): LinkCheck {
  const parsed = parse(token);
  if (!parsed) return { ok: false, reason: 'malformed' };
  return openLink(purposeKey(master, parsed.claims.councilId, parsed.claims.purpose), token, purpose, now);
}

/** Whose links one generation number counts: a member's vote links, or a follow-up's answer links. */
export const LINK_HOLDERS = ['member', 'followUp'] as const;
export type LinkHolder = (typeof LINK_HOLDERS)[number];

/**
 * The generation of a holder's links. Every link carries the generation it was minted in
 * (`data.g`, absent = 0); revoking bumps the stored one, and a link of an older generation is
 * refused. Links mailed afterwards (reminders, a re-sent request) carry the new one.
 */
export interface LinkGeneration {
  holder: LinkHolder;
  holderId: string;
  generation: number;
  revokedAt?: string | undefined;
  revokedBy?: string | undefined;
  reason?: string | undefined;
}

/** The generation a token was minted in. */
export const generationOf = (claims: LinkClaims): number => {
  const g = Number(claims.data?.['g'] ?? 0);
  return Number.isSafeInteger(g) && g >= 0 ? g : -1;
};

/**
 * A link's identity whatever spelling or re-minting of its token: purpose, council, subject
 * and target, hashed to a key-safe id (what rate limits and audit de-duplication count by).
 */
export function linkIdOf(claims: Pick<LinkClaims, 'purpose' | 'councilId' | 'subject' | 'target'>): string {
  return createHash('sha256')
    .update(JSON.stringify([claims.purpose, claims.councilId, claims.subject, claims.target]))
    .digest('base64url')
    .slice(0, 22);
}

/** Requests one link page may receive in a minute before it answers 429. */
export const LINK_REQUESTS_PER_MINUTE = 30;

/** A count of requests to one link in one window (rate limiting), purged by the table's TTL. */
export interface LinkHits {
  n: number;
  purgeAt: number;
}

/** The mark that a link's page was first seen on a day (one 「閲覧」 audit entry per link per day), purged by the table's TTL. */
export interface LinkViewMark {
  firstAt: string;
  purgeAt: number;
}
