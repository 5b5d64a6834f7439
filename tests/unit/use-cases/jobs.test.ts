import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Item, QuerySpec } from '#shared/adapters/store/items.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import { runFollowUpClock } from '#shared/use-cases/followups.ts';
import { renewLongWaits } from '#shared/use-cases/recovery.ts';
import { dispatchJob } from '#shared/use-cases/scheduled.ts';
import { runVotingClock } from '#shared/use-cases/voting.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { inDeliberation } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
let momiji: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
  momiji = await seedCouncil(deps, 'momiji');
});

/** Every key and partition the item store is asked for while `run` runs, and every item a query returns. */
async function watched<T>(run: () => Promise<T>) {
  const touched: string[] = [];
  const returned: Item[] = [];
  const queries: QuerySpec[] = [];
  const { items } = deps;
  const query = items.query.bind(items);
  const spies = [
    vi.spyOn(items, 'query').mockImplementation(async (spec) => {
      touched.push(spec.partition);
      queries.push(spec);
      const found = await query(spec);
      returned.push(...found);
      return found;
    }),
    vi.spyOn(items, 'get').mockImplementation(async function (this: unknown, key, consistent) {
      touched.push(key.pk);
      return (Object.getPrototypeOf(items).get as typeof items.get).call(items, key, consistent);
    }),
    vi.spyOn(items, 'update').mockImplementation(async (key, actions, condition, returnNew) => {
      touched.push(key.pk);
      return (Object.getPrototypeOf(items).update as typeof items.update).call(items, key, actions, condition, returnNew);
    }),
    vi.spyOn(items, 'put').mockImplementation(async (item, condition) => {
      touched.push(String(item['pk']));
      return (Object.getPrototypeOf(items).put as typeof items.put).call(items, item, condition);
    }),
  ];
  try {
    return { result: await run(), touched, returned, queries };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

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
  ownerEmail: 'shimin@city.example.jp',
  evidence: 'データ消去証明書',
  due,
  status: 'open',
  answers: [],
  pendingEvidence: [],
  notified: [],
  createdAt: '2026-05-01T00:00:00.000Z',
  version: 1,
});

describe("a job's unit for one council", () => {
  it('voting clock: reminds council A’s members of A’s round due in two days, reading and writing nothing of council B, and no round not yet due', async () => {
    const a = await inDeliberation(deps, sakura.people, 'written');
    const b = await inDeliberation(deps, momiji.people, 'written');
    // A round of A whose deadline is far off: not due, so not read.
    await deps.agendas.add('sakura', a.meeting.meetingId, {
      ...a.item,
      itemId: 'later',
      order: 9,
      consultationIds: [],
      voting: undefined,
      decision: undefined,
    });
    await deps.agendas.openVoting('sakura', a.meeting.meetingId, 'later', { ...a.item.voting!, deadline: '2027-03-01', reminded: [] } as never);
    const invited = deps.notifier.events.length;
    deps.clock.set(`${a.meeting.date}T09:00:00+09:00`);
    deps.clock.advance({ days: -2 });

    const run = await watched(() => runVotingClock(deps, 'sakura'));

    expect(run.result).toEqual({ closed: 0, reminded: sakura.members.length });
    const reminded = deps.notifier.events.slice(invited).filter((e) => e.type === 'vote.reminded');
    expect(reminded.map((e) => (e as { council: { councilId: string } }).council.councilId)).toEqual(sakura.members.map(() => 'sakura'));
    expect(run.touched.length).toBeGreaterThan(0);
    expect(run.touched.filter((pk) => !pk.startsWith('C#sakura#') && pk !== 'C#sakura')).toEqual([]);
    // One bounded read of the council's list: up to the reminder window, and nothing past it came back.
    const listReads = run.queries.filter((q) => q.partition === 'C#sakura#OPEN_ROUNDS');
    expect(listReads).toEqual([expect.objectContaining({ sort: { lessThan: '2026-06-11' } })]);
    expect(run.returned.map((i) => i['itemId'])).not.toContain('later');
    expect((await deps.agendas.get('momiji', b.meeting.meetingId, b.item.itemId)).voting?.reminded).toEqual([]);
  });

  it('voting clock: closes A’s round past its deadline and leaves B’s, also past it, to B’s unit', async () => {
    const a = await inDeliberation(deps, sakura.people, 'written');
    const b = await inDeliberation(deps, momiji.people, 'written');
    deps.clock.set(`${a.meeting.date}T23:59:59+09:00`);
    deps.clock.advance({ hours: 1 });

    const run = await watched(() => runVotingClock(deps, 'sakura'));
    await deps.workflow.settle();

    expect(run.result).toEqual({ closed: 1, reminded: 0 });
    expect(run.touched.filter((pk) => !pk.startsWith('C#sakura'))).toEqual([]);
    expect((await deps.agendas.get('sakura', a.meeting.meetingId, a.item.itemId)).voting?.status).toBe('closed');
    expect((await deps.agendas.get('momiji', b.meeting.meetingId, b.item.itemId)).voting?.status).toBe('open');
    expect(await runVotingClock(deps, 'momiji')).toEqual({ closed: 1, reminded: 0 });
  });

  it('voting clock: a round everyone voted in whose close was cut off is due at once, whatever its deadline', async () => {
    const a = await inDeliberation(deps, sakura.people, 'written');
    const tokens = new Map(deps.notifier.of('vote.invited').map((e) => [e.member.memberId, e.token]));
    const closeVoting = vi.spyOn(deps.agendas, 'closeVoting').mockRejectedValue(new Error('cut off'));
    const { castVote } = await import('#shared/use-cases/voting.ts');
    for (const m of sakura.members) await castVote(deps, tokens.get(m.memberId)!, { choice: 'approve', conditions: [] });
    closeVoting.mockRestore();
    expect((await deps.agendas.get('sakura', a.meeting.meetingId, a.item.itemId)).voting?.status).toBe('open');

    // The deadline is a month away, yet the round is on the list for today.
    const run = await watched(() => runVotingClock(deps, 'sakura'));
    expect(run.result).toEqual({ closed: 1, reminded: 0 });
    expect((await deps.agendas.get('sakura', a.meeting.meetingId, a.item.itemId)).voting?.status).toBe('closed');
  });

  it('follow-up clock: reminds and escalates only A’s follow-ups in the window, never reading B’s or those due later', async () => {
    const today = '2026-05-11';
    await deps.followUps.createAll([
      followUpOf('sakura', 1, '2026-05-15'), // reminder (within a week)
      followUpOf('sakura', 2, '2026-05-01'), // overdue: escalation
      followUpOf('sakura', 3, '2026-12-01'), // not due: never read
    ]);
    await deps.followUps.createAll([followUpOf('momiji', 1, '2026-05-15'), followUpOf('momiji', 2, '2026-05-01')]);
    deps.clock.set(`${today}T09:00:00+09:00`);

    const run = await watched(() => runFollowUpClock(deps, 'sakura'));

    expect(run.result).toEqual({ reminders: 1, escalations: 1 });
    expect(run.touched.filter((pk) => !pk.startsWith('C#sakura'))).toEqual([]);
    expect(run.queries.filter((q) => q.partition === 'C#sakura#FOLLOWUPS')).toEqual([expect.objectContaining({ sort: { lessThan: '2026-05-19' } })]);
    expect(
      run.returned
        .filter((i) => i['_type'] === 'followUp')
        .map((i) => i['followUpId'])
        .sort(),
    ).toEqual(['fu-1', 'fu-2']);
    expect(deps.notifier.events.every((e) => (e as { council?: { councilId: string } }).council?.councilId === 'sakura')).toBe(true);
    expect((await deps.followUps.get({ councilId: 'momiji', consultationId: 'case-1', followUpId: 'fu-1' })).notified).toEqual([]);
    expect(await runFollowUpClock(deps, 'momiji')).toEqual({ reminders: 1, escalations: 1 });
  });

  it('long-wait renewal: reads only the council’s own queues', async () => {
    const run = await watched(() => renewLongWaits(deps, 'sakura'));
    expect(run.result).toEqual({ renewed: 0 });
    expect(run.touched.length).toBeGreaterThan(0);
    expect(run.touched.filter((pk) => !pk.startsWith('C#sakura#'))).toEqual([]);
  });
});

describe('the dispatcher', () => {
  it('starts one unit per council, reading the registry a bounded page at a time', async () => {
    for (let i = 0; i < 7; i++) await seedCouncil(deps, `extra-${i}`);
    const started: object[] = [];
    const run = await watched(() =>
      dispatchJob({ councils: deps.councils, units: { start: async (p) => void started.push(p) } }, 'followUpClock', { pageSize: 4 }),
    );
    const ids = ['sakura', 'momiji', ...Array.from({ length: 7 }, (_, i) => `extra-${i}`)];
    expect(run.result).toEqual({ councils: 9, pages: 3 });
    expect(started.map((p) => (p as { councilId: string }).councilId).sort()).toEqual(ids.sort());
    expect(started.every((p) => (p as { job: string }).job === 'followUpClock')).toBe(true);
    expect(run.queries.every((q) => q.limit === 4)).toBe(true);
    expect(run.touched.every((pk) => pk === 'COUNCILS')).toBe(true);
  });

  it('starts no unit for a suspended council (its links would be refused)', async () => {
    await deps.councils.suspend('momiji', '2026-05-11T00:00:00.000Z');
    const started: string[] = [];
    await dispatchJob({ councils: deps.councils, units: { start: async (p) => void started.push((p as { councilId: string }).councilId) } }, 'followUpClock');
    expect(started).toEqual(['sakura']);
  });

  it('with the hourly job also starts the migration unit; a unit it cannot start fails the run once the others are started', async () => {
    const started: string[] = [];
    const units = {
      start: async (p: object) => {
        const { councilId } = p as { councilId?: string };
        if (councilId === 'momiji') throw new Error('throttled');
        started.push(councilId ?? 'migrateIndexes');
      },
    };
    await expect(dispatchJob({ councils: deps.councils, units }, 'votingClock', { retryDelaysMs: [1, 1] })).rejects.toThrow(/1 unit\(s\) not started — momiji/);
    expect(started.sort()).toEqual(['migrateIndexes', 'sakura']);
  });
});
