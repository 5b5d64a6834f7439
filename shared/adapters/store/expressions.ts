/**
 * Conditions and updates as data, not strings. Repositories say what must hold and what
 * changes; the DynamoDB item store compiles that to expressions (placeholders for every name
 * and value, so no reserved word or unused placeholder can slip in), and the in-memory store
 * evaluates the very same data. Only what the repositories use exists here, so both stores
 * support all of it and nothing else.
 */
import { TABLE_KEYS } from './table.ts';

/** An attribute, or a path into one: ['voting', 'status'], ['ballots', memberId], ['answers', 2, 'review']. */
export type Path = string | readonly (string | number)[];

export type Comparator = '=' | '<>' | '<';
/**
 * What a condition compares with: never a list or map — DynamoDB implementations disagree on
 * comparing those (dynalite compares them by reference), so the layer offers no such condition.
 */
export type Scalar = string | number | boolean | null;

export type Condition =
  | { readonly op: 'exists' | 'notExists'; readonly path: Path }
  | { readonly op: Comparator; readonly path: Path; readonly value: Scalar }
  | { readonly op: 'in'; readonly path: Path; readonly values: readonly Scalar[] }
  | { readonly op: 'contains'; readonly path: Path; readonly value: string | number }
  | { readonly op: 'sizeIs'; readonly path: Path; readonly size: number }
  | { readonly op: 'and' | 'or'; readonly conditions: readonly Condition[] }
  | { readonly op: 'not'; readonly condition: Condition };

export type Action =
  | { readonly kind: 'set'; readonly path: Path; readonly value: unknown }
  /** SET path = if_not_exists(path, value): keeps a value already there. */
  | { readonly kind: 'setIfMissing'; readonly path: Path; readonly value: unknown }
  /** SET path = list_append(path, values): the list must exist. */
  | { readonly kind: 'append'; readonly path: Path; readonly values: readonly unknown[] }
  /** ADD path n: a missing number starts at 0. */
  | { readonly kind: 'add'; readonly path: Path; readonly value: number }
  | { readonly kind: 'remove'; readonly path: Path };

export const exists = (path: Path): Condition => ({ op: 'exists', path });
export const notExists = (path: Path): Condition => ({ op: 'notExists', path });
export const eq = (path: Path, value: Scalar): Condition => ({ op: '=', path, value });
export const ne = (path: Path, value: Scalar): Condition => ({ op: '<>', path, value });
export const lt = (path: Path, value: string | number): Condition => ({ op: '<', path, value });
export const isIn = (path: Path, ...values: Scalar[]): Condition => ({ op: 'in', path, values });
export const contains = (path: Path, value: string | number): Condition => ({ op: 'contains', path, value });
export const sizeIs = (path: Path, size: number): Condition => ({ op: 'sizeIs', path, size });
export const and = (...conditions: Condition[]): Condition => ({ op: 'and', conditions });
export const or = (...conditions: Condition[]): Condition => ({ op: 'or', conditions });
export const not = (condition: Condition): Condition => ({ op: 'not', condition });
/** The item is there (any write that must not create one). */
export const itemExists = (): Condition => exists(TABLE_KEYS.partition);
/** No item has this key yet (a create). */
export const itemAbsent = (): Condition => notExists(TABLE_KEYS.partition);

export const set = (path: Path, value: unknown): Action => ({ kind: 'set', path, value });
export const setIfMissing = (path: Path, value: unknown): Action => ({ kind: 'setIfMissing', path, value });
export const append = (path: Path, values: readonly unknown[]): Action => ({ kind: 'append', path, values });
export const add = (path: Path, value: number): Action => ({ kind: 'add', path, value });
export const remove = (path: Path): Action => ({ kind: 'remove', path });
/** Top-level attributes set to these values; `undefined` removes the attribute. */
export const assign = (values: Record<string, unknown>): Action[] =>
  Object.entries(values).map(([name, value]) => (value === undefined ? remove(name) : set(name, value)));

export const pathOf = (path: Path): readonly (string | number)[] => (typeof path === 'string' ? [path] : path);
export const showPath = (path: Path) =>
  pathOf(path)
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p))
    .join('');

/**
 * Refuses what DynamoDB refuses before sending it, so the in-memory store refuses it too:
 * no update of a key attribute, no two actions on overlapping paths, at least one action.
 */
export function checkUpdate(actions: readonly Action[]): void {
  if (actions.length === 0) throw new Error('an update needs at least one action');
  const paths = actions.map((a) => pathOf(a.path));
  for (const p of paths) {
    if (p.length === 0 || typeof p[0] !== 'string') throw new Error(`invalid update path ${JSON.stringify(p)}`);
    if (p[0] === TABLE_KEYS.partition || p[0] === TABLE_KEYS.sort) {
      throw new Error(`the table key ${p[0]} cannot be updated`);
    }
  }
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = [paths[i]!, paths[j]!];
      const n = Math.min(a.length, b.length);
      if (a.slice(0, n).every((x, k) => x === b[k])) throw new Error(`update paths overlap: ${showPath(a)} and ${showPath(b)}`);
    }
  }
}

/** Refuses a condition the layer does not offer (built around the helpers' types), in both stores alike. */
export function checkCondition(c: Condition): void {
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  switch (c.op) {
    case '=':
    case '<>':
    case '<':
      if (!scalar(c.value)) throw new Error(`${showPath(c.path)} ${c.op}: conditions compare with strings, numbers, booleans or null only`);
      return;
    case 'in':
      if (c.values.length === 0 || !c.values.every(scalar)) throw new Error(`${showPath(c.path)} IN: needs one or more strings, numbers, booleans or null`);
      return;
    case 'and':
    case 'or':
      if (c.conditions.length === 0) throw new Error(`${c.op.toUpperCase()} needs at least one condition`);
      c.conditions.forEach(checkCondition);
      return;
    case 'not':
      checkCondition(c.condition);
      return;
    default:
      return;
  }
}

export interface CompiledExpressions {
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** Compiles an update and/or condition to DynamoDB expressions with fresh placeholders. */
export function compile(update: readonly Action[] | undefined, condition: Condition | undefined): CompiledExpressions {
  const names = new Map<string, string>();
  const values: Record<string, unknown> = {};
  const name = (n: string) => {
    if (!names.has(n)) names.set(n, `#n${names.size}`);
    return names.get(n)!;
  };
  const value = (v: unknown) => {
    const placeholder = `:v${Object.keys(values).length}`;
    values[placeholder] = v;
    return placeholder;
  };
  const path = (p: Path) =>
    pathOf(p)
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${name(part)}`))
      .join('');

  const cond = (c: Condition): string => {
    switch (c.op) {
      case 'exists':
        return `attribute_exists(${path(c.path)})`;
      case 'notExists':
        return `attribute_not_exists(${path(c.path)})`;
      case '=':
      case '<>':
      case '<':
        return `${path(c.path)} ${c.op} ${value(c.value)}`;
      case 'in':
        if (c.values.length === 0) throw new Error('IN needs at least one value');
        return `${path(c.path)} IN (${c.values.map(value).join(', ')})`;
      case 'contains':
        return `contains(${path(c.path)}, ${value(c.value)})`;
      case 'sizeIs':
        return `size(${path(c.path)}) = ${value(c.size)}`;
      case 'and':
      case 'or':
        if (c.conditions.length === 0) throw new Error(`${c.op.toUpperCase()} needs at least one condition`);
        return c.conditions.length === 1 ? cond(c.conditions[0]!) : `(${c.conditions.map(cond).join(` ${c.op.toUpperCase()} `)})`;
      case 'not':
        return `(NOT ${cond(c.condition)})`;
    }
  };

  const out: CompiledExpressions = {};
  if (update) {
    const sets: string[] = [];
    const adds: string[] = [];
    const removes: string[] = [];
    for (const a of update) {
      switch (a.kind) {
        case 'set':
          sets.push(`${path(a.path)} = ${value(a.value)}`);
          break;
        case 'setIfMissing': {
          const p = path(a.path);
          sets.push(`${p} = if_not_exists(${p}, ${value(a.value)})`);
          break;
        }
        case 'append': {
          const p = path(a.path);
          sets.push(`${p} = list_append(${p}, ${value(a.values)})`);
          break;
        }
        case 'add':
          adds.push(`${path(a.path)} ${value(a.value)}`);
          break;
        case 'remove':
          removes.push(path(a.path));
          break;
      }
    }
    out.UpdateExpression = [sets.length && `SET ${sets.join(', ')}`, adds.length && `ADD ${adds.join(', ')}`, removes.length && `REMOVE ${removes.join(', ')}`]
      .filter(Boolean)
      .join(' ');
  }
  if (condition) {
    checkCondition(condition);
    out.ConditionExpression = cond(condition);
  }
  if (names.size) out.ExpressionAttributeNames = Object.fromEntries([...names].map(([n, p]) => [p, n]));
  if (Object.keys(values).length) out.ExpressionAttributeValues = values;
  return out;
}

/** A condition as a reader would write it (error messages and docs). */
export function showCondition(c: Condition): string {
  switch (c.op) {
    case 'exists':
      return `attribute_exists(${showPath(c.path)})`;
    case 'notExists':
      return `attribute_not_exists(${showPath(c.path)})`;
    case '=':
    case '<>':
    case '<':
      return `${showPath(c.path)} ${c.op} ${JSON.stringify(c.value)}`;
    case 'in':
      return `${showPath(c.path)} IN (${c.values.map((v) => JSON.stringify(v)).join(', ')})`;
    case 'contains':
      return `contains(${showPath(c.path)}, ${JSON.stringify(c.value)})`;
    case 'sizeIs':
      return `size(${showPath(c.path)}) = ${c.size}`;
    case 'and':
    case 'or':
      return `(${c.conditions.map(showCondition).join(` ${c.op.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${showCondition(c.condition)}`;
  }
}
