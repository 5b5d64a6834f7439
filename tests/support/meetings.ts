import { expect } from 'vitest';
import { asUser, unescapeHtml } from './local-stack.ts';

type Client = ReturnType<typeof asUser>;

/** The secretariat invites the demo vice-chair 田辺 as staff; he signs in with the temporary password the staff page showed once. */
export async function invitedViceChair(base: () => string, secretariat: Client): Promise<Client> {
  const invited = await secretariat.post('/c/sakura/staff', {
    userId: 'm-tanabe',
    name: '田辺 和夫',
    kana: 'たなべ かずお',
    email: 'tanabe@members.sakura.example.jp',
    role: 'member',
    memberId: 'm-tanabe',
  });
  expect(invited.status).toBe(200);
  const password = unescapeHtml(/id="temporary-password">([^<]+)</.exec(await invited.text())![1]!);
  return asUser(base, 'm-tanabe', password);
}

/** Starts an export of a meeting's minutes as HTML (internal edition) and follows it until the file is ready. */
export async function exportedMinutesHtml(secretariat: Client, meetingPath: string): Promise<string> {
  const started = await secretariat.post(`${meetingPath}/minutes/exports`, { format: 'html', edition: 'internal' });
  expect(started.status).toBe(303);
  const statusPath = started.headers.get('location')!;
  let page = '';
  for (let i = 0; i < 200 && !page.includes('完了しました'); i++) {
    page = await (await secretariat.get(statusPath)).text();
    await new Promise((r) => setTimeout(r, 25));
  }
  const link = /<a class="button" href="([^"]+)">/.exec(page)![1]!.replaceAll('&amp;', '&');
  return (await fetch(link)).text();
}
