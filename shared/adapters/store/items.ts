/**
 * The few operations the entity layer needs from a table, on raw items. Two stores implement
 * them: DynamoItems (shared/adapters/dynamo-items.ts, the SDK) and MemoryItems (memory-items.ts,
 * for unit tests in milliseconds). A failed condition is a result here, never an exception:
 * the entity layer decides, in one place, what it means (see Store).
 */
import type { Action, Condition } from './expressions.ts';
import type { Gsi } from './table.ts';

export type Item = Record<string, unknown>;
export type ItemKey = { pk: string; sk: string };

/** Which part of a partition a query reads, by sort key (`between` includes both ends, as DynamoDB's BETWEEN does). */
export type SortRange = { beginsWith: string } | { lessThan: string } | { greaterThan: string } | { between: readonly [string, string] };

export interface QuerySpec {
  /** A global secondary index, or the table itself. */
  index?: Gsi;
  partition: string;
  sort?: SortRange;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  /** At most this many items (fewer only at the end of the range); without it, every page. */
  limit?: number;
  /** Strongly consistent (the table only: DynamoDB refuses it on a global index). */
  consistent?: boolean;
}

export type WriteResult = { ok: true; item?: Item } | { ok: false };

export interface ItemStore {
  get(key: ItemKey, consistent: boolean): Promise<Item | undefined>;
  /** Several items at once (any number of keys; missing ones are left out, in no particular order). */
  getMany(keys: readonly ItemKey[], consistent: boolean): Promise<Item[]>;
  /** Writes the whole item; false if `condition` did not hold on the item there before. */
  put(item: Item, condition?: Condition): Promise<boolean>;
  /** Applies the actions; `returnNew` gives the item as written. */
  update(key: ItemKey, actions: readonly Action[], condition?: Condition, returnNew?: boolean): Promise<WriteResult>;
  query(spec: QuerySpec): Promise<Item[]>;
  /** Deletes items by key, unconditionally (any number; missing ones are no error): only a council's deletion does. */
  deleteMany(keys: readonly ItemKey[]): Promise<void>;
}
