import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { withPageHeaders } from '#functions/http/middleware.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { ROLE_LABELS } from '#shared/domain/principal.ts';
import { html } from '#templates/html.ts';
import { layout } from '#templates/layout.ts';
import { errorPage } from '#templates/pages/error.ts';

/** Where the provider keeps its token-signing key in a data folder. */
export const idpKeyFile = (dataDir: string) => path.join(dataDir, 'idp', 'token-signing-key.pem');

/**
 * The RSA key the ID tokens are signed with: made at first start and, with a data folder,
 * kept there (out of git), so tokens and the JWKS the app cached stay valid across restarts.
 */
function tokenSigningKey(dataDir: string | undefined): KeyObject {
  const file = dataDir && idpKeyFile(dataDir);
  if (file && existsSync(file)) return createPrivateKey(readFileSync(file, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return privateKey;
}

const b64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/**
 * A local stand-in for Cognito's hosted UI: /oauth2/authorize shows the demo staff to
 * choose from (instead of a password form), /oauth2/token exchanges the code (checking
 * PKCE) for an RS256 ID token with the claims a user pool's ID token carries (custom:role,
 * custom:councilId, custom:departmentId; iss, aud = the client id, exp), /logout sends the
 * browser back. /.well-known/jwks.json and /.well-known/openid-configuration publish the key
 * and endpoints as a user pool does. The app's sign-in handlers talk to it exactly as they
 * talk to Cognito, and verify its tokens the same way. As a user pool client, it sends a browser
 * back only to a registered callback (`redirect_uri`) or sign-out URL (`logout_uri`), exactly as
 * registered: anything else is refused with a page, never followed (no open redirect).
 */
export function localIdentityProvider(options: {
  users: readonly Principal[];
  clientId: string;
  /** The client's registered callback URLs (the app's /auth/callback); see signInUrls in infra/settings.ts. */
  redirectUris: readonly string[];
  /** The client's registered sign-out URLs (the app's home page). */
  logoutUris: readonly string[];
  /** Folder to keep the token-signing key in; a new key per start when omitted. */
  dataDir?: string | undefined;
  /** The `iss` of its tokens. @default the address it listens on, e.g. `http://127.0.0.1:8086` */
  issuer?: string;
}): Server {
  const codes = new Map<string, { user: Principal; challenge: string; redirectUri: string; expires: number }>();
  const privateKey = tokenSigningKey(options.dataDir);
  const publicJwk = privateKey.export({ format: 'jwk' }) as JsonWebKey;
  // RFC 7638 thumbprint: the same key always has the same kid.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e: publicJwk.e, kty: 'RSA', n: publicJwk.n }))
    .digest('base64url');
  const jwks = { keys: [{ kty: 'RSA', n: publicJwk.n, e: publicJwk.e, kid, alg: 'RS256', use: 'sig' }] };
  const issuer = () => {
    if (options.issuer) return options.issuer;
    const { address, family, port } = server.address() as AddressInfo;
    return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  };
  const idToken = (claims: object) => {
    const input = `${b64url({ kid, alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
  };
  const json = (res: ServerResponse, body: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  /** An HTML page, with the header set of the app's pages (the sign-in form may also post on to the app's origin). */
  const htmlPage = async (res: ServerResponse, status: number, body: string, formTarget?: string) => {
    const answer = await withPageHeaders({
      statusCode: status,
      headers: { 'content-type': 'text/html; charset=utf-8', ...(formTarget ? { 'x-form-target': formTarget } : {}) },
      body,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers ?? {})) if (v !== undefined && v !== null) headers[k] = String(v);
    res.writeHead(status, headers);
    res.end(body);
  };
  /** OAuth's `invalid_request` and the like, as a page a person can read (Cognito shows one too). */
  const refuse = (res: ServerResponse, error: string, message: string) => htmlPage(res, 400, errorPage(400, `${message}(${error})`));
  const registered = (list: readonly string[], uri: string | null): uri is string => uri !== null && list.includes(uri);

  /** The form posted, or an empty one past 16 KiB (the rest is read and dropped, so the client sees the answer). */
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= 16_384) chunks.push(chunk);
    }
    return new URLSearchParams(size <= 16_384 ? Buffer.concat(chunks).toString('utf8') : '');
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = URL.parse(req.url ?? '/', 'http://localhost');
      if (!url) {
        req.resume();
        return refuse(res, 'invalid_request', 'アドレスを読み取れませんでした。');
      }
      if (url.pathname === '/oauth2/authorize' && req.method === 'GET') {
        const p = url.searchParams;
        if (p.get('client_id') !== options.clientId || p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256') {
          return refuse(res, 'invalid_request', 'サインインの要求が正しくありません。');
        }
        const redirectUri = p.get('redirect_uri');
        if (!registered(options.redirectUris, redirectUri)) return refuse(res, 'redirect_mismatch', 'このアプリに登録されていない戻り先です。');
        return htmlPage(
          res,
          200,
          layout({
            title: 'サインイン(ローカル環境)',
            body: html`<p class="notice">ローカル環境の認証の代わりです。デモ用の利用者を選んでサインインします(AWS では Cognito のサインイン画面になります)。</p>
<form method="post" action="/oauth2/authorize" class="stacked">
${['client_id', 'redirect_uri', 'state', 'code_challenge'].map((k) => html`<input type="hidden" name="${k}" value="${p.get(k) ?? ''}">`)}
<label for="userId">利用者</label>
<select id="userId" name="userId">${options.users.map((u) => html`<option value="${u.userId}">${u.name}(${ROLE_LABELS[u.role]})</option>`)}</select>
<button type="submit">サインイン</button>
</form>`,
          }),
          new URL(redirectUri).origin,
        );
      }
      if (url.pathname === '/oauth2/authorize' && req.method === 'POST') {
        const form = await readBody(req);
        const user = options.users.find((u) => u.userId === form.get('userId'));
        const redirectUri = form.get('redirect_uri');
        if (!registered(options.redirectUris, redirectUri)) return refuse(res, 'redirect_mismatch', 'このアプリに登録されていない戻り先です。');
        if (!user || form.get('client_id') !== options.clientId) return refuse(res, 'invalid_request', 'サインインの要求が正しくありません。');
        const code = randomBytes(16).toString('base64url');
        codes.set(code, { user, challenge: form.get('code_challenge') ?? '', redirectUri, expires: Date.now() + 300_000 });
        res.writeHead(302, { location: `${redirectUri}?${new URLSearchParams({ code, state: form.get('state') ?? '' })}` });
        return res.end();
      }
      if (url.pathname === '/oauth2/token' && req.method === 'POST') {
        const form = await readBody(req);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const ok =
          grant &&
          grant.expires > Date.now() &&
          form.get('client_id') === options.clientId &&
          form.get('redirect_uri') === grant.redirectUri &&
          createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
        if (!ok) return json(res, { error: 'invalid_grant' }, 400);
        const u = grant.user;
        const now = Math.floor(Date.now() / 1000);
        const claims = {
          sub: u.userId,
          name: u.name,
          'custom:role': u.role,
          'custom:councilId': u.councilId,
          ...(u.departmentId ? { 'custom:departmentId': u.departmentId } : {}),
          aud: options.clientId,
          iss: issuer(),
          token_use: 'id',
          auth_time: now,
          iat: now,
          exp: now + 3600,
        };
        return json(res, { id_token: idToken(claims), access_token: 'local', token_type: 'Bearer', expires_in: 3600 });
      }
      if (url.pathname === '/.well-known/jwks.json' && req.method === 'GET') return json(res, jwks);
      if (url.pathname === '/.well-known/openid-configuration' && req.method === 'GET') {
        const iss = issuer();
        return json(res, {
          issuer: iss,
          authorization_endpoint: `${iss}/oauth2/authorize`,
          token_endpoint: `${iss}/oauth2/token`,
          jwks_uri: `${iss}/.well-known/jwks.json`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      }
      if (url.pathname === '/logout' && req.method === 'GET') {
        // Only back to a sign-out URL the client registered, exactly: never wherever a link says.
        const logoutUri = url.searchParams.get('logout_uri');
        if (url.searchParams.get('client_id') !== options.clientId) return refuse(res, 'invalid_request', 'サインアウトの要求が正しくありません。');
        if (!registered(options.logoutUris, logoutUri)) return refuse(res, 'invalid_request', 'このアプリに登録されていないサインアウト後の戻り先です。');
        res.writeHead(302, { location: logoutUri });
        return res.end();
      }
      req.resume();
      return htmlPage(res, 404, errorPage(404, 'ページが見つかりません。'));
    })().catch(async (e) => {
      console.error('local idp:', e);
      if (res.headersSent) return void res.destroy();
      await htmlPage(res, 500, errorPage(500, '処理中に問題が発生しました。')).catch(() => res.destroy());
    });
  });
  return server;
}
