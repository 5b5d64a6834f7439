import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LOCAL_ATTACHMENTS_BUCKET } from '#infra/local/stack.ts';
import { asUser, inputValue, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const welfare = asUser(base, 'u-fukushi');

/** Submits the page's upload form the way a browser does: multipart straight to storage, then follows the redirect. */
async function upload(casePath: string, fileName: string, content: string | Uint8Array) {
  const page = await (await welfare.get(`${casePath}/attachments`)).text();
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page)![1]!;
  const form = new FormData();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, m[2]!.replaceAll('&amp;', '&'));
  form.append('file', new Blob([content]), fileName);
  const stored = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  expect(stored.status).toBe(303);
  const back = new URL(stored.headers.get('location')!);
  return welfare.get(`${back.pathname}${back.search}`);
}

async function objectKeys() {
  const s3 = new S3Client({
    endpoint: local.stack.urls.s3,
    forcePathStyle: true,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const out = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_ATTACHMENTS_BUCKET }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

describe('attachments uploaded straight to storage', () => {
  let casePath = '';

  it('records a real PDF as 資料1 and serves it back under its Japanese name', async () => {
    const form = await (await welfare.get('/c/sakura/consultations/new')).text();
    const created = await welfare.post('/c/sakura/consultations', {
      requestId: inputValue(form, 'requestId'),
      title: '図書館システムのクラウド化',
      action: 'save',
    });
    casePath = created.headers.get('location')!.replace(/\?.*$/, '');

    const back = await upload(casePath, '資料1_構成図.pdf', '%PDF-1.7\n構成図\n');
    expect(back.status).toBe(303);
    const list = await (await welfare.get(`${casePath}/attachments`)).text();
    expect(list).toContain('<td>資料1</td>');
    expect(list).toContain('資料1_構成図.pdf');

    const link = /<a href="([^"]+\/attachments\/[^"]+)">資料1_構成図\.pdf<\/a>/.exec(list)![1]!;
    const redirect = await welfare.get(link);
    expect(redirect.status).toBe(303);
    const file = await fetch(redirect.headers.get('location')!);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('%PDF-1.7\n構成図\n');
    expect(decodeURIComponent(file.headers.get('content-disposition')!)).toContain('資料1_構成図.pdf');
  });

  it('keeps the checked file even if the upload form is posted again with other bytes', async () => {
    const page = await (await welfare.get(`${casePath}/attachments`)).text();
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page)![1]!;
    const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')] as const);
    const post = async (content: string) => {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      form.append('file', new Blob([content]), '資料2_仕様書.pdf');
      return fetch(action, { method: 'POST', body: form, redirect: 'manual' });
    };
    const first = await post('%PDF-1.7\n正しい仕様書\n');
    const back = new URL(first.headers.get('location')!);
    expect((await welfare.get(`${back.pathname}${back.search}`)).status).toBe(303);
    expect((await post('MZ\x90\x00 差し替え')).status).toBe(303);
    const list = await (await welfare.get(`${casePath}/attachments`)).text();
    const link = /<a href="([^"]+\/attachments\/[^"]+)">資料2_仕様書\.pdf<\/a>/.exec(list)![1]!;
    const file = await fetch((await welfare.get(link)).headers.get('location')!);
    expect(await file.text()).toBe('%PDF-1.7\n正しい仕様書\n');
  });

  it('lets the upload form post to storage and nowhere else', async () => {
    const res = await welfare.get(`${casePath}/attachments`);
    expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${local.stack.urls.s3}`);
  });

  it('refuses a web page renamed to .pdf, deleting it from storage', async () => {
    const before = (await objectKeys()).filter((k) => k.startsWith('kept/'));
    const back = await upload(casePath, '資料2.pdf', '<html><script>alert(1)</script></html>');
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('「資料2.pdf」は添付できませんでした。ファイルの中身がPDFの形式ではありません。');
    expect(await objectKeys()).toEqual(expect.arrayContaining(before));
    expect((await objectKeys()).some((k) => k.endsWith('資料2.pdf'))).toBe(false);
  });

  it('refuses file types other than PDF, Word and Excel', async () => {
    const back = await upload(casePath, 'setup.exe', 'MZ\x90\x00');
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('PDF、Word(.doc / .docx)、Excel(.xls / .xlsx)のファイルを選んでください。');
  });

  it('hides a case’s attachments from other departments', async () => {
    expect((await asUser(base, 'u-shimin').get(`${casePath}/attachments`)).status).toBe(404);
  });

  it('offers the secretariat no upload form', async () => {
    const page = await (await asUser(base, 'u-secretariat').get(`${casePath}/attachments`)).text();
    expect(page).toContain('資料1_構成図.pdf');
    expect(page).not.toContain('multipart/form-data');
  });
});
