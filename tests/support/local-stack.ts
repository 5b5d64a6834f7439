import { afterAll, beforeAll } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#infra/local/stack.ts';

/** Starts the local stack (in memory unless a dataDir is given) for one test file. */
export function useLocalStack(options: LocalStackOptions = {}) {
  const ref: { stack: LocalStack } = {} as never;
  beforeAll(async () => {
    ref.stack = await startLocalStack(options);
  });
  afterAll(async () => {
    await ref.stack?.stop();
  });
  return ref;
}

/** A browser-less client of the local gateway that signs in as one of the demo identities. */
export function asUser(baseUrl: () => string, userId?: string) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(userId ? { cookie: `local_identity=${userId}` } : {}), ...extra });
  return {
    get: (path: string) => fetch(`${baseUrl()}${path}`, { headers: headers(), redirect: 'manual' }),
    post: (path: string, form: Record<string, string | string[]>) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) body.append(k, value);
      return fetch(`${baseUrl()}${path}`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        body: body.toString(),
        redirect: 'manual',
      });
    },
  };
}

export interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text: string; html?: string };
}

/** Every mail the SES stand-in has accepted. */
export async function sentMails(sesUrl: string): Promise<StoredMail[]> {
  const res = await fetch(`${sesUrl}/store`);
  return ((await res.json()) as { emails: StoredMail[] }).emails;
}

/** The value of a hidden or text input in a page. */
export function inputValue(page: string, name: string): string {
  const m = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page);
  if (!m) throw new Error(`no input ${name} on the page`);
  return m[1]!;
}
