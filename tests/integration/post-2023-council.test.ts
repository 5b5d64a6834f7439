import { describe, expect, it } from 'vitest';
import { formatEraDate } from '#shared/domain/era.ts';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { statusOf, waitFor } from '../support/cases.ts';
import { individualForm } from '../support/kind-forms.ts';
import { asUser, inputValue, unescapeHtml, useLocalStack } from '../support/local-stack.ts';
import { fileForm } from '../support/personal-info-files.ts';

/**
 * The demo's second council, にれ市, works under the 2023 Act from the start (its settings, not a
 * test's write): its department files a 個別諮問, registers a 個人情報ファイル簿 entry, records a
 * leak and a 評価書 for review, and the secretariat finds the case and the file by a word of their
 * names in the precedent search — each page in its post-2023 form. The full flows of each record
 * are in their own tests (legal-basis-kinds, personal-info-files, incidents, pia-review, search).
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-nire-secretariat');
const kaigo = asUser(base, 'u-nire-kaigo');
const text = async (res: Response | Promise<Response>) => unescapeHtml(await (await res).text());
const pathOf = (res: Response) => res.headers.get('location')!.replace(/\?.*$/, '');

describe('令和5年4月以降の根拠法令で動く審議会(にれ市)', () => {
  it('所管課の新しい諮問は個別諮問(施行条例・法第129条)で、旧条例の諮問事由を尋ねない', async () => {
    const settings = await text(secretariat.get('/c/nire/settings'));
    expect(settings).toMatch(/<input type="radio" name="legalBasis" value="act2023"[^>]* checked/);
    const choice = await text(kaigo.get('/c/nire/consultations/new'));
    expect(choice).toContain('個別諮問(施行条例・法第129条)');
    expect(choice).not.toContain('条例の諮問事由による諮問');
    const form = await text(kaigo.get('/c/nire/consultations/new?kind=individual'));
    expect(form).toContain('諮問する事項');
    expect(form).not.toContain('本人外収集');
    const created = await kaigo.post('/c/nire/consultations', {
      ...individualForm({ title: '介護保険システムのガバメントクラウド移行に伴う個人情報の取扱い' }),
      requestId: inputValue(form, 'requestId'),
      action: 'submit',
    });
    expect(created.status).toBe(303);
    await waitFor(() => statusOf(secretariat, pathOf(created)), '受付審査中');
  });

  it('個人情報ファイル簿(業務届出ではなく)に登録でき、事務局が先例検索で諮問とファイルを見つける', async () => {
    const page = await text(kaigo.get('/c/nire/files/new'));
    expect(page).toContain('個人情報ファイルの名称');
    expect(page).not.toContain('業務届出');
    const created = await kaigo.post('/c/nire/files', { ...fileForm({ name: '要介護認定ファイル', agency: 'にれ市長' }), startedOn: '2024-04-01' });
    expect(created.status, await created.clone().text()).toBe(303);

    const found = await text(secretariat.get('/c/nire/search?q=クラウド移行'));
    expect(found).toContain('介護保険システムのガバメントクラウド移行に伴う個人情報の取扱い');
    const file = await text(secretariat.get(`/c/nire/search?q=${encodeURIComponent('要介護認定')}&kind=file`));
    expect(file).toContain('要介護認定ファイル');
    expect(file).toContain(pathOf(created));
    // The department finds its own file too; another council's search finds nothing of it.
    expect(await text(kaigo.get('/c/nire/search?q=要介護認定'))).toContain('要介護認定ファイル');
    expect(await text(asUser(base, 'u-secretariat').get('/c/sakura/search?q=要介護認定'))).not.toContain('要介護認定ファイル');
  });

  it('漏えい等事案を記録すると速報・確報の期限が示され、評価書の点検ではしきい値判断が示される', async () => {
    const today = tokyoDate(new Date());
    const foundOn = addDays(today, -1);
    const form = await text(kaigo.get('/c/nire/incidents/new'));
    const incident = await kaigo.post('/c/nire/incidents', {
      requestId: inputValue(form, 'requestId'),
      title: '認定調査票の誤送付',
      departmentId: 'kaigo',
      kind: 'leak',
      occurredOn: addDays(today, -3),
      foundOn,
      overview: '要介護認定の調査票を別の方に郵送した。',
      affectedCount: '1',
      dataItems: '氏名、住所、要介護度',
      sensitive: 'yes',
      vendor: '',
      unlawfulPurpose: 'no',
      cause: '封入時の照合を省いた。',
      secondaryDamage: 'none',
    });
    expect(incident.status, await incident.clone().text()).toBe(303);
    const shown = await text(kaigo.get(pathOf(incident)));
    expect(shown).toContain(formatEraDate(addDays(foundOn, 5), { weekday: false }));
    expect(shown).toContain(formatEraDate(addDays(foundOn, 30), { weekday: false }));

    const review = await kaigo.post('/c/nire/pia', {
      businessName: '介護保険に関する事務',
      evaluationType: 'full',
      subjects: '52000',
      handlers: '310',
      seriousIncident: 'no',
    });
    expect(review.status, await review.clone().text()).toBe(303);
    expect(await text(kaigo.get(pathOf(review)))).toContain('対象人数 52,000人・取扱者数 310人・重大事故 なし');
  });
});
