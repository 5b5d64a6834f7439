import { ListObjectsV2Command, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LOCAL_ATTACHMENTS_BUCKET } from '#infra/local/stack.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const welfare = asUser(base, 'u-fukushi');

/** Submits the page's upload form the way a browser does: multipart straight to storage, then follows the redirect. */
async function upload(casePath: string, fileName: string, content: string | Uint8Array) {
  return uploadWith(await (await welfare.get(`${casePath}/attachments`)).text(), fileName, content);
}

/** The same with an attachments page fetched earlier (its upload form stays usable until the policy expires). */
async function uploadWith(page: string, fileName: string, content: string | Uint8Array) {
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page)![1]!;
  const form = new FormData();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1]!, m[2]!.replaceAll('&amp;', '&'));
  form.append('file', new Blob([content]), fileName);
  const stored = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  expect(stored.status).toBe(303);
  const back = new URL(stored.headers.get('location')!);
  return welfare.get(`${back.pathname}${back.search}`);
}

const s3 = () =>
  new S3Client({
    endpoint: local.stack.urls.s3,
    forcePathStyle: true,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

async function objectKeys() {
  const out = await s3().send(new ListObjectsV2Command({ Bucket: LOCAL_ATTACHMENTS_BUCKET }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** Every version and delete marker in the (versioned) bucket whose key ends with `name`: what a plain DELETE would leave behind. */
async function versionsEndingWith(name: string) {
  const out = await s3().send(new ListObjectVersionsCommand({ Bucket: LOCAL_ATTACHMENTS_BUCKET }));
  return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => v.Key!).filter((k) => k.endsWith(name));
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
    // Deleted for good: the bucket is versioned, and no older version or delete marker is left (issue 17).
    expect(await versionsEndingWith('資料2.pdf')).toEqual([]);
  });

  it('keeps no version of an upload it moved out of reach, and none of one refused for its key’s shape', async () => {
    expect(await versionsEndingWith('/資料1_構成図.pdf')).toEqual([expect.stringMatching(/^kept\/c\/sakura\/k\//)]);
    // A file name with a slash makes a key one level too deep for an attachment: refused, and gone.
    const back = await upload(casePath, 'sub/深すぎる.pdf', '%PDF-1.7\n');
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('この諮問の資料ではありません。');
    expect(await versionsEndingWith('深すぎる.pdf')).toEqual([]);
  });

  it('refuses file types other than PDF, Word and Excel', async () => {
    const back = await upload(casePath, 'setup.exe', 'MZ\x90\x00');
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('PDF、Word(.doc / .docx)、Excel(.xls / .xlsx)のファイルを選んでください。');
  });

  it('hides a case’s attachments from other departments', async () => {
    expect((await asUser(base, 'u-shimin').get(`${casePath}/attachments`)).status).toBe(404);
  });

  it('hides a draft’s attachments from the secretariat', async () => {
    expect((await asUser(base, 'u-secretariat').get(`${casePath}/attachments`)).status).toBe(404);
  });

  it('once submitted, shows the attachments to the secretariat without an upload form, and deletes an upload that came too late', async () => {
    const earlierForm = await (await welfare.get(`${casePath}/attachments`)).text();
    const version = inputValue(await (await welfare.get(`${casePath}/edit`)).text(), 'version');
    expect((await welfare.post(casePath, completeForm({ version, action: 'submit', title: '図書館システムのクラウド化' }))).status).toBe(303);

    const page = await (await asUser(base, 'u-secretariat').get(`${casePath}/attachments`)).text();
    expect(page).toContain('資料1_構成図.pdf');
    expect(page).not.toContain('multipart/form-data');

    // The form fetched while it was a draft still uploads (its policy has not expired); the case refuses it, and it goes.
    const late = await uploadWith(earlierForm, '遅れた資料.pdf', '%PDF-1.7\n');
    expect(late.status).toBe(403);
    expect(await versionsEndingWith('遅れた資料.pdf')).toEqual([]);
  });
});
