import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { afterAll, describe, expect, it } from 'vitest';
import { close } from '#infra/local/services.ts';
import { startSes } from '#infra/local/ses.ts';
import { sentMails } from '../support/local-stack.ts';

/**
 * The mail viewer keeps its mails across a restart when the stack has a data folder, and keeps
 * them in memory only when it has none (tests). A restart is a new process: the library's
 * in-memory store is emptied between the two servers to stand for one.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'council-ses-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const libraryStore = createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as { getStoreReadonly: () => { emails: unknown[] } };
const newProcess = () => (libraryStore.getStoreReadonly().emails = []);

async function send(url: string, subject: string) {
  const ses = new SESClient({ endpoint: url, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      Source: 'no-reply@example.jp',
      Destination: { ToAddresses: ['iin@example.jp'] },
      Message: { Subject: { Data: subject }, Body: { Text: { Data: `${subject}の本文` }, Html: { Data: `<p>${subject}</p>` } } },
    }),
  );
  ses.destroy();
  return MessageId!;
}

describe('the mail viewer across restarts', () => {
  it('shows every accepted mail again after a restart with a data folder', async () => {
    let ses = await startSes(0, dataDir);
    const first = await send(ses.url, '審議会開催のお知らせ');
    const second = await send(ses.url, '答申:生活保護受給者金銭管理支援業務委託');
    await close(ses.server);

    newProcess();
    ses = await startSes(0, dataDir);
    const mails = (await sentMails(ses.url)) as unknown as {
      messageId: string;
      subject: string;
      body: { text: string; html: string };
      destination: { to: string[] };
    }[];
    expect(mails.map((m) => m.messageId)).toEqual([first, second]);
    expect(mails[0]).toMatchObject({
      subject: '審議会開催のお知らせ',
      body: { text: '審議会開催のお知らせの本文', html: '<p>審議会開催のお知らせ</p>' },
      destination: { to: ['iin@example.jp'] },
    });
    // The viewer's page and its download of a kept mail work as before.
    expect((await fetch(`${ses.url}/`)).status).toBe(200);
    const eml = await fetch(`${ses.url}/get-emlContent?messageId=${encodeURIComponent(second)}`);
    expect(eml.status).toBe(200);
    const third = await send(ses.url, '三通目');
    expect((await sentMails(ses.url)).length).toBe(3);
    await close(ses.server);

    newProcess();
    ses = await startSes(0, dataDir);
    expect(((await sentMails(ses.url)) as unknown as { messageId: string }[]).map((m) => m.messageId)).toEqual([first, second, third]);
    // Clearing in the viewer clears what is kept too.
    expect((await fetch(`${ses.url}/clear-store`, { method: 'POST' })).status).toBe(200);
    await close(ses.server);
    newProcess();
    ses = await startSes(0, dataDir);
    expect(await sentMails(ses.url)).toEqual([]);
    await close(ses.server);
  });

  it('keeps mails in memory only without a data folder', async () => {
    const files = readdirSync(dataDir);
    newProcess();
    let ses = await startSes(0);
    await send(ses.url, 'メモリのみ');
    expect((await sentMails(ses.url)).length).toBe(1);
    await close(ses.server);
    expect(readdirSync(dataDir)).toEqual(files);
    expect(existsSync(path.join(dataDir, 'mails.jsonl'))).toBe(true);

    newProcess();
    ses = await startSes(0);
    expect(await sentMails(ses.url)).toEqual([]);
    await close(ses.server);
  });
});
