import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DEMO_COUNCIL, DEMO_DEPARTMENTS, DEMO_MEMBERS } from '#infra/local/demo-data.ts';
import { addDays, type FollowUp, tokyoDate } from '#shared/domain/followups.ts';
import { sentMails, useLocalStack } from '../support/local-stack.ts';

/**
 * The schedules as they run on the local stack: the rule's event reaches the dispatcher, which
 * starts one unit per council on the jobs function (asynchronously); every council's due work is
 * done, and what earlier versions left in the partitions shared by all councils is moved.
 */
const local = useLocalStack();
const COUNCILS = ['kaede', 'momiji', 'tsubaki', 'hinoki'];
const today = tokyoDate(new Date());

const deps = async () => (await import('#shared/adapters/deps.ts')).createDeps();
const memberEmail = (councilId: string, memberId: string) => `${memberId}@${councilId}.example.jp`;

const followUpOf = (councilId: string, n: number, due: string): FollowUp => ({
  followUpId: `fu-${n}`,
  councilId,
  consultationId: `case-${n}`,
  title: '委託',
  businessKey: 'biz',
  conditionIndex: 0,
  condition: 'データ消去証明書を提出させること。',
  type: 'erasure_certificate',
  owner: 'department',
  ownerName: '市民課',
  departmentId: 'shimin',
  ownerEmail: `owner-${n}@${councilId}.example.jp`,
  evidence: 'データ消去証明書',
  due,
  status: 'open',
  answers: [],
  pendingEvidence: [],
  notified: [],
  createdAt: new Date().toISOString(),
  version: 1,
});

/** A council with a written vote whose deadline is in two days (two of six have not voted), and one far off. */
async function seed(councilId: string) {
  const d = await deps();
  await d.councils.createCouncil({ ...DEMO_COUNCIL, councilId, name: `${councilId}市個人情報保護審議会`, secretariatEmail: `jimu@${councilId}.example.jp` });
  for (const dept of DEMO_DEPARTMENTS) await d.councils.createDepartment(councilId, { ...dept, managerEmail: `kacho@${councilId}.example.jp` });
  for (const m of DEMO_MEMBERS) await d.councils.addMember(councilId, { ...m, email: memberEmail(councilId, m.memberId) });
  const meeting = await d.meetings.create(councilId, {
    meetingId: 'w1',
    kind: 'written',
    date: today,
    fiscalYear: 2026,
    status: 'in_session',
    createdAt: new Date().toISOString(),
    version: 1,
  });
  const eligible = DEMO_MEMBERS.map((m) => m.memberId);
  for (const [itemId, deadline] of [
    ['due', addDays(today, 2)],
    ['later', addDays(today, 60)],
  ] as const) {
    await d.agendas.add(councilId, meeting.meetingId, { itemId, kind: 'deliberation', order: 1, title: `委託 ${itemId}`, consultationIds: [] });
    await d.agendas.openVoting(councilId, meeting.meetingId, itemId, {
      round: 1,
      status: 'open',
      deadline,
      eligible,
      openedAt: new Date().toISOString(),
      reminded: [],
    });
    for (const m of eligible.slice(0, 4))
      await d.agendas.castBallot(councilId, meeting.meetingId, itemId, 1, {
        memberId: m,
        choice: 'approve',
        conditions: [],
        castAt: new Date().toISOString(),
        source: 'link',
      });
  }
  await d.followUps.createAll([
    followUpOf(councilId, 1, addDays(today, 5)),
    followUpOf(councilId, 2, addDays(today, -3)),
    followUpOf(councilId, 3, addDays(today, 90)),
  ]);
}

describe('the scheduled jobs on the local stack', () => {
  it('the hourly run reaches every council’s due round, and none that is not due', { timeout: 60_000 }, async () => {
    for (const c of COUNCILS) await seed(c);
    // A round listed the way earlier versions did, in the partition shared by all councils.
    const { dynamo } = await import('#shared/adapters/aws.ts');
    await dynamo.send(
      new UpdateCommand({
        TableName: local.stack.tableName,
        Key: { pk: 'C#hinoki#MEETING#w1', sk: 'ITEM#due' },
        UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
        ExpressionAttributeValues: { ':pk': 'OPEN_ROUNDS', ':sk': `${addDays(today, 2)}#hinoki#w1#due` },
      }),
    );
    const before = (await sentMails(local.stack.urls.ses)).length;

    await local.stack.runJob('votingClock');

    const d = await deps();
    const mails = (await sentMails(local.stack.urls.ses)).slice(before);
    for (const c of COUNCILS.filter((x) => x !== 'hinoki')) {
      expect((await d.agendas.get(c, 'w1', 'due')).voting?.reminded, c).toEqual(['2days']);
      expect((await d.agendas.get(c, 'w1', 'later')).voting?.reminded, c).toEqual([]);
      const to = mails.flatMap((m) => m.destination.to).filter((a) => a.endsWith(`@${c}.example.jp`));
      expect(to.sort(), c).toEqual(['m-masuda', 'm-miura'].map((m) => memberEmail(c, m)).sort());
    }
    // The legacy round is moved to its council's own list by this run; the next run reaches it.
    const due = await d.agendas.dueRounds('hinoki', addDays(today, 3));
    expect(due.map((r) => r.itemId)).toEqual(['due']);
    await local.stack.runJob('votingClock');
    expect((await d.agendas.get('hinoki', 'w1', 'due')).voting?.reminded).toEqual(['2days']);
  });

  it('the daily run reminds and escalates in every council, each once', { timeout: 60_000 }, async () => {
    const before = (await sentMails(local.stack.urls.ses)).length;
    await local.stack.runJob('followUpClock');
    await local.stack.runJob('followUpClock');
    const d = await deps();
    const mails = (await sentMails(local.stack.urls.ses)).slice(before);
    for (const c of COUNCILS) {
      const ref = (n: number) => ({ councilId: c, consultationId: `case-${n}`, followUpId: `fu-${n}` });
      expect((await d.followUps.get(ref(1))).notified, c).toEqual([`${addDays(today, 5)}:reminder`]);
      expect((await d.followUps.get(ref(2))).notified, c).toEqual([`${addDays(today, -3)}:escalation`]);
      expect((await d.followUps.get(ref(3))).notified, c).toEqual([]);
      expect(
        mails.filter((m) => m.destination.to.includes(`owner-1@${c}.example.jp`)),
        c,
      ).toHaveLength(1);
      expect(
        mails.filter((m) => m.destination.to.includes(`kacho@${c}.example.jp`)),
        c,
      ).toHaveLength(1);
    }
  });
});
