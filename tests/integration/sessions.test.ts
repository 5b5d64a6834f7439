import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, SESSION_IDLE_SECONDS } from '#shared/domain/session.ts';
import { inputValue, signIn, useLocalStack } from '../support/local-stack.ts';
import { reencodings } from '../support/tokens.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;

const get = (path: string, cookie: string) => fetch(`${base()}${path}`, { headers: { cookie }, redirect: 'manual' });
const post = (path: string, cookie: string, form: Record<string, string>) =>
  fetch(`${base()}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });

/** Moves a stored session's times back, as the clock moving forward would (the handlers run on the real clock). */
async function age(userId: string, changes: Record<string, string>) {
  const { dynamo } = await import('#shared/adapters/aws.ts');
  const { QueryCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const pk = `C#sakura#USER#${userId}`;
  const { Items = [] } = await dynamo.send(
    new QueryCommand({ TableName: local.stack.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }),
  );
  for (const item of Items) {
    const names = Object.keys(changes);
    await dynamo.send(
      new UpdateCommand({
        TableName: local.stack.tableName,
        Key: { pk: item['pk'], sk: item['sk'] },
        UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, changes[n]])),
      }),
    );
  }
  return Items.length;
}

describe('sessions that end', () => {
  it('refuses the cookie after sign-out, on GET and POST, on every device of the person', async () => {
    const [laptop, phone] = [await signIn(base(), 'u-shimin'), await signIn(base(), 'u-shimin')];
    const form = await (await get('/c/sakura/consultations/new', laptop.cookie)).text();
    const requestId = inputValue(form, 'requestId');
    expect((await get('/c/sakura/consultations', phone.cookie)).status).toBe(200);

    const out = await get('/auth/signout', laptop.cookie);
    expect(out.status).toBe(303);

    for (const device of [laptop, phone]) {
      const page = await get('/c/sakura/consultations', device.cookie);
      expect(page.status).toBe(401);
      expect(await page.text()).toContain('サインインしてください。');
      const created = await post('/c/sakura/consultations', device.cookie, {
        _csrf: device.csrf,
        requestId,
        title: 'サインアウト後の下書き',
        action: 'save',
      });
      expect(created.status).toBe(401);
    }
    // Signed in again: nothing was created by the old cookies.
    const again = await signIn(base(), 'u-shimin');
    const list = await get('/c/sakura/consultations', again.cookie);
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain('サインアウト後の下書き');
  });

  it('accepts 0 of all re-encodings of a session cookie', async () => {
    const { cookie } = await signIn(base(), 'u-secretariat');
    const token = cookie.slice(SESSION_COOKIE.length + 1);
    expect((await get('/c/sakura/members/m-koyama', cookie)).status).toBe(200);
    const variants = reencodings(token);
    expect(variants.length).toBeGreaterThanOrEqual(5);
    const statuses = [];
    for (const v of variants) statuses.push((await get('/c/sakura/members/m-koyama', `${SESSION_COOKIE}=${v}`)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(0);
    expect(new Set(statuses)).toEqual(new Set([401]));
  });

  it('ends a session idle for 30 minutes', async () => {
    const { cookie } = await signIn(base(), 'u-fukushi');
    expect((await get('/c/sakura/consultations', cookie)).status).toBe(200);
    const idleSince = new Date(Date.now() - (SESSION_IDLE_SECONDS + 60) * 1000).toISOString();
    expect(await age('u-fukushi', { lastSeenAt: idleSince, createdAt: idleSince })).toBeGreaterThan(0);
    expect((await get('/c/sakura/consultations', cookie)).status).toBe(401);
  });

  it('ends a session past its absolute end, however recently used', async () => {
    const { cookie } = await signIn(base(), 'm-maeda');
    expect((await get('/c/sakura/meetings', cookie)).status).toBe(200);
    expect(await age('m-maeda', { expiresAt: new Date(Date.now() - 1000).toISOString() })).toBeGreaterThan(0);
    expect((await get('/c/sakura/meetings', cookie)).status).toBe(401);
  });
});
