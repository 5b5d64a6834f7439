import { describe, expect, it } from 'vitest';
import { inParts } from '#shared/adapters/attachment-store.ts';

const parts = async (chunks: number[], size: number) => {
  let n = 0;
  const source = async function* () {
    for (const length of chunks) yield Buffer.from(Array.from({ length }, () => n++ % 251));
  };
  const out: Buffer[] = [];
  for await (const part of inParts(source(), size)) out.push(part);
  return { sizes: out.map((p) => p.length), joined: Buffer.concat(out), total: n };
};

describe('a streamed upload’s parts', () => {
  it('are all of the part size but the last, whatever the chunks, and hold every byte in order', async () => {
    for (const chunks of [[10], [3, 3, 3, 1], [25], [1, 24, 1], [7, 0, 13]]) {
      const { sizes, joined, total } = await parts(chunks, 10);
      expect(sizes.slice(0, -1).every((s) => s === 10)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      expect([...joined]).toEqual(Array.from({ length: total }, (_, i) => i % 251));
    }
    expect((await parts([25], 10)).sizes).toEqual([10, 10, 5]);
    expect((await parts([10, 10], 10)).sizes).toEqual([10, 10]);
  });

  it('are none for an empty stream', async () => {
    expect((await parts([], 10)).sizes).toEqual([]);
    expect((await parts([0, 0], 10)).sizes).toEqual([]);
  });
});
