import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksNotAvailableInCacheError, JwtBaseError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import { type Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';

export interface IdTokenIssuer {
  /** The `iss` the tokens must carry: the user pool's `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  issuer: string;
  /** The `aud` they must carry: this app's client id. */
  audience: string;
  /** Where the signing keys are published. @default `<issuer>/.well-known/jwks.json`, as a user pool publishes them */
  jwksUri?: string | undefined;
}

export type IdTokenCheck = { ok: true; claims: JwtPayload } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const https = new SimpleFetcher();
/**
 * The library's fetcher speaks HTTPS only. Plain HTTP is let through to loopback alone, where
 * the local identity provider listens; every other JWKS is fetched over HTTPS as the library does.
 */
const fetcher: Fetcher = {
  fetch: async (uri, requestOptions, data) => {
    const url = new URL(uri);
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return https.fetch(uri, requestOptions, data);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    } catch (e) {
      throw new FetchError(uri, String(e));
    }
    if (response.status !== 200) throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`);
    return response.arrayBuffer();
  },
};

/** One verifier per issuer and audience, kept for the container: its JWKS cache saves a fetch per sign-in. */
const verifiers = new Map<string, { verify: (token: string) => Promise<JwtPayload> }>();
const jwksCache = new SimpleJwksCache({ fetcher });

/**
 * Checks an ID token as OpenID Connect requires before its claims are believed: an RS256 (or
 * other asymmetric) signature by one of the issuer's published keys, `iss`, `aud` and `exp`
 * (aws-jwt-verify). Unsigned (`alg: none`) and HMAC tokens are refused. Throws only when the
 * keys cannot be fetched (the identity provider is unreachable: a server-side fault).
 */
export async function verifyIdToken(token: string, expected: IdTokenIssuer): Promise<IdTokenCheck> {
  const jwksUri = expected.jwksUri ?? `${expected.issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
  const id = JSON.stringify([expected.issuer, expected.audience, jwksUri]);
  let verifier = verifiers.get(id);
  if (!verifier) {
    verifier = JwtVerifier.create({ issuer: expected.issuer, audience: expected.audience, jwksUri }, { jwksCache });
    verifiers.set(id, verifier);
  }
  try {
    return { ok: true, claims: await verifier.verify(token) };
  } catch (e) {
    if (e instanceof FetchError || e instanceof JwksNotAvailableInCacheError) throw e;
    // The library's message says which check failed (never the token itself).
    if (e instanceof JwtBaseError) return { ok: false, reason: e.message };
    throw e;
  }
}
