/**
 * The one table's key attributes. Item attributes are generic (pk/sk on the table,
 * gsiNpk/gsiNsk on each index), so entities share indexes without the table knowing them.
 * infra/stateful-stack.ts builds the table from these, and the local stack creates it from
 * the synthesized template, so code, docs and table cannot drift apart.
 */
export const TABLE_KEYS = { partition: 'pk', sort: 'sk' } as const;
export const GSI1 = { name: 'gsi1', partition: 'gsi1pk', sort: 'gsi1sk' } as const;
export const GSI2 = { name: 'gsi2', partition: 'gsi2pk', sort: 'gsi2sk' } as const;
export const GSI3 = { name: 'gsi3', partition: 'gsi3pk', sort: 'gsi3sk' } as const;
export const GSI4 = { name: 'gsi4', partition: 'gsi4pk', sort: 'gsi4sk' } as const;

export type Gsi = typeof GSI1 | typeof GSI2 | typeof GSI3 | typeof GSI4;
export const GSIS: readonly Gsi[] = [GSI1, GSI2, GSI3, GSI4];

/** Every key attribute of the table and its indexes: never part of an entity's value. */
export const KEY_ATTRIBUTES: ReadonlySet<string> = new Set([TABLE_KEYS.partition, TABLE_KEYS.sort, ...GSIS.flatMap((g) => [g.partition, g.sort])]);

/** Written on every item: which entity it is, and the version of that entity's shape. */
export const TYPE_ATTRIBUTE = '_type';
export const VERSION_ATTRIBUTE = '_v';
/** Items written before `_type`/`_v` existed have the first shape. */
export const LEGACY_VERSION = 1;

/**
 * Epoch seconds after which DynamoDB's TTL may delete the item: sessions, link hit counters and
 * view marks. Nothing reads an item as gone because of it (TTL deletes within days, not at the
 * second); each check compares its own times.
 */
export const PURGE_ATTRIBUTE = 'purgeAt';
