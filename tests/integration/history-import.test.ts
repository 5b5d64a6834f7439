import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LOCAL_ATTACHMENTS_BUCKET } from '#infra/local/stack.ts';
import { fiscalYear, formatEraDate, formatFiscalYear } from '#shared/domain/era.ts';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { acceptedCase } from '../support/cases.ts';
import { asUser, signIn, useLocalStack } from '../support/local-stack.ts';
import { shiftJis } from '../support/shift-jis.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const welfare = asUser(base, 'u-fukushi');

const HEADER = '諮問番号,年度,件名,担当課,諮問日,審議日,答申日,結果,条件,条件の状況';
const today = tokyoDate(new Date());
const fy = fiscalYear(today);
const thisYear = `${fy}年度`;
const lastYear = `${fy - 1}年度`;
const yearStart = `${fy}-04-01`;
const lastYearDay = (md: string) => `${fy - 1}-${md}`;
// An answer 40 days ago: its open erasure certificate (usually due 30 days after the answer) is past due, so it is due 30 days from today.
const answeredRecently = addDays(today, -40);

/** Last year's register as a council keeps it, and this year's 第2号 and 第3号, numbered on paper after the app's 第1号. */
const GOOD_ROWS = [
  `1,${lastYear},図書館利用者情報の委託処理,福祉部 生活福祉課,${lastYearDay('05-10')},${lastYearDay('06-01')},${lastYearDay('06-05')},可,,`,
  `2,${lastYear},生活保護システムの更改,生活福祉課,${lastYearDay('07-01')},${lastYearDay('08-01')},,条件付き可,"委託契約書に安全管理措置を明記すること\n再委託を行う場合は事前に承認を得ること",完了;完了`,
  `3,${lastYear},住民票の写しのコンビニ交付,市民課,${lastYearDay('09-01')},${lastYearDay('10-01')},,継続審議,,`,
  `2,${thisYear},児童手当の電子申請,福祉部 生活福祉課,${yearStart},${yearStart},,否,,`,
  `3,${thisYear},介護保険データの外部提供,福祉部 生活福祉課,${answeredRecently},${answeredRecently},${answeredRecently},条件付き可,委託先の作業場所を限定すること;終了後にデータ消去証明書を提出すること,完了;対応中`,
];
const good = () => new TextEncoder().encode(`\uFEFF${[HEADER, ...GOOD_ROWS].join('\r\n')}\r\n`);

/** Uploads a file the way the page's form does (multipart, straight to storage), then opens where storage sends the browser back. */
async function upload(who: ReturnType<typeof asUser>, councilId: string, fileName: string, bytes: Uint8Array) {
  const page = await (await who.get(`/c/${councilId}/import`)).text();
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page)![1]!;
  const form = new FormData();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, m[2]!.replaceAll('&amp;', '&'));
  form.append('file', new Blob([bytes]), fileName);
  const stored = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  expect(stored.status).toBe(303);
  const back = new URL(stored.headers.get('location')!);
  return who.get(`${back.pathname}${back.search}`);
}

/** The upload the confirm button would write (the upload form's own `key` field is storage's policy, not this). */
const keyIn = (page: string) => /action="\/c\/\w+\/import">.*?<input type="hidden" name="key" value="([^"]+)">/s.exec(page)?.[1]?.replaceAll('&amp;', '&');

async function uploads(): Promise<string[]> {
  const s3 = new S3Client({
    endpoint: local.stack.urls.s3,
    forcePathStyle: true,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const out = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_ATTACHMENTS_BUCKET, Prefix: 'imports/' }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** The titles on 諮問一覧 for a fiscal year, as the secretariat reads it. */
async function registerTitles(year: number): Promise<string[]> {
  const page = await (await secretariat.get(`/c/sakura/consultations?year=${year}`)).text();
  return [...page.matchAll(/<td><a href="\/c\/sakura\/consultations\/[^"]+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);
}

describe('importing past cases from a CSV at /c/{councilId}/import', () => {
  it('refuses a file with problems, row by row in Japanese, and writes nothing', async () => {
    // A case accepted in the app this year takes 第1号 first.
    await acceptedCase(base, 'アプリで受け付けた諮問');

    // Saved by Excel as Shift_JIS: the problems are read all the same.
    const bad = shiftJis(
      [
        HEADER,
        `1,${lastYear},図書館利用者情報の委託処理,人事課,${lastYearDay('05-10')},${lastYearDay('06-01')},,可,,`,
        `2,${lastYear},生活保護システムの更改,生活福祉課,令和2年2月30日,${lastYearDay('08-01')},,条件付き可,委託契約書に明記すること,済み`,
      ].join('\r\n'),
    );
    const res = await upload(secretariat, 'sakura', '過去の諮問.csv', bad);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('このファイルは取り込めません。次の3件を直して、もう一度アップロードしてください。何も書き込んでいません。');
    expect(page).toContain('2行目 担当課「人事課」は登録されていません。');
    expect(page).toContain('3行目 諮問日「令和2年2月30日」を読み取れません。');
    expect(page).toContain('3行目 条件の状況「済み」は使えません。');
    expect(keyIn(page)).toBeUndefined();

    // A number this year already gave is a row error too (checked against the council's register).
    const taken = await upload(
      secretariat,
      'sakura',
      'taken.csv',
      new TextEncoder().encode([HEADER, `1,${thisYear},紙の諮問,市民課,${yearStart},${yearStart},,可,,`].join('\n')),
    );
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain(`2行目 ${formatFiscalYear(fy)}諮問第1号は、既に「アプリで受け付けた諮問」に付いています。`);

    expect(await registerTitles(fy - 1)).toEqual([]);
    expect(await registerTitles(fy)).toEqual(['アプリで受け付けた諮問']);
    // Nothing to confirm: the refused uploads are gone from storage.
    expect(await uploads()).toEqual([]);
  });

  it('previews a good file, then writes closed cases, their answers and open conditions as follow-ups; numbering goes on after them', async () => {
    const res = await upload(secretariat, 'sakura', '令和の諮問.csv', good());
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('5件すべてを読み取れました。');
    expect(page).toContain(`<td class="nowrap">${formatFiscalYear(fy - 1)}諮問第2号</td><td>生活保護システムの更改</td><td>福祉部 生活福祉課</td>`);
    expect(page).toContain('終了後にデータ消去証明書を提出すること(対応中:履行確認に載せます)');
    expect(page).toContain(`取込後の諮問番号:${formatFiscalYear(fy - 1)}は第3号まで、${formatFiscalYear(fy)}は次に受け付ける諮問が第4号になります。`);
    // Previewed only: nothing on the register yet.
    expect(await registerTitles(fy - 1)).toEqual([]);

    const key = keyIn(page)!;
    const confirmed = await secretariat.post('/c/sakura/import', { key });
    expect(confirmed.status).toBe(303);
    const done = await (await secretariat.get(confirmed.headers.get('location')!)).text();
    expect(done).toContain('5件の諮問を取り込みました。');

    // On the register, newest number first, as closed cases (or still following a condition up).
    expect(await registerTitles(fy - 1)).toEqual(['住民票の写しのコンビニ交付', '生活保護システムの更改', '図書館利用者情報の委託処理']);
    expect(await registerTitles(fy)).toEqual(['介護保険データの外部提供', '児童手当の電子申請', 'アプリで受け付けた諮問']);
    const list = await (await secretariat.get(`/c/sakura/consultations?year=${fy}`)).text();
    expect(list).toMatch(
      /介護保険データの外部提供<\/a><\/td><td>介護保険データの外部提供<\/td><td>福祉部 生活福祉課<\/td><td><span class="status">条件の履行確認中<\/span>/,
    );
    expect(list).toMatch(
      /児童手当の電子申請<\/a><\/td><td>児童手当の電子申請<\/td><td>福祉部 生活福祉課<\/td><td><span class="status">完了<\/span> <span class="muted">\(否・過去の記録\)<\/span>/,
    );

    // The case page says where it came from; its answer opens with the outcome and the conditions.
    const casePath = /href="(\/c\/sakura\/consultations\/[^"]+)">生活保護システムの更改/.exec(
      await (await secretariat.get(`/c/sakura/consultations?year=${fy - 1}`)).text(),
    )![1]!;
    const casePage = await (await welfare.get(casePath)).text();
    expect(casePage).toContain(
      `過去の記録から取り込んだ諮問です(山下 潤(総務課 情報公開係)が取込)。結果:条件付き可 ・ 審議日:${formatEraDate(lastYearDay('08-01'), { weekday: false })}`,
    );
    const answer = await (await welfare.get(`${casePath}/answer`)).text();
    expect(answer).toContain('次の条件を付して、実施することを認める。');
    expect(answer).toContain('再委託を行う場合は事前に承認を得ること');
    const docx = await welfare.get(`${casePath}/answer.docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toContain('officedocument.wordprocessingml');
    // A case carried over has its outcome and no answer to open.
    const carriedPath = /href="(\/c\/sakura\/consultations\/[^"]+)">住民票の写しのコンビニ交付/.exec(
      await (await secretariat.get(`/c/sakura/consultations?year=${fy - 1}`)).text(),
    )![1]!;
    const carried = await (await secretariat.get(carriedPath)).text();
    expect(carried).toContain('結果:継続審議');
    expect(carried).not.toContain('答申書を開く');
    // The business's history lists it with its answer.
    const history = /href="(\/c\/sakura\/businesses\/[^"]+)"/.exec(casePage)![1]!;
    const historyPage = await (await welfare.get(history)).text();
    expect(historyPage).toContain('生活保護システムの更改');
    expect(historyPage).toContain('取込の時点で履行済み:委託契約書に安全管理措置を明記すること、再委託を行う場合は事前に承認を得ること');

    // The condition still open is followed up: the department sees it, due 30 days from today.
    const home = await (await welfare.get('/')).text();
    expect(home).toContain('介護保険データの外部提供:終了後にデータ消去証明書を提出すること');
    expect(home).toContain(`期限 ${formatEraDate(addDays(today, 30), { weekday: false })}`);
    expect(home).not.toContain('委託先の作業場所を限定すること');
    const dashboard = await (await secretariat.get('/c/sakura/followups')).text();
    expect(dashboard).toContain('終了後にデータ消去証明書を提出すること');

    // The next case accepted this year takes the number after the imported ones.
    const next = await acceptedCase(base, '取込の後に受け付けた諮問');
    expect(await (await secretariat.get(next)).text()).toContain(`${formatFiscalYear(fy)}諮問第4号`);
    expect(await uploads()).toEqual([]);
  });

  it('writes nothing twice: the same file again, or the confirm button pressed twice', async () => {
    const again = await upload(secretariat, 'sakura', '令和の諮問.csv', good());
    expect(again.status).toBe(200);
    const page = await again.text();
    expect(page).toContain('5件はすべて取込済みです。書き込むものはありません。');
    expect(page).toContain('取込済み(書き込みません)');
    expect(keyIn(page)).toBeUndefined();

    // A file with one new row and the old ones: two clicks at once write the new one once.
    const more = new TextEncoder().encode(
      [
        HEADER,
        ...GOOD_ROWS,
        `4,${lastYear},防犯カメラの設置,市民部 市民課,${lastYearDay('11-01')},${lastYearDay('12-01')},,可(意見付き),映像の保存期間を周知されたい,完了`,
      ].join('\n'),
    );
    const preview = await (await upload(secretariat, 'sakura', 'more.csv', more)).text();
    expect(preview).toContain('1件を取り込む');
    const key = keyIn(preview)!;
    const [a, b] = await Promise.all([secretariat.post('/c/sakura/import', { key }), secretariat.post('/c/sakura/import', { key })]);
    expect([a.status, b.status].sort()).toContain(303);
    for (const r of [a, b]) expect([303, 409]).toContain(r.status);
    expect(await registerTitles(fy - 1)).toEqual(['防犯カメラの設置', '住民票の写しのコンビニ交付', '生活保護システムの更改', '図書館利用者情報の委託処理']);
    // Once written, the upload is gone: pressing the button of that page again says so.
    const late = await secretariat.post('/c/sakura/import', { key });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('このファイルは取り込み済みか、時間が経って消えました。');
  });

  it('lets no other council’s secretariat import into this one, nor read this one’s uploads', async () => {
    const operator = asUser(base, 'u-operator');
    const opened = await operator.post('/admin/councils', {
      councilId: 'kaede',
      name: 'かえで村個人情報保護審査会',
      municipality: 'かえで村',
      contact: 'かえで村 総務課',
      secretariatEmail: 'somu@vill.kaede.example.jp',
      quorum: 'majority',
      senderAddress: '',
      replyTo: '',
      adminUserId: 'kaede-somu',
      adminName: '楓 一郎',
      adminKana: 'かえで いちろう',
      adminEmail: 'kaede@vill.kaede.example.jp',
    });
    expect(opened.status).toBe(200);
    const password = /id="temporary-password">([^<]+)</.exec(await opened.text())![1]!.replaceAll('&amp;', '&');
    const { cookie, csrf } = await signIn(base(), 'kaede-somu', password);
    const get = (path: string) => fetch(`${base()}${path}`, { headers: { cookie }, redirect: 'manual' });
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${base()}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
        redirect: 'manual',
      });

    // A file waiting in this council's uploads, previewed but not confirmed.
    const preview = await (
      await upload(
        secretariat,
        'sakura',
        'waiting.csv',
        new TextEncoder().encode([HEADER, `9,${lastYear},待っている取込,市民課,${lastYearDay('05-01')},${lastYearDay('06-01')},,可,,`].join('\n')),
      )
    ).text();
    const key = keyIn(preview)!;
    expect(key).toMatch(/^imports\/sakura\//);

    expect((await get('/c/kaede/import')).status).toBe(200);
    expect((await get('/c/sakura/import')).status).toBe(403);
    expect((await get(`/c/sakura/import/uploaded?key=${encodeURIComponent(key)}`)).status).toBe(403);
    expect((await post('/c/sakura/import', { key })).status).toBe(403);
    // Through its own council's pages, another council's upload is never read.
    const own = await get(`/c/kaede/import/uploaded?key=${encodeURIComponent(key)}`);
    expect(own.status).toBe(400);
    expect(await own.text()).toContain('取り込むファイルの指定が正しくありません。');
    expect((await post('/c/kaede/import', { key })).status).toBe(400);
    expect(await registerTitles(fy - 1)).not.toContain('待っている取込');
    expect(await uploads()).toEqual([key]);
  });
});
