import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consultationDraft, consultationSubmission, formToObject, postedPath } from '#shared/domain/consultation-form.ts';
import { readHands } from '#shared/domain/meeting.ts';
import { draftMinutes, readMinutesForm } from '#shared/domain/minutes.ts';
import { checkForm } from '#shared/forms.ts';
import { asUser, sentMails, useLocalStack } from '../support/local-stack.ts';

const local = useLocalStack();
const base = () => local.stack.urls.http;
const anyone = asUser(base);

/** Hostile text: HTML, huge strings, separators, prototype keys, control characters. */
const nasty = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '__proto__',
    'constructor.prototype.x',
    'C#other#CASE#x',
    '../../etc/passwd',
    '%00',
    'a'.repeat(70_000),
    '{{7*7}}',
    "' OR 1=1 --",
  ),
);
const nastyForm = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('__proto__', 'items.0.name', 'vendor.name', 'triggers', 'choice', 'mode', 'present', 'version', '_csrf'),
  ),
  nasty,
  { maxKeys: 12 },
);

/**
 * The first `n` code points of `s`. Slicing UTF-16 units can split a surrogate pair, and
 * encodeURIComponent throws on the half left over: the test would fail, not the product.
 */
const head = (s: string, n: number) => Array.from(s).slice(0, n).join('');

/** Everything in the table and every mail sent: nothing may change when hostile input is refused. */
async function stateOf() {
  const { dynamo } = await import('#shared/adapters/aws.ts');
  const items = await dynamo.send(new ScanCommand({ TableName: local.stack.tableName, Select: 'COUNT' }));
  return { items: items.Count, mails: (await sentMails(local.stack.urls.ses)).length };
}

describe('hostile input to the public endpoints', () => {
  it('never crashes and never changes anything: voting and follow-up links, sign-in callbacks', async () => {
    const before = await stateOf();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), nastyForm, fc.constantFrom('v', 'f'), async (token, form, kind) => {
        const path = `/${kind}/${encodeURIComponent(token || 'x')}`;
        const posted = await anyone.post(path, form);
        expect(posted.status, `POST ${path}`).toBeLessThan(500);
        expect((await anyone.get(path)).status).toBeLessThan(500);
        const callback = await anyone.get(`/auth/callback?code=${encodeURIComponent(token)}&state=${encodeURIComponent(head(JSON.stringify(form), 200))}`);
        expect(callback.status).toBeLessThan(500);
      }),
      { numRuns: 20 },
    );
    expect(await stateOf()).toEqual(before);
  }, 120_000);

  it('answers oversized bodies with 413 before any handler runs', async () => {
    const res = await fetch(`${base()}/v/anything`, { method: 'POST', body: 'x'.repeat(11 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });

  it('never crashes a signed-in form handler on hostile fields', async () => {
    const secretariat = asUser(base, 'u-secretariat');
    await fc.assert(
      fc.asyncProperty(nastyForm, fc.constantFrom('/c/sakura/members', '/c/sakura/offices', '/c/sakura/meetings'), async (form, path) => {
        const res = await secretariat.post(path, form);
        expect(res.status, `POST ${path} ${head(JSON.stringify(form), 200)}`).toBeLessThan(500);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});

describe('hostile input to the form parsers', () => {
  it('never throws, whatever fields arrive', () => {
    const minutes = draftMinutes({
      meeting: { meetingId: 'm', kind: 'meeting', date: '2026-12-14', fiscalYear: 2026, seq: 1, status: 'closed', createdAt: '', version: 1 },
      agenda: [{ itemId: 'i', kind: 'deliberation', order: 1, title: 't', consultationIds: [] }],
      members: [],
      council: {
        councilId: 'c',
        name: 'n',
        municipality: 'm',
        contact: 'c',
        secretariatEmail: 's@example.jp',
        rules: { quorum: 'majority', chairBreaksTie: true },
        version: 1,
      },
      now: '',
      by: '',
    });
    fc.assert(
      fc.property(nastyForm, (form) => {
        checkForm(consultationDraft, form, formToObject, postedPath);
        checkForm(consultationSubmission, form, formToObject, postedPath);
        readHands(form, ['m1', 'm2'], 'now');
        readMinutesForm(form, minutes);
        expect(({} as Record<string, unknown>)['x']).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
