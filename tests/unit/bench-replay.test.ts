import { describe, expect, it } from 'vitest';
import { replayPlan, type TracedCall } from '../../bench/cold.ts';

const call = (command: string, start: number, end: number | null): TracedCall => ({
  client: 'DynamoDBDocumentClient',
  command,
  input: { command },
  start,
  end,
});

describe('the floor that makes a function’s own calls (bench)', () => {
  it('starts each call after the calls that had ended when it started, and no others', () => {
    const plan = replayPlan([
      call('GetSecretValueCommand', -6, 60), // the key, read while importing
      call('GetCommand', 20, 64), // the session, alongside it
      call('QueryCommand', 68, 120), // the page's reads, once both are in
      call('GetCommand', 69, 110),
      call('BatchGetCommand', 125, 180), // after the items' query
      call('PutCommand', 182, null), // left running when the handler returned
    ]);
    expect(plan.map((p) => p.after)).toEqual([[], [], [0, 1], [0, 1], [0, 1, 2, 3], [0, 1, 2, 3, 4]]);
    expect(plan.map((p) => p.atImport)).toEqual([true, false, false, false, false, false]);
    expect(plan.map((p) => p.awaited)).toEqual([true, true, true, true, true, false]);
    expect(plan[2]).toMatchObject({ client: 'DynamoDBDocumentClient', command: 'QueryCommand', input: { command: 'QueryCommand' } });
  });

  it('makes nothing wait on a call that never ended', () => {
    const plan = replayPlan([call('InvokeCommand', 1, null), call('GetCommand', 50, 60)]);
    expect(plan[1]!.after).toEqual([]);
  });
});
