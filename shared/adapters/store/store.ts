/**
 * The entity layer the repositories use: named reads (access-patterns.ts) that come back
 * validated, and writes of whole entities or of update actions under a condition. What a
 * failed condition means is declared by the caller, next to the condition, and handled here
 * in one place: an error to throw, `false` to return, or — declared nothing — a
 * ConditionFailedError naming the entity, key and condition (a guard that should not fail).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { DynamoItems } from '../dynamo-items.ts';
import type { GetPattern, QueryPattern, RecordsPattern } from './access-patterns.ts';
import { type AnyEntity, type Entity, InvalidItemError, type KeyParams, type Params, type ValueOf } from './entity.ts';
import { type Action, add, assign, type Condition, itemAbsent, set, showCondition } from './expressions.ts';
import type { Item, ItemKey, ItemStore, SortRange } from './items.ts';
import { TABLE_KEYS, TYPE_ATTRIBUTE, VERSION_ATTRIBUTE } from './table.ts';

/** A condition that failed where the caller declared no meaning for it: a bug or a race nobody handles (500). */
export class ConditionFailedError extends Error {
  override name = 'ConditionFailedError';
  constructor(
    readonly entityType: string,
    readonly key: ItemKey,
    condition: Condition,
  ) {
    super(`condition failed on ${entityType} (pk=${key.pk}, sk=${key.sk}): ${showCondition(condition)}`);
  }
}

/** What a failed condition means to the caller: the error to throw, or `false` to return. */
export type OnConditionFailure = (() => Error) | false;

export interface Guard {
  if: Condition;
  onConditionFailure?: OnConditionFailure;
}

/** The items of a RecordsPattern read, sorted out by entity. */
export class Records {
  constructor(private readonly byEntity: ReadonlyMap<AnyEntity, unknown[]>) {}

  all<E extends AnyEntity>(entity: E): ValueOf<E>[] {
    return (this.byEntity.get(entity) ?? []) as ValueOf<E>[];
  }

  one<E extends AnyEntity>(entity: E): ValueOf<E> | undefined {
    return this.all(entity)[0];
  }
}

export class Store {
  constructor(readonly items: ItemStore) {}

  static dynamo(db: DynamoDBDocumentClient, tableName: string): Store {
    return new Store(new DynamoItems(db, tableName));
  }

  get<T, K extends string>(pattern: GetPattern<T, K>, params: Params<K>): Promise<T | undefined>;
  get<T, K extends string>(pattern: GetPattern<T, K>, params: Params<K>, notFound: () => Error): Promise<T>;
  async get<T, K extends string>(pattern: GetPattern<T, K>, params: Params<K>, notFound?: () => Error): Promise<T | undefined> {
    const item = await this.items.get(pattern.key(params), pattern.consistent);
    if (!item) {
      if (notFound) throw notFound();
      return undefined;
    }
    return pattern.entity.decode(item);
  }

  /** Several items of one get pattern in one round trip (BatchGetItem), in the order of `params`; missing ones are left out. */
  async getMany<T, K extends string>(pattern: GetPattern<T, K>, params: readonly Params<K>[]): Promise<T[]> {
    const keys = params.map((p) => pattern.key(p));
    const items = await this.items.getMany(keys, pattern.consistent);
    const byKey = new Map(items.map((i) => [`${i['pk']}\u0000${i['sk']}`, i]));
    return keys.flatMap((k) => {
      const item = byKey.get(`${k.pk}\u0000${k.sk}`);
      return item ? [pattern.entity.decode(item) as T] : [];
    });
  }

  /**
   * A query pattern's items. `bound` is the sort key the pattern's bound is on: the items below it
   * ('below'), or after it ('after'; none given: from the first).
   */
  async query<T, P extends string>(pattern: QueryPattern<T, P>, params: Params<P>, options: { limit?: number; bound?: string } = {}): Promise<T[]> {
    if (pattern.bound === 'below' && options.bound === undefined) throw new Error('this access pattern reads up to a bound: give one');
    const sort =
      pattern.bound && options.bound !== undefined
        ? pattern.bound === 'below'
          ? { lessThan: options.bound }
          : { greaterThan: options.bound }
        : pattern.sortPrefix
          ? { beginsWith: pattern.sortPrefix }
          : undefined;
    const items = await this.items.query({
      ...(pattern.index ? { index: pattern.index } : {}),
      partition: pattern.partition.build(params),
      ...(sort ? { sort } : {}),
      ...(pattern.newestFirst ? { descending: true } : {}),
      ...(pattern.consistent ? { consistent: true } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    });
    return items.map((i) => pattern.entity.decode(i));
  }

  /**
   * A bounded slice of a pattern's partition, in either order, within a sort-key range, with
   * each value's sort key (on the pattern's index) — the position a page of a long list goes on from.
   */
  async slice<T, P extends string>(
    pattern: QueryPattern<T, P>,
    params: Params<P>,
    options: { range?: SortRange | undefined; descending: boolean; limit: number },
  ): Promise<{ value: T; sortKey: string }[]> {
    if (pattern.sortPrefix && options.range) throw new Error(`${pattern.entity.type}: a slice has either the pattern's prefix or a range`);
    const sort = options.range ?? (pattern.sortPrefix ? { beginsWith: pattern.sortPrefix } : undefined);
    const items = await this.items.query({
      ...(pattern.index ? { index: pattern.index } : {}),
      partition: pattern.partition.build(params),
      ...(sort ? { sort } : {}),
      ...(options.descending ? { descending: true } : {}),
      ...(pattern.consistent ? { consistent: true } : {}),
      limit: options.limit,
    });
    const sortAttribute = pattern.index?.sort ?? TABLE_KEYS.sort;
    return items.map((i) => ({ value: pattern.entity.decode(i), sortKey: i[sortAttribute] as string }));
  }

  /**
   * As slice, over an index partition that other entities share (a business's history: its cases,
   * and the entries of cases naming it among others): each item decoded by the entity that owns it.
   */
  async sliceOwned<T, P extends string, E extends AnyEntity>(
    pattern: QueryPattern<T, P>,
    entities: readonly E[],
    params: Params<P>,
    options: { range?: SortRange | undefined; descending: boolean; limit: number },
  ): Promise<{ entity: E; value: ValueOf<E>; sortKey: string }[]> {
    const items = await this.items.query({
      ...(pattern.index ? { index: pattern.index } : {}),
      partition: pattern.partition.build(params),
      ...(options.range ? { sort: options.range } : {}),
      ...(options.descending ? { descending: true } : {}),
      limit: options.limit,
    });
    const sortAttribute = pattern.index?.sort ?? TABLE_KEYS.sort;
    return items.map((i) => {
      const entity = entities.find((e) => e.owns(i));
      if (!entity) throw new InvalidItemError('unknown', keyOf(i), `is none of ${entities.map((e) => e.type).join(', ')}`);
      return { entity, value: entity.decode(i) as ValueOf<E>, sortKey: i[sortAttribute] as string };
    });
  }

  async records<P extends string>(pattern: RecordsPattern<P>, params: Params<P>): Promise<Records> {
    const partition = pattern.partition.build(params);
    // The character after the prefix's last one: everything sorting past the left-out range.
    const after = pattern.without.slice(0, -1) + String.fromCharCode(pattern.without.charCodeAt(pattern.without.length - 1) + 1);
    const ranges = await Promise.all([
      this.items.query({ partition, sort: { lessThan: pattern.without }, consistent: pattern.consistent }),
      this.items.query({ partition, sort: { greaterThan: after }, consistent: pattern.consistent }),
    ]);
    const byEntity = new Map<AnyEntity, unknown[]>(pattern.entities.map((e) => [e, []]));
    for (const item of ranges.flat()) {
      const entity = pattern.entities.find((e) => e.owns(item));
      if (!entity) throw new InvalidItemError('unknown', keyOf(item), `is none of ${pattern.entities.map((e) => e.type).join(', ')}`);
      byEntity.get(entity)!.push(entity.decode(item));
    }
    return new Records(byEntity);
  }

  /** Writes the whole entity (with its key, indexes, type and version), under `guard` if given. */
  async put<E extends AnyEntity>(entity: E, params: KeyParams<E>, value: ValueOf<E>, guard?: Guard): Promise<boolean> {
    const item = this.checked(entity, params, value);
    return (await this.items.put(item, guard?.if)) || this.failed(entity, keyOf(item), guard);
  }

  /** Puts the entity only if nothing has its key yet. */
  create<E extends AnyEntity>(entity: E, params: KeyParams<E>, value: ValueOf<E>, options: { onConditionFailure?: OnConditionFailure } = {}): Promise<boolean> {
    return this.put(entity, params, value, { if: itemAbsent(), ...options });
  }

  /** Applies update actions to the entity's item, under `guard` if given; true when written. */
  async update<E extends AnyEntity>(entity: E, params: KeyParams<E>, actions: readonly Action[], guard?: Guard): Promise<boolean> {
    const key = (entity as Entity<unknown>).key(params as Params<string>);
    const result = await this.items.update(key, actions, guard?.if);
    return result.ok || this.failed(entity, key, guard);
  }

  /** As update, returning the entity as written (ReturnValues ALL_NEW), validated. */
  async updateAndRead<E extends AnyEntity>(
    entity: E,
    params: KeyParams<E>,
    actions: readonly Action[],
    guard: Guard & { onConditionFailure?: () => Error },
  ): Promise<ValueOf<E>> {
    const key = (entity as Entity<unknown>).key(params as Params<string>);
    const result = await this.items.update(key, actions, guard.if, true);
    if (!result.ok) this.failed(entity, key, guard);
    return entity.decode((result as { item: Item }).item);
  }

  /** As updateAndRead, for a condition whose failure means "not this way": undefined when it did not hold. */
  async updateAndReadIf<E extends AnyEntity>(
    entity: E,
    params: KeyParams<E>,
    actions: readonly Action[],
    condition: Condition,
  ): Promise<ValueOf<E> | undefined> {
    const key = (entity as Entity<unknown>).key(params as Params<string>);
    const result = await this.items.update(key, actions, condition, true);
    return result.ok ? entity.decode((result as { item: Item }).item) : undefined;
  }

  /**
   * Adds `by` to a number of the entity's item, creating the item if it is not there (the number
   * starting at 0), and sets `also`; returns the item as written. For counters no condition guards.
   */
  async increment<E extends AnyEntity>(entity: E, params: KeyParams<E>, field: string, by: number, also: Record<string, unknown> = {}): Promise<ValueOf<E>> {
    const key = (entity as Entity<unknown>).key(params as Params<string>);
    const actions = [add(field, by), set(TYPE_ATTRIBUTE, entity.type), set(VERSION_ATTRIBUTE, entity.version), ...assign(also)];
    const result = await this.items.update(key, actions, undefined, true);
    return entity.decode((result as { item: Item }).item);
  }

  /** The one place a failed condition gets its meaning. */
  private failed(entity: AnyEntity, key: ItemKey, guard: Guard | undefined): false {
    if (!guard) throw new Error(`${entity.type}: a write without a condition reported a condition failure`);
    if (guard.onConditionFailure === false) return false;
    throw guard.onConditionFailure ? guard.onConditionFailure() : new ConditionFailedError(entity.type, key, guard.if);
  }

  /** Refuses to store what a read would refuse. */
  private checked(entity: AnyEntity, params: unknown, value: unknown): Item {
    const item = (entity as Entity<unknown>).item(params as Params<string>, value);
    const parsed = entity.schema.safeParse(value);
    if (!parsed.success) throw new InvalidItemError(entity.type, keyOf(item), `would not match its schema; not written:\n${z.prettifyError(parsed.error)}`);
    return item;
  }
}

/** The repositories take a Store, or (as their callers always have) a document client and table name. */
export function storeOf(db: DynamoDBDocumentClient | Store, tableName?: string): Store {
  if (db instanceof Store) return db;
  if (!tableName) throw new Error('a repository on a DynamoDB client needs the table name');
  return Store.dynamo(db, tableName);
}

const keyOf = (item: Item): ItemKey => ({ pk: item[TABLE_KEYS.partition] as string, sk: item[TABLE_KEYS.sort] as string });
