import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPageHeaders } from '#functions/http/middleware.ts';
import { localGateway } from '#infra/local/gateway.ts';
import { close, listen } from '#infra/local/services.ts';
import { useLocalStack } from '../support/local-stack.ts';

/**
 * The local stand-ins' own answers (issue 17): the gateway's unknown-URL, unreadable-URL, too-large,
 * crashed and nonsense answers are Japanese pages with exactly the header set of the app's pages
 * (HSTS, CSP, nosniff …); the local identity provider sends browsers back only to the registered URLs.
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const idp = () => local.stack.urls.idp;

/** The names of the security headers every page carries, from the app's own middlewares (not a list kept here). */
let PAGE_HEADERS: string[] = [];
beforeAll(async () => {
  const made = await withPageHeaders({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '' });
  PAGE_HEADERS = Object.entries(made.headers ?? {})
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k]) => k.toLowerCase())
    .filter((k) => k !== 'content-type')
    .sort();
});

/** A gateway (or stand-in) page: Japanese, titled, with every header of the app's pages and nothing undefined. */
async function expectJapanesePage(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  for (const name of PAGE_HEADERS) expect(res.headers.get(name), name).not.toBeNull();
  expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+; includeSubDomains/);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('server')).toBeNull();
  const page = await res.text();
  expect(page).toMatch(/^<!doctype html>\n<html lang="ja">/);
  expect(page).toMatch(/<title>[^<|]+ \| 個人情報保護審議会<\/title>/);
  expect(page).not.toMatch(/^\s*\{/);
  return page;
}

describe('the local gateway’s own answers', () => {
  it('carries on the app’s pages the very headers it puts on its own', async () => {
    const home = await fetch(`${base()}/`);
    expect(home.status).toBe(200);
    for (const name of PAGE_HEADERS) expect(home.headers.get(name), name).not.toBeNull();
    expect(home.headers.get('server')).toBeNull();
  });

  it('answers an unknown URL, or a known one with another method, with a Japanese 404 page', async () => {
    expect(await expectJapanesePage(await fetch(`${base()}/no/such/page`), 404)).toContain('ページが見つかりません');
    await expectJapanesePage(await fetch(`${base()}/auth/signout`, { method: 'DELETE' }), 404);
  });

  it('answers broken percent-encoding in a path with a Japanese 400 page, never a 5xx', async () => {
    for (const path of ['/c/%E0%A4%A/consultations', '/c/sakura/consultations/%', '/%ZZ', '/c/sakura/members/%C0%AF']) {
      expect(await expectJapanesePage(await fetch(`${base()}${path}`), 400), path).toContain('アドレス(URL)を読み取れませんでした');
    }
  });
});

describe('the local gateway alone: a handler that throws, answers nonsense, or a body too large', () => {
  let gateway: Server;
  let url = '';
  beforeAll(async () => {
    const handlers: Record<string, () => Promise<unknown>> = {
      throws: async () => {
        throw new Error('boom');
      },
      nonsense: async () => 'not a response',
      badHeader: async () => ({ statusCode: 200, headers: { 'x-bad': 'a\r\nb' }, body: '' }),
    };
    gateway = localGateway({
      routes: Object.keys(handlers).map((id) => ({ id, method: 'POST' as const, path: `/${id}`, entry: id })),
      loadHandler: async (entry) => handlers[entry] as never,
    });
    url = await listen(gateway, 0);
  });
  afterAll(() => close(gateway));

  it('answers a handler that throws with a 500 page, and one that answers nonsense with a 502 page', async () => {
    await expectJapanesePage(await fetch(`${url}/throws`, { method: 'POST' }), 500);
    await expectJapanesePage(await fetch(`${url}/nonsense`, { method: 'POST' }), 502);
    await expectJapanesePage(await fetch(`${url}/badHeader`, { method: 'POST' }), 502);
  });

  it('answers a body over API Gateway’s 10 MB with a 413 page', async () => {
    await expectJapanesePage(await fetch(`${url}/throws`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) }), 413);
  });
});

describe('the local identity provider: registered URLs only', () => {
  /** The authorize URL the app's sign-in sends a browser to. */
  async function authorizeUrl() {
    const start = await fetch(`${base()}/auth/signin`, { redirect: 'manual' });
    return new URL(start.headers.get('location')!);
  }

  it('shows its sign-in page for the app’s own callback, with the page header set', async () => {
    const authorize = await authorizeUrl();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base()}/auth/callback`);
    const page = await fetch(authorize);
    expect(page.status).toBe(200);
    for (const name of PAGE_HEADERS) expect(page.headers.get(name), name).not.toBeNull();
    // Its form posts to itself, which sends the browser on to the app: both may be form targets, nothing else.
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${base()}`);
    // Like the hosted UI it asks for a user name and a password, and names no one to a visitor.
    const form = await page.text();
    expect(form).toContain('<input id="userId" name="userId" autocomplete="username" required');
    expect(form).toMatch(/<input id="password" name="password" type="password"/);
    expect(form).not.toContain('m-kobayashi');
    expect(form).not.toContain('小林 千尋');
  });

  it('refuses any other redirect_uri, on the page and on the form post, issuing no code', async () => {
    const authorize = await authorizeUrl();
    for (const other of ['https://evil.example/auth/callback', `${base()}/auth/callback/../../evil`, `${base()}/auth/callback?x=1`, `${base()}/`, '']) {
      const url = new URL(authorize);
      url.searchParams.set('redirect_uri', other);
      expect(await expectJapanesePage(await fetch(url), 400), other).toContain('redirect_mismatch');
      const form = new URLSearchParams({ userId: 'u-fukushi', redirect_uri: other });
      for (const k of ['client_id', 'state', 'code_challenge']) form.set(k, authorize.searchParams.get(k) ?? '');
      const posted = await fetch(`${idp()}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
      expect(posted.status, other).toBe(400);
      expect(posted.headers.get('location')).toBeNull();
    }
  });

  it('signs out back to the app only: no open redirect through logout_uri', async () => {
    const out = await fetch(`${base()}/auth/signout`, { redirect: 'manual' });
    const logout = new URL(out.headers.get('location')!);
    expect(logout.origin).toBe(idp());
    const back = await fetch(logout, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${base()}/`);

    for (const other of ['https://evil.example/', '//evil.example/', `${base()}/@evil.example`, `${base()}`, '']) {
      const url = new URL(logout);
      url.searchParams.set('logout_uri', other);
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.headers.get('location'), other).toBeNull();
      await expectJapanesePage(res, 400);
    }
    const noClient = new URL(logout);
    noClient.searchParams.delete('client_id');
    expect((await fetch(noClient, { redirect: 'manual' })).status).toBe(400);
  });
});
