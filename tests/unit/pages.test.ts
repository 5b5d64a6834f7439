import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '#functions/http/kit.ts';
import { linkAreas } from '#functions/http/link-areas.ts';
import { pageFunction } from '#functions/http/pages.ts';
import { staffAreas } from '#functions/http/staff-areas.ts';
import { documentClient } from '#shared/adapters/document-client.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../support/memory-deps.ts';
import { inDeliberation } from '../support/use-case-steps.ts';

/**
 * The page functions as Lambda runs them (router, middleware, templates) on in-memory deps:
 * what a person without a session sees when the URL is unknown, or when they open a mailed link.
 */
let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const staffPages = () => pageFunction('staff', deps, staffAreas);
const linkPages = () => pageFunction('link', deps, linkAreas);

/** An API Gateway (HTTP API, payload 2.0) request as the gateway sends it; `$default` when no route matched. */
function request(method: string, path: string, routeKey = '$default'): HttpEvent {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'council.example.jp' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'council.example.jp',
      domainPrefix: 'council',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  } as HttpEvent;
}
const context = { awsRequestId: 'r1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

describe('a page function’s start', () => {
  it('reads no signing key while it is made (Lambda’s INIT phase): the secrets extension answers only invocations', async () => {
    let reads = 0;
    const key = deps.signingKey;
    deps.signingKey = { get: () => (reads++, key.get()) };
    const staff = staffPages();
    const links = linkPages();
    expect(reads).toBe(0);
    // The first request that needs it reads it.
    await links(request('GET', `/v/${'x'.repeat(40)}`, 'GET /v/{token}'), context);
    expect(reads).toBeGreaterThan(0);
    expect(typeof staff).toBe('function');
  });

  it('sends DynamoDB calls without the SDK’s logger middleware (a redacted copy of each call for a no-op logger)', () => {
    const names = documentClient({ region: 'ap-northeast-1' }).middlewareStack.identify();
    // The stack is the SDK's own: if its names change, removing by name would silently do nothing.
    expect(names.some((n) => n.startsWith('serializerMiddleware'))).toBe(true);
    expect(names.filter((n) => /logger/i.test(n))).toEqual([]);
    expect(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' }))
        .middlewareStack.identify()
        .some((n) => n.startsWith('loggerMiddleware')),
    ).toBe(true);
  });
});

describe('what people without a session see', () => {
  it('an unknown URL is a Japanese HTML page (404) that says so, with the pages’ headers', async () => {
    for (const [method, path] of [
      ['GET', '/no/such/page'],
      ['POST', '/c/sakura/nothing-here'],
      ['PUT', '/'],
    ] as const) {
      const res = (await staffPages()(request(method, path), context)) as HttpResult;
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers?.['content-security-policy']).toContain("default-src 'none'");
      expect(res.body).toMatch(/^<!doctype html>\s*<html lang="ja">/);
      expect(res.body).toContain('<title>ページが見つかりません | 個人情報保護審議会</title>');
      // Someone who typed a wrong address is offered the way home, not a sign-in that may not be theirs.
      expect(res.body).toContain('<a href="/">トップページへ戻る</a>');
      expect(res.body).not.toContain('サインイン');
    }
  });

  it('a member’s vote link shows the vote without 「サインイン」, and so does its error page', async () => {
    await inDeliberation(deps, sakura.people, 'written');
    const token = deps.notifier.of('vote.invited')[0]!.token;
    const vote = (await linkPages()({ ...request('GET', `/v/${token}`, 'GET /v/{token}'), pathParameters: { token } }, context)) as HttpResult;
    expect(vote.statusCode).toBe(200);
    expect(vote.body).toContain('<html lang="ja">');
    expect(vote.body).not.toContain('サインイン');

    const forged = (await linkPages()(
      { ...request('GET', '/v/forged.token', 'GET /v/{token}'), pathParameters: { token: 'forged.token' } },
      context,
    )) as HttpResult;
    expect(forged.statusCode).toBe(403);
    expect(forged.body).not.toContain('サインイン');
  });

  it('the home page offers 「サインイン」 to staff, and the page that asks for it does too', async () => {
    const home = (await staffPages()(request('GET', '/', 'GET /'), context)) as HttpResult;
    expect(home.body).toContain('サインイン</a>');
    const asked = (await staffPages()(request('GET', '/c/sakura/members', 'GET /c/{councilId}/members'), context)) as HttpResult;
    expect(asked.statusCode).toBe(401);
    expect(asked.body).toContain('サインイン</a>');
  });

  it('「ヘルプ」 is a link on every page and opens without a session: a guide per role, and 404 for any other', async () => {
    const vote = await inDeliberation(deps, sakura.people, 'written').then(async () => {
      const token = deps.notifier.of('vote.invited')[0]!.token;
      return (await linkPages()({ ...request('GET', `/v/${token}`, 'GET /v/{token}'), pathParameters: { token } }, context)) as HttpResult;
    });
    expect(vote.body).toContain('<a href="/help">ヘルプ</a>');
    const index = (await staffPages()(request('GET', '/help', 'GET /help'), context)) as HttpResult;
    expect(index.statusCode).toBe(200);
    for (const role of ['department', 'secretariat', 'member', 'chair']) expect(index.body).toContain(`<a href="/help/${role}">`);
    const guides = {
      department: ['ヘルプ(所管課の方へ)', '審議票を作る', '差し戻しに答える', '条件の履行を報告する'],
      secretariat: ['ヘルプ(事務局の方へ)', '受付審査', '会議次第を送る', '会議録を作る'],
      member: ['ヘルプ(委員の方へ)', '書面審議で表決する', '.ics'],
      chair: ['ヘルプ(会長の方へ)', '条件の文言を確定する'],
    };
    for (const [role, words] of Object.entries(guides)) {
      const guide = (await staffPages()({ ...request('GET', `/help/${role}`, 'GET /help/{role}'), pathParameters: { role } }, context)) as HttpResult;
      expect(guide.statusCode).toBe(200);
      for (const w of words) expect(guide.body).toContain(w);
      expect(guide.body).not.toContain('サインイン</a>');
    }
    const other = (await staffPages()({ ...request('GET', '/help/vendor', 'GET /help/{role}'), pathParameters: { role: 'vendor' } }, context)) as HttpResult;
    expect(other.statusCode).toBe(404);
  });
});
