import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  scryptSync,
  sign,
  timingSafeEqual,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { withPageHeaders } from '#functions/http/middleware.ts';
import type { Principal } from '#shared/domain/principal.ts';
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

/** The password every demo account has locally (never in AWS, where Cognito keeps each person's own). */
export const LOCAL_DEMO_PASSWORD = 'Sakura-demo-2026';

/** An account the provider knows: the demo staff it starts with, and everyone the app invited since (AdminCreateUser). */
export interface LocalAccount {
  userId: string;
  name: string;
  councilId: string;
  email?: string | undefined;
  /** `scrypt$<salt>$<hash>`, never the password. */
  passwordHash: string;
  disabled?: boolean;
}
export const accountsFile = (dataDir: string) => path.join(dataDir, 'idp', 'accounts.json');

const hashPassword = (password: string, salt = randomBytes(16).toString('base64url')) =>
  `scrypt$${salt}$${scryptSync(password, salt, 32).toString('base64url')}`;
function passwordMatches(stored: string, given: string): boolean {
  const [, salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(given, salt, 32);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A local stand-in for Cognito's hosted UI and user pool: /oauth2/authorize asks for a user name
 * and password (the demo staff's, or the temporary one of someone the app invited through
 * AdminCreateUser, which it answers at POST / in Cognito's JSON protocol, with AdminDisableUser),
 * /oauth2/token exchanges the code (checking PKCE) for an RS256 ID token with the claims a user
 * pool's ID token carries (sub, cognito:username, custom:councilId; iss, aud = the client id, exp), /logout sends the
 * browser back. /.well-known/jwks.json and /.well-known/openid-configuration publish the key
 * and endpoints as a user pool does. The app's sign-in handlers talk to it exactly as they
 * talk to Cognito, and verify its tokens the same way. As a user pool client, it sends a browser
 * back only to a registered callback (`redirect_uri`) or sign-out URL (`logout_uri`), exactly as
 * registered: anything else is refused with a page, never followed (no open redirect).
 */
export function localIdentityProvider(options: {
  /** The accounts it starts with (the demo staff), with LOCAL_DEMO_PASSWORD unless a password is given. */
  users: readonly (Pick<Principal, 'userId' | 'name' | 'councilId'> & { password?: string })[];
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
  const codes = new Map<string, { user: LocalAccount; challenge: string; redirectUri: string; expires: number }>();
  // The user pool: kept in the data folder (out of git) when there is one, so invited people can sign in after a restart.
  const accounts = new Map<string, LocalAccount>();
  const file = options.dataDir && accountsFile(options.dataDir);
  if (file && existsSync(file)) for (const a of JSON.parse(readFileSync(file, 'utf8')) as LocalAccount[]) accounts.set(a.userId, a);
  for (const u of options.users) {
    if (!accounts.has(u.userId))
      accounts.set(u.userId, { userId: u.userId, name: u.name, councilId: u.councilId, passwordHash: hashPassword(u.password ?? LOCAL_DEMO_PASSWORD) });
  }
  const saveAccounts = () => {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify([...accounts.values()], null, 1), { mode: 0o600 });
  };
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
  const readRaw = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= 16_384) chunks.push(chunk);
    }
    return size <= 16_384 ? Buffer.concat(chunks) : Buffer.alloc(0);
  };
  const readBody = async (req: IncomingMessage) => new URLSearchParams((await readRaw(req)).toString('utf8'));

  /** The hosted UI's form: user name and password, and the refusal next to them. */
  const signInForm = (res: ServerResponse, status: number, field: (k: string) => string, redirectUri: string, error?: string) =>
    htmlPage(
      res,
      status,
      layout({
        title: 'サインイン(ローカル環境)',
        body: html`<p class="notice">ローカル環境の認証の代わりです(AWS では Cognito のサインイン画面になります)。デモの職員のパスワードは「${LOCAL_DEMO_PASSWORD}」、事務局が招待した方は招待メールの仮パスワードです。</p>
${error ? html`<p class="error" role="alert" id="signin-error">${error}</p>` : ''}
<form method="post" action="/oauth2/authorize" class="stacked">
${['client_id', 'redirect_uri', 'state', 'code_challenge'].map((k) => html`<input type="hidden" name="${k}" value="${field(k)}">`)}
<label for="userId">ユーザー名</label>
<input id="userId" name="userId" autocomplete="username" required value="${field('userId')}"${error ? html` aria-describedby="signin-error"` : ''}>
<label for="password">パスワード</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">サインイン</button>
</form>`,
      }),
      new URL(redirectUri).origin,
    );

  /**
   * Cognito's AdminCreateUser and AdminDisableUser, in the JSON protocol the service speaks, for
   * the app's invitations (it does not check the request's signature, as no stand-in here does).
   */
  const accountApi = async (req: IncomingMessage, res: ServerResponse) => {
    const fail = (type: string, message: string) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: type, message }));
    };
    const action = String(req.headers['x-amz-target']).replace(/^AWSCognitoIdentityProviderService\./, '');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readRaw(req)).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return fail('SerializationException', 'The request body is not valid JSON');
    }
    const username = typeof body['Username'] === 'string' ? body['Username'] : '';
    if (!username) return fail('InvalidParameterException', 'Username is required');
    if (action === 'AdminCreateUser') {
      if (accounts.has(username)) return fail('UsernameExistsException', 'User account already exists.');
      const attributes = new Map(((body['UserAttributes'] ?? []) as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]));
      const password = typeof body['TemporaryPassword'] === 'string' ? body['TemporaryPassword'] : '';
      if (password.length < 12) return fail('InvalidPasswordException', 'Password does not conform to policy');
      const account: LocalAccount = {
        userId: username,
        name: attributes.get('name') ?? username,
        councilId: attributes.get('custom:councilId') ?? '',
        email: attributes.get('email'),
        passwordHash: hashPassword(password),
      };
      accounts.set(username, account);
      saveAccounts();
      return json(res, { User: { Username: username, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' } });
    }
    if (action === 'AdminDisableUser') {
      const account = accounts.get(username);
      if (!account) return fail('UserNotFoundException', 'User does not exist.');
      account.disabled = true;
      saveAccounts();
      return json(res, {});
    }
    return fail('UnknownOperationException', `${action} is not offered by the local identity provider`);
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
        return signInForm(res, 200, (k) => p.get(k) ?? '', redirectUri);
      }
      if (url.pathname === '/oauth2/authorize' && req.method === 'POST') {
        const form = await readBody(req);
        const redirectUri = form.get('redirect_uri');
        if (!registered(options.redirectUris, redirectUri)) return refuse(res, 'redirect_mismatch', 'このアプリに登録されていない戻り先です。');
        if (form.get('client_id') !== options.clientId) return refuse(res, 'invalid_request', 'サインインの要求が正しくありません。');
        const user = accounts.get((form.get('userId') ?? '').trim());
        // One answer for an unknown name, a wrong password and a disabled account, as the hosted UI gives.
        if (!user || user.disabled || !passwordMatches(user.passwordHash, form.get('password') ?? '')) {
          return signInForm(res, 400, (k) => form.get(k) ?? '', redirectUri, 'ユーザー名またはパスワードが正しくありません。');
        }
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
          'cognito:username': u.userId,
          name: u.name,
          ...(u.email ? { email: u.email } : {}),
          'custom:councilId': u.councilId,
          aud: options.clientId,
          iss: issuer(),
          token_use: 'id',
          auth_time: now,
          iat: now,
          exp: now + 3600,
        };
        return json(res, { id_token: idToken(claims), access_token: 'local', token_type: 'Bearer', expires_in: 3600 });
      }
      if (url.pathname === '/' && req.method === 'POST' && typeof req.headers['x-amz-target'] === 'string') return accountApi(req, res);
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
