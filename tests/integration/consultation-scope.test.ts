import { describe, expect, it } from 'vitest';
import { keyOfBusiness } from '#shared/domain/followups.ts';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

/**
 * Issue 15, item 7, on the local stack through the pages: a case naming three 事務 (in each one's
 * history, 「… 他2件」 in the lists and the mail), a transfer to a third party abroad from the form
 * to the case page and the answer, and a vendor 「選定中」 reported after the decision.
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const welfare = asUser(base, 'u-fukushi');
const EVERYONE = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
const SECRETARIAT_MAIL = 'joho-koukai@city.sakura.example.jp';

const THREE = {
  'businesses.0.name': '住民基本台帳事務',
  'businesses.0.registration': '市-001',
  'businesses.1.name': '印鑑登録事務',
  'businesses.2.name': '個人住民税の賦課事務',
};
const ABROAD = {
  triggers: ['outsourcing', 'abroad'],
  'abroad.country': 'アメリカ合衆国',
  'abroad.basis': 'equivalent_measures',
  'abroad.measures': '<b>クラウド事業者A社</b>(ISO/IEC 27018 取得)が、日本の個人情報保護法に相当する措置を契約で継続的に講ずる。',
  'vendor.selecting': 'on',
  'vendor.name': '',
  'vendor.certification': '',
  'vendor.certificationExpiry': '',
};

/** Registers a meeting, puts the case on it, opens it and approves with `conditions`; the chair approves the answer. */
async function decide(casePath: string, conditions: string[]): Promise<string> {
  const form = await (await secretariat.get('/c/sakura/meetings')).text();
  const meeting = (
    await secretariat.post('/c/sakura/meetings', {
      requestId: inputValue(form, 'requestId'),
      kind: 'meeting',
      date: '2026-12-14',
      startTime: '10:00',
      venue: '特別会議室',
      publicObservation: 'yes',
    })
  ).headers
    .get('location')!
    .replace(/\?.*$/, '');
  await secretariat.post(`${meeting}/items`, { kind: 'deliberation', consultationIds: [casePath.split('/').pop()!] });
  await waitFor(() => statusOf(secretariat, casePath), '審議予定');
  await secretariat.post(`${meeting}/open`, {});
  await waitFor(() => statusOf(secretariat, casePath), '審議中');
  const item = /<li id="item-([^"]+)">/.exec(await (await secretariat.get(meeting)).text())![1]!;
  const decided = await secretariat.post(`${meeting}/items/${item}/decision`, { mode: 'all', present: EVERYONE, conditions: conditions.join('\n') });
  expect(decided.status).toBe(303);
  return approveAnswer(base, casePath);
}

describe('a case naming several 事務', () => {
  it('is in the history of each of its three 事務, and reads 「住民基本台帳事務 他2件」 in the lists and the mail', async () => {
    const casePath = await acceptedCase(base, '住民情報システムのクラウド移行', 'u-fukushi', THREE);
    const page = await (await secretariat.get(casePath)).text();
    const histories = [...page.matchAll(/<li><a href="(\/c\/sakura\/businesses\/[^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(histories).toEqual([
      [`/c/sakura/businesses/${keyOfBusiness({ name: '住民基本台帳事務', registration: '市-001' })}`, '住民基本台帳事務'],
      [`/c/sakura/businesses/${keyOfBusiness({ name: '印鑑登録事務' })}`, '印鑑登録事務'],
      [`/c/sakura/businesses/${keyOfBusiness({ name: '個人住民税の賦課事務' })}`, '個人住民税の賦課事務'],
    ]);
    expect(page).toContain('住民基本台帳事務(登録番号 市-001)\n印鑑登録事務\n個人住民税の賦課事務');
    for (const [path, name] of histories) {
      const history = await (await secretariat.get(path!)).text();
      expect(history).toContain(`<title>事務の履歴:${name}`);
      expect(history).toContain(`>住民情報システムのクラウド移行</a>`);
    }
    // Another business's history does not have it; the keyword search finds it by any of its 事務.
    expect(await (await secretariat.get(`/c/sakura/businesses/${keyOfBusiness({ name: '生活保護に関する事務' })}`)).text()).not.toContain(
      '住民情報システムのクラウド移行',
    );

    const row = (list: string) => /<td><a href="[^"]+">住民情報システムのクラウド移行<\/a><\/td><td>([^<]*)<\/td>/.exec(list)?.[1];
    expect(row(await (await secretariat.get('/c/sakura/consultations')).text())).toBe('住民基本台帳事務 他2件');
    expect(row(await (await welfare.get('/c/sakura/consultations?q=%E5%8D%B0%E9%91%91')).text())).toBe('住民基本台帳事務 他2件');
    const submitted = (await sentMails(local.stack.urls.ses)).find((m) => m.subject.includes('諮問の提出:住民情報システムのクラウド移行'))!;
    expect(submitted.body.text).toMatch(/個人情報取扱事務\s*:住民基本台帳事務 他2件/);
  });

  it('leaves the history of a 事務 the department removes before submitting', async () => {
    const form = await (await welfare.get('/c/sakura/consultations/new')).text();
    const saved = await welfare.post('/c/sakura/consultations', {
      requestId: inputValue(form, 'requestId'),
      title: '事務を一つ外す諮問',
      ...THREE,
      action: 'save',
    });
    const casePath = saved.headers.get('location')!.replace(/\?.*$/, '');
    const edit = await (await welfare.get(`${casePath}/edit`)).text();
    expect(edit).toContain('value="個人住民税の賦課事務"');
    const { completeForm } = await import('../support/consultation-forms.ts');
    const submitted = await welfare.post(
      casePath,
      completeForm({
        version: inputValue(edit, 'version'),
        title: '事務を一つ外す諮問',
        'businesses.0.name': '印鑑登録事務',
        'businesses.0.registration': '',
        action: 'submit',
      }),
    );
    expect(submitted.status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '受付審査中');
    const historyOf = async (name: string) => (await secretariat.get(`/c/sakura/businesses/${keyOfBusiness({ name })}`)).text();
    expect(await historyOf('印鑑登録事務')).toContain('事務を一つ外す諮問');
    expect(await historyOf('個人住民税の賦課事務')).not.toContain('事務を一つ外す諮問');
  });
});

describe('a transfer abroad and a vendor still being chosen', () => {
  let casePath = '';

  it('carries the country, the case of the law and the safeguards to the case page and the answer', async () => {
    casePath = await acceptedCase(base, '電子申請のクラウド化', 'u-fukushi', ABROAD as unknown as Record<string, string>);
    const page = await (await secretariat.get(casePath)).text();
    expect(page).toContain('外国にある第三者への提供');
    expect(page).toContain(
      '提供先の国:アメリカ合衆国\n根拠:相当措置を継続的に講ずる体制(基準に適合する体制)\n提供先と措置:&lt;b&gt;クラウド事業者A社&lt;/b&gt;',
    );
    expect(page).toContain('選定中(審議の後、所管課が報告します)');
    // Nobody may report a vendor before the decision.
    expect(await (await welfare.get(casePath)).text()).not.toContain('委託先を報告する');
    const early = await welfare.post(`${casePath}/vendor`, { name: '株式会社さくらクラウド', address: 'さくら市本町1-1', chosenOn: '2027-01-10' });
    expect(early.status).toBe(409);

    const answer = await decide(casePath, ['受託者に、ヒヤリハットの件数を期間ごとに報告させること。']);
    expect(answer).toContain('諮問の区分:委託・再委託、外国にある第三者への提供');
    expect(answer).toContain('外国にある第三者への提供:提供先の国 アメリカ合衆国(相当措置を継続的に講ずる体制(基準に適合する体制))');
    await waitFor(() => statusOf(secretariat, casePath), '条件の履行確認中');
  });

  it('lets the department report the chosen vendor after the decision: recorded once, audited, mailed, and the follow-up in its name', async () => {
    const page = await (await welfare.get(casePath)).text();
    expect(page).toContain('<h2 id="vendor-report-h">委託先を報告する</h2>');
    const followUp = /<a href="([^"]+\/followups\/[^"]+)">/.exec(page)![1]!;
    expect(await (await secretariat.get(followUp)).text()).toContain('<dt>報告する人</dt><dd>福祉部 生活福祉課</dd>');
    // The secretariat sees the case but not the department's form.
    expect(await (await secretariat.get(casePath)).text()).not.toContain('vendor-report-h');

    const refused = await welfare.post(`${casePath}/vendor`, { name: ' ', address: 'さくら市本町1-1', chosenOn: '2027-02-30' });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain('<p class="field-error" id="f-name-error">委託先の名称を入力してください。</p>');
    expect(again).toContain('<p class="field-error" id="f-chosenOn-error">選定日が正しい日付ではありません。</p>');
    expect(again).toContain('value="さくら市本町1-1"');
    expect(await (await secretariat.get(casePath)).text()).toContain('選定中(審議の後、所管課が報告します)');

    const reported = await welfare.post(`${casePath}/vendor`, { name: '株式会社<さくら>クラウド', address: 'さくら市本町1-1', chosenOn: '2027-01-10' });
    expect(reported.status).toBe(303);
    expect(reported.headers.get('location')).toContain('notice=vendorReported');
    const after = await (await secretariat.get(casePath)).text();
    expect(after).toContain('報告された委託先:株式会社&lt;さくら&gt;クラウド(さくら市本町1-1、選定日 令和9年1月10日');
    expect(after).toContain('<td>長田 将夫(生活福祉課)(所管課)</td><td>委託先を報告</td>');
    expect(await (await secretariat.get(followUp)).text()).toContain('<dt>報告する人</dt><dd>株式会社&lt;さくら&gt;クラウド(委託先)</dd>');
    const mail = (await sentMails(local.stack.urls.ses)).find((m) => m.subject.includes('委託先の報告'))!;
    expect(mail.destination.to).toEqual([SECRETARIAT_MAIL]);
    expect(mail.body.text).toContain('株式会社<さくら>クラウド');
    expect(mail.body.text).toMatch(/選定日\s*:令和9年1月10日/);

    // Once: a second report changes nothing.
    const second = await welfare.post(`${casePath}/vendor`, { name: '別の会社', address: 'どこか', chosenOn: '2027-01-11' });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('委託先は既に報告されているか');
    expect(await (await secretariat.get(casePath)).text()).not.toContain('別の会社');
  });
});
