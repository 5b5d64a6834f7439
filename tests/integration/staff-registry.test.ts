import { describe, expect, it } from 'vitest';
import { DEMO_COUNCIL } from '#infra/local/demo-data.ts';
import { LOCAL_DEMO_PASSWORD } from '#infra/local/idp.ts';
import { dynamo } from '#shared/adapters/aws.ts';
import { CognitoDirectory } from '#shared/adapters/identity-directory.ts';
import { createDynamoRepositories } from '#shared/adapters/repositories.ts';
import { SESSION_COOKIE } from '#shared/domain/session.ts';
import { useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const repos = () => createDynamoRepositories(dynamo, process.env['TABLE_NAME']!);

/** The browser's way through sign-in, with a password; where it ends and the home page it reaches. */
async function attempt(userId: string, password: string) {
  const base = local.stack.urls.http;
  const start = await fetch(`${base}/auth/signin`, { redirect: 'manual' });
  const signinCookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('council_signin='))!;
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams({ userId, password });
  for (const k of ['client_id', 'redirect_uri', 'state', 'code_challenge']) form.set(k, authorize.searchParams.get(k) ?? '');
  const posted = await fetch(`${authorize.origin}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  if (posted.status !== 302) return { at: 'idp' as const, status: posted.status, page: await posted.text() };
  const back = await fetch(posted.headers.get('location')!, { headers: { cookie: signinCookie }, redirect: 'manual' });
  const session = back.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`) && c !== `${SESSION_COOKIE}=`);
  if (!session) return { at: 'app' as const, status: back.status, page: await back.text() };
  const home = await (await fetch(`${base}/`, { headers: { cookie: session } })).text();
  return { at: 'home' as const, status: back.status, page: home };
}
const who = (page: string) => /<span class="who">([^<]*)/.exec(page)?.[1];

describe('sign-in takes council, department and role from the staff registry', () => {
  it('asks for the password: a wrong one, or an unknown name, gets the same answer beside the form and no code', async () => {
    for (const [userId, password] of [
      ['u-secretariat', 'wrong-password-1'],
      ['nobody-here', LOCAL_DEMO_PASSWORD],
    ]) {
      const r = await attempt(userId!, password!);
      expect(r.at).toBe('idp');
      expect(r.status).toBe(400);
      expect(r.page).toContain('ユーザー名またはパスワードが正しくありません。');
      expect(r.page).toContain('id="password"');
    }
    expect(who((await attempt('u-secretariat', LOCAL_DEMO_PASSWORD)).page)).toContain('(事務局)');
  });

  it('refuses an account the registry does not know, even with the right password at the identity provider', async () => {
    const directory = new CognitoDirectory(process.env['USER_POOL_ID']!);
    expect(
      await directory.createUser({
        userId: 'u-stray',
        email: 'stray@example.jp',
        name: '登録外 太郎',
        councilId: 'sakura',
        temporaryPassword: 'Stray-pass-2026!',
      }),
    ).toBe(true);
    expect(
      await directory.createUser({ userId: 'u-stray', email: 'x@example.jp', name: '二重', councilId: 'sakura', temporaryPassword: 'Stray-pass-2026!' }),
    ).toBe(false);
    const r = await attempt('u-stray', 'Stray-pass-2026!');
    expect(r.at).toBe('app');
    expect(r.page).toContain('このアカウントには審議システムの利用権限が設定されていません。');
  });

  it('gives chair rights to whoever the council names as chair, and none to a disabled account', async () => {
    expect(who((await attempt('m-kobayashi', LOCAL_DEMO_PASSWORD)).page)).toContain('(会長)');
    expect(who((await attempt('m-maeda', LOCAL_DEMO_PASSWORD)).page)).toContain('(委員)');
    const council = await repos().councils.getCouncil(DEMO_COUNCIL.councilId);
    await repos().councils.setOffices(DEMO_COUNCIL.councilId, { chairMemberId: 'm-maeda', viceChairMemberId: 'm-kobayashi' }, council.version);
    expect(who((await attempt('m-kobayashi', LOCAL_DEMO_PASSWORD)).page)).toContain('(委員)');
    expect(who((await attempt('m-maeda', LOCAL_DEMO_PASSWORD)).page)).toContain('(会長)');

    const fukushi = await repos().staff.get(DEMO_COUNCIL.councilId, 'u-fukushi');
    await repos().staff.setDisabled(DEMO_COUNCIL.councilId, 'u-fukushi', true, fukushi.version, new Date().toISOString());
    const refused = await attempt('u-fukushi', LOCAL_DEMO_PASSWORD);
    expect(refused.at).toBe('app');
    expect(refused.page).toContain('利用権限が設定されていません');
  });
});
