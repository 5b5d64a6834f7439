/** Small statistics helpers: nearest-rank percentiles on copies, never on the caller's array. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** Rounds for display and JSON: enough digits to compare, not more. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const ratio = (value: number, base: number) => (base > 0 ? round(value / base, 2) : Number.NaN);

export const kib = (bytes: number) => round(bytes / 1024, 1);
