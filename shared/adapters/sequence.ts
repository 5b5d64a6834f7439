import { ConflictError } from '#shared/errors.ts';
import type { GetPattern } from './store/access-patterns.ts';
import type { Counter } from './store/entities.ts';
import type { AnyEntity, Entity, KeyParams, Params } from './store/entity.ts';
import { type Action, and, eq, itemExists, notExists, set } from './store/expressions.ts';
import type { Store } from './store/store.ts';

export interface SequenceClaim<V, E extends AnyEntity> {
  /** The counter: holds the last number given and the item it went to. */
  counter: { entity: Entity<Counter, any, any, any>; read: GetPattern<Counter, any>; params: Params<string> };
  /** Id of the item taking a number, and how to find any item by id. */
  claimant: string;
  item: { entity: E; read: GetPattern<any, any>; paramsOf: (id: string) => KeyParams<E> };
  /** Attribute the number is written to on the item, and its value for number n. */
  attribute: string;
  valueOf: (n: number) => V;
  /** What else changes on the item with its number, in the same write (e.g. its place on an index ordered by number). */
  with?: (value: V) => Action[];
}

/**
 * Gives an item the next number of a sequence, without gaps or duplicates under any
 * concurrency, using only single-item conditions (the local DynamoDB has no transactions):
 *  - the counter item holds the last number given and the item it went to;
 *  - an item is written its number before the counter moves past it (whoever moves the
 *    counter next first completes the previous item's number), so a crash between the
 *    two writes leaves no gap;
 *  - the counter only moves from the value just read (optimistic lock), so two claims
 *    can never take the same number; a claimant that already holds the last number
 *    (a retry) gets it again.
 *  - a claimant that holds a number already (its claim was overtaken by later ones) gets it
 *    back: the counter only moves past a claim after that claim's number is written, so a
 *    claimant read after the counter is either the counter's last claimant or numbered.
 * Claims of the same item may therefore run at once (two clicks, or a retry after a crash).
 */
export async function claimNext<V, E extends AnyEntity>(store: Store, claim: SequenceClaim<V, E>): Promise<V> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const counter = await store.get(claim.counter.read, claim.counter.params);
    const last = counter?.last ?? 0;
    const lastClaimant = counter?.lastClaimant;
    if (lastClaimant === claim.claimant) return writeOnce(store, claim, claim.claimant, last);
    if (lastClaimant) await writeOnce(store, claim, lastClaimant, last, true);
    // Claimed before the counter moved on past it (its number was completed before the move): keep it.
    const held = await numberOf(store, claim, claim.claimant);
    if (held !== undefined) return held;
    const moved = counter
      ? await store.update(claim.counter.entity, claim.counter.params, [set('last', last + 1), set('lastClaimant', claim.claimant)], {
          if: eq('last', last),
          onConditionFailure: false,
        })
      : await store.create(claim.counter.entity, claim.counter.params, { last: 1, lastClaimant: claim.claimant }, { onConditionFailure: false });
    if (moved) return writeOnce(store, claim, claim.claimant, last + 1);
    await new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt + 1, 10)));
  }
  throw new ConflictError('処理が混み合っています。少し時間をおいてもう一度操作してください。');
}

async function numberOf<V, E extends AnyEntity>(store: Store, claim: SequenceClaim<V, E>, id: string): Promise<V | undefined> {
  const item = await store.get(claim.item.read, claim.item.paramsOf(id));
  return (item as Record<string, unknown> | undefined)?.[claim.attribute] as V | undefined;
}

/**
 * Writes an item's number once; `repair` completes another item's number and tolerates it
 * being done. Whether an existing number is this one is checked on the read item: not every
 * DynamoDB implementation compares map values in a condition.
 */
async function writeOnce<V, E extends AnyEntity>(store: Store, claim: SequenceClaim<V, E>, id: string, n: number, repair = false): Promise<V> {
  const value = claim.valueOf(n);
  const written = await store.update(claim.item.entity, claim.item.paramsOf(id), [set(claim.attribute, value), ...(claim.with?.(value) ?? [])], {
    if: and(itemExists(), notExists(claim.attribute)),
    onConditionFailure: false,
  });
  if (written || repair) return value;
  const held = await numberOf(store, claim, id);
  if (JSON.stringify(held) !== JSON.stringify(value)) {
    throw new Error(`numbering: ${claim.item.entity.type} ${id} holds ${JSON.stringify(held)} where the counter gave it ${JSON.stringify(value)}`);
  }
  return value;
}
