import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '#infra/local/synth.ts';
import { type Consultation, caseIdFor } from '#shared/domain/consultation.ts';
import { HAND_OVER_GRACE_MS } from '#shared/domain/meeting.ts';
import { childStack } from '../support/child-stack.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { asUser, inputValue, sentMails } from '../support/local-stack.ts';

/**
 * kill -9 at each step of the workflow, then a restart on the same data: every action that
 * was acknowledged is kept, and every case reaches its next state with at most one click —
 * the click a person would make on the page they are shown.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'council-crash-'));
const stack = await childStack(dataDir);
const base = () => stack.urls.http;
const department = asUser(base, 'u-fukushi');
const secretariat = asUser(base, 'u-secretariat');
const chair = asUser(base, 'm-kobayashi');
const anyone = asUser(base);
const MEMBERS = ['m-kobayashi', 'm-tanabe', 'm-maeda', 'm-koyama', 'm-masuda', 'm-miura'];

beforeAll(() => stack.start(), 120_000);
afterAll(async () => {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Sends the requests at once and kills the stack (SIGKILL) as soon as the first is answered,
 * so the others are cut off wherever they are; then starts it again. Returns each request's
 * status, or undefined for a request that got no answer.
 */
async function crashDuring(requests: (() => Promise<Response>)[]): Promise<(number | undefined)[]> {
  const sent = requests.map((r) =>
    r().then(
      (res) => res.status,
      () => undefined,
    ),
  );
  await Promise.race(sent);
  await stack.crash();
  const statuses = await Promise.all(sent);
  await stack.start();
  return statuses;
}

const repo = async () => (await import('#shared/adapters/deps.ts')).createDeps();
const caseOf = async (consultationId: string): Promise<Consultation> => (await repo()).consultations.get({ councilId: 'sakura', consultationId });

/** Waits (without any click) until the case is in one of the statuses. */
async function settles(consultationId: string, statuses: Consultation['status'][], tries = 400): Promise<Consultation> {
  let c = await caseOf(consultationId);
  for (let i = 0; i < tries && !statuses.includes(c.status); i++) {
    await new Promise((r) => setTimeout(r, 25));
    c = await caseOf(consultationId);
  }
  expect(statuses, `${c.form.title}`).toContain(c.status);
  return c;
}

/**
 * Waits until the case is scheduled, reloading the meeting page meanwhile as the secretariat
 * would and clicking 「続きを処理する」 when the page offers it (at most the grace period and a bit).
 */
async function scheduledOrResumed(consultationId: string): Promise<void> {
  const deadline = Date.now() + HAND_OVER_GRACE_MS + 20_000;
  while ((await caseOf(consultationId)).status !== 'scheduled' && Date.now() < deadline) {
    const page = await (await secretariat.get(meetingPath)).text();
    if (page.includes('途中で止まった処理があります')) expect((await secretariat.post(`${meetingPath}/resume`, {})).status).toBe(303);
    else await new Promise((r) => setTimeout(r, 500));
  }
  await settles(consultationId, ['scheduled']);
}

/** Runs a scheduled job in the child stack now, through the Lambda API, as its schedule would. */
async function runJob(job: string) {
  const schedule = synthesize().schedules.find((s) => (s.input as { job?: string }).job === job)!;
  const out = await new LambdaClient({}).send(new InvokeCommand({ FunctionName: schedule.functionName, Payload: Buffer.from(JSON.stringify(schedule.input)) }));
  expect(out.FunctionError).toBeUndefined();
}

const CASES = 8;
const ids: string[] = [];
let meetingPath = '';

describe('kill -9 at every step, then a restart', () => {
  it('submission: acknowledged cases reach screening; the rest are submitted by sending the form again', { timeout: 180_000 }, async () => {
    const forms = await Promise.all(
      Array.from({ length: CASES }, async () => inputValue(await (await department.get('/c/sakura/consultations/new')).text(), 'requestId')),
    );
    const post = (requestId: string, k: number) => () =>
      department.post('/c/sakura/consultations', completeForm({ requestId, title: `障害福祉サービス受給者情報の委託処理 第${k + 1}号`, action: 'submit' }));
    const statuses = await crashDuring(forms.map(post));
    for (const [k, requestId] of forms.entries()) {
      const id = caseIdFor('sakura', 'u-fukushi', requestId);
      ids.push(id);
      if (statuses[k] !== 303) {
        // Not acknowledged: the department sends its form again (one click), whatever the crash left.
        expect((await post(requestId, k)()).status).toBe(303);
      }
      await settles(id, ['screening']);
    }
  });

  it('acceptance: acknowledged cases are numbered once; a second click finishes the rest; numbers have no gaps', { timeout: 180_000 }, async () => {
    const accept = (id: string) => async () => {
      const page = await (await secretariat.get(`/c/sakura/consultations/${id}`)).text();
      return secretariat.post(`/c/sakura/consultations/${id}/screening`, { decision: 'accept', requestId: inputValue(page, 'requestId') });
    };
    const statuses = await crashDuring(ids.map(accept));
    for (const [k, id] of ids.entries()) {
      const c = statuses[k] === 303 ? await settles(id, ['accepted']) : await caseOf(id);
      if (c.status === 'screening') expect((await accept(id)()).status).toBe(303);
      await settles(id, ['accepted']);
    }
    const numbers = (await Promise.all(ids.map(caseOf))).map((c) => c.number!.n).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: CASES }, (_, i) => i + 1));
  });

  it('scheduling: the meeting page finishes an interrupted hand-over in one click', { timeout: 180_000 }, async () => {
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', {
      requestId: inputValue(form, 'requestId'),
      kind: 'meeting',
      date: '2027-02-10',
      startTime: '10:00',
      venue: '市役所 第3会議室',
      publicObservation: 'yes',
    });
    expect(created.status).toBe(303);
    meetingPath = created.headers.get('location')!.replace(/\?.*$/, '');
    const onMeeting = ids.slice(0, 6);
    const statuses = await crashDuring(onMeeting.map((id) => () => secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [id] })));
    // An acknowledged addition reaches its case, or the meeting page offers to finish it once its
    // hand-over is overdue (HAND_OVER_GRACE_MS): the secretariat reloads the page and clicks.
    for (const [k, id] of onMeeting.entries()) if (statuses[k] === 303) await scheduledOrResumed(id);
    // What was neither acknowledged nor on the agenda is still waiting: the secretariat adds it again.
    for (const id of onMeeting) {
      const c = await caseOf(id);
      if (c.status === 'accepted' && !c.meetingId) {
        const again = await (await secretariat.get(meetingPath)).text();
        if (again.includes(`value="${id}"`))
          expect((await secretariat.post(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: [id] })).status).toBe(303);
      }
      await scheduledOrResumed(id);
    }
    const agenda = await (await repo()).agendas.list('sakura', meetingPath.split('/').pop()!);
    expect(agenda.flatMap((i) => i.consultationIds).sort()).toEqual([...onMeeting].sort());
  });

  it('decision and answer: every recorded decision reaches its case, and each answer is issued and mailed once', { timeout: 180_000 }, async () => {
    expect((await secretariat.post(`${meetingPath}/open`, {})).status).toBe(303);
    const onMeeting = ids.slice(0, 6);
    for (const id of onMeeting) await settles(id, ['in_deliberation']);
    const agenda = await (await repo()).agendas.list('sakura', meetingPath.split('/').pop()!);
    const decide = (itemId: string, k: number) => () =>
      secretariat.post(`${meetingPath}/items/${itemId}/decision`, {
        present: MEMBERS,
        mode: 'all',
        conditions: k % 2 ? '契約終了時に受託者は書類を市に返還すること。' : '',
      });
    const statuses = await crashDuring(agenda.map((item, k) => decide(item.itemId, k)));
    const meetingId = meetingPath.split('/').pop()!;
    let page = await (await secretariat.get(meetingPath)).text();
    if (page.includes('途中で止まった処理があります')) expect((await secretariat.post(`${meetingPath}/resume`, {})).status).toBe(303);
    for (const [k, item] of agenda.entries()) {
      const recorded = Boolean((await (await repo()).agendas.get('sakura', meetingId, item.itemId)).decision);
      if (statuses[k] === 303) expect(recorded).toBe(true);
      if (!recorded) expect((await decide(item.itemId, k)()).status).toBe(303);
    }
    page = await (await secretariat.get(meetingPath)).text();
    expect(page).not.toContain('途中で止まった処理があります');
    // Each answer is drafted for review; the chair approves them all at once and the stack dies under the approvals.
    for (const id of onMeeting) await settles(id, ['answer_review'], 800);
    const approve = (id: string) => () => chair.post(`/c/sakura/consultations/${id}/answer`, { issuedOn: '2027-02-10' });
    const approvals = await crashDuring(onMeeting.map(approve));
    for (const [k, id] of onMeeting.entries()) {
      const answer = await (await repo()).consultations.getAnswer({ councilId: 'sakura', consultationId: id });
      if (approvals[k] === 303) expect(answer.state).toBe('approved');
      // Not approved, or approved but not handed on: the page still offers the approval, and a click finishes it.
      if ((await caseOf(id)).status === 'answer_review') {
        const status = (await approve(id)()).status;
        // A 409 only when the restarted workflow took an earlier approval between the look and the click.
        if (status !== 303) {
          expect(status).toBe(409);
          expect((await caseOf(id)).status).not.toBe('answer_review');
        }
      }
    }
    for (const id of onMeeting) await settles(id, ['closed', 'followups_open'], 800);
    const numbers = await Promise.all(
      onMeeting.map(async (id) => (await (await repo()).consultations.getAnswer({ councilId: 'sakura', consultationId: id })).documentNumber),
    );
    // Every answer has its own document number, without gaps.
    expect(numbers.sort((a, b) => a!.localeCompare(b!, 'ja', { numeric: true }))).toEqual(onMeeting.map((_, k) => `さくら市個審第${k + 1}号`));
    const answers = (await sentMails(stack.urls.ses)).filter((m) => m.subject.includes('答申:'));
    for (const id of onMeeting) {
      const title = (await caseOf(id)).form.title;
      expect(answers.filter((m) => m.subject.includes(title)).length, title).toBeLessThanOrEqual(1);
      expect((await (await repo()).consultations.getAnswer({ councilId: 'sakura', consultationId: id })).mailedAt).toBeTruthy();
    }
  });

  it('vote closing: every acknowledged ballot counts, and the round closes without anyone voting again', { timeout: 180_000 }, async () => {
    const form = await (await secretariat.get('/c/sakura/meetings')).text();
    const created = await secretariat.post('/c/sakura/meetings', { requestId: inputValue(form, 'requestId'), kind: 'written', date: '2027-03-10' });
    const writtenPath = created.headers.get('location')!.replace(/\?.*$/, '');
    const id = ids[6]!;
    expect((await secretariat.post(`${writtenPath}/items`, { kind: 'deliberation', consultationIds: [id] })).status).toBe(303);
    await settles(id, ['scheduled']);
    expect((await secretariat.post(`${writtenPath}/open`, {})).status).toBe(303);
    await settles(id, ['in_deliberation']);
    const invitations = (await sentMails(stack.urls.ses)).filter((m) => m.subject.includes('書面審議のお願い:') && m.subject.includes(`第7号`));
    const links = MEMBERS.map(
      (member) => /\/v\/([A-Za-z0-9_.-]+)/.exec(invitations.find((m) => m.destination.to[0]?.startsWith(member.slice(2)))!.body.text)![1]!,
    );
    const choices = ['approve', 'approve', 'approve', 'reject', 'approve', 'approve'];
    const vote = (k: number) => () =>
      anyone.post(`/v/${links[k]}`, choices[k] === 'reject' ? { choice: 'reject', reason: '委託先の体制が不十分' } : { choice: 'approve' });
    const statuses = await crashDuring(MEMBERS.map((_, k) => vote(k)));
    const meetingId = writtenPath.split('/').pop()!;
    const [item] = await (await repo()).agendas.list('sakura', meetingId);
    for (const [k, member] of MEMBERS.entries()) if (statuses[k] === 303) expect(item!.ballots?.[member]?.choice).toBe(choices[k]);
    // Members whose vote got no answer vote again from their mail (the page says nothing was recorded).
    for (const [k, member] of MEMBERS.entries()) if (!item!.ballots?.[member] && item!.voting?.status === 'open') expect((await vote(k)()).status).toBe(303);
    await runJob('votingClock');
    await settles(id, ['answer_review'], 800);
    expect((await chair.post(`/c/sakura/consultations/${id}/answer`, { issuedOn: '2027-03-10' })).status).toBe(303);
    await settles(id, ['closed', 'followups_open'], 800);
    const decided = await (await repo()).agendas.get('sakura', meetingId, item!.itemId);
    expect(decided.voting?.tally).toMatchObject({ for: 5, against: 1 });
    expect(decided.decision?.outcome).toBe('approved');
  });

  it('export: an export cut off by the crash finishes after the restart, or offers another run', { timeout: 180_000 }, async () => {
    await secretariat.get(`${meetingPath}/minutes`);
    const [status] = await crashDuring([() => secretariat.post(`${meetingPath}/minutes/exports`, { format: 'docx', edition: 'internal' })]);
    expect(status).toBe(303);
    const { createDeps } = await import('#shared/adapters/deps.ts');
    const meetingId = meetingPath.split('/').pop()!;
    const exports = await createDeps().minutes.listExports('sakura', meetingId);
    expect(exports).toHaveLength(1);
    let page = '';
    for (let i = 0; i < 400; i++) {
      page = await (await secretariat.get(`${meetingPath}/minutes/exports/${exports[0]!.exportId}`)).text();
      if (page.includes('ダウンロード') || page.includes('もう一度出力する')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (page.includes('もう一度出力する')) {
      const again = await secretariat.post(`${meetingPath}/minutes/exports`, { format: 'docx', edition: 'internal' });
      expect(again.status).toBe(303);
    } else expect(page).toContain('ダウンロード');
  });

  it('follow-up report: an acknowledged report is kept; an unanswered one is sent again from the same link', { timeout: 180_000 }, async () => {
    const requests = (await sentMails(stack.urls.ses)).filter((m) => /\/f\/[A-Za-z0-9_.-]+/.test(m.body.text));
    expect(requests.length).toBeGreaterThan(0);
    const token = /\/f\/([A-Za-z0-9_.-]+)/.exec(requests[0]!.body.text)![1]!;
    const report = () => anyone.post(`/f/${token}`, { answeredBy: '社会福祉法人さくら会 事務局長', text: '契約仕様書に書類の返還を明記しました。' });
    const [status] = await crashDuring([report]);
    const page = await (await anyone.get(`/f/${token}`)).text();
    if (status === 303) expect(page).toContain('契約仕様書に書類の返還を明記しました。');
    else if (!page.includes('契約仕様書に書類の返還を明記しました。')) expect((await report()).status).toBe(303);
    expect(await (await anyone.get(`/f/${token}`)).text()).toContain('契約仕様書に書類の返還を明記しました。');
  });
});
