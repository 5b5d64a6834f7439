import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ConsultationRepository } from '#shared/adapters/consultation-repository.ts';
import { ConflictError } from '#shared/errors.ts';
import { keys } from '#shared/keys.ts';
import { useLocalStack } from '../support/local-stack.ts';

/** Numbering against dynalite through the real SDK: the invariant is no gaps and no duplicates. */
const local = useLocalStack({ seed: false });
let repo: ConsultationRepository;
let db: typeof import('#shared/adapters/aws.ts').dynamo;

async function screeningCases(councilId: string, count: number, prefix: string) {
  if (!repo) {
    db = (await import('#shared/adapters/aws.ts')).dynamo;
    const { ConsultationRepository } = await import('#shared/adapters/consultation-repository.ts');
    repo = new ConsultationRepository(db, local.stack.tableName);
  }
  const now = new Date().toISOString();
  const refs = Array.from({ length: count }, (_, i) => ({ councilId, consultationId: `${prefix}${i}` }));
  for (const ref of refs) {
    await repo.create({
      ...ref,
      departmentId: 'd',
      form: { title: ref.consultationId },
      status: 'screening',
      returns: 0,
      createdBy: 'u',
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  }
  return refs;
}

const accept = async (ref: { councilId: string; consultationId: string }, requestId: string, fy = 2026) =>
  (await repo.beginAcceptance(ref, requestId, new Date().toISOString())) ?? (await repo.assignNumber(ref, fy));

describe('consultation numbers', () => {
  it('gives 20 acceptances at the same moment 20 distinct consecutive numbers', async () => {
    const refs = await screeningCases('num-a', 20, 'k');
    const numbers = await Promise.all(refs.map((ref, i) => accept(ref, `req-${i}`)));
    expect(numbers.map((n) => n.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const stored = await Promise.all(refs.map((ref) => repo.get(ref)));
    expect(new Set(stored.map((c) => c.number!.n)).size).toBe(20);
  });

  it('numbers each council and fiscal year on its own', async () => {
    const [a] = await screeningCases('num-b', 1, 'x');
    const [b] = await screeningCases('num-c', 1, 'x');
    expect((await accept(a!, 'r1')).n).toBe(1);
    expect((await accept(b!, 'r1', 2027)).n).toBe(1);
  });

  it('numbers a case once however many acceptances of it run at once, with other cases in between', async () => {
    const refs = await screeningCases('num-d', 10, 'same');
    const results = await Promise.all(refs.flatMap((ref, i) => [accept(ref, `alice-${i}`), accept(ref, `bob-${i}`), accept(ref, `carol-${i}`)]));
    for (let i = 0; i < refs.length; i++) expect(new Set(results.slice(i * 3, i * 3 + 3).map((n) => n.n)).size).toBe(1);
    const stored = await Promise.all(refs.map((ref) => repo.get(ref)));
    expect(stored.map((c) => c.number!.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('lets the next click finish an acceptance a crash left without a number', async () => {
    const [ref] = await screeningCases('num-g', 1, 'cut');
    await repo.beginAcceptance(ref!, 'died', new Date().toISOString());
    expect((await repo.get(ref!)).number).toBeUndefined();
    expect((await accept(ref!, 'next-click')).n).toBe(1);
  });

  it('leaves no gap when an acceptance stopped between taking a number and writing it', async () => {
    const [crashed, next] = await screeningCases('num-e', 2, 'c');
    // The counter says case c0 took number 1, but c0 never got it written (the process died).
    await repo.beginAcceptance(crashed!, 'died', new Date().toISOString());
    await db.send(
      new UpdateCommand({
        TableName: local.stack.tableName,
        Key: keys.consultationCounter('num-e', 2026),
        UpdateExpression: 'SET #last = :n, lastClaimant = :c',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':n': 1, ':c': crashed!.consultationId },
      }),
    );
    expect((await repo.get(crashed!)).number).toBeUndefined();
    expect((await accept(next!, 'next')).n).toBe(2);
    expect((await repo.get(crashed!)).number?.n).toBe(1);
    // And the interrupted acceptance, retried, finds its number rather than taking another.
    expect((await accept(crashed!, 'died')).n).toBe(1);
  });

  it('refuses to number a case that is not in screening', async () => {
    const now = new Date().toISOString();
    await repo.create({
      councilId: 'num-f',
      consultationId: 'draft',
      departmentId: 'd',
      form: { title: 't' },
      status: 'draft',
      returns: 0,
      createdBy: 'u',
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    await expect(repo.beginAcceptance({ councilId: 'num-f', consultationId: 'draft' }, 'r', now)).rejects.toBeInstanceOf(ConflictError);
  });
});
