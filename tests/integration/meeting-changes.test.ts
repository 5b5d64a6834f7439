import { describe, expect, it } from 'vitest';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

/** A planned meeting changes as councils' meetings do: its number, date and place move, or it is called off. */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const member = asUser(base, 'm-maeda');

async function newMeeting(date: string, venue = '市役所 第3会議室') {
  const form = await (await secretariat.get('/c/sakura/meetings')).text();
  const created = await secretariat.post('/c/sakura/meetings', {
    requestId: inputValue(form, 'requestId'),
    kind: 'meeting',
    date,
    startTime: '10:00',
    venue,
    publicObservation: 'yes',
  });
  expect(created.status).toBe(303);
  return created.headers.get('location')!.replace(/\?.*$/, '');
}

/** The change form as the page fills it, with `changes` typed over it. */
async function change(path: string, changes: Record<string, string>) {
  const page = await (await secretariat.get(path)).text();
  // The change form's own fields: the meeting page has other forms (the roll) with a `version` too.
  const form = page.slice(page.indexOf(`action="${path}/change"`));
  const field = (name: string) => inputValue(form.slice(0, form.indexOf('</form>')), name);
  return secretariat.post(`${path}/change`, {
    kind: 'meeting',
    version: field('version'),
    seq: field('seq'),
    date: field('date'),
    startTime: field('startTime'),
    endTime: '',
    venue: field('venue'),
    publicObservation: 'yes',
    ...changes,
  });
}

describe('a planned meeting', () => {
  it('takes the number the council counts, and the next meeting continues after it', async () => {
    const first = await newMeeting('2027-05-10');
    expect(await (await secretariat.get(first)).text()).toContain('令和9年度第1回さくら市個人情報保護審議会');

    // The council met twice outside the system this year: this is its 第3回.
    expect((await change(first, { seq: '3' })).status).toBe(303);
    expect(await (await secretariat.get(first)).text()).toContain('令和9年度第3回さくら市個人情報保護審議会');
    const next = await newMeeting('2027-06-14');
    expect(await (await secretariat.get(next)).text()).toContain('令和9年度第4回');

    // A number another meeting of the year carries is refused beside the field, and nothing changes.
    const taken = await change(next, { seq: '3' });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('第3回は既に');
    expect(await (await secretariat.get(next)).text()).toContain('令和9年度第4回');
    // A date in another fiscal year is refused too.
    const otherYear = await change(next, { date: '2028-04-10' });
    expect(otherYear.status).toBe(400);
    expect(await otherYear.text()).toContain('令和9年度の日付にしてください');
    // A page read before someone else's change cannot overwrite it.
    const stale = await (await secretariat.get(next)).text();
    expect((await change(next, { venue: '市役所 第1会議室' })).status).toBe(303);
    const overwritten = await secretariat.post(`${next}/change`, {
      kind: 'meeting',
      version: inputValue(stale, 'version'),
      seq: '4',
      date: '2027-06-14',
      startTime: '10:00',
      venue: '古い会場',
      publicObservation: 'yes',
    });
    expect(overwritten.status).toBe(400);
    expect(await (await secretariat.get(next)).text()).toContain('市役所 第1会議室');
  });

  it('moves to another day and place, and the members are told what changed', async () => {
    const path = await newMeeting('2027-07-12');
    expect((await change(path, { date: '2027-07-20', startTime: '14:00', venue: '市民会館 第2会議室' })).status).toBe(303);
    const page = await (await member.get(path)).text();
    expect(page).toContain('令和9年7月20日(火) 14:00〜');
    expect(page).toContain('市民会館 第2会議室');
    const mails = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('開催日時等の変更') && m.body.text.includes('令和9年7月20日'));
    expect(mails).toHaveLength(6);
    const mail = mails.find((m) => m.destination.to[0]?.startsWith('maeda'));
    expect(mail?.body.text).toContain('前田 久美子 委員');
    expect(mail?.body.text).toMatch(/変更前[\s\S]*令和9年7月12日\(月\) 10:00〜[\s\S]*市役所 第3会議室/);
    expect(mail?.body.text).toMatch(/変更後[\s\S]*令和9年7月20日\(火\) 14:00〜[\s\S]*市民会館 第2会議室/);
  });

  it('is cancelled with its reason: the members are told and its cases go back to scheduling, for another meeting', async () => {
    const casePath = await acceptedCase(base, '中止した会議の議題だった諮問');
    const consultationId = casePath.split('/').pop()!;
    const path = await newMeeting('2027-09-13');
    expect((await secretariat.post(`${path}/items`, { kind: 'deliberation', consultationIds: [consultationId] })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '審議予定');

    const empty = await secretariat.post(`${path}/cancel`, { reason: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('中止の理由を入力してください。');
    expect(await statusOf(secretariat, casePath)).toBe('審議予定');

    expect((await secretariat.post(`${path}/cancel`, { reason: '台風の接近により開催を見合わせるため' })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '受付済み(日程調整待ち)');
    const page = await (await secretariat.get(path)).text();
    expect(page).toContain('<dt>状態</dt><dd>中止</dd>');
    expect(page).toContain('この会議は中止しました(台風の接近により開催を見合わせるため)');
    const told = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('開催中止のお知らせ'));
    expect(told).toHaveLength(6);
    expect(told[0]?.body.text).toContain('台風の接近により開催を見合わせるため');
    // Called off once: another click changes nothing and tells no one again; nothing more can be added to it.
    expect((await secretariat.post(`${path}/cancel`, { reason: '重ねて' })).status).toBe(303);
    expect((await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('開催中止のお知らせ'))).toHaveLength(6);
    expect((await secretariat.post(`${path}/items`, { kind: 'other', title: 'その他' })).status).toBe(400);

    // The case waits for a meeting again, and the next meeting takes it.
    const next = await newMeeting('2027-09-27');
    expect(await (await secretariat.get(next)).text()).toContain(`value="${consultationId}"`);
    expect((await secretariat.post(`${next}/items`, { kind: 'deliberation', consultationIds: [consultationId] })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '審議予定');
  });
});
