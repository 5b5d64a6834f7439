import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Principal } from '#shared/domain/principal.ts';
import { ROLE_LABELS } from '#shared/domain/principal.ts';
import { html } from '#templates/html.ts';
import { layout } from '#templates/layout.ts';

/**
 * A local stand-in for Cognito's hosted UI: /oauth2/authorize shows the demo staff to
 * choose from (instead of a password form), /oauth2/token exchanges the code (checking
 * PKCE) for an ID token with the same claims a Cognito user carries (custom:role,
 * custom:councilId, custom:departmentId), /logout sends the browser back. The app's
 * sign-in handlers talk to it exactly as they talk to Cognito.
 */
export function localIdentityProvider(options: { users: readonly Principal[]; clientId: string }): Server {
  const codes = new Map<string, { user: Principal; challenge: string; redirectUri: string; expires: number }>();

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

  return createServer((req, res) => {
    void (async () => {
      const url = URL.parse(req.url ?? '/', 'http://localhost');
      if (!url) {
        req.resume();
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end('invalid_request');
      }
      if (url.pathname === '/oauth2/authorize' && req.method === 'GET') {
        const p = url.searchParams;
        if (p.get('client_id') !== options.clientId || p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256') {
          res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          return res.end('invalid_request');
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
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
        );
      }
      if (url.pathname === '/oauth2/authorize' && req.method === 'POST') {
        const form = await readBody(req);
        const user = options.users.find((u) => u.userId === form.get('userId'));
        const redirectUri = form.get('redirect_uri') ?? '';
        if (!user || form.get('client_id') !== options.clientId || !/^https?:\/\//.test(redirectUri)) {
          res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          return res.end('invalid_request');
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
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
        if (!ok) return res.end('{"error":"invalid_grant"}');
        const u = grant.user;
        const claims = { sub: u.userId, name: u.name, 'custom:role': u.role, 'custom:councilId': u.councilId, ...(u.departmentId ? { 'custom:departmentId': u.departmentId } : {}), aud: options.clientId, iss: 'local-idp', exp: Math.floor(Date.now() / 1000) + 3600 };
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        return res.end(JSON.stringify({ id_token: `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`, access_token: 'local', token_type: 'Bearer', expires_in: 3600 }));
      }
      if (url.pathname === '/logout') {
        res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' });
        return res.end();
      }
      res.writeHead(404);
      res.end();
    })().catch((e) => {
      console.error('local idp:', e);
      if (res.headersSent) return void res.destroy();
      res.writeHead(500);
      res.end();
    });
  });
}
