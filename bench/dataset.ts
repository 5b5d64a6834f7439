/**
 * The data set of sections 2 and 3.
 *
 * 1× is one council's year, made through the real pages (so every item is exactly what
 * the product writes): 12 consultations — 2 waiting for screening, 1 returned, 4 accepted
 * and waiting for a meeting, 4 decided at a meeting (2 approved, 2 with conditions), 1 in a
 * written vote still open — plus the demo council's roster.
 *
 * N× adds N−1 copies of that year, written with BatchWriteItem: the table then holds
 * 10 councils × N/10 fiscal years. Copies of the demo council (さくら) are its past years:
 * cases closed, nothing left in any work queue. The other councils get a full current year
 * (open queues, an open vote) and past years like さくら's. So the pages of さくら read the
 * same partitions at 1× and N×, except where a page lists a council's whole history
 * (a department's own cases) or every council (the home page).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '#infra/local/stack.ts';
import { MinutesRepository } from '#shared/adapters/minutes-repository.ts';
import { keys } from '#shared/keys.ts';
import { storedMails } from './cost-scenario.ts';
import type { Auth } from './lib/auth.ts';
import { statusReader } from './lib/pages.ts';
import { CONDITIONS, COUNCIL, dayFromNow, steps } from './lib/scenario.ts';

export interface SeedResult {
  /** Items in the table after seeding. */
  items: number;
  /** Bytes of the 1× items (as JSON; close to DynamoDB's item size). */
  oneYearBytes: number;
  seedMs: number;
  cloneMs: number;
  /** Ids the benchmark's requests use. */
  ids: { decidedCase: string; closedCase: string; voteToken: string; decidedMeeting: string };
}

const TITLES = [
  '住民基本台帳事務',
  '印鑑登録事務',
  'グループウェアシステムに関する事務',
  '介護保険関係事務',
  '公金等支払事務',
  '児童手当事務',
  '生活保護に関する事務',
  '国民健康保険事務',
  '市税賦課事務',
  '図書館利用者管理事務',
  '放課後児童クラブ運営事務',
  '防災行政無線登録事務',
];

/** Runs `work` over `inputs`, at most `limit` at a time. */
async function pool<T, R>(inputs: readonly T[], limit: number, work: (input: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(inputs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, inputs.length) }, async () => {
      while (next < inputs.length) {
        const i = next++;
        out[i] = await work(inputs[i]!, i);
      }
    }),
  );
  return out;
}

export async function seedOneYear(stack: LocalStack, auth: Auth): Promise<SeedResult['ids']> {
  const reader = statusReader(stack.urls.dynamodb, stack.tableName);
  const s = steps(stack.urls.http, reader, auth);
  const ids = await pool(TITLES, 4, (title, i) => s.submitCase(title, i % 2 ? 'u-shimin' : 'u-fukushi'));
  await s.screen(ids[2]!, 'return');
  await pool(ids.slice(3), 4, (id) => s.screen(id, 'accept'));

  const decided = ids.slice(3, 7);
  const meetingDay = dayFromNow(20);
  const meeting = await s.createMeeting('meeting', meetingDay);
  await s.addItems(meeting, decided);
  await s.mailAgenda(meeting);
  const items = await s.open(meeting, decided);
  for (const [k, itemId] of items.entries()) await s.decide(meeting, itemId, k >= 2 ? CONDITIONS : undefined);
  await s.approveAnswers(decided, meetingDay);
  for (const [k, id] of decided.entries()) await reader.waitForStatus(COUNCIL, id, k >= 2 ? 'followups_open' : 'closed');

  // A written decision still open: its mailed link is what the vote-cast cold start posts to.
  const voted = ids[7]!;
  const written = await s.createMeeting('written', dayFromNow(30));
  await s.addItems(written, [voted]);
  await s.open(written, [voted]);
  const invitation = (await storedMails(stack.urls.ses))
    .filter((m) => m.subject.includes('書面審議') && (m.destination?.to ?? []).some((to) => to.startsWith('maeda@')))
    .pop();
  const voteToken = /\/v\/([A-Za-z0-9_.-]+)/.exec(invitation?.body.text ?? '')?.[1];
  if (!voteToken) throw new Error('no voting link was mailed to m-maeda');
  reader.destroy();
  return { decidedCase: decided[3]!, closedCase: decided[0]!, voteToken, decidedMeeting: meeting.split('/').pop()! };
}

const GSI_ATTRIBUTE = /^gsi\d+(pk|sk)$/;
/** Matches whole ids (or the council id) inside keys and attributes, not parts of longer tokens. */
const token = (alternatives: string) => new RegExp(`(?<![A-Za-z0-9_-])(${alternatives})(?![A-Za-z0-9_-])`, 'g');

const localClient = (endpoint: string) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));

/** The whole table (a Scan is fine here: this is the bench seeding, not a request path). */
async function scanAll(db: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < 10_000; page++) {
    const out = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
    if (!start) break;
  }
  return items;
}

async function batchPut(db: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await pool(batches, 8, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length && attempt < 20; attempt++) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
    if (requests.length) throw new Error('BatchWriteItem kept items unprocessed');
  });
}
const YEARS = 10;

/** Copies the 1× year to make the table `scale`× as large (see the file comment). */
export async function grow(stack: LocalStack, scale: number): Promise<{ items: number; oneYearBytes: number; ms: number }> {
  const started = performance.now();
  const db = localClient(stack.urls.dynamodb);
  // Everything in the table is the 1× year of さくら.
  const year = await scanAll(db, stack.tableName);
  const oneYearBytes = year.reduce((n, i) => n + Buffer.byteLength(JSON.stringify(i)), 0);

  // Ids of cases, meetings and agenda items get a suffix per copy; the council id is replaced for other councils.
  const ids = new Set<string>();
  for (const i of year) {
    const sk = String(i['sk']);
    if (sk === 'CASE') ids.add(String(i['consultationId']));
    if (sk.startsWith('MEETING#')) ids.add(String(i['meetingId']));
    if (sk.startsWith('ITEM#')) ids.add(String(i['itemId']));
  }
  const idPattern = token([...ids].join('|'));
  const councilPattern = token(COUNCIL);
  const councils = Math.max(1, Math.round(scale / YEARS));

  const copies: Record<string, unknown>[] = [];
  for (let k = 1; k < scale; k++) {
    const council = Math.floor(k / YEARS) % councils;
    const pastYear = k % YEARS !== 0;
    const councilId = council === 0 ? COUNCIL : `bench${council}`;
    for (const original of year) {
      const pk = String(original['pk']);
      const sk = String(original['sk']);
      // A past year brings cases and meetings only; the council's own items exist once.
      if (pastYear && !pk.includes('#CASE#') && !pk.includes('#MEETING#') && !sk.startsWith('MEETING#')) continue;
      if (council === 0 && !pastYear) continue; // that is the original
      let json = JSON.stringify(original).replace(idPattern, (id) => `${id}-k${k}`);
      if (councilId !== COUNCIL) json = json.replace(councilPattern, councilId);
      const item = JSON.parse(json) as Record<string, unknown>;
      if (pastYear) closeOut(item, councilId, k % YEARS);
      copies.push(item);
    }
  }

  await batchPut(db, stack.tableName, copies);
  db.destroy();
  return { items: year.length + copies.length, oneYearBytes, ms: Math.round(performance.now() - started) };
}

/** A finished year, `yearsAgo` before the original: cases closed and out of every queue; nothing else indexed. */
function closeOut(item: Record<string, unknown>, councilId: string, yearsAgo: number) {
  const isCase = item['sk'] === 'CASE';
  for (const attribute of Object.keys(item)) {
    if (!GSI_ATTRIBUTE.test(attribute)) continue;
    // A case keeps its department (GSI2), business (GSI3) and register (GSI4) entries: that history is real.
    if (isCase && !/^gsi1/.test(attribute)) continue;
    delete item[attribute];
  }
  // On the register, under its own past fiscal year (a place is unique within a year).
  if (isCase && typeof item['gsi4sk'] === 'string') item['gsi4sk'] = item['gsi4sk'].replace(/^\d{4}/, (y) => String(Number(y) - yearsAgo).padStart(4, '0'));
  if (isCase) {
    item['status'] = 'closed';
    delete item['taskToken'];
    Object.assign(item, keys.consultationByStatus(councilId, 'closed', String(item['updatedAt'])));
  }
  if (String(item['sk']).startsWith('MEETING#')) item['status'] = 'closed';
}

/**
 * Section 4: a meeting with `size` agenda items, made by copying the decided meeting of the
 * 1× year (its 4 items and their cases, each case with its whole partition) until the agenda
 * is that long. Returns the new meeting's id and its cases' ids.
 */
export async function bigMeeting(stack: LocalStack, meetingId: string, size: number): Promise<{ meetingId: string; caseIds: string[]; items: number }> {
  const db = localClient(stack.urls.dynamodb);
  const all = await scanAll(db, stack.tableName);
  const meetingPk = `C#${COUNCIL}#MEETING#${meetingId}`;
  const meeting = all.find((i) => i['sk'] === `MEETING#${meetingId}`);
  const items = all.filter((i) => i['pk'] === meetingPk && String(i['sk']).startsWith('ITEM#')).sort((a, b) => Number(a['order']) - Number(b['order']));
  if (!meeting || !items.length) throw new Error(`meeting ${meetingId} not found`);
  const caseIds = items.flatMap((i) => i['consultationIds'] as string[]);
  const cases = all.filter((i) => caseIds.some((id) => i['pk'] === `C#${COUNCIL}#CASE#${id}`));
  const big = `${meetingId}-big`;
  const rename = (item: Record<string, unknown>, copy: number) =>
    JSON.parse(
      JSON.stringify(item)
        .replace(token([...caseIds, ...items.map((i) => String(i['itemId']))].join('|')), (id) => `${id}-b${copy}`)
        .replace(token(meetingId), big),
    ) as Record<string, unknown>;

  const out: Record<string, unknown>[] = [rename(meeting, 0)];
  const newCases: string[] = [];
  let added = 0;
  for (let copy = 0; added < size; copy++) {
    for (const [k, item] of items.entries()) {
      if (added >= size) break;
      const order = copy * items.length + k + 1;
      out.push({ ...rename(item, copy), order });
      added++;
      const ids = item['consultationIds'] as string[];
      newCases.push(...ids.map((id) => `${id}-b${copy}`));
      for (const c of cases.filter((c) => ids.some((id) => c['pk'] === `C#${COUNCIL}#CASE#${id}`))) out.push(rename(c, copy));
    }
  }
  await batchPut(db, stack.tableName, out);
  // The figure is labelled with the item count: check the table holds exactly that many.
  const stored = (await scanAll(db, stack.tableName)).filter((i) => i['pk'] === `C#${COUNCIL}#MEETING#${big}` && String(i['sk']).startsWith('ITEM#')).length;
  db.destroy();
  if (stored !== size) throw new Error(`the big meeting has ${stored} agenda items stored, not the ${size} its figures are labelled with`);
  return { meetingId: big, caseIds: newCases, items: size };
}

/** A minutes export already done, for the cold starts of the export functions (section 1): they read it and stop. */
export async function doneExport(stack: LocalStack, meetingId: string): Promise<string> {
  const exportId = 'benchColdStartExport';
  const at = new Date().toISOString();
  await new MinutesRepository(localClient(stack.urls.dynamodb), stack.tableName).putExport(COUNCIL, meetingId, {
    exportId,
    format: 'csv',
    edition: 'internal',
    status: 'done',
    progress: '完了しました',
    percent: 100,
    requestedBy: 'u-secretariat',
    requestedAt: at,
    updatedAt: at,
    finishedAt: at,
  });
  return exportId;
}
