import { describe, expect, it } from 'vitest';
import { type Consultation, type ConsultationStatus, isUnsubmitted, isVisibleTo } from '#shared/domain/consultation.ts';
import type { Principal } from '#shared/domain/principal.ts';

/** Who may read a case in which state (issue 17: an unsubmitted draft is its department's alone). */
const people: Record<string, Principal> = {
  ownDepartment: { userId: 'u-fukushi', name: '所管課', role: 'department', councilId: 'sakura', departmentId: 'fukushi' },
  otherDepartment: { userId: 'u-shimin', name: '他課', role: 'department', councilId: 'sakura', departmentId: 'shimin' },
  secretariat: { userId: 'u-secretariat', name: '事務局', role: 'secretariat', councilId: 'sakura' },
  member: { userId: 'm-maeda', name: '委員', role: 'member', councilId: 'sakura' },
  chair: { userId: 'm-kobayashi', name: '会長', role: 'chair', councilId: 'sakura' },
  otherCouncil: { userId: 'u-x', name: '他市の事務局', role: 'secretariat', councilId: 'other-city' },
};

const aCase = (status: ConsultationStatus, submitted: boolean): Consultation => ({
  councilId: 'sakura',
  consultationId: 'c1',
  departmentId: 'fukushi',
  form: { title: '下書き' },
  status,
  returns: 0,
  createdBy: 'u-fukushi',
  createdAt: '2026-05-01T00:00:00.000Z',
  ...(submitted ? { submittedAt: '2026-05-02T00:00:00.000Z' } : {}),
  updatedAt: '2026-05-02T00:00:00.000Z',
  version: 1,
});

const readers = (c: Consultation) =>
  Object.entries(people)
    .filter(([, p]) => isVisibleTo(c, p))
    .map(([who]) => who);

describe('who may read a case', () => {
  it('shows an unsubmitted draft to its own department only', () => {
    expect(readers(aCase('draft', false))).toEqual(['ownDepartment']);
  });

  it('shows a case submitted a moment ago, before its workflow has recorded the submission', () => {
    expect(readers(aCase('draft', true))).toEqual(['ownDepartment', 'secretariat', 'member', 'chair']);
  });

  it('keeps a draft withdrawn before it was ever submitted just as private', () => {
    expect(isUnsubmitted(aCase('withdrawn', false))).toBe(true);
    expect(readers(aCase('withdrawn', false))).toEqual(['ownDepartment']);
  });

  it('shows a submitted case (even one withdrawn later) to the council, never to another department or council', () => {
    for (const [status, submitted] of [
      ['screening', true],
      ['returned', true],
      ['accepted', true],
      ['withdrawn', true],
      ['closed', true],
    ] as const) {
      expect(readers(aCase(status, submitted)), status).toEqual(['ownDepartment', 'secretariat', 'member', 'chair']);
    }
  });
});
