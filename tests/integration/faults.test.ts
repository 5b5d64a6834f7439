import type { MetadataBearer } from '@smithy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptedCase, approveAnswer, statusOf, waitFor } from '../support/cases.ts';
import { asUser, inputValue, sentMails, useLocalStack } from '../support/local-stack.ts';

/**
 * Faults injected into the real SDK clients the handlers share (they run in this process):
 * a mail service that refuses for a while, a table that throttles. Nothing may be lost.
 */
const local = useLocalStack({ retryIntervalMs: 100, asyncRetryDelaysMs: [50, 50] });
const base = () => local.stack.urls.http;
const secretariat = asUser(base, 'u-secretariat');
const anyone = asUser(base);
const EVERYONE = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];
const removals: (() => void)[] = [];
afterEach(() => removals.splice(0).forEach((remove) => remove()));

interface Stackish {
  middlewareStack: { add: (mw: unknown, options: object) => void; remove: (name: string) => boolean };
}
/** Makes the next `times` calls of `command` on a client fail with `error`, at the given step. */
function failNext(client: Stackish, command: string, times: number, error: () => Error, step: 'initialize' | 'deserialize') {
  let left = times;
  const name = `fault-${command}-${Math.random()}`;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<MetadataBearer>, context: { commandName?: string }) => async (args: unknown) => {
      if (context.commandName === command && left > 0) {
        left--;
        throw error();
      }
      return next(args);
    },
    { step, name },
  );
  removals.push(() => client.middlewareStack.remove(name));
  return () => times - left;
}

async function meetingWith(casePath: string, kind: 'meeting' | 'written') {
  const form = await (await secretariat.get('/c/sakura/meetings')).text();
  const fields: Record<string, string> =
    kind === 'meeting' ? { kind, date: '2026-12-14', startTime: '10:00', venue: '会議室', publicObservation: 'yes' } : { kind, date: '2026-12-20' };
  const meeting = (await secretariat.post('/c/sakura/meetings', { requestId: inputValue(form, 'requestId'), ...fields })).headers
    .get('location')!
    .replace(/\?.*$/, '');
  await secretariat.post(`${meeting}/items`, { kind: 'deliberation', consultationIds: [casePath.split('/').pop()!] });
  await waitFor(() => statusOf(secretariat, casePath), '審議予定');
  await secretariat.post(`${meeting}/open`, {});
  await waitFor(() => statusOf(secretariat, casePath), '審議中');
  const item = /<li id="item-([^"]+)">/.exec(await (await secretariat.get(meeting)).text())![1]!;
  return { meeting, item };
}

describe('faults do not lose cases, votes or answers', () => {
  it('retries the answer while the mail service refuses, and mails it exactly once', async () => {
    const ses = await (await import('#shared/adapters/aws.ts')).ses();
    const casePath = await acceptedCase(base, '障害試験:メール停止中の答申');
    const { meeting, item } = await meetingWith(casePath, 'meeting');
    const unavailable = () => Object.assign(new Error('Service is unavailable'), { name: 'ServiceUnavailable' });
    expect((await secretariat.post(`${meeting}/items/${item}/decision`, { mode: 'all', present: EVERYONE })).status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '答申案の確認待ち');
    const failed = failNext(ses as unknown as Stackish, 'SendEmailCommand', 3, unavailable, 'initialize');
    await approveAnswer(base, casePath);
    await waitFor(() => statusOf(secretariat, casePath), '完了');
    expect(failed()).toBe(3);
    const answerMails = (await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('答申:') && m.subject.includes('障害試験:メール停止中の答申'));
    expect(answerMails).toHaveLength(1);
  });

  it('loses no vote when the table throttles while six members vote at once', async () => {
    const { dynamo } = await import('#shared/adapters/aws.ts');
    const casePath = await acceptedCase(base, '障害試験:表決中のスロットリング');
    const { meeting } = await meetingWith(casePath, 'written');
    const links = (await sentMails(local.stack.urls.ses))
      .filter((m) => m.subject.includes('障害試験:表決中のスロットリング') && m.subject.includes('書面審議のお願い'))
      .map((m) => /\/v\/([A-Za-z0-9_.-]+)/.exec(m.body.text)![1]!);
    expect(links).toHaveLength(6);
    const throttled = () =>
      Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded.'), {
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    const failed = failNext(dynamo as unknown as Stackish, 'UpdateItemCommand', 4, throttled, 'deserialize');
    const results = await Promise.all(links.map((token) => anyone.post(`/v/${token}`, { choice: 'approve' })));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(303));
    expect(failed()).toBe(4);
    await approveAnswer(base, casePath);
    await waitFor(() => statusOf(secretariat, casePath), '完了');
    expect(await (await secretariat.get(meeting)).text()).toContain('可 6・否 0');
  });

  it('finishes an acceptance whose workflow hand-over failed when the secretariat tries again', async () => {
    const sfn = await (await import('#shared/adapters/aws.ts')).sfn();
    const { completeForm } = await import('../support/consultation-forms.ts');
    const dept = asUser(base, 'u-fukushi');
    const form = await (await dept.get('/c/sakura/consultations/new')).text();
    const casePath = (
      await dept.post(
        '/c/sakura/consultations',
        completeForm({ requestId: inputValue(form, 'requestId'), title: '障害試験:受付の引き継ぎ失敗', action: 'submit' }),
      )
    ).headers
      .get('location')!
      .replace(/\?.*$/, '');
    await waitFor(() => statusOf(secretariat, casePath), '受付審査中');
    failNext(
      sfn as unknown as Stackish,
      'SendTaskSuccessCommand',
      1,
      () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
      'initialize',
    );
    const first = await secretariat.post(`${casePath}/screening`, {
      decision: 'accept',
      requestId: inputValue(await (await secretariat.get(casePath)).text(), 'requestId'),
    });
    expect(first.status).toBe(500);
    const again = await secretariat.post(`${casePath}/screening`, {
      decision: 'accept',
      requestId: inputValue(await (await secretariat.get(casePath)).text(), 'requestId'),
    });
    expect(again.status).toBe(303);
    await waitFor(() => statusOf(secretariat, casePath), '受付済み(日程調整待ち)');
    expect((await (await secretariat.get(casePath)).text()).match(/諮問第(\d+)号/g)?.length).toBeGreaterThan(0);
  });

  it('moves the cases on at the next clock run when closing a vote could not reach the workflow', async () => {
    const sfn = await (await import('#shared/adapters/aws.ts')).sfn();
    const casePath = await acceptedCase(base, '障害試験:締切後の引き継ぎ失敗');
    await meetingWith(casePath, 'written');
    const links = (await sentMails(local.stack.urls.ses))
      .filter((m) => m.subject.includes('障害試験:締切後の引き継ぎ失敗') && m.subject.includes('書面審議のお願い'))
      .map((m) => /\/v\/([A-Za-z0-9_.-]+)/.exec(m.body.text)![1]!);
    for (const token of links.slice(1)) expect((await anyone.post(`/v/${token}`, { choice: 'approve' })).status).toBe(303);
    failNext(
      sfn as unknown as Stackish,
      'SendTaskSuccessCommand',
      1,
      () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
      'initialize',
    );
    expect((await anyone.post(`/v/${links[0]}`, { choice: 'approve' })).status).toBe(303);
    expect(await statusOf(secretariat, casePath)).toBe('審議中');
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const { runVotingClock } = await import('#shared/use-cases/voting.ts');
    await runVotingClock(createDeps(), 'sakura');
    await approveAnswer(base, casePath);
    await waitFor(() => statusOf(secretariat, casePath), '完了');
  });

  it('stops a case visibly when a step keeps failing, and the secretariat re-runs it from the page once the cause is gone', async () => {
    const ses = await (await import('#shared/adapters/aws.ts')).ses();
    const casePath = await acceptedCase(base, '障害試験:復旧しないメール');
    const { meeting, item } = await meetingWith(casePath, 'meeting');
    const stopFault = failNext(
      ses as unknown as Stackish,
      'SendEmailCommand',
      1000,
      () => Object.assign(new Error('Account sending paused'), { name: 'AccountSendingPausedException' }),
      'initialize',
    );
    await secretariat.post(`${meeting}/items/${item}/decision`, { mode: 'all', present: EVERYONE });
    await waitFor(() => statusOf(secretariat, casePath), '処理が止まっています(事務局が再実行します)', 600);
    const page = await (await secretariat.get(casePath)).text();
    expect(page).toContain('「審議中」の段階で、自動の処理');
    expect(page).toContain('AccountSendingPausedException');
    expect(page).toContain('再実行する');
    // The department is told the secretariat is on it, and is offered nothing it cannot do.
    const dept = await (await asUser(base, 'u-fukushi').get(casePath)).text();
    expect(dept).toContain('事務局が原因を確かめて再実行します。');
    expect(dept).not.toContain('再実行する</button>');

    // The mail service works again: one click, and the case continues from the step that stopped.
    removals.splice(0).forEach((remove) => remove());
    expect(stopFault()).toBeGreaterThan(0);
    expect((await secretariat.post(`${casePath}/redrive`, {})).status).toBe(303);
    expect(await (await secretariat.get(`${casePath}?notice=redriven`)).text()).toContain('止まっていた処理を再実行しました');
    await approveAnswer(base, casePath);
    await waitFor(() => statusOf(secretariat, casePath), '完了', 600);
    expect((await sentMails(local.stack.urls.ses)).filter((m) => m.subject.includes('障害試験:復旧しないメール') && m.subject.includes('答申:'))).toHaveLength(
      1,
    );
    // A second click finds nothing to re-run.
    expect((await secretariat.post(`${casePath}/redrive`, {})).status).toBe(409);
  });

  it('lets the secretariat withdraw a stalled case instead', async () => {
    const ses = await (await import('#shared/adapters/aws.ts')).ses();
    const casePath = await acceptedCase(base, '障害試験:取り下げる案件');
    const { meeting, item } = await meetingWith(casePath, 'meeting');
    failNext(
      ses as unknown as Stackish,
      'SendEmailCommand',
      1000,
      () => Object.assign(new Error('Account sending paused'), { name: 'AccountSendingPausedException' }),
      'initialize',
    );
    await secretariat.post(`${meeting}/items/${item}/decision`, { mode: 'all', present: EVERYONE });
    await waitFor(() => statusOf(secretariat, casePath), '処理が止まっています(事務局が再実行します)', 600);
    const empty = await secretariat.post(`${casePath}/withdraw`, { reason: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('取り下げの理由を入力してください。');
    expect((await secretariat.post(`${casePath}/withdraw`, { reason: '所管課の依頼により取り下げ' })).status).toBe(303);
    expect(await statusOf(secretariat, casePath)).toBe('取り下げ');
  });

  it('marks an export failed once Lambda has given up on it, offers another run, and shows a silent one as failed', async () => {
    const s3 = await (await import('#shared/adapters/aws.ts')).s3();
    const casePath = await acceptedCase(base, '障害試験:出力できない会議録');
    const { meeting, item } = await meetingWith(casePath, 'meeting');
    expect((await secretariat.post(`${meeting}/items/${item}/decision`, { mode: 'all', present: EVERYONE })).status).toBe(303);
    await secretariat.get(`${meeting}/minutes`);
    // Every attempt of the background job fails to store the file: Lambda retries twice, then the on-failure destination.
    const attempts = failNext(
      s3 as unknown as Stackish,
      'PutObjectCommand',
      1000,
      () => Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $retryable: undefined }),
      'initialize',
    );
    const started = await secretariat.post(`${meeting}/minutes/exports`, { format: 'csv', edition: 'internal' });
    const statusPath = started.headers.get('location')!;
    let page = '';
    for (let i = 0; i < 200 && !page.includes('もう一度出力する'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      page = await (await secretariat.get(statusPath)).text();
    }
    expect(page).toContain('出力に失敗しました');
    expect(attempts()).toBeGreaterThanOrEqual(3);
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const [meetingId, exportId] = [meeting.split('/').pop()!, statusPath.split('/').pop()!];
    expect((await createDeps().minutes.getExport('sakura', meetingId, exportId)).error).toContain('RetriesExhausted');

    removals.splice(0).forEach((remove) => remove());
    const again = await secretariat.post(`${meeting}/minutes/exports`, { format: 'csv', edition: 'internal' });
    expect(again.status).toBe(303);
    for (let i = 0; i < 200 && !page.includes('ダウンロード'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      page = await (await secretariat.get(again.headers.get('location')!)).text();
    }
    expect(page).toContain('ダウンロード');

    // An export nobody runs any more (its invocation lost) shows as failed once it has been silent too long.
    const { exportStatus, EXPORT_SILENCE_MS } = await import('#shared/use-cases/minutes.ts');
    const deps = createDeps();
    await deps.minutes.putExport('sakura', meetingId, {
      exportId: 'lostexport1',
      format: 'docx',
      edition: 'internal',
      status: 'running',
      progress: 'Word 文書を作成しています',
      percent: 40,
      requestedBy: 'u-secretariat',
      requestedAt: new Date().toISOString(),
    });
    const principal = { userId: 'u-secretariat', name: '山下 潤', role: 'secretariat' as const, councilId: 'sakura' };
    expect((await exportStatus(deps, principal, 'sakura', meetingId, 'lostexport1')).job.status).toBe('running');
    const later = { ...deps, clock: { now: () => new Date(Date.now() + EXPORT_SILENCE_MS + 60_000) } };
    expect((await exportStatus(later, principal, 'sakura', meetingId, 'lostexport1')).job).toMatchObject({
      status: 'failed',
      progress: '応答がなくなりました',
    });
  });
});
