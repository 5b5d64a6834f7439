import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer } from '#shared/domain/answer.ts';
import type { Consultation } from '#shared/domain/consultation.ts';
import { STANDARD_CONDITIONS } from '#shared/domain/council.ts';
import { addDays, addMonths, inferType, nextDue, noticesDue, planFollowUps } from '#shared/domain/followups.ts';

describe('due dates', () => {
  it('keeps month ends at the end of shorter months, leap years included', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-03-31', 6)).toBe('2027-09-30');
  });

  it('crosses fiscal and calendar years', () => {
    expect(addMonths('2027-03-31', 1)).toBe('2027-04-30');
    expect(addMonths('2026-12-15', 3)).toBe('2027-03-15');
    expect(addDays('2027-03-31', 1)).toBe('2027-04-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('never moves backwards, and lands within the target month', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 36 }),
        (d, months) => {
          const from = d.toISOString().slice(0, 10);
          const to = addMonths(from, months);
          expect(to > from).toBe(true);
          const [fy, fm] = from.split('-').map(Number) as [number, number];
          const [ty, tm] = to.split('-').map(Number) as [number, number];
          expect(ty * 12 + tm - (fy * 12 + fm)).toBe(months);
        },
      ),
    );
  });

  it('moves a recurring condition to its next occurrence, and a one-off to none', () => {
    expect(nextDue({ due: '2027-05-31', everyMonths: 6 })).toBe('2027-11-30');
    expect(nextDue({ due: '2027-05-31' })).toBeUndefined();
  });
});

describe('planning follow-ups from an answer', () => {
  it('recognises the standard conditions', () => {
    expect(STANDARD_CONDITIONS.map(inferType)).toEqual([
      'documents_returned',
      'spec_clause',
      'free',
      'free',
      'free',
      'revised_documents',
      'certification_renewal',
      'near_miss_counts',
      'subcontract_approval',
      'erasure_certificate',
      'free',
      'free',
    ]);
  });

  const consultation = {
    councilId: 'sakura',
    consultationId: 'k1',
    departmentId: 'fukushi',
    form: {
      title: '金銭管理支援業務委託',
      businessName: '生活保護に関する事務',
      vendor: { name: '社会福祉法人さくら会', certification: 'privacy_mark', certificationExpiry: '2027-09-30' },
    },
  } as unknown as Consultation;
  // Dated 2027-01-31: due dates count from the answer's date, not from the day they are planned.
  const answer = {
    issuedOn: '2027-01-31',
    conditions: [
      '受託者に、ヒヤリハットの件数を期間ごとに報告させること。',
      '受託者のプライバシーマークの更新時に更新を確認すること。',
      '契約終了時に受託者は書類を市に返還すること。',
    ],
  } as Answer;
  const department = { departmentId: 'fukushi', name: '福祉部 生活福祉課', email: 'fukushi@example.jp', managerEmail: 'kacho@example.jp' };

  it('gives each condition an owner, a due date or a recurrence, and the evidence it needs', () => {
    const [nearMiss, renewal, returned] = planFollowUps({ answer, consultation, department, now: '2027-03-15T03:00:00.000Z' });
    expect(nearMiss).toMatchObject({
      type: 'near_miss_counts',
      owner: 'vendor',
      ownerName: '社会福祉法人さくら会',
      ownerEmail: 'fukushi@example.jp',
      due: '2027-07-31',
      everyMonths: 6,
    });
    expect(renewal).toMatchObject({ type: 'certification_renewal', owner: 'vendor', due: '2027-09-30', everyMonths: 12 });
    expect(returned).toMatchObject({
      type: 'documents_returned',
      owner: 'department',
      ownerName: '福祉部 生活福祉課',
      due: '2027-03-02',
      evidence: '返還の記録と市の廃棄記録',
    });
    expect(new Set([nearMiss!.followUpId, renewal!.followUpId, returned!.followUpId]).size).toBe(3);
  });
});

describe('reminders and escalations (Tokyo days)', () => {
  const fu = { status: 'open' as const, due: '2027-03-31', notified: [] as string[] };
  const at = (iso: string) => new Date(iso);
  it('reminds in the week before the due date, and escalates the day after it', () => {
    expect(noticesDue(fu, at('2027-03-23T12:00:00+09:00'))).toEqual([]);
    expect(noticesDue(fu, at('2027-03-24T08:00:00+09:00'))).toEqual(['reminder']);
    expect(noticesDue(fu, at('2027-03-31T23:59:00+09:00'))).toEqual(['reminder']);
    expect(noticesDue({ ...fu, notified: ['2027-03-31:reminder'] }, at('2027-04-01T00:00:30+09:00'))).toEqual(['escalation']);
    expect(noticesDue({ ...fu, notified: ['2027-03-31:reminder', '2027-03-31:escalation'] }, at('2027-04-10T09:00:00+09:00'))).toEqual([]);
  });
  it('sends nothing while a report waits for review or after closing', () => {
    expect(noticesDue({ ...fu, status: 'submitted' }, at('2027-04-10T09:00:00+09:00'))).toEqual([]);
    expect(noticesDue({ ...fu, status: 'closed' }, at('2027-04-10T09:00:00+09:00'))).toEqual([]);
  });
  it('reads the Tokyo date, not UTC: 1 April 00:30 in Tokyo is already overdue', () => {
    expect(noticesDue({ ...fu, notified: ['2027-03-31:reminder'] }, at('2027-03-31T15:30:00Z'))).toEqual(['escalation']);
  });
});
