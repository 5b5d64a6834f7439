import { describe, expect, it } from 'vitest';
import { acceptedCase, statusOf, waitFor } from '../support/cases.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

/** A department takes its case back before the council deliberates it; the workflow's withdrawal path ends it. */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const welfare = asUser(base, 'u-fukushi');
const citizens = asUser(base, 'u-shimin');
const secretariat = asUser(base, 'u-secretariat');

describe('withdrawing a consultation (取り下げ)', () => {
  it('withdraws an accepted case from its page, ending its workflow and telling the secretariat', async () => {
    const casePath = await acceptedCase(base, '取り下げ試験:施設予約システムの委託');
    const page = await (await welfare.get(casePath)).text();
    expect(page).toContain('この諮問を取り下げる');
    // Another department sees nothing of it, let alone the button.
    expect((await citizens.get(casePath)).status).toBe(404);
    expect((await citizens.post(`${casePath}/withdraw`, { reason: '他課から' })).status).toBe(404);

    const empty = await welfare.post(`${casePath}/withdraw`, { reason: ' ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('取り下げの理由を入力してください。');
    expect(await statusOf(secretariat, casePath)).toBe('受付済み(日程調整待ち)');

    expect((await welfare.post(`${casePath}/withdraw`, { reason: '事業の実施を見送ったため' })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '取り下げ');
    const after = await (await welfare.get(casePath)).text();
    expect(after).not.toContain('この諮問を取り下げる');
    expect(after).toContain('<td>取り下げ</td>');
    const mails = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('諮問の取り下げ:取り下げ試験'));
    expect(mails.flatMap((m) => m.destination.to).sort()).toEqual(['fukushi@city.sakura.example.jp', 'joho-koukai@city.sakura.example.jp']);
    expect(mails[0]?.body.text).toContain('事業の実施を見送ったため');
    // Sending it again changes nothing.
    expect((await welfare.post(`${casePath}/withdraw`, { reason: '二度目' })).status).toBe(409);
  });

  it('withdraws a draft, and refuses once the case is on a meeting’s agenda', async () => {
    const form = await (await welfare.get('/c/sakura/consultations/new')).text();
    const draft = await welfare.post(
      '/c/sakura/consultations',
      completeForm({ requestId: inputValue(form, 'requestId'), title: '取り下げ試験:下書き', action: 'save' }),
    );
    const draftPath = draft.headers.get('location')!.replace(/\?.*$/, '');
    expect((await welfare.post(`${draftPath}/withdraw`, { reason: '作成し直すため' })).status).toBe(303);
    expect(await statusOf(welfare, draftPath)).toBe('取り下げ');

    const casePath = await acceptedCase(base, '取り下げ試験:議題に入った案件');
    const meetings = await (await secretariat.get('/c/sakura/meetings')).text();
    const meeting = (
      await secretariat.post('/c/sakura/meetings', { requestId: inputValue(meetings, 'requestId'), kind: 'written', date: '2027-01-20' })
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    await secretariat.post(`${meeting}/items`, { kind: 'deliberation', consultationIds: [casePath.split('/').pop()!] });
    await waitFor(() => statusOf(secretariat, casePath), '審議予定');
    expect(await (await welfare.get(casePath)).text()).not.toContain('この諮問を取り下げる');
    const refused = await welfare.post(`${casePath}/withdraw`, { reason: '今さら' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('会議の議題に入っている');
  });
});
