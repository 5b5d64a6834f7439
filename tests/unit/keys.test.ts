import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessPatterns, ID_PATTERN, keys } from '#shared/keys.ts';

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);

describe('key scheme', () => {
  it('puts every council-owned item in a partition that names its council', () => {
    fc.assert(
      fc.property(id, id, (councilId, other) => {
        const partitions = [
          keys.council(councilId).pk,
          keys.member(councilId, other).pk,
          keys.department(councilId, other).pk,
          keys.staff(councilId, other).pk,
          keys.consultation(councilId, other).pk,
          keys.audit(councilId, other, '2026-01-01T00:00:00Z', 'e1').pk,
          keys.consultationByStatus(councilId, 'screening', '2026-01-01').gsi1pk,
        ];
        for (const pk of partitions) expect(pk.startsWith(`C#${councilId}`)).toBe(true);
      }),
    );
  });

  it('never lets two different councils share a partition', () => {
    fc.assert(
      fc.property(id, id, id, (a, b, caseId) => {
        fc.pre(a !== b);
        expect(keys.member(a, 'm').pk).not.toBe(keys.member(b, 'm').pk);
        expect(keys.consultation(a, caseId).pk).not.toBe(keys.consultation(b, caseId).pk);
        expect(accessPatterns.consultationsInStatus(a, 'screening').partition.value).not.toBe(
          accessPatterns.consultationsInStatus(b, 'screening').partition.value,
        );
      }),
    );
  });

  it('keeps a case and its audit trail in one partition, sorted apart', () => {
    const c = keys.consultation('sakura', 'k1');
    const a = keys.audit('sakura', 'k1', '2026-05-01T09:00:00.000Z', 'x');
    expect(a.pk).toBe(c.pk);
    expect(a.sk.startsWith(accessPatterns.auditTrail('sakura', 'k1').sortPrefix)).toBe(true);
    expect(c.sk.startsWith('AUDIT#')).toBe(false);
  });

  it('lists members and departments by prefix without catching each other', () => {
    const members = accessPatterns.listMembers('sakura');
    expect(keys.member('sakura', 'm1').sk.startsWith(members.sortPrefix)).toBe(true);
    expect(keys.department('sakura', 'd1').sk.startsWith(members.sortPrefix)).toBe(false);
    expect(keys.council('sakura').sk.startsWith(members.sortPrefix)).toBe(false);
  });

  it('refuses ids that could forge a key separator', () => {
    expect(ID_PATTERN.test('sakura')).toBe(true);
    for (const bad of ['a#b', 'C#x', '', 'a b', 'ひらがな', 'x'.repeat(65)]) expect(ID_PATTERN.test(bad)).toBe(false);
  });
});

describe('case ids and execution names', () => {
  it('mints the same case id for the same form, and different ones across councils and people', async () => {
    const { caseIdFor } = await import('#shared/domain/consultation.ts');
    expect(caseIdFor('sakura', 'u1', 'req')).toBe(caseIdFor('sakura', 'u1', 'req'));
    expect(new Set([caseIdFor('sakura', 'u1', 'req'), caseIdFor('sakura-b', 'u1', 'req'), caseIdFor('sakura', 'u2', 'req')]).size).toBe(3);
    expect(caseIdFor('sakura', 'u1', 'req')).toMatch(ID_PATTERN);
  });

  it('names executions within Step Functions’ 80 characters, uniquely per council, case and cycle', async () => {
    const { executionNameFor, cycleOf } = await import('#shared/domain/consultation.ts');
    const long = 'x'.repeat(64);
    const name = executionNameFor({ councilId: long, consultationId: long }, 12);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cycleOf(name)).toBe(12);
    // The old `${councilId}-${consultationId}` collided across councils: a-b/c and a/b-c.
    expect(executionNameFor({ councilId: 'a-b', consultationId: 'c' }, 1)).not.toBe(executionNameFor({ councilId: 'a', consultationId: 'b-c' }, 1));
  });
});
