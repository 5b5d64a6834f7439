import { describe, expect, it } from 'vitest';
import { asUser, inputValue, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const DEPTS = '/c/sakura/departments';
const SETTINGS = '/c/sakura/settings';

describe('the secretariat sets its council up through the pages (部・課 and 設定)', () => {
  it('adds a 部 and a 課 under it, with errors beside the fields first, and lists the hierarchy', async () => {
    const bad = await secretariat.post(DEPTS, { departmentId: 'a b', name: '', email: 'x', managerEmail: '' });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('id="f-departmentId-error">識別子は半角英数字・ハイフン・下線で入力してください。');
    expect(page).toContain('id="f-name-error">名称を入力してください。');
    expect(page).toContain('id="f-managerEmail-error">所属長のメールアドレスを入力してください。');

    const bu = {
      departmentId: 'kenko',
      name: '健康部',
      email: 'kenko@city.sakura.example.jp',
      managerName: '',
      managerEmail: 'kenko-bucho@city.sakura.example.jp',
    };
    expect((await secretariat.post(DEPTS, bu)).status).toBe(303);
    expect((await secretariat.post(DEPTS, bu)).status).toBe(400);
    const ka = {
      departmentId: 'kokuho',
      name: '健康部 国保年金課',
      parentId: 'kenko',
      email: 'kokuho@city.sakura.example.jp',
      managerName: '<i>課長</i>',
      managerEmail: 'kokuho-kacho@city.sakura.example.jp',
    };
    expect((await secretariat.post(DEPTS, ka)).status).toBe(303);
    const list = await (await secretariat.get(DEPTS)).text();
    const tbody = list.slice(list.indexOf('<tbody>'), list.indexOf('</tbody>'));
    expect(tbody.indexOf('健康部</td>')).toBeLessThan(tbody.indexOf('└ </span>健康部 国保年金課'));
    expect(tbody).toContain('&lt;i&gt;課長&lt;/i&gt;');
    // A 課 of the new department can now be chosen for staff.
    expect(await (await secretariat.get('/c/sakura/staff')).text()).toContain('<option value="kokuho">健康部 国保年金課</option>');
  });

  it('refuses a 部 under a 課 and a stale edit, changing nothing', async () => {
    const list = await (await secretariat.get(DEPTS)).text();
    const version = inputValue(list.slice(list.indexOf('action="/c/sakura/departments/kenko"')), 'version');
    const under = await secretariat.post(`${DEPTS}/kenko`, {
      name: '健康部',
      parentId: 'kokuho',
      email: 'kenko@city.sakura.example.jp',
      managerEmail: 'b@city.sakura.example.jp',
      version,
    });
    expect(under.status).toBe(400);
    expect(await under.text()).toContain('上位の部は、この審議会の部から選んでください。');
    const edit = { name: '健康福祉部', email: 'kenko@city.sakura.example.jp', managerEmail: 'b@city.sakura.example.jp', version };
    expect((await secretariat.post(`${DEPTS}/kenko`, edit)).status).toBe(303);
    const stale = await secretariat.post(`${DEPTS}/kenko`, { ...edit, name: '古い画面から' });
    expect(stale.status).toBe(409);
    expect(await (await secretariat.get(DEPTS)).text()).not.toContain('古い画面から');
  });

  it('saves the settings, and a number already given cannot be set again', async () => {
    const page = await (await secretariat.get(SETTINGS)).text();
    const form = {
      name: 'さくら市個人情報保護審議会',
      contact: '総務課 情報公開係',
      secretariatEmail: 'joho-koukai@city.sakura.example.jp',
      quorum: 'majority',
      chairBreaksTie: 'on',
      conditionLibrary: '定型の条件A',
      mailSignature: '',
      senderName: 'さくら市 審議会事務局',
      senderAddress: '',
      replyTo: '',
      nextConsultationNumber: '4',
      nextMeetingNumber: '',
      version: inputValue(page, 'version'),
    };
    const saved = await secretariat.post(SETTINGS, form);
    expect(saved.status).toBe(303);
    const after = await (await secretariat.get(SETTINGS)).text();
    expect(after).toContain('諮問を第3号まで');
    expect(after).toContain('value="さくら市 審議会事務局"');
    const again = await secretariat.post(SETTINGS, { ...form, version: inputValue(after, 'version'), nextConsultationNumber: '3' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('id="f-nextConsultationNumber-error">今年度は第3号まで付番済みです。4以上を入力してください。');
    expect((await secretariat.post(SETTINGS, { ...form, nextConsultationNumber: '' })).status).toBe(409);
  });
});
