import { describe, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import { newSession, SESSION_COOKIE, sessionToken } from '#shared/domain/session.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const USERS = {
  anonymous: undefined,
  fukushi: 'u-fukushi',
  shimin: 'u-shimin',
  secretariat: 'u-secretariat',
  member: 'm-maeda',
  chair: 'm-kobayashi',
  operator: 'u-operator',
} as const;
type Who = keyof typeof USERS;
const clients = Object.fromEntries(Object.entries(USERS).map(([who, id]) => [who, asUser(base, id)])) as Record<Who, ReturnType<typeof asUser>>;

/** Expected status per person; anyone not listed gets `others` (and the signed-out person 401). */
interface Row {
  what: string;
  method: 'GET' | 'POST';
  path: () => string;
  form?: Record<string, string>;
  allowed: Partial<Record<Who, number>>;
  others?: number;
}

describe('who may do what (every role against every kind of action)', () => {
  let casePath = '';
  let submittedPath = '';
  let meetingPath = '';

  it('sets up a department’s draft, a submitted case and a meeting', async () => {
    const form = await (await clients.fukushi.get('/c/sakura/consultations/new')).text();
    casePath = (
      await clients.fukushi.post('/c/sakura/consultations', { requestId: inputValue(form, 'requestId'), title: '権限確認用の諮問', action: 'save' })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    const sform = await (await clients.fukushi.get('/c/sakura/consultations/new')).text();
    submittedPath = (
      await clients.fukushi.post('/c/sakura/consultations', {
        ...completeForm({ title: '権限確認用の提出済み諮問' }),
        requestId: inputValue(sform, 'requestId'),
        action: 'submit',
      })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    const mform = await (await clients.secretariat.get('/c/sakura/meetings')).text();
    meetingPath = (
      await clients.secretariat.post('/c/sakura/meetings', { requestId: inputValue(mform, 'requestId'), kind: 'written', date: '2027-02-01' })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    expect(casePath).toMatch(/^\/c\/sakura\/consultations\//);
    expect(submittedPath).toMatch(/^\/c\/sakura\/consultations\//);
    expect(meetingPath).toMatch(/^\/c\/sakura\/meetings\//);
  });

  const rows: Row[] = [
    // The operator belongs to no council: their home is the councils they manage.
    {
      what: 'home page',
      method: 'GET',
      path: () => '/',
      allowed: { anonymous: 200, fukushi: 200, shimin: 200, secretariat: 200, member: 200, chair: 200, operator: 303 },
    },
    { what: 'councils (operator)', method: 'GET', path: () => '/admin/councils', allowed: { operator: 200 }, others: 403 },
    { what: 'opening a council', method: 'POST', path: () => '/admin/councils', form: { councilId: '' }, allowed: { operator: 400 }, others: 403 },
    { what: 'suspending a council', method: 'POST', path: () => '/admin/councils/no-such-council/suspend', allowed: { operator: 404 }, others: 403 },
    // A council's archive and deletion: the operator only (an unknown council is a 404 for them, refused before any read for others).
    { what: 'exporting a council', method: 'POST', path: () => '/admin/councils/no-such-council/archives', allowed: { operator: 404 }, others: 403 },
    { what: 'an export’s progress', method: 'GET', path: () => '/admin/councils/sakura/archives/no-such-archive', allowed: { operator: 404 }, others: 403 },
    {
      what: 'downloading an export',
      method: 'GET',
      path: () => '/admin/councils/sakura/archives/no-such-archive/download',
      allowed: { operator: 404 },
      others: 403,
    },
    { what: 'the deletion page', method: 'GET', path: () => '/admin/councils/sakura/delete', allowed: { operator: 200 }, others: 403 },
    // Refused (sakura is not suspended): nothing is deleted by this row.
    {
      what: 'deleting a council',
      method: 'POST',
      path: () => '/admin/councils/sakura/delete',
      form: { confirmName: 'x' },
      allowed: { operator: 400 },
      others: 403,
    },
    { what: 'roster', method: 'GET', path: () => '/c/sakura/members', allowed: { fukushi: 200, shimin: 200, secretariat: 200, member: 200, chair: 200 } },
    { what: 'member edit form', method: 'GET', path: () => '/c/sakura/members/m-koyama', allowed: { secretariat: 200 }, others: 403 },
    {
      what: 'register a member',
      method: 'POST',
      path: () => '/c/sakura/members',
      form: { requestId: 'x', name: '' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    { what: 'set chair', method: 'POST', path: () => '/c/sakura/offices', form: { version: '0' }, allowed: { secretariat: 409 }, others: 403 },
    { what: 'consultation list', method: 'GET', path: () => '/c/sakura/consultations', allowed: { fukushi: 200, shimin: 200, secretariat: 200 }, others: 403 },
    { what: 'new consultation form', method: 'GET', path: () => '/c/sakura/consultations/new', allowed: { fukushi: 200, shimin: 200 }, others: 403 },
    // An unsubmitted draft is its department's alone: for everyone else it does not exist (issue 17).
    { what: 'a department’s draft', method: 'GET', path: () => casePath, allowed: { fukushi: 200 }, others: 404 },
    { what: 'a submitted case', method: 'GET', path: () => submittedPath, allowed: { fukushi: 200, secretariat: 200, member: 200, chair: 200 }, others: 404 },
    { what: 'editing the draft', method: 'GET', path: () => `${casePath}/edit`, allowed: { fukushi: 200 }, others: 404 },
    { what: 'the draft’s audit trail', method: 'GET', path: () => `${casePath}/audit.csv`, allowed: { secretariat: 404 }, others: 403 },
    { what: 'the submitted case’s audit trail', method: 'GET', path: () => `${submittedPath}/audit.csv`, allowed: { secretariat: 200 }, others: 403 },
    {
      what: 'saving the draft',
      method: 'POST',
      path: () => casePath,
      form: { version: '1', title: '書き換え', action: 'save' },
      allowed: { fukushi: 303 },
      others: 404,
    },
    { what: 'the draft’s attachments', method: 'GET', path: () => `${casePath}/attachments`, allowed: { fukushi: 200 }, others: 404 },
    {
      what: 'the submitted case’s attachments',
      method: 'GET',
      path: () => `${submittedPath}/attachments`,
      allowed: { fukushi: 200, secretariat: 200, member: 200, chair: 200 },
      others: 404,
    },
    {
      what: 'screening the draft',
      method: 'POST',
      path: () => `${casePath}/screening`,
      form: { decision: 'return', comment: 'x' },
      allowed: { secretariat: 404 },
      others: 403,
    },
    {
      what: 'withdrawing the draft',
      method: 'POST',
      path: () => `${casePath}/withdraw`,
      form: { reason: '' },
      allowed: { fukushi: 400 },
      others: 404,
    },
    { what: 'meetings', method: 'GET', path: () => '/c/sakura/meetings', allowed: { secretariat: 200, member: 200, chair: 200 }, others: 403 },
    { what: 'a meeting', method: 'GET', path: () => meetingPath, allowed: { secretariat: 200, member: 200, chair: 200 }, others: 403 },
    {
      what: 'creating a meeting',
      method: 'POST',
      path: () => '/c/sakura/meetings',
      form: { requestId: 'y', kind: 'written', date: '' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    { what: 'opening a meeting', method: 'POST', path: () => `${meetingPath}/open`, allowed: { secretariat: 400 }, others: 403 },
    { what: 'mailing an agenda', method: 'POST', path: () => `${meetingPath}/mail`, allowed: { secretariat: 303 }, others: 403 },
    { what: 'recording 全員挙手 for every item left', method: 'POST', path: () => `${meetingPath}/decisions`, allowed: { secretariat: 400 }, others: 403 },
    // The roll, attendees and the meeting-in-progress record are the secretariat's; a written decision has none of them.
    {
      what: 'taking the roll',
      method: 'POST',
      path: () => `${meetingPath}/roll`,
      form: { version: '0', 'roll.m-maeda.status': 'present' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    {
      what: 'adding an attendee',
      method: 'POST',
      path: () => `${meetingPath}/attendees`,
      form: { role: 'explainer', name: '説明 太郎' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    { what: 'the meeting-in-progress record', method: 'GET', path: () => `${meetingPath}/record`, allowed: { secretariat: 400 }, others: 403 },
    {
      what: 'saving a row of the record',
      method: 'POST',
      path: () => `${meetingPath}/record`,
      form: { itemId: 'no-such-item', asker: '事務局', question: '質問' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    // The free agenda: adding, editing and removing items, a report's request, the next meeting.
    { what: 'adding an agenda item', method: 'POST', path: () => `${meetingPath}/items`, form: { kind: 'speech' }, allowed: { secretariat: 400 }, others: 403 },
    {
      what: 'editing an agenda item',
      method: 'POST',
      path: () => `${meetingPath}/items/no-such-item`,
      form: { edit: 'free', title: '挨拶' },
      allowed: { secretariat: 404 },
      others: 403,
    },
    { what: 'removing an agenda item', method: 'POST', path: () => `${meetingPath}/items/no-such-item/remove`, allowed: { secretariat: 404 }, others: 403 },
    {
      what: 'asking a report of a department',
      method: 'POST',
      path: () => `${meetingPath}/items/no-such-item/requests`,
      allowed: { secretariat: 400 },
      others: 403,
    },
    { what: 'setting the next meeting', method: 'POST', path: () => `${meetingPath}/items/frame-next/next`, allowed: { secretariat: 400 }, others: 403 },
    {
      what: 'accepting several cases',
      method: 'POST',
      path: () => '/c/sakura/acceptances',
      form: { requestId: 'x' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    // The secretariat's visit creates the draft, which members and the chair may then read.
    { what: 'minutes', method: 'GET', path: () => `${meetingPath}/minutes`, allowed: { secretariat: 200, member: 200, chair: 200 }, others: 403 },
    { what: 'saving minutes', method: 'POST', path: () => `${meetingPath}/minutes`, form: { version: '1' }, allowed: { secretariat: 303 }, others: 403 },
    { what: 'follow-up dashboard', method: 'GET', path: () => '/c/sakura/followups', allowed: { secretariat: 200, member: 200, chair: 200 }, others: 403 },
    { what: 'another council’s roster', method: 'GET', path: () => '/c/other-city/members', allowed: {}, others: 403 },
    { what: 'staff registry', method: 'GET', path: () => '/c/sakura/staff', allowed: { secretariat: 200 }, others: 403 },
    { what: 'inviting staff', method: 'POST', path: () => '/c/sakura/staff', form: { userId: '' }, allowed: { secretariat: 400 }, others: 403 },
    {
      what: 'changing a role',
      method: 'POST',
      path: () => '/c/sakura/staff/u-shimin',
      form: { role: 'secretariat' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    {
      what: 'disabling an account',
      method: 'POST',
      path: () => '/c/sakura/staff/u-shimin/disable',
      form: { version: '0' },
      allowed: { secretariat: 409 },
      others: 403,
    },
    { what: 'another council’s staff', method: 'GET', path: () => '/c/other-city/staff', allowed: {}, others: 403 },
    { what: 'council settings', method: 'GET', path: () => '/c/sakura/settings', allowed: { secretariat: 200 }, others: 403 },
    { what: 'saving settings', method: 'POST', path: () => '/c/sakura/settings', form: { version: '0' }, allowed: { secretariat: 400 }, others: 403 },
    { what: 'another council’s settings', method: 'GET', path: () => '/c/other-city/settings', allowed: {}, others: 403 },
    { what: 'history import', method: 'GET', path: () => '/c/sakura/import', allowed: { secretariat: 200 }, others: 403 },
    { what: 'history import template', method: 'GET', path: () => '/c/sakura/import/template.csv', allowed: { secretariat: 200 }, others: 403 },
    {
      what: 'history import preview (no such upload)',
      method: 'GET',
      path: () => '/c/sakura/import/uploaded?key=imports%2Fsakura%2Fnone%2Fpast.csv',
      allowed: { secretariat: 409 },
      others: 403,
    },
    {
      what: 'confirming a history import (no such upload)',
      method: 'POST',
      path: () => '/c/sakura/import',
      form: { key: 'imports/sakura/none/past.csv' },
      allowed: { secretariat: 409 },
      others: 403,
    },
    { what: 'another council’s history import', method: 'GET', path: () => '/c/other-city/import', allowed: {}, others: 403 },
    { what: 'departments', method: 'GET', path: () => '/c/sakura/departments', allowed: { secretariat: 200 }, others: 403 },
    {
      what: 'adding a department',
      method: 'POST',
      path: () => '/c/sakura/departments',
      form: { departmentId: '' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    {
      what: 'editing a department',
      method: 'POST',
      path: () => '/c/sakura/departments/shimin',
      form: { version: 'x' },
      allowed: { secretariat: 400 },
      others: 403,
    },
    { what: 'another council’s departments', method: 'GET', path: () => '/c/other-city/departments', allowed: {}, others: 403 },
  ];

  for (const row of rows) {
    it(`${row.method} ${row.what}`, async () => {
      const seen: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const who of Object.keys(USERS) as Who[]) {
        const res = row.method === 'GET' ? await clients[who].get(row.path()) : await clients[who].post(row.path(), row.form ?? {});
        seen[who] = res.status;
        // The operator is no council's staff: every council's page refuses them before reading anything (403, never 404).
        expected[who] = row.allowed[who] ?? (who === 'anonymous' ? 401 : who === 'operator' ? 403 : (row.others ?? 403));
      }
      expect(seen).toEqual(expected);
    });
  }
});

describe('sessions and forms', () => {
  it('treats a session cookie with any change as no session at all', async () => {
    const real = asUser(base, 'u-shimin');
    await real.get('/');
    const session = newSession({ ...DEMO_IDENTITIES[0]!, role: 'secretariat' }, 'forged-session', new Date());
    const forged = sessionToken(Buffer.from('not the real key, but long enough to sign'), session);
    const res = await fetch(`${base()}/c/sakura/members/m-koyama`, { headers: { cookie: `${SESSION_COOKIE}=${forged}` } });
    expect(res.status).toBe(401);
  });

  it('refuses a signed-in POST without the form’s CSRF token, changing nothing', async () => {
    const { signIn } = await import('../support/local-stack.ts');
    const { cookie } = await signIn(base(), 'u-secretariat');
    const res = await fetch(`${base()}/c/sakura/members`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        requestId: 'csrf-test',
        name: '攻撃',
        kana: 'こうげき',
        category: 'other',
        email: 'x@example.jp',
        _csrf: 'wrong',
      }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('ページを開き直してから');
    expect(await (await clients.secretariat.get('/c/sakura/members')).text()).not.toContain('攻撃');
  });

  it('writes the CSRF token into the app’s own forms only, never into the storage upload form', async () => {
    const page = await (await clients.secretariat.get('/c/sakura/members')).text();
    expect(page.match(/name="_csrf"/g)?.length).toBe(page.match(/<form method="post" action="\//g)?.length);
  });

  it('signs out here and at the identity provider', async () => {
    const { signIn } = await import('../support/local-stack.ts');
    const { cookie } = await signIn(base(), 'u-fukushi');
    const out = await fetch(`${base()}/auth/signout`, { headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toContain(`${local.stack.urls.idp}/logout?`);
    expect(out.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=;`) && c.includes('Max-Age=0'))).toBe(true);
  });

  it('refuses a callback whose state does not match the sign-in that began it', async () => {
    const res = await fetch(`${base()}/auth/callback?code=abc&state=forged`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('サインインを完了できませんでした');
  });
});
