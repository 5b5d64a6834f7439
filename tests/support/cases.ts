import { expect } from 'vitest';
import { completeForm } from './consultation-forms.ts';
import { asUser, inputValue } from './local-stack.ts';

/** Drives one consultation through the real pages to 受付済み, returning its path. */
export async function acceptedCase(base: () => string, title: string, departmentUser = 'u-fukushi', fields: Record<string, string> = {}): Promise<string> {
  const dept = asUser(base, departmentUser);
  const secretariat = asUser(base, 'u-secretariat');
  const form = await (await dept.get('/c/sakura/consultations/new')).text();
  const created = await dept.post('/c/sakura/consultations', completeForm({ ...fields, requestId: inputValue(form, 'requestId'), title, action: 'submit' }));
  expect(created.status).toBe(303);
  const path = created.headers.get('location')!.replace(/\?.*$/, '');
  await waitFor(() => statusOf(secretariat, path), '受付審査中');
  const page = await (await secretariat.get(path)).text();
  expect((await secretariat.post(`${path}/screening`, { decision: 'accept', requestId: inputValue(page, 'requestId') })).status).toBe(303);
  await waitFor(() => statusOf(secretariat, path), '受付済み(日程調整待ち)');
  return path;
}

export async function statusOf(who: ReturnType<typeof asUser>, path: string) {
  const page = await (await who.get(path)).text();
  return /状態:<span class="status">([^<]+)<\/span>/.exec(page)?.[1];
}

/** Polls until `read` gives `expected`; the workflow moves in the background, as in AWS. */
export async function waitFor<T>(read: () => Promise<T>, expected: T, tries = 300): Promise<void> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`expected ${String(expected)}, still ${String(last)}`);
}

/**
 * The chair approves a case's drafted answer on its page, dated as drafted (the decision's day);
 * it is then sent. Returns the approved answer page.
 */
export async function approveAnswer(base: () => string, casePath: string, chairUser = 'm-kobayashi'): Promise<string> {
  const chair = asUser(base, chairUser);
  await waitFor(() => statusOf(chair, casePath), '答申案の確認待ち');
  const draft = await (await chair.get(`${casePath}/answer`)).text();
  const approved = await chair.post(`${casePath}/answer`, { issuedOn: inputValue(draft, 'issuedOn') });
  expect(approved.status).toBe(303);
  return (await chair.get(`${casePath}/answer`)).text();
}
