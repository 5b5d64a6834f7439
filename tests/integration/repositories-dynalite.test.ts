import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoItems } from '#shared/adapters/dynamo-items.ts';
import { createDynamoRepositories } from '#shared/adapters/repositories.ts';
import type { Action, Condition, Path } from '#shared/adapters/store/expressions.ts';
import * as x from '#shared/adapters/store/expressions.ts';
import type { Item, ItemStore } from '#shared/adapters/store/items.ts';
import { MemoryItems } from '#shared/adapters/store/memory-items.ts';
import { repositoryContract } from '../support/repository-contract.ts';
import { startTable, type TestTable } from '../support/table.ts';

/**
 * The repository contract against dynalite, on the table as the stateful stack synthesizes it
 * (only the table is started), and a differential test of the two item stores underneath.
 */
let table: TestTable | undefined;
const started = async () => (table ??= await startTable());
afterAll(async () => table?.stop());

repositoryContract('dynalite', async () => {
  const { db, tableName } = await started();
  return {
    repos: createDynamoRepositories(db, tableName),
    raw: {
      put: async (item) => void (await db.send(new PutCommand({ TableName: tableName, Item: item }))),
      get: async (key) => (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item,
    },
  };
});

// ── The in-memory store agrees with the table on every condition and update the layer can express ──

const paths: Path[] = ['s', 'n', 'l', 'm', ['m', 'k'], ['m', 'c'], ['l', 0]];
const values = fc.oneof(fc.constantFrom('x', 'y', ''), fc.integer({ min: 0, max: 3 }), fc.constant(['x']), fc.constant({ k: 'x', c: 1 }));
const path = fc.constantFrom(...paths);
const scalars = fc.oneof(fc.constantFrom('x', 'y', ''), fc.integer({ min: 0, max: 3 }));
const leaf: fc.Arbitrary<Condition> = fc.oneof(
  path.map(x.exists),
  path.map(x.notExists),
  fc.tuple(path, scalars).map(([p, v]) => x.eq(p, v)),
  fc.tuple(path, scalars).map(([p, v]) => x.ne(p, v)),
  fc.tuple(path, fc.oneof(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 3 }))).map(([p, v]) => x.lt(p, v)),
  fc.tuple(path, scalars, scalars).map(([p, a, b]) => x.isIn(p, a, b)),
  fc.tuple(fc.constantFrom<Path>('l', 's'), fc.constantFrom('x', 'y')).map(([p, v]) => x.contains(p, v)),
  fc.tuple(fc.constantFrom<Path>('l', 'm'), fc.integer({ min: 0, max: 2 })).map(([p, n]) => x.sizeIs(p, n)),
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  fc.array(leaf, { minLength: 2, maxLength: 3 }).map((cs) => x.and(...cs)),
  fc.array(leaf, { minLength: 2, maxLength: 3 }).map((cs) => x.or(...cs)),
  leaf.map(x.not),
);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.tuple(path, values).map(([p, v]) => x.set(p, v)),
  fc.tuple(path, values).map(([p, v]) => x.setIfMissing(p, v)),
  fc.constantFrom('x', 'y').map((v) => x.append('l', [v])),
  fc.constantFrom<Path>('n', ['m', 'c']).map((p) => x.add(p, 1)),
  fc.constantFrom<Path>('s', 'n', 'l', 'm').map(x.remove),
);
/** Actions on paths that do not overlap (DynamoDB refuses those; both stores check it the same way). */
const actions = fc.uniqueArray(action, { minLength: 1, maxLength: 3, selector: (a) => JSON.stringify(x.pathOf(a.path)[0]) });
const start = fc.record(
  { s: fc.constantFrom('x', 'y'), n: fc.integer({ min: 0, max: 3 }), l: fc.constant(['x']), m: fc.constant({ k: 'x', c: 1 }) },
  { requiredKeys: [] },
);
const step = fc.oneof(fc.record({ kind: fc.constant('put' as const), item: start, if: fc.option(condition, { nil: undefined }) }), {
  weight: 3,
  arbitrary: fc.record({ kind: fc.constant('update' as const), actions, if: fc.option(condition, { nil: undefined }) }),
});

type Step = { kind: 'put'; item: Item; if?: Condition | undefined } | { kind: 'update'; actions: Action[]; if?: Condition | undefined };

async function outcome(store: ItemStore, pk: string, s: Step) {
  try {
    const written = s.kind === 'put' ? await store.put({ pk, sk: 'S', ...s.item }, s.if) : (await store.update({ pk, sk: 'S' }, s.actions, s.if)).ok;
    return written ? 'written' : 'condition failed';
  } catch (e) {
    return `refused (${(e as Error).name})`;
  }
}

describe('the in-memory item store', () => {
  it('agrees with dynalite on what each condition allows and what each update writes', { timeout: 120_000 }, async () => {
    const { db, tableName } = await started();
    const dynamo = new DynamoItems(db, tableName);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const memory = new MemoryItems({ interleave: false });
        const pk = `DIFF#${run++}`;
        for (const s of steps) {
          const [m, d] = [await outcome(memory, pk, s), await outcome(dynamo, pk, s)];
          // Both refuse an invalid request (each with its own words), or both do the same.
          expect(m.startsWith('refused') ? 'refused' : m, JSON.stringify(s)).toBe(d.startsWith('refused') ? 'refused' : d);
          expect(await memory.get({ pk, sk: 'S' }, true), JSON.stringify(s)).toEqual(await dynamo.get({ pk, sk: 'S' }, true));
        }
      }),
      { numRuns: 60 },
    );
  });
});
