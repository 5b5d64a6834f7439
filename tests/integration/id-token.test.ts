import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import { idpKeyFile, LOCAL_DEMO_PASSWORD, localIdentityProvider } from '#infra/local/idp.ts';
import { close, listen } from '#infra/local/services.ts';
import { SESSION_COOKIE } from '#shared/domain/session.ts';
import { signIn, useLocalStack } from '../support/local-stack.ts';

// A data folder, so the test can read the key the local identity provider signs with.
const dataDir = mkdtempSync(path.join(tmpdir(), 'idtoken-'));
const local = useLocalStack({ dataDir, seed: true });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const b64 = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');
const user = DEMO_IDENTITIES.find((u) => u.userId === 'u-fukushi')!;
const now = () => Math.floor(Date.now() / 1000);

const idpKey = () => createPrivateKey(readFileSync(idpKeyFile(dataDir), 'utf8'));
const kid = async () => ((await (await fetch(`${local.stack.urls.idp}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys[0]!.kid;
/** The claims the local provider (and a user pool) puts in a good ID token for the demo user. */
const goodClaims = () => ({
  sub: user.userId,
  name: user.name,
  'custom:role': user.role,
  'custom:councilId': user.councilId,
  'custom:departmentId': user.departmentId,
  aud: process.env['IDP_CLIENT_ID'],
  iss: local.stack.urls.idp,
  token_use: 'id',
  iat: now(),
  exp: now() + 3600,
});
const rs256 = (header: object, claims: object, key: KeyObject) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${b64(sign('sha256', Buffer.from(input), key))}`;
};

/**
 * Signs in as a browser would, except that the ID token the app receives from the token
 * endpoint is replaced by `forged` (a hostile or broken identity provider, or a token
 * swapped in transit). Returns the callback's answer.
 */
async function signInReceiving(forged: string) {
  const tokenEndpoint = `${local.stack.urls.idp}/oauth2/token`;
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const res = await realFetch(input, init);
    if (String(input) !== tokenEndpoint || !res.ok) return res;
    const body = (await res.json()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...body, id_token: forged }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  const base = local.stack.urls.http;
  const start = await realFetch(`${base}/auth/signin`, { redirect: 'manual' });
  const signinCookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('council_signin='))!;
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams({ userId: user.userId, password: LOCAL_DEMO_PASSWORD });
  for (const k of ['client_id', 'redirect_uri', 'state', 'code_challenge']) form.set(k, authorize.searchParams.get(k) ?? '');
  const chosen = await realFetch(`${authorize.origin}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const back = await realFetch(chosen.headers.get('location')!, { headers: { cookie: signinCookie }, redirect: 'manual' });
  const session = back.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));
  return { status: back.status, session, page: await back.text() };
}

const REFUSED = 'サインインを完了できませんでした。認証サーバーからの本人確認の情報が正しくないか、期限が切れています。';

describe('ID tokens at the sign-in callback', () => {
  it('signs in with a token the local identity provider signed, as signIn() does', async () => {
    const { cookie } = await signIn(local.stack.urls.http, 'u-fukushi');
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    const good = await signInReceiving(rs256({ alg: 'RS256', kid: await kid() }, goodClaims(), idpKey()));
    expect(good.status).toBe(303);
    expect(good.session).toBeDefined();
  });

  const refused: [string, () => Promise<string>][] = [
    ['for another app (wrong audience)', async () => rs256({ alg: 'RS256', kid: await kid() }, { ...goodClaims(), aud: 'some-other-client' }, idpKey())],
    ['without an audience', async () => rs256({ alg: 'RS256', kid: await kid() }, { ...goodClaims(), aud: undefined }, idpKey())],
    [
      'from another issuer',
      async () =>
        rs256({ alg: 'RS256', kid: await kid() }, { ...goodClaims(), iss: 'https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_Other' }, idpKey()),
    ],
    ['that has expired', async () => rs256({ alg: 'RS256', kid: await kid() }, { ...goodClaims(), iat: now() - 7200, exp: now() - 60 }, idpKey())],
    ['unsigned (alg: none)', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(goodClaims())}.`],
    ['unsigned (alg: none) naming the real key', async () => `${b64({ alg: 'none', kid: await kid() })}.${b64(goodClaims())}.`],
    ['with alg: none and some signature', async () => `${b64({ alg: 'none', kid: await kid() })}.${b64(goodClaims())}.${b64(Buffer.from('x'))}`],
    [
      'signed by another key under the real key’s id',
      async () => rs256({ alg: 'RS256', kid: await kid() }, goodClaims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
    ],
    [
      'signed by another key under its own id',
      async () => rs256({ alg: 'RS256', kid: 'attacker-key' }, goodClaims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
    ],
    [
      'HMAC-signed with the public key (algorithm confusion)',
      async () => {
        const input = `${b64({ alg: 'HS256', kid: await kid() })}.${b64(goodClaims())}`;
        const publicPem = createPublicKey(idpKey()).export({ type: 'spki', format: 'pem' });
        return `${input}.${b64(createHmac('sha256', publicPem).update(input).digest())}`;
      },
    ],
    ['that is not a token at all', async () => 'not-a-jwt'],
  ];

  for (const [what, token] of refused) {
    it(`refuses a token ${what}: no session, a Japanese error page`, async () => {
      const res = await signInReceiving(await token());
      expect(res.status).toBe(400);
      expect(res.session).toBeUndefined();
      expect(res.page).toContain(REFUSED);
    });
  }
});

describe('the local identity provider', () => {
  it('publishes its key and endpoints as a user pool does', async () => {
    const idp = local.stack.urls.idp;
    const config = (await (await fetch(`${idp}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      issuer: idp,
      jwks_uri: `${idp}/.well-known/jwks.json`,
      token_endpoint: `${idp}/oauth2/token`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = (await (await fetch(`${idp}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: await kid(), e: 'AQAB' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('keeps its signing key in the data folder, so tokens verify across restarts', async () => {
    const jwksOf = async (server: Server) => {
      const url = await listen(server, 0);
      try {
        return await (await fetch(`${url}/.well-known/jwks.json`)).json();
      } finally {
        await close(server);
      }
    };
    const options = { users: DEMO_IDENTITIES, clientId: 'c', redirectUris: [], logoutUris: [], dataDir };
    const first = await jwksOf(localIdentityProvider(options));
    expect(await jwksOf(localIdentityProvider(options))).toEqual(first);
    expect(await jwksOf(localIdentityProvider({ ...options, dataDir: undefined }))).not.toEqual(first);
  });
});
