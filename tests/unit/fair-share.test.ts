import { describe, expect, it } from 'vitest';
import { FairShare } from '#shared/domain/fair-share.ts';

describe('FairShare: a token bucket per council', () => {
  it('lets a council use its burst, then refuses it with the wait, while another council is untouched', () => {
    let now = 0;
    const fair = new FairShare(2, 4, () => now);
    expect([1, 2, 3, 4].map(() => fair.take('sakura'))).toEqual([0, 0, 0, 0]);
    expect(fair.take('sakura')).toBe(1);
    expect([1, 2, 3, 4].map(() => fair.take('momiji'))).toEqual([0, 0, 0, 0]);
    now += 500; // half a second: one token back at 2 a second
    expect(fair.take('sakura')).toBe(0);
    expect(fair.take('sakura')).toBe(1);
    now += 10_000; // refilled, but never past the burst
    expect([1, 2, 3, 4, 5].map(() => fair.take('sakura'))).toEqual([0, 0, 0, 0, 1]);
  });

  it('keeps a bounded number of buckets, forgetting the least recently used', () => {
    const fair = new FairShare(1, 1, () => 0, 2);
    expect(fair.take('a')).toBe(0);
    expect(fair.take('b')).toBe(0);
    expect(fair.take('c')).toBe(0);
    // 'a' was forgotten: it starts again with a full bucket; 'c' is still empty.
    expect(fair.take('a')).toBe(0);
    expect(fair.take('c')).toBe(1);
  });
});
