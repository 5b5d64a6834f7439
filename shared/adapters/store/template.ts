/**
 * Key templates: a key value written once as a template of literal text and named parts,
 * e.g. key`C#${'councilId'}#CASE#${'consultationId'}`. The same template builds keys,
 * gives the prefix a begins_with query uses, recognises keys of items read back, and prints
 * itself for docs/data-model.md — so no key string is spelled out twice.
 */

export type KeyValue = string | number;

/** A named part of a key, optionally formatted (zero-padded numbers sort as numbers do). */
export interface Param<N extends string = string> {
  readonly kind: 'param';
  readonly name: N;
  readonly format?: (value: KeyValue) => string;
  /** How docs show it, when not plain `<name>`. */
  readonly display?: string;
}

type Segment = string | Param;
type Part = string | Param | Template<string>;
type NameOf<P> = P extends Template<infer N> ? N : P extends Param<infer N> ? N : P extends string ? P : never;

export class Template<N extends string = string> {
  /** Literal text and parts, in order; adjacent literals merged. */
  readonly segments: readonly Segment[];

  constructor(segments: readonly Segment[]) {
    const merged: Segment[] = [];
    for (const s of segments) {
      const last = merged[merged.length - 1];
      if (typeof s === 'string' && typeof last === 'string') merged[merged.length - 1] = last + s;
      else if (s !== '') merged.push(s);
    }
    this.segments = merged;
  }

  get params(): N[] {
    return this.segments.filter((s): s is Param => typeof s !== 'string').map((p) => p.name as N);
  }

  /** The key for these values; a missing or empty part is a bug, so it throws. */
  build(values: Readonly<Record<N, KeyValue>>): string {
    return this.segments
      .map((s) => {
        if (typeof s === 'string') return s;
        const v = (values as Record<string, KeyValue | undefined>)[s.name];
        if (v === undefined || v === null || v === '') throw new Error(`key ${this.toString()}: no value for <${s.name}>`);
        return s.format ? s.format(v) : String(v);
      })
      .join('');
  }

  /** The key up to the first part not given: what a begins_with on this key compares. */
  prefix(values: Readonly<Partial<Record<N, KeyValue>>> = {} as Partial<Record<N, KeyValue>>): string {
    let out = '';
    for (const s of this.segments) {
      if (typeof s === 'string') {
        out += s;
        continue;
      }
      const v = (values as Record<string, KeyValue | undefined>)[s.name];
      if (v === undefined || v === '') break;
      out += s.format ? s.format(v) : String(v);
    }
    return out;
  }

  /** Whether a stored key has this template's shape (how an item written before `_type` is recognised). */
  matches(value: string): boolean {
    return this.pattern.test(value);
  }

  private compiled: RegExp | undefined;
  private get pattern(): RegExp {
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return (this.compiled ??= new RegExp(`^${this.segments.map((s) => (typeof s === 'string' ? escaped(s) : '.+?')).join('')}$`, 's'));
  }

  /** As the docs print it: C#<councilId>#CASE#<consultationId>. */
  toString(): string {
    return this.segments.map((s) => (typeof s === 'string' ? s : (s.display ?? `<${s.name}>`))).join('');
  }
}

/** The key-template tag: literal text, `${'name'}` for a part, `${template}` to embed another template. */
export function key<const P extends readonly Part[]>(strings: TemplateStringsArray, ...parts: P): Template<NameOf<P[number]>> {
  const segments: Segment[] = [];
  strings.forEach((text, i) => {
    segments.push(text);
    if (i >= parts.length) return;
    const part = parts[i]!;
    if (part instanceof Template) segments.push(...part.segments);
    else if (typeof part === 'string') segments.push({ kind: 'param', name: part });
    else segments.push(part);
  });
  return new Template(segments);
}

/** A number zero-padded to `width` digits, so keys sort in numeric order. */
export const padded = <N extends string>(name: N, width: number): Param<N> => ({
  kind: 'param',
  name,
  format: (v) => String(v).padStart(width, '0'),
  display: `<${name}:${'0'.repeat(width)}>`,
});
