import { describe, expect, it } from 'vitest';
import { DEMO_COUNCIL, DEMO_MEMBERS } from '#infra/local/demo-data.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const department = asUser(base, 'u-shimin');
const anonymous = asUser(base);
const roster = `/c/${DEMO_COUNCIL.councilId}/members`;

const newMember = {
  name: '<script>alert(1)</script>山田 花子',
  kana: 'やまだ はなこ',
  category: 'lawyer',
  affiliation: 'さくら中央法律事務所',
  email: 'yamada@example.jp',
};

describe('council members, through the gateway, handlers, SDK and dynalite', () => {
  it('offers sign-in on the signed-out home page and names no council; a signed-in person lands on their own council', async () => {
    const res = await anonymous.get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const home = await res.text();
    expect(home).toContain('href="/auth/signin"');
    expect(home).not.toContain(DEMO_COUNCIL.name);
    expect(home).not.toContain(DEMO_COUNCIL.municipality);
    expect(await (await secretariat.get('/')).text()).toContain(`<h1>${DEMO_COUNCIL.name}</h1>`);
  });

  it('shows the roster to the council’s staff, chair first, without addresses for departments', async () => {
    const page = await (await department.get(roster)).text();
    const chair = DEMO_MEMBERS.find((m) => m.memberId === DEMO_COUNCIL.chairMemberId)!;
    expect(page.indexOf(chair.name)).toBeGreaterThan(0);
    for (const m of DEMO_MEMBERS) expect(page.indexOf(chair.name)).toBeLessThanOrEqual(page.indexOf(m.name));
    expect(page).not.toContain(chair.email);
    expect(page).not.toContain('委員を登録する');
  });

  it('asks a signed-out visitor to sign in, and refuses a department that tries to edit', async () => {
    expect((await anonymous.get(roster)).status).toBe(401);
    const res = await department.post(roster, { ...newMember, requestId: 'dept-try' });
    expect(res.status).toBe(403);
    const page = await (await secretariat.get(roster)).text();
    expect(page).not.toContain('yamada@example.jp');
  });

  it('registers a member once, however often the form is sent, and mails them', async () => {
    const form = await (await secretariat.get(roster)).text();
    const requestId = inputValue(form, 'requestId');
    const first = await secretariat.post(roster, { ...newMember, requestId });
    const second = await secretariat.post(roster, { ...newMember, requestId });
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(first.headers.get('location')).toBe(`${roster}?notice=added`);

    const page = await (await secretariat.get(`${roster}?notice=added`)).text();
    expect(page).toContain('委員を登録し、本人に登録のお知らせを送信しました。');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;山田 花子');
    expect(page).not.toContain('<script>');
    expect(page.split('yamada@example.jp').length - 1).toBe(1);

    const mails = (await sentMails(local.stack.urls.ses)).filter((m) => m.destination.to.includes('yamada@example.jp'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('【さくら市個人情報保護審議会】委員として登録しました');
    expect(mails[0]!.body.text).toContain(`${base()}${roster}`);
    expect(mails[0]!.body.html).toContain('&lt;script&gt;');
  });

  it('brings an invalid form back with the errors beside the fields and the typed values kept', async () => {
    const res = await secretariat.post(roster, { ...newMember, requestId: 'r-invalid', kana: 'Yamada', email: 'yamada@' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toMatch(/id="f-kana"[^>]*value="Yamada"[^>]*aria-invalid="true"/);
    expect(page).toContain('<p class="field-error" id="f-kana-error">ふりがなはひらがなで入力してください。</p>');
    expect(page).toContain('<p class="field-error" id="f-email-error">メールアドレスの形式が正しくありません。</p>');
    expect(page).toContain('value="さくら中央法律事務所"');
    expect((await secretariat.get(`${roster}/r-invalid`)).status).toBe(404);
  });

  it('saves an edit, and refuses a second editor working from the old version without losing their text', async () => {
    const target = `${roster}/m-koyama`;
    const form = await (await secretariat.get(target)).text();
    const version = inputValue(form, 'version');
    const fields = { name: '小山 宇一', kana: 'こやま ういち', category: 'citizen', email: 'koyama@members.sakura.example.jp', version };

    const first = await secretariat.post(target, { ...fields, affiliation: '市民公募委員(第2期)' });
    expect(first.status).toBe(303);
    const second = await secretariat.post(target, { ...fields, affiliation: '別の編集者の入力' });
    expect(second.status).toBe(409);
    const page = await second.text();
    expect(page).toContain('他の方が先にこの委員の情報を更新しました');
    expect(page).toContain('value="別の編集者の入力"');

    const list = await (await secretariat.get(roster)).text();
    expect(list).toContain('市民公募委員(第2期)');
    expect(list).not.toContain('別の編集者の入力');
  });

  it('changes the chair and vice-chair, refusing the same person for both', async () => {
    const page = await (await secretariat.get(roster)).text();
    const version = inputValue(page, 'version');
    const same = await secretariat.post(`/c/${DEMO_COUNCIL.councilId}/offices`, { chairMemberId: 'm-maeda', viceChairMemberId: 'm-maeda', version });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain('会長と副会長に同じ委員は選べません。');

    const ok = await secretariat.post(`/c/${DEMO_COUNCIL.councilId}/offices`, { chairMemberId: 'm-maeda', viceChairMemberId: 'm-tanabe', version });
    expect(ok.status).toBe(303);
    const after = await (await department.get(roster)).text();
    expect(after).toMatch(/<td class="nowrap">会長<\/td><td class="nowrap">前田 久美子<\/td>/);
  });

  it('refuses an oversized form before touching anything', async () => {
    const res = await secretariat.post(roster, { ...newMember, requestId: 'r-big', affiliation: 'あ'.repeat(30_000) });
    expect(res.status).toBe(413);
    expect((await secretariat.get(`${roster}/r-big`)).status).toBe(404);
  });
});
