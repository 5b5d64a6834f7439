import { beforeEach, describe, expect, it } from 'vitest';
import type { IncidentInput } from '#shared/domain/incidents.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { councilOnFollowUp } from '#shared/use-cases/followups.ts';
import {
  addMeasure,
  editIncident,
  listIncidents,
  recordIncident,
  recordPersonNotice,
  recordSubmission,
  reportToCouncil,
  runIncidentClock,
  viewIncident,
} from '#shared/use-cases/incidents.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { newMeetingOf } from '../../support/use-case-steps.ts';

/** The clock starts on 2026-05-11 (Tokyo); the incident was known on the 8th. */
const INPUT: IncidentInput = {
  title: '個人情報を含む書類の誤送付',
  overview: '通知書を別の世帯に送付した。',
  occurredOn: '2026-05-07',
  foundOn: '2026-05-08',
  departmentId: 'shimin',
  affectedCount: 3,
  dataItems: '氏名、住所、税額',
  sensitive: false,
  kind: 'leak',
  unlawfulPurpose: false,
  cause: '封入時の確認が一人だけだった。',
  secondaryDamage: 'none',
};

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});
const refTo = (incidentId: string) => ({ councilId: 'sakura', incidentId });

describe('who may record and see an incident', () => {
  it('a department records and sees only its own; members see none', async () => {
    const id = await recordIncident(deps, sakura.people.shimin, 'sakura', INPUT);
    await expect(recordIncident(deps, sakura.people.fukushi, 'sakura', INPUT)).rejects.toEqual(
      new InvalidInputError({ departmentId: '自分の課の事案だけを記録できます。' }),
    );
    await expect(viewIncident(deps, sakura.people.fukushi, refTo(id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordSubmission(deps, sakura.people.fukushi, refTo(id), { report: 'preliminary', submittedOn: '2026-05-10' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(viewIncident(deps, sakura.people.member, refTo(id))).rejects.toBeInstanceOf(ForbiddenError);
    expect((await listIncidents(deps, sakura.people.fukushi, 'sakura')).incidents).toEqual([]);
    expect((await listIncidents(deps, sakura.people.secretariat, 'sakura')).incidents.map((i) => i.incidentId)).toEqual([id]);
    // The secretariat may record any department's.
    await recordIncident(deps, sakura.people.secretariat, 'sakura', { ...INPUT, departmentId: 'fukushi' });
    expect((await listIncidents(deps, sakura.people.fukushi, 'sakura')).incidents).toHaveLength(1);
  });

  it('refuses a 覚知日 after today, and changes nothing', async () => {
    await expect(recordIncident(deps, sakura.people.shimin, 'sakura', { ...INPUT, occurredOn: '2026-05-12', foundOn: '2026-05-12' })).rejects.toEqual(
      new InvalidInputError({ foundOn: '覚知日に今日より後の日は入力できません。' }),
    );
    expect((await listIncidents(deps, sakura.people.secretariat, 'sakura', 'all')).incidents).toEqual([]);
  });

  it('an edit over a stale version is refused; an edit with no change writes nothing', async () => {
    const id = await recordIncident(deps, sakura.people.shimin, 'sakura', INPUT);
    await editIncident(deps, sakura.people.shimin, refTo(id), INPUT, 1);
    expect((await deps.incidents.get(refTo(id))).version).toBe(1);
    await editIncident(deps, sakura.people.shimin, refTo(id), { ...INPUT, affectedCount: 4 }, 1);
    await expect(editIncident(deps, sakura.people.secretariat, refTo(id), { ...INPUT, affectedCount: 5 }, 1)).rejects.toBeInstanceOf(ConflictError);
    const stored = await deps.incidents.get(refTo(id));
    expect([stored.affectedCount, stored.version]).toEqual([4, 2]);
    expect(stored.history.map((h) => h.what)).toEqual(['事案を記録', '変更:対象となった本人の数(3 → 4)']);
  });
});

describe('the daily job for incidents', () => {
  it('reminds before and on the day, then escalates to the manager once overdue — each once', async () => {
    const id = await recordIncident(deps, sakura.people.shimin, 'sakura', INPUT);
    // The 速報 is due on 5/13.
    expect(await runIncidentClock(deps, 'sakura')).toEqual({ incidentReminders: 1, incidentEscalations: 0 });
    expect(await runIncidentClock(deps, 'sakura')).toEqual({ incidentReminders: 0, incidentEscalations: 0 });
    deps.clock.set('2026-05-13T09:00:00+09:00');
    expect(await runIncidentClock(deps, 'sakura')).toEqual({ incidentReminders: 1, incidentEscalations: 0 });
    deps.clock.set('2026-05-14T09:00:00+09:00');
    expect(await runIncidentClock(deps, 'sakura')).toEqual({ incidentReminders: 0, incidentEscalations: 1 });
    expect(deps.notifier.of('incident.deadline').map((e) => `${e.report}:${e.kind}:${e.due}`)).toEqual([
      'preliminary:before:2026-05-13',
      'preliminary:dayof:2026-05-13',
      'preliminary:overdue:2026-05-13',
    ]);
    expect(deps.notifier.of('incident.deadline')[2]!.department?.managerEmail).toBe('shimin-kacho@city.sakura.example.jp');
    expect((await deps.incidents.get(refTo(id))).notified).toHaveLength(3);
  });

  it('tries a notice the mail service refused again on the next run', async () => {
    await recordIncident(deps, sakura.people.shimin, 'sakura', INPUT);
    deps.notifier.failWith(new Error('SES is down'));
    expect(await runIncidentClock(deps, 'sakura')).toEqual({ incidentReminders: 0, incidentEscalations: 0 });
    deps.notifier.failWith(undefined);
    expect(await runIncidentClock(deps, 'sakura')).toEqual({ incidentReminders: 1, incidentEscalations: 0 });
  });

  it('reads another council’s incidents never', async () => {
    const momiji = await seedCouncil(deps, 'momiji');
    await recordIncident(deps, momiji.people.shimin, 'momiji', INPUT);
    expect(await runIncidentClock(deps, 'sakura')).toEqual({ incidentReminders: 0, incidentEscalations: 0 });
    expect(await runIncidentClock(deps, 'momiji')).toEqual({ incidentReminders: 1, incidentEscalations: 0 });
  });
});

describe('closing and reporting', () => {
  it('closes when the 確報 is in and every measure is closed — not before', async () => {
    const id = await recordIncident(deps, sakura.people.shimin, 'sakura', INPUT);
    await expect(recordSubmission(deps, sakura.people.shimin, refTo(id), { report: 'final', submittedOn: '2026-05-10' })).rejects.toEqual(
      new InvalidInputError({ report: '先に速報の提出日を記録してください。' }),
    );
    await recordSubmission(deps, sakura.people.shimin, refTo(id), { report: 'preliminary', submittedOn: '2026-05-10' });
    await recordPersonNotice(deps, sakura.people.shimin, refTo(id), { notified: 'yes', notifiedOn: '2026-05-10', method: '電話', count: 3 });
    const [one, two] = [
      await addMeasure(deps, sakura.people.shimin, refTo(id), { text: '二人で確認する。', due: '2026-06-30' }),
      await addMeasure(deps, sakura.people.secretariat, refTo(id), { text: '研修を行う。', due: '2026-07-31' }),
    ];
    expect([one.followUpId, two.followUpId]).toEqual([`${id}-m1`, `${id}-m2`]);
    expect(deps.notifier.of('followup.requested').map((e) => e.followUp.ownerEmail)).toEqual([
      'shimin@city.sakura.example.jp',
      'shimin@city.sakura.example.jp',
    ]);
    const close = (fu: typeof one) =>
      councilOnFollowUp(deps, sakura.people.secretariat, { councilId: 'sakura', consultationId: id, followUpId: fu.followUpId }, { decision: 'close' });
    await close(one);
    await close(two);
    // Every measure closed, the 確報 not yet in: still open.
    expect((await deps.incidents.get(refTo(id))).status).toBe('open');
    await recordSubmission(deps, sakura.people.shimin, refTo(id), { report: 'final', submittedOn: '2026-05-11' });
    const closed = await deps.incidents.get(refTo(id));
    expect(closed.status).toBe('closed');
    expect(await deps.incidents.listOpen('sakura')).toEqual([]);
    await expect(addMeasure(deps, sakura.people.shimin, refTo(id), { text: '追加', due: '2026-06-30' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('puts the incident on the next planned meeting (not a written one, not a past or later one), once, by the secretariat only', async () => {
    const id = await recordIncident(deps, sakura.people.shimin, 'sakura', INPUT);
    await newMeetingOf(deps, sakura.people, 'written', '2026-05-20');
    const later = await newMeetingOf(deps, sakura.people, 'meeting', '2026-07-10');
    const next = await newMeetingOf(deps, sakura.people, 'meeting', '2026-06-10');
    await expect(reportToCouncil(deps, sakura.people.shimin, refTo(id))).rejects.toBeInstanceOf(ForbiddenError);
    const reported = await reportToCouncil(deps, sakura.people.secretariat, refTo(id));
    expect(reported.meetingId).toBe(next.meetingId);
    const items = await deps.agendas.list('sakura', next.meetingId);
    const item = items.find((i) => i.itemId === reported.itemId)!;
    expect(item).toMatchObject({ kind: 'report', title: '漏えい等事案について(市民部 市民課)' });
    expect(item.text).toContain('概要:通知書を別の世帯に送付した。');
    expect(await deps.agendas.list('sakura', later.meetingId)).toEqual([]);
    await expect(reportToCouncil(deps, sakura.people.secretariat, refTo(id))).rejects.toBeInstanceOf(ConflictError);
    const view = await viewIncident(deps, sakura.people.shimin, refTo(id));
    expect(view.heardAt?.meeting.meetingId).toBe(next.meetingId);
  });
});
