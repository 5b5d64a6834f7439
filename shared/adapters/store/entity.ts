/**
 * One definition per stored entity: its type name and shape version (written on every item
 * as `_type` and `_v`), its key templates, the indexes it appears in, and the zod schema every
 * read of it is checked against. Items from before `_type`/`_v` read as version 1.
 */
import * as z from 'zod/mini';
import { type Action, remove } from './expressions.ts';
import type { Item, ItemKey } from './items.ts';
import { type Gsi, KEY_ATTRIBUTES, LEGACY_VERSION, TABLE_KEYS, TYPE_ATTRIBUTE, VERSION_ATTRIBUTE } from './table.ts';
import type { KeyValue, Template } from './template.ts';

export type Params<N extends string> = Readonly<Record<N, KeyValue>>;

/** A stored item that is not what its key says it is: fails the read, naming the entity and key. */
export class InvalidItemError extends Error {
  override name = 'InvalidItemError';
  constructor(
    readonly entityType: string,
    readonly key: Partial<ItemKey>,
    problem: string,
  ) {
    super(`stored ${entityType} item (pk=${key.pk}, sk=${key.sk}) ${problem}`);
  }
}

export interface IndexSpec<T, PN extends string = string, SN extends string = string, G extends Gsi = Gsi> {
  gsi: G;
  pk: Template<PN>;
  sk: Template<SN>;
  /** What the index is for (docs/data-model.md). */
  doc: string;
  /** Key parts computed from the value (e.g. a business key from the form). */
  derive?: (value: T) => Partial<Record<PN | SN, KeyValue>>;
}

/** Where an entity shows up on a global index. */
export class Index<T, PN extends string = string, SN extends string = string, G extends Gsi = Gsi> {
  constructor(
    readonly name: string,
    readonly spec: IndexSpec<T, PN, SN, G>,
  ) {}

  get gsi(): G {
    return this.spec.gsi;
  }

  /** Both index key attributes, e.g. { gsi1pk, gsi1sk }. */
  keys(params: Params<PN | SN>): Record<G['partition'] | G['sort'], string> {
    return { [this.gsi.partition]: this.spec.pk.build(params), [this.gsi.sort]: this.spec.sk.build(params) } as Record<G['partition'] | G['sort'], string>;
  }

  /** Only the partition attribute: moves an item to another partition, keeping its place in order. */
  partitionKey(params: Params<PN>): Record<G['partition'], string> {
    return { [this.gsi.partition]: this.spec.pk.build(params) } as Record<G['partition'], string>;
  }

  /** Takes the item off the index (a sparse index: open rounds, active follow-ups). */
  remove(): Action[] {
    return [remove(this.gsi.partition), remove(this.gsi.sort)];
  }
}

export interface EntitySpec<T, PK extends string, SK extends string, I extends Record<string, IndexSpec<T, any, any, any>>> {
  type: string;
  /** Bumped when the stored shape changes; `upgrade` then reads every older version. */
  version: number;
  doc: string;
  /**
   * Validates reads. An object schema naming every field of T, so no field goes unchecked. Built
   * on the entity's first read, not at import: a cold function builds only the schemas it reads.
   */
  schema: () => z.ZodMiniType<T> & { shape: Record<keyof T, unknown> };
  pk: Template<PK>;
  sk: Template<SK>;
  indexes?: I;
  /** upgrade[n] turns a version-n item into version n+1, up to `version`. */
  upgrade?: Record<number, (item: Record<string, unknown>) => Record<string, unknown>>;
}

type IndexOf<T, S> = S extends IndexSpec<any, infer PN, infer SN, infer G> ? Index<T, PN, SN, G> : never;

export class Entity<
  T,
  PK extends string = string,
  SK extends string = string,
  I extends Record<string, IndexSpec<T, any, any, any>> = Record<string, IndexSpec<T, any, any, any>>,
> {
  readonly type: string;
  readonly version: number;
  readonly doc: string;
  private readonly buildSchema: () => z.ZodMiniType<T>;
  private built: z.ZodMiniType<T> | undefined;
  readonly pk: Template<PK>;
  readonly sk: Template<SK>;
  readonly indexes: { readonly [P in keyof I]: IndexOf<T, I[P]> };
  private readonly upgrade: Record<number, (item: Record<string, unknown>) => Record<string, unknown>>;

  constructor(spec: EntitySpec<T, PK, SK, I>) {
    this.type = spec.type;
    this.version = spec.version;
    this.doc = spec.doc;
    this.buildSchema = spec.schema;
    this.pk = spec.pk;
    this.sk = spec.sk;
    this.upgrade = spec.upgrade ?? {};
    this.indexes = Object.fromEntries(Object.entries(spec.indexes ?? {}).map(([name, s]) => [name, new Index(name, s)])) as never;
    for (let v = LEGACY_VERSION; v < this.version; v++) if (!this.upgrade[v]) throw new Error(`${this.type}: no upgrade from version ${v}`);
  }

  /** The schema reads are checked against, built on first use. */
  get schema(): z.ZodMiniType<T> {
    this.built ??= this.buildSchema();
    return this.built;
  }

  key(params: Params<PK | SK>): ItemKey {
    return { pk: this.pk.build(params), sk: this.sk.build(params) };
  }

  index<P extends keyof I>(name: P): IndexOf<T, I[P]> {
    return this.indexes[name];
  }

  /**
   * The whole item to put: key, type and version, the value, and every index whose key parts
   * are all known from the key, the value or `derive` (a sparse index whose parts are not —
   * an agenda item's open round — is joined later by an update).
   */
  item(params: Params<PK | SK>, value: T): Item {
    const known = { ...(value as Record<string, unknown>), ...params } as Record<string, unknown>;
    const indexKeys: Record<string, string> = {};
    for (const index of Object.values(this.indexes) as Index<T>[]) {
      const parts = { ...known, ...index.spec.derive?.(value) };
      const names = [...index.spec.pk.params, ...index.spec.sk.params];
      if (names.every((n) => (typeof parts[n] === 'string' && parts[n] !== '') || typeof parts[n] === 'number')) {
        Object.assign(indexKeys, index.keys(parts as Params<string>));
      }
    }
    return { ...(value as Record<string, unknown>), ...this.key(params), ...indexKeys, [TYPE_ATTRIBUTE]: this.type, [VERSION_ATTRIBUTE]: this.version };
  }

  /** Whether a raw item is one of these: by `_type`, or for an item written before it, by the shape of its sort key. */
  owns(item: Item): boolean {
    const type = item[TYPE_ATTRIBUTE];
    if (type !== undefined) return type === this.type;
    return typeof item[TABLE_KEYS.sort] === 'string' && this.sk.matches(item[TABLE_KEYS.sort] as string);
  }

  /** The value of a raw item, upgraded to the current version and validated; throws InvalidItemError. */
  decode(item: Item): T {
    const key = { pk: item[TABLE_KEYS.partition] as string, sk: item[TABLE_KEYS.sort] as string };
    const type = item[TYPE_ATTRIBUTE];
    if (type !== undefined && type !== this.type) throw new InvalidItemError(this.type, key, `is marked as a ${String(type)}`);
    const version = item[VERSION_ATTRIBUTE] ?? LEGACY_VERSION;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < LEGACY_VERSION || version > this.version) {
      throw new InvalidItemError(this.type, key, `has version ${String(version)}; this code reads versions ${LEGACY_VERSION} to ${this.version}`);
    }
    let value: Record<string, unknown> = {};
    // DynamoDB's null is "unset" here, as optional fields are absent rather than null.
    for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(k) && k !== TYPE_ATTRIBUTE && k !== VERSION_ATTRIBUTE && v !== null) value[k] = v;
    for (let v = version; v < this.version; v++) value = this.upgrade[v]!(value);
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw new InvalidItemError(this.type, key, `(version ${version}) does not match its schema:\n${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
}

/** Defines an entity of domain type T: `defineEntity<Consultation>()({ ... })`. */
export const defineEntity =
  <T>() =>
  <PK extends string, SK extends string, I extends Record<string, IndexSpec<T, any, any, any>> = Record<never, IndexSpec<T>>>(spec: EntitySpec<T, PK, SK, I>) =>
    new Entity<T, PK, SK, I>(spec);

export type AnyEntity = Entity<any, any, any, any>;
export type ValueOf<E> = E extends Entity<infer T, any, any, any> ? T : never;
export type KeyParams<E> = E extends Entity<any, infer PK, infer SK, any> ? Params<PK | SK> : never;
export type PartitionParams<E> = E extends Entity<any, infer PK, any, any> ? Params<PK> : never;
