import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { businessKeyOf } from '#shared/domain/followups.ts';
import { asUser, useLocalStack } from '../support/local-stack.ts';

/**
 * A department's own list (諮問一覧) and a business's history (事務の履歴) over nine years of
 * cases: 20 a page, newest first, 「次へ」 on to older ones, each page reading about a page of
 * items from the table however long the history (counted on the functions' own client).
 */
const local = useLocalStack();
const base = () => local.stack.urls.http;
const welfare = asUser(base, 'u-fukushi');
const secretariat = asUser(base, 'u-secretariat');

const YEARS = 9;
const PER_YEAR = 5;
const OWN = YEARS * PER_YEAR;
const REGISTRATION = '履歴試験-0001';
const historyPath = `/c/sakura/businesses/${businessKeyOf({ businessRegistration: REGISTRATION })}`;

/** Items the Queries of the functions returned while `run` ran. */
let counting = false;
let itemsRead = 0;
async function readsOf<T>(run: () => Promise<T>): Promise<{ result: T; itemsRead: number }> {
  itemsRead = 0;
  counting = true;
  try {
    return { result: await run(), itemsRead };
  } finally {
    counting = false;
  }
}

/** The case titles of a page, in the order shown (each case's title is 履歴試験N, N growing with its age). */
const titlesIn = (page: string) => [...page.matchAll(/>履歴試験(\d+)</g)].map((m) => Number(m[1]));
const nextLink = (page: string) => /<a href="([^"]+)" rel="next">次へ/.exec(page)?.[1]?.replaceAll('&amp;', '&');

beforeAll(async () => {
  const { dynamo } = await import('#shared/adapters/aws.ts');
  const { ConsultationRepository } = await import('#shared/adapters/consultation-repository.ts');
  (dynamo as DynamoDBDocumentClient).middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (counting && context.commandName === 'QueryCommand') itemsRead += Number((out.output as { Count?: number }).Count ?? 0);
      return out;
    },
    { step: 'initialize', name: 'historyTestReads' },
  );
  const repo = new ConsultationRepository(dynamo, local.stack.tableName);
  const cases = [];
  // Nine fiscal years of 生活福祉課's cases about one business, and as many of 市民課's about another, interleaved.
  for (let i = 0; i < OWN; i++) {
    for (const [departmentId, prefix, registration] of [
      ['fukushi', '履歴試験', REGISTRATION],
      ['shimin', '他課', '他課の事務-0002'],
    ] as const) {
      const at = new Date(Date.UTC(2017, 3, 1) + i * 73 * 86_400_000 + (departmentId === 'shimin' ? 3_600_000 : 0)).toISOString();
      cases.push({
        councilId: 'sakura',
        consultationId: `hist-${departmentId}-${i}`,
        departmentId,
        form: { title: `${prefix}${i}`, businessName: '住民記録事務', businessRegistration: registration },
        status: 'closed' as const,
        returns: 0,
        createdBy: `u-${departmentId}`,
        createdAt: at,
        submittedAt: at,
        updatedAt: at,
        version: 1,
      });
    }
  }
  for (const c of cases) await repo.create(c);
});

describe('lists that do not grow with the history', () => {
  it('shows a department its own cases 20 a page, newest first, and 「次へ」 reaches the oldest', async () => {
    const seen: number[] = [];
    let path: string | undefined = '/c/sakura/consultations';
    for (let page = 0; path && page < 5; page++) {
      const { result, itemsRead: read } = await readsOf(async () => (await welfare.get(path!)).text());
      const titles = titlesIn(result);
      expect(result).not.toContain('他課');
      expect(titles.length).toBe(page < 2 ? 20 : OWN - 40);
      seen.push(...titles);
      // A page of its own index (21 items) and the small status queues, not the council's nine years.
      expect(read).toBeGreaterThanOrEqual(titles.length);
      expect(read).toBeLessThan(40);
      path = nextLink(result);
    }
    expect(seen).toEqual(Array.from({ length: OWN }, (_, i) => OWN - 1 - i));
    expect(path).toBeUndefined();
  });

  it("shows a business's history 20 a page, newest first, and 「次へ」 reaches the oldest", async () => {
    const seen: number[] = [];
    let path: string | undefined = historyPath;
    for (let page = 0; path && page < 5; page++) {
      const { result, itemsRead: read } = await readsOf(async () => {
        const res = await secretariat.get(path!);
        expect(res.status).toBe(200);
        return res.text();
      });
      const titles = titlesIn(result);
      expect(result).not.toContain('他課');
      expect(titles.length).toBe(page < 2 ? 20 : OWN - 40);
      seen.push(...titles);
      // A slice of the business's index, then each case shown with its answer and follow-ups.
      expect(read).toBeGreaterThanOrEqual(titles.length);
      expect(read).toBeLessThan(21 + 20 * 3);
      path = nextLink(result);
    }
    expect(seen).toEqual(Array.from({ length: OWN }, (_, i) => OWN - 1 - i));
    expect(path).toBeUndefined();
  });

  it('starts from the newest again when a link carries a position it does not understand', async () => {
    const page = await (await secretariat.get(`${historyPath}?after=${encodeURIComponent('<script>')}`)).text();
    expect(titlesIn(page).slice(0, 3)).toEqual([OWN - 1, OWN - 2, OWN - 3]);
    expect(page).not.toContain('<script>');
  });
});
