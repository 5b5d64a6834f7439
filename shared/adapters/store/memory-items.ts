/**
 * The item store in memory: a stand-in for the table that keeps DynamoDB's rules where the
 * repositories could notice — conditions evaluated on the item as it was, update operands read
 * before anything is written, paths into missing maps refused, global indexes holding only items
 * with both index keys, sort order by UTF-8 bytes, no consistent read on an index, no empty
 * string in a key, 400 KB items. Every operation yields to the event loop first, so concurrent
 * calls interleave as requests to a table do. It evaluates the same condition and update data
 * the DynamoDB store compiles, so it cannot meet an expression it does not know.
 */
import { type Action, type Condition, checkCondition, checkUpdate, type Path, pathOf, showPath } from './expressions.ts';
import type { Item, ItemKey, ItemStore, QuerySpec, WriteResult } from './items.ts';
import { GSIS, TABLE_KEYS } from './table.ts';

/** What DynamoDB answers with a 400 ValidationException: a bug in the request, never data. */
export class MemoryValidationError extends Error {
  override name = 'ValidationException';
}

const MAX_ITEM_BYTES = 400 * 1024;
/** The value an update writes to remove what is at a path. */
const REMOVE = Symbol('remove');
const storageKey = (k: ItemKey) => `${k.pk}\u0000${k.sk}`;
const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy as the document client would store it: undefined dropped (removeUndefinedValues), nothing else but JSON-like values. */
function stored(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MemoryValidationError(`${where}: ${value} is not a number DynamoDB stores`);
    return value;
  }
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map((v, i) => stored(v, `${where}[${i}]`));
  if (isMap(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, stored(v, `${where}.${k}`)]),
    );
  }
  throw new MemoryValidationError(`${where}: ${typeof value} values are not stored by the document client`);
}

const clone = <T>(v: T): T => structuredClone(v);

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return a === b;
}

/** The value at a path, or undefined when any step is missing or of the wrong kind. */
function resolve(item: Item, path: Path): unknown {
  let at: unknown = item;
  for (const part of pathOf(path)) {
    if (typeof part === 'number') at = Array.isArray(at) ? at[part] : undefined;
    else at = isMap(at) && Object.hasOwn(at, part) ? at[part] : undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

function evaluate(c: Condition, item: Item): boolean {
  switch (c.op) {
    case 'exists':
      return resolve(item, c.path) !== undefined;
    case 'notExists':
      return resolve(item, c.path) === undefined;
    case '=':
      return equal(resolve(item, c.path), c.value);
    case '<>':
      // As DynamoDB and dynalite: a missing attribute is unequal to any value.
      return !equal(resolve(item, c.path), c.value);
    case '<': {
      const v = resolve(item, c.path);
      if (typeof v === 'string' && typeof c.value === 'string') return utf8Compare(v, c.value) < 0;
      if (typeof v === 'number' && typeof c.value === 'number') return v < c.value;
      return false;
    }
    case 'in': {
      const v = resolve(item, c.path);
      return v !== undefined && c.values.some((x) => equal(v, x));
    }
    case 'contains': {
      const v = resolve(item, c.path);
      if (typeof v === 'string' && typeof c.value === 'string') return v.includes(c.value);
      return Array.isArray(v) && v.some((x) => x === c.value);
    }
    case 'sizeIs': {
      const v = resolve(item, c.path);
      const size = Array.isArray(v) ? v.length : isMap(v) ? Object.keys(v).length : typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : undefined;
      return size === c.size;
    }
    case 'and':
      return c.conditions.every((x) => evaluate(x, item));
    case 'or':
      return c.conditions.some((x) => evaluate(x, item));
    case 'not':
      return !evaluate(c.condition, item);
  }
}

/** Writes `value` at `path`, refusing a path through something missing (DynamoDB: "document path … invalid for update"). */
function write(item: Item, path: Path, value: unknown | typeof REMOVE): void {
  const parts = pathOf(path);
  let parent: unknown = item;
  for (const part of parts.slice(0, -1)) {
    parent = typeof part === 'number' ? (Array.isArray(parent) ? parent[part] : undefined) : isMap(parent) ? parent[part] : undefined;
    if (parent === undefined || parent === null || typeof parent !== 'object') {
      throw new MemoryValidationError(`The document path provided in the update expression is invalid for update: ${showPath(path)}`);
    }
  }
  const last = parts[parts.length - 1]!;
  if (typeof last === 'number') {
    if (!Array.isArray(parent)) throw new MemoryValidationError(`The document path provided in the update expression is invalid for update: ${showPath(path)}`);
    if (value === REMOVE) {
      if (last < parent.length) parent.splice(last, 1);
    } else if (last >= parent.length) parent.push(value);
    else parent[last] = value;
    return;
  }
  if (!isMap(parent)) throw new MemoryValidationError(`The document path provided in the update expression is invalid for update: ${showPath(path)}`);
  if (value === REMOVE) delete parent[last];
  else parent[last] = value;
}

/** The new item: every operand is read from the old item first, as DynamoDB does. */
function applyUpdate(old: Item, actions: readonly Action[]): Item {
  const planned = actions.map((a): [Path, unknown] => {
    switch (a.kind) {
      case 'set':
        return [a.path, stored(a.value, showPath(a.path))];
      case 'setIfMissing':
        return [a.path, resolve(old, a.path) ?? stored(a.value, showPath(a.path))];
      case 'append': {
        const list = resolve(old, a.path);
        if (!Array.isArray(list)) throw new MemoryValidationError(`list_append: ${showPath(a.path)} is not a list in the item`);
        return [a.path, [...list, ...(stored([...a.values], showPath(a.path)) as unknown[])]];
      }
      case 'add': {
        const n = resolve(old, a.path) ?? 0;
        if (typeof n !== 'number') throw new MemoryValidationError(`ADD: ${showPath(a.path)} is not a number`);
        return [a.path, n + a.value];
      }
      case 'remove':
        return [a.path, REMOVE];
    }
  });
  const next = clone(old);
  for (const [path, value] of planned) {
    if (value === REMOVE && resolve(next, path) === undefined && pathOf(path).length === 1) continue;
    write(next, path, value);
  }
  return next;
}

function checkItem(item: Item): void {
  for (const k of [TABLE_KEYS.partition, TABLE_KEYS.sort]) {
    if (typeof item[k] !== 'string' || item[k] === '') throw new MemoryValidationError(`the key attribute ${k} must be a non-empty string`);
  }
  for (const g of GSIS) {
    for (const k of [g.partition, g.sort]) {
      const v = item[k];
      if (v !== undefined && (typeof v !== 'string' || v === '')) {
        throw new MemoryValidationError(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported: ${k} must be a non-empty string`,
        );
      }
    }
  }
  if (Buffer.byteLength(JSON.stringify(item), 'utf8') > MAX_ITEM_BYTES) throw new MemoryValidationError('Item size has exceeded the maximum allowed size');
}

export interface MemoryItemsOptions {
  /** Yield to the event loop before each operation (default true), so Promise.all interleaves requests. */
  interleave?: boolean;
}

export class MemoryItems implements ItemStore {
  private readonly items = new Map<string, Item>();
  private readonly interleave: boolean;

  constructor(options: MemoryItemsOptions = {}) {
    this.interleave = options.interleave ?? true;
  }

  /** Every item, as stored (for tests that look under the entity layer). */
  dump(): Item[] {
    return [...this.items.values()].map(clone);
  }

  /** Writes raw items as they are, e.g. items from before `_type`/`_v` existed. */
  load(items: readonly Item[]): void {
    for (const item of items) {
      const copy = stored(item, 'item') as Item;
      checkItem(copy);
      this.items.set(storageKey(copy as unknown as ItemKey), copy);
    }
  }

  async get(key: ItemKey, _consistent: boolean): Promise<Item | undefined> {
    await this.turn();
    const item = this.items.get(storageKey(key));
    return item && clone(item);
  }

  async getMany(keys: readonly ItemKey[], _consistent: boolean): Promise<Item[]> {
    if (keys.length === 0) return [];
    await this.turn();
    return keys.flatMap((key) => {
      const item = this.items.get(storageKey(key));
      return item ? [clone(item)] : [];
    });
  }

  async deleteMany(keys: readonly ItemKey[]): Promise<void> {
    await this.turn();
    for (const key of keys) this.items.delete(storageKey(key));
  }

  async put(item: Item, condition?: Condition): Promise<boolean> {
    if (condition) checkCondition(condition);
    await this.turn();
    const next = stored(item, 'item') as Item;
    checkItem(next);
    const k = storageKey(next as unknown as ItemKey);
    if (condition && !evaluate(condition, this.items.get(k) ?? {})) return false;
    this.items.set(k, next);
    return true;
  }

  async update(key: ItemKey, actions: readonly Action[], condition?: Condition, returnNew = false): Promise<WriteResult> {
    checkUpdate(actions);
    if (condition) checkCondition(condition);
    await this.turn();
    const k = storageKey(key);
    const old = this.items.get(k);
    if (condition && !evaluate(condition, old ?? {})) return { ok: false };
    const next = applyUpdate(old ?? { [TABLE_KEYS.partition]: key.pk, [TABLE_KEYS.sort]: key.sk }, actions);
    checkItem(next);
    this.items.set(k, next);
    return returnNew ? { ok: true, item: clone(next) } : { ok: true };
  }

  async query(spec: QuerySpec): Promise<Item[]> {
    if (spec.index && spec.consistent) throw new MemoryValidationError('Consistent reads are not supported on global secondary indexes');
    if (spec.sort && 'between' in spec.sort && utf8Compare(spec.sort.between[0], spec.sort.between[1]) > 0) {
      throw new MemoryValidationError('Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound');
    }
    await this.turn();
    const pk = spec.index?.partition ?? TABLE_KEYS.partition;
    const sk = spec.index?.sort ?? TABLE_KEYS.sort;
    const inRange = (s: string) => {
      const r = spec.sort;
      if (!r) return true;
      if ('beginsWith' in r) return s.startsWith(r.beginsWith);
      if ('between' in r) return utf8Compare(s, r.between[0]) >= 0 && utf8Compare(s, r.between[1]) <= 0;
      if ('lessThan' in r) return utf8Compare(s, r.lessThan) < 0;
      return utf8Compare(s, r.greaterThan) > 0;
    };
    const found = [...this.items.values()]
      .filter((i) => i[pk] === spec.partition && typeof i[sk] === 'string' && inRange(i[sk] as string))
      .sort(
        (a, b) =>
          utf8Compare(a[sk] as string, b[sk] as string) ||
          utf8Compare(a[TABLE_KEYS.partition] as string, b[TABLE_KEYS.partition] as string) ||
          utf8Compare(a[TABLE_KEYS.sort] as string, b[TABLE_KEYS.sort] as string),
      );
    if (spec.descending) found.reverse();
    return (spec.limit === undefined ? found : found.slice(0, spec.limit)).map(clone);
  }

  private async turn(): Promise<void> {
    if (!this.interleave) return;
    // One to three turns of the event loop: concurrent callers overtake each other in varying order.
    const turns = 1 + Math.floor(Math.random() * 3);
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  }
}
