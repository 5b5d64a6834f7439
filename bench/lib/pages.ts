/**
 * Drives the real pages over loopback, as a person with a browser would: GET a form,
 * POST it, follow the 303 to the page it leads to. The workflow moves in the background,
 * so `waitForStatus` polls the case's status — straight from the table through a client
 * of its own, so that polling is never counted as a page view or as application reads.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import type { Auth } from './auth.ts';

export type Form = Record<string, string | string[]>;

export interface PageClient {
  get(path: string): Promise<Response>;
  post(path: string, form: Form): Promise<Response>;
  /** POST, expect a 303, then GET where it leads (what a browser shows next); returns the path it led to. */
  submit(path: string, form: Form): Promise<{ location: string; page: string }>;
}

export function asUser(base: string, auth: Auth, userId?: string): PageClient {
  const cookie = auth.cookies(userId).join('; ');
  const csrf = auth.csrf(userId);
  const headers = (extra: Record<string, string> = {}) => ({ ...(cookie ? { cookie } : {}), ...extra });
  const client: PageClient = {
    get: (path) => fetch(`${base}${path}`, { headers: headers(), redirect: 'manual' }),
    post: (path, form) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) body.append(k, value);
      if (csrf) body.append('_csrf', csrf);
      return fetch(`${base}${path}`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        body: body.toString(),
        redirect: 'manual',
      });
    },
    async submit(path, form) {
      const res = await client.post(path, form);
      if (res.status !== 303) throw new Error(`POST ${path} answered ${res.status}: ${(await res.text()).slice(0, 400)}`);
      await res.arrayBuffer();
      const location = res.headers.get('location')!;
      const next = await client.get(location);
      return { location: location.replace(/\?.*$/, ''), page: await next.text() };
    },
  };
  return client;
}

export async function text(res: Promise<Response>): Promise<string> {
  const r = await res;
  if (r.status !== 200) throw new Error(`${r.url} answered ${r.status}`);
  return r.text();
}

/** The value of a hidden or text input in a page. */
export function inputValue(page: string, name: string): string {
  const m = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page);
  if (!m) throw new Error(`no input ${name} on the page`);
  return m[1]!;
}

export const itemIdsOf = (meetingPage: string) => [...meetingPage.matchAll(/<li id="item-([^"]+)">/g)].map((m) => m[1]!);

/** Reads case statuses without going through the application (see the file comment). */
export function statusReader(endpoint: string, tableName: string) {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const statusOf = async (councilId: string, consultationId: string) => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.consultation(councilId, consultationId), ConsistentRead: true }));
    return Item?.['status'] as string | undefined;
  };
  return {
    statusOf,
    /** Polls (at most ~10 s) until the case is in `expected`. */
    async waitForStatus(councilId: string, consultationId: string, expected: string): Promise<void> {
      let last: string | undefined;
      for (let i = 0; i < 1000; i++) {
        last = await statusOf(councilId, consultationId);
        if (last === expected) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`case ${consultationId}: expected ${expected}, still ${last}`);
    },
    destroy: () => db.destroy(),
  };
}
