import { describe, expect, it } from 'vitest';
import { asUser, inputValue, signIn, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const STAFF = '/c/sakura/staff';

const invite = {
  userId: 'u-kokuho',
  name: '<b>国保</b> 花子',
  kana: 'こくほ はなこ',
  email: 'kokuho@city.sakura.example.jp',
  role: 'department',
  departmentId: 'shimin',
  title: '主事',
};

describe('the staff registry page (職員), through the gateway and the local identity provider', () => {
  it('lists the chair first and the rest by kana, escaping what people typed', async () => {
    const whole = await (await secretariat.get(STAFF)).text();
    const page = whole.slice(whole.indexOf('<tbody>'));
    const order = ['小林 千尋', '前田 久美子', '長田 将夫', '倉持 美土子', '山下 潤'].map((n) => page.indexOf(n));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toContain('<td>委員(会長)</td>');
  });

  it('puts every problem beside its field and creates nothing', async () => {
    const res = await secretariat.post(STAFF, { ...invite, userId: 'no spaces!', kana: 'Kokuho', departmentId: '' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<p class="field-error" id="f-userId-error">利用者IDは半角英数字・ハイフン・下線で入力してください。</p>');
    expect(page).toContain('id="f-kana-error">ふりがなはひらがなで入力してください。');
    expect(page).toContain('id="f-departmentId-error">所管課の職員は課を選んでください。');
    const foreign = await secretariat.post(STAFF, { ...invite, departmentId: 'not-ours' });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('選ばれた課はこの審議会に登録されていません。');
    await expect(signIn(base(), 'u-kokuho', 'anything-at-all')).rejects.toThrow(/sign-in as u-kokuho failed/);
  });

  it('invites a person, shows the temporary password once, and they sign in with it as the registry says', async () => {
    const res = await secretariat.post(STAFF, invite);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('&lt;b&gt;国保&lt;/b&gt; 花子さんを招待しました。');
    const password = /id="temporary-password">([^<]+)</.exec(page)![1]!.replaceAll('&amp;', '&');
    expect(password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{16}$/);
    expect(await (await secretariat.get(STAFF)).text()).not.toContain(password);
    const again = await secretariat.post(STAFF, invite);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('この利用者IDは既に登録されています。');

    const newcomer = { get: (path: string) => signIn(base(), 'u-kokuho', password).then((s) => fetch(`${base()}${path}`, { headers: { cookie: s.cookie } })) };
    const home = await (await newcomer.get('/')).text();
    expect(home).toContain('(所管課)');
    expect((await newcomer.get('/c/sakura/consultations/new')).status).toBe(200);
    expect((await newcomer.get(STAFF)).status).toBe(403);
  });

  it('changes a role from the version shown, refuses a stale form, and disabling ends sign-in', async () => {
    const list = await (await secretariat.get(STAFF)).text();
    const form = list.slice(list.indexOf('action="/c/sakura/staff/u-kokuho"'));
    const version = inputValue(form, 'version');
    const moved = await secretariat.post(`${STAFF}/u-kokuho`, { role: 'department', departmentId: 'fukushi', version });
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe(`${STAFF}?notice=saved`);
    const stale = await secretariat.post(`${STAFF}/u-kokuho`, { role: 'secretariat', version });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('他の方が先にこの職員の情報を更新しました。');
    expect(await (await secretariat.get(STAFF)).text()).toContain('所管課(福祉部 生活福祉課)');

    const now = await (await secretariat.get(STAFF)).text();
    const current = inputValue(now.slice(now.indexOf('action="/c/sakura/staff/u-kokuho/disable"')), 'version');
    const disabled = await secretariat.post(`${STAFF}/u-kokuho/disable`, { version: current });
    expect(disabled.status).toBe(303);
    const password = 'irrelevant: the provider refuses a disabled account whatever the password';
    await expect(signIn(base(), 'u-kokuho', password)).rejects.toThrow(/failed/);
    expect(await (await secretariat.get(STAFF)).text()).toMatch(
      /u-kokuho<\/td><td>所管課\(福祉部 生活福祉課\)<\/td><td>主事<\/td><td>kokuho@city\.sakura\.example\.jp<\/td><td>無効/,
    );
  });
});
