/**
 * Child process: the scheduled jobs at scale (section 7). One local stack of its own, seeded
 * directly with BatchWriteItem: `councils` councils, each with a year of open voting rounds
 * and follow-ups (one of each a month) and everything due on the same day — in every
 * council one round's deadline is two days off (a reminder to the two of its six members who
 * have not voted), one
 * follow-up is due in five days (a reminder) and one is three days overdue (an escalation).
 * Then the hourly and the daily schedule run as the local scheduler runs them: the dispatcher,
 * then one unit per council on the jobs function, at most BENCH_JOBS_CONCURRENCY at once (the
 * local Lambda's concurrency limit). Every invocation is timed where it runs.
 */

import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REPO_ROOT } from '#infra/constructs/house-function.ts';
import { DEMO_DEPARTMENTS, DEMO_MEMBERS } from '#infra/local/demo-data.ts';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { agendaItem, council, department, followUp, meeting, member } from '#shared/adapters/store/entities.ts';
import { addDays, type FollowUp, tokyoDate } from '#shared/domain/followups.ts';
import { keys } from '#shared/keys.ts';
import { storedMails } from './cost-scenario.ts';
import { type Child, serve, startChild } from './lib/rpc.ts';
import { median, percentile, round } from './lib/stats.ts';

const ROUNDS_PER_COUNCIL = 12;
const FOLLOW_UPS_PER_COUNCIL = 12;
/** Members of six who have voted in the round that is due. */
const VOTED = 4;
export const JOBS_CONCURRENCY = Number(process.env['BENCH_JOBS_CONCURRENCY'] ?? 8);

export interface JobRun {
  job: string;
  totalMs: number;
  dispatcherMs: number;
  units: number;
  unitMedianMs: number;
  unitP99Ms: number;
  unitMaxMs: number;
  failed: number;
  mails: number;
}

export interface JobsResult {
  councils: number;
  items: number;
  seedMs: number;
  concurrency: number;
  timeouts: { unitS: number; dispatcherS: number };
  runs: JobRun[];
}

type Raw = Record<string, unknown>;

function councilItems(n: number, today: string): Raw[] {
  const councilId = `c${String(n).padStart(4, '0')}`;
  const items: Raw[] = [];
  items.push(
    council.item(
      { councilId },
      {
        councilId,
        name: `第${n}市個人情報保護審議会`,
        municipality: `第${n}市`,
        contact: '総務課',
        secretariatEmail: `secretariat@${councilId}.example.jp`,
        rules: { quorum: 'majority', chairBreaksTie: true },
        chairMemberId: DEMO_MEMBERS[0]!.memberId,
        version: 1,
      },
    ),
  );
  for (const m of DEMO_MEMBERS) items.push(member.item({ councilId, memberId: m.memberId }, { ...m, email: `${m.memberId}@${councilId}.example.jp` }));
  for (const d of DEMO_DEPARTMENTS) items.push(department.item({ councilId, departmentId: d.departmentId }, d));
  const meetingId = 'written-1';
  items.push(
    meeting.item(
      { councilId, meetingId },
      { meetingId, kind: 'written', date: today, fiscalYear: 2026, seq: 1, status: 'in_session', createdAt: `${today}T00:00:00.000Z`, version: 1 },
    ),
  );
  const eligible = DEMO_MEMBERS.map((m) => m.memberId);
  for (let k = 0; k < ROUNDS_PER_COUNCIL; k++) {
    // The first is due in two days (its reminder goes today); the rest over the coming year.
    const deadline = addDays(today, k === 0 ? 2 : 30 * k);
    const itemId = `item-${k}`;
    const value = {
      itemId,
      kind: 'deliberation' as const,
      order: k + 1,
      title: `委託業務 その${k + 1}`,
      consultationIds: [],
      voting: { round: 1, status: 'open' as const, deadline, eligible, openedAt: `${today}T00:00:00.000Z`, reminded: [], ballotVersion: VOTED },
      // Four of the six have voted: the reminder goes to the other two.
      ballots: Object.fromEntries(
        eligible
          .slice(0, VOTED)
          .map((memberId) => [memberId, { memberId, choice: 'approve' as const, conditions: [], castAt: `${today}T01:00:00.000Z`, source: 'link' as const }]),
      ),
      roundOf: { councilId, meetingId },
    };
    items.push({ ...agendaItem.item({ councilId, meetingId, itemId }, value), ...keys.openRound(deadline, councilId, meetingId, itemId) });
  }
  for (let k = 0; k < FOLLOW_UPS_PER_COUNCIL; k++) {
    // One due in five days (a reminder), one three days overdue (an escalation), the rest monthly over the year.
    const due = k === 0 ? addDays(today, 5) : k === 1 ? addDays(today, -3) : addDays(today, 30 * k);
    const consultationId = `case-${k}`;
    const fu: FollowUp = {
      followUpId: `fu-${k}`,
      councilId,
      consultationId,
      title: `委託業務 その${k + 1}`,
      businessKey: `biz-${k}`,
      conditionIndex: 0,
      condition: '業務終了後、受託者からデータ消去証明書を提出させること。',
      type: 'erasure_certificate',
      owner: 'department',
      ownerName: '市民部 市民課',
      departmentId: 'shimin',
      ownerEmail: `shimin@${councilId}.example.jp`,
      evidence: 'データ消去証明書',
      due,
      status: 'open',
      answers: [],
      pendingEvidence: [],
      notified: [],
      createdAt: `${today}T00:00:00.000Z`,
      version: 1,
    };
    items.push(followUp.item({ councilId, consultationId, followUpId: fu.followUpId }, fu));
  }
  return items;
}

async function batchPut(db: DynamoDBDocumentClient, tableName: string, items: Raw[]) {
  const batches: Raw[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let requests = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length && attempt < 20; attempt++) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
        if (requests.length) throw new Error('BatchWriteItem kept items unprocessed');
      }
    }),
  );
}

let stack: LocalStack | undefined;
let dynalite: Child<{ url: string }> | undefined;

serve(
  async () => ({ pid: process.pid }),
  {
    run: async ({ councils, logFile }: { councils: number; logFile?: string }): Promise<JobsResult> => {
      const invocations: { name: string; ms: number; error?: string }[] = [];
      // DynamoDB in a process of its own (the other core), as the service is apart from Lambda in AWS.
      dynalite = await startChild<{ url: string }>(path.join(REPO_ROOT, 'bench/dynalite-server.ts'), { logFile: logFile ?? '/dev/null' });
      const local = await startLocalStack({
        seed: false,
        dynamodb: { endpoint: dynalite.ready.url, tableName: `council-jobs-${councils}` },
        lambdaConcurrency: JOBS_CONCURRENCY,
        onInvocation: (r) => invocations.push(r),
      });
      stack = local;
      // One process is every container here: the mailer's per-container rate would be the whole run's.
      // The SES stand-in has no sending rate, so the time SES's rate adds is reported beside, not slept.
      process.env['MAIL_RATE_PER_SECOND'] = '1000000';
      const db = DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: local.urls.dynamodb, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
        { marshallOptions: { removeUndefinedValues: true } },
      );
      const today = tokyoDate(new Date());
      const items = Array.from({ length: councils }, (_, n) => councilItems(n + 1, today)).flat();
      const t0 = performance.now();
      await batchPut(db, local.tableName, items);
      const seedMs = Math.round(performance.now() - t0);

      const kindOf = (name: string) => local.functions.get(name)?.entry;
      const runs: JobRun[] = [];
      for (const job of ['votingClock', 'followUpClock']) {
        invocations.length = 0;
        const mailsBefore = (await storedMails(local.urls.ses)).length;
        const started = performance.now();
        await local.runJob(job);
        const totalMs = performance.now() - started;
        const units = invocations.filter((i) => kindOf(i.name) === 'functions/jobs.ts');
        const dispatcher = invocations.filter((i) => kindOf(i.name) === 'functions/dispatch.ts');
        const ms = units.map((u) => u.ms);
        runs.push({
          job,
          totalMs: Math.round(totalMs),
          dispatcherMs: round(dispatcher[0]?.ms ?? Number.NaN, 0),
          units: units.length,
          unitMedianMs: round(median(ms), 1),
          unitP99Ms: round(percentile(ms, 99), 1),
          unitMaxMs: round(Math.max(...ms), 1),
          failed: invocations.filter((i) => i.error).length,
          mails: (await storedMails(local.urls.ses)).length - mailsBefore,
        });
      }
      const fn = (entry: string) => [...local.functions.values()].find((f) => f.entry === entry)!;
      const result: JobsResult = {
        councils,
        items: items.length,
        seedMs,
        concurrency: JOBS_CONCURRENCY,
        timeouts: { unitS: fn('functions/jobs.ts').timeoutSeconds, dispatcherS: fn('functions/dispatch.ts').timeoutSeconds },
        runs,
      };
      db.destroy();
      await local.stop();
      stack = undefined;
      await dynalite.stop();
      return result;
    },
  },
  async () => {
    await stack?.stop();
    await dynalite?.stop();
  },
);
