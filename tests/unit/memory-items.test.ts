import { describe, expect, it } from 'vitest';
import {
  add,
  and,
  append,
  compile,
  contains,
  eq,
  isIn,
  itemAbsent,
  itemExists,
  lt,
  ne,
  not,
  notExists,
  or,
  remove,
  set,
  setIfMissing,
  sizeIs,
} from '#shared/adapters/store/expressions.ts';
import { MemoryItems, MemoryValidationError } from '#shared/adapters/store/memory-items.ts';
import { GSI1 } from '#shared/adapters/store/table.ts';

const key = { pk: 'P', sk: 'S' };
const store = () => new MemoryItems({ interleave: false });

describe('conditions and updates as data', () => {
  it('compile to DynamoDB expressions with a placeholder for every name and value', () => {
    const out = compile(
      [
        set(['ballots', 'm-1'], { choice: 'approve' }),
        add(['voting', 'ballotVersion'], 1),
        remove('taskToken'),
        append('notified', ['x']),
        setIfMissing('mailedAt', 't'),
      ],
      and(
        eq(['voting', 'status'], 'open'),
        contains(['voting', 'eligible'], 'm-1'),
        not(contains('notified', 'x')),
        or(notExists('acceptance'), lt('acceptanceAt', 't')),
        isIn('status', 'draft', 'returned'),
        sizeIs('answers', 2),
        ne('status', 'closed'),
      ),
    );
    expect(out.UpdateExpression).toBe('SET #n0.#n1 = :v0, #n5 = list_append(#n5, :v2), #n6 = if_not_exists(#n6, :v3) ADD #n2.#n3 :v1 REMOVE #n4');
    expect(out.ConditionExpression).toBe(
      '(#n2.#n7 = :v4 AND contains(#n2.#n8, :v5) AND (NOT contains(#n5, :v6)) AND (attribute_not_exists(#n9) OR #n10 < :v7) AND #n7 IN (:v8, :v9) AND size(#n11) = :v10 AND #n7 <> :v11)',
    );
    expect(out.ExpressionAttributeNames).toMatchObject({ '#n0': 'ballots', '#n1': 'm-1', '#n7': 'status' });
    expect(Object.keys(out.ExpressionAttributeValues!)).toHaveLength(12);
  });

  it('refuse what DynamoDB refuses before sending it: overlapping paths, key updates, nothing to do', async () => {
    const s = store();
    await expect(s.update(key, [set(['voting', 'status'], 'x'), remove('voting')])).rejects.toThrow(/overlap/);
    await expect(s.update(key, [set('pk', 'x')])).rejects.toThrow(/cannot be updated/);
    await expect(s.update(key, [])).rejects.toThrow(/at least one action/);
    // Implementations disagree on comparing lists and maps, so no condition does.
    await expect(s.put(key, eq('list', ['x'] as never))).rejects.toThrow(/compare with strings/);
    expect(() => compile(undefined, isIn('status'))).toThrow(/IN: needs one or more/);
  });
});

describe('the in-memory item store', () => {
  it('checks a condition on the item as it was, a missing item being empty', async () => {
    const s = store();
    expect(await s.put({ ...key, n: 1 }, itemAbsent())).toBe(true);
    expect(await s.put({ ...key, n: 2 }, itemAbsent())).toBe(false);
    expect((await s.update(key, [add('n', 1)], eq('n', 1))).ok).toBe(true);
    expect((await s.update(key, [add('n', 1)], eq('n', 1))).ok).toBe(false);
    expect((await s.update({ pk: 'P', sk: 'none' }, [set('x', 1)], itemExists())).ok).toBe(false);
    // As DynamoDB: a missing attribute is unequal to anything, and not less than anything.
    expect((await s.update(key, [set('a', 1)], and(ne('missing', 'x'), not(lt('missing', 'z'))))).ok).toBe(true);
    expect(await s.get(key, true)).toEqual({ ...key, n: 2, a: 1 });
  });

  it('updates as DynamoDB does: nested paths only into maps that exist, list_append only onto a list, ADD from zero', async () => {
    const s = store();
    await s.put({ ...key, voting: { status: 'open', reminded: [] }, answers: [{ n: 1 }] });
    await s.update(key, [
      add(['voting', 'ballotVersion'], 1),
      append(['voting', 'reminded'], ['2days']),
      set(['answers', 0, 'review'], { ok: true }),
      setIfMissing('mailedAt', 'first'),
    ]);
    await s.update(key, [add(['voting', 'ballotVersion'], 1), setIfMissing('mailedAt', 'second')]);
    expect(await s.get(key, true)).toEqual({
      ...key,
      voting: { status: 'open', reminded: ['2days'], ballotVersion: 2 },
      answers: [{ n: 1, review: { ok: true } }],
      mailedAt: 'first',
    });
    await expect(s.update(key, [set(['ballots', 'm1'], {})])).rejects.toThrow(MemoryValidationError);
    await expect(s.update(key, [append('notified', ['x'])])).rejects.toThrow(/list_append/);
    await expect(s.update(key, [add('mailedAt', 1)])).rejects.toThrow(/ADD/);
    // An unconditional update of a missing item creates it, as DynamoDB does.
    await s.update({ pk: 'P', sk: 'new' }, [set('x', 1)]);
    expect(await s.get({ pk: 'P', sk: 'new' }, false)).toEqual({ pk: 'P', sk: 'new', x: 1 });
  });

  it('stores what the document client stores: undefined dropped, copies out, no class instances', async () => {
    const s = store();
    const value = { list: ['a'] };
    await s.put({ ...key, value, gone: undefined, nested: { gone: undefined, kept: null } });
    value.list.push('changed after the write');
    const read = (await s.get(key, true))!;
    expect(read).toEqual({ ...key, value: { list: ['a'] }, nested: { kept: null } });
    (read['value'] as { list: string[] }).list.push('changed after the read');
    expect((await s.get(key, true))!['value']).toEqual({ list: ['a'] });
    await expect(s.put({ ...key, when: new Date() })).rejects.toThrow(MemoryValidationError);
    await expect(s.put({ ...key, n: Number.NaN })).rejects.toThrow(MemoryValidationError);
  });

  it('refuses an empty string in any key, a consistent read on an index, and an item over 400 KB', async () => {
    const s = store();
    await expect(s.put({ pk: 'P', sk: '' })).rejects.toThrow(MemoryValidationError);
    await expect(s.put({ ...key, gsi1pk: 'X', gsi1sk: '' })).rejects.toThrow(/secondary index key/);
    await expect(s.query({ index: GSI1, partition: 'X', consistent: true })).rejects.toThrow(/Consistent reads/);
    await expect(s.put({ ...key, big: 'x'.repeat(400 * 1024) })).rejects.toThrow(/size/);
  });

  it('queries in UTF-8 byte order, by prefix or range, either way, and indexes only items with both index keys', async () => {
    const s = store();
    // UTF-16 puts the emoji (a surrogate pair) first; DynamoDB's byte order puts it last.
    for (const sk of ['A#\uFF61', 'A#\u{1F600}', 'A#b', 'B#1', 'A#a']) await s.put({ pk: 'P', sk, gsi1pk: 'G', gsi1sk: sk });
    await s.put({ pk: 'P', sk: 'C', gsi1pk: 'G' });
    expect((await s.query({ partition: 'P', sort: { beginsWith: 'A#' } })).map((i) => i['sk'])).toEqual(['A#a', 'A#b', 'A#\uFF61', 'A#\u{1F600}']);
    expect((await s.query({ partition: 'P', sort: { lessThan: 'A#c' }, descending: true, limit: 1 })).map((i) => i['sk'])).toEqual(['A#b']);
    expect((await s.query({ partition: 'P', sort: { greaterThan: 'A$' } })).map((i) => i['sk'])).toEqual(['B#1', 'C']);
    expect(await s.query({ index: GSI1, partition: 'G' })).toHaveLength(5);
  });

  it('lets concurrent calls overtake each other, as requests to a table do', async () => {
    const s = new MemoryItems();
    await s.put({ ...key, n: 0 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 30 }, (_, i) => s.get(key, true).then(() => order.push(i))));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });
});
