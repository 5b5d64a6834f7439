import { describe, expect, it } from 'vitest';
import { asUser, signIn, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const operator = asUser(base, 'u-operator');

const council = {
  councilId: 'momiji',
  name: 'もみじ町個人情報保護審査会',
  municipality: 'もみじ町',
  contact: 'もみじ町 総務課(内線 101)',
  secretariatEmail: 'somu@town.momiji.example.jp',
  quorum: 'two_thirds',
  chairBreaksTie: 'on',
  senderAddress: 'shinsakai@town.momiji.example.jp',
  replyTo: '',
  adminUserId: 'momiji-somu',
  adminName: '秋山 紅葉',
  adminKana: 'あきやま もみじ',
  adminEmail: 'akiyama@town.momiji.example.jp',
};

describe('the platform operator opens councils at /admin/councils', () => {
  it('lands the operator on the list, which no council’s staff may open', async () => {
    const home = await operator.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/admin/councils');
    const list = await (await operator.get('/admin/councils')).text();
    expect(list).toContain('さくら市個人情報保護審議会');
    expect(list).toContain('(運用管理者)');
    expect((await asUser(base, 'u-secretariat').get('/admin/councils')).status).toBe(403);
    // … and the operator is no council's staff.
    expect((await operator.get('/c/sakura/members')).status).toBe(403);
  });

  it('puts problems beside the fields and opens nothing', async () => {
    const res = await operator.post('/admin/councils', { ...council, councilId: 'platform', adminKana: 'Akiyama', secretariatEmail: 'x' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('id="f-councilId-error">「platform」は使えません。');
    expect(page).toContain('id="f-adminKana-error">ふりがなはひらがなで入力してください。');
    expect(page).toContain('id="f-secretariatEmail-error">事務局のメールアドレスの形式が正しくありません。');
    expect(await (await operator.get('/admin/councils')).text()).not.toContain('もみじ町');
  });

  it('opens a council whose first secretariat signs in with the temporary password shown once, in their own council', async () => {
    const res = await operator.post('/admin/councils', council);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('もみじ町個人情報保護審査会を開設しました。');
    const password = /id="temporary-password">([^<]+)</.exec(page)![1]!.replaceAll('&amp;', '&');
    expect((await operator.post('/admin/councils', council)).status).toBe(400);

    const { cookie } = await signIn(base(), 'momiji-somu', password);
    const home = await (await fetch(`${base()}/`, { headers: { cookie } })).text();
    expect(home).toContain('<h1>もみじ町個人情報保護審査会</h1>');
    expect(home).toContain('秋山 紅葉(事務局)');
    expect((await fetch(`${base()}/c/momiji/staff`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${base()}/c/sakura/staff`, { headers: { cookie } })).status).toBe(403);

    // Suspended: the open session ends at once, and signing in is refused with a page that says why.
    expect((await asUser(base, 'u-secretariat').post('/admin/councils/momiji/suspend', {})).status).toBe(403);
    const suspended = await operator.post('/admin/councils/momiji/suspend', {});
    expect(suspended.status).toBe(303);
    expect((await fetch(`${base()}/c/momiji/staff`, { headers: { cookie }, redirect: 'manual' })).status).toBe(401);
    await expect(signIn(base(), 'momiji-somu', password)).rejects.toThrow(/failed \(403\)/);
    expect(await (await operator.get('/admin/councils')).text()).toMatch(/momiji<\/td><td>もみじ町<\/td><td>somu@town\.momiji\.example\.jp<\/td><td>停止中/);
  });
});
