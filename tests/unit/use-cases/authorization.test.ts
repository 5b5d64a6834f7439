import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '#shared/adapters/runtime.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#shared/errors.ts';
import { createConsultation, listConsultations, saveConsultation, screenConsultation, viewConsultation } from '#shared/use-cases/consultations.ts';
import { reviewFollowUp } from '#shared/use-cases/followups.ts';
import { addAgendaItems, createMeeting, openDeliberation, recordShowOfHands } from '#shared/use-cases/meetings.ts';
import { addMember, setOffices } from '#shared/use-cases/members.ts';
import { redriveConsultation } from '#shared/use-cases/recovery.ts';
import { draftCommand, type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil, submitCommand } from '../../support/memory-deps.ts';
import { acceptedCase, inDeliberation, newMeetingOf, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
let kaede: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
  kaede = await seedCouncil(deps, 'kaede');
});

/** Runs `act`, expects it refused with `error`, and that nothing was written, started or told. */
async function refusedUnchanged(act: () => Promise<unknown>, error: new (...args: any[]) => Error) {
  const items = deps.items.dump();
  const calls = deps.workflow.calls.length;
  const events = deps.notifier.events.length;
  await expect(act()).rejects.toBeInstanceOf(error);
  await deps.workflow.settle();
  expect(deps.items.dump()).toEqual(items);
  expect(deps.workflow.calls).toHaveLength(calls);
  expect(deps.notifier.events).toHaveLength(events);
}

describe('authorization', () => {
  it('asks whoever is not signed in to sign in, for every use case', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await refusedUnchanged(() => createConsultation(deps, { principal: undefined }, 'sakura', newId(), submitCommand()), UnauthenticatedError);
    await refusedUnchanged(() => screenConsultation(deps, { principal: undefined }, ref, { decision: 'accept', requestId: newId() }), UnauthenticatedError);
    await refusedUnchanged(() => viewConsultation(deps, { principal: undefined }, ref, { audit: true }), UnauthenticatedError);
  });

  it('lets only departments start a consultation, and only in their own council', async () => {
    const others: Principal[] = [sakura.people.secretariat, sakura.people.chair, sakura.people.member, kaede.people.fukushi];
    for (const who of others) {
      await refusedUnchanged(() => createConsultation(deps, { principal: who }, 'sakura', newId(), submitCommand()), ForbiddenError);
    }
    expect(await deps.consultations.listByDepartment('sakura', 'fukushi')).toEqual([]);
  });

  it('lets only the council’s own secretariat screen a case', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const screeners: Principal[] = [sakura.people.fukushi, sakura.people.chair, sakura.people.member, kaede.people.secretariat];
    for (const who of screeners) {
      await refusedUnchanged(() => screenConsultation(deps, { principal: who }, ref, { decision: 'return', comment: '差し戻し' }), ForbiddenError);
      await refusedUnchanged(() => screenConsultation(deps, { principal: who }, ref, { decision: 'accept', requestId: newId() }), ForbiddenError);
    }
    const c = await deps.consultations.get(ref);
    expect(c.status).toBe('screening');
    expect(c.number).toBeUndefined();
  });

  it('hides a case from another department and from another council: not found, and the look is not recorded', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    for (const who of [sakura.people.shimin, kaede.people.fukushi]) {
      const error = who.councilId === 'sakura' ? NotFoundError : ForbiddenError;
      await refusedUnchanged(() => viewConsultation(deps, { principal: who }, ref, { audit: true }), error);
    }
  });

  it('lets no other department edit or submit a draft', async () => {
    const { ref } = await createConsultation(deps, { principal: sakura.people.fukushi }, 'sakura', newId(), draftCommand());
    await refusedUnchanged(() => saveConsultation(deps, { principal: sakura.people.shimin }, ref, 1, submitCommand()), NotFoundError);
    await refusedUnchanged(() => saveConsultation(deps, { principal: sakura.people.secretariat }, ref, 1, submitCommand()), ForbiddenError);
  });

  it('keeps the departments’ lists to the departments and the secretariat', async () => {
    await submitCase(deps, sakura.people.fukushi);
    for (const who of [sakura.people.member, sakura.people.chair, kaede.people.secretariat]) {
      await expect(listConsultations(deps, who, 'sakura')).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it('leaves meetings and their agendas to the secretariat', async () => {
    const ref = await acceptedCase(deps, sakura.people);
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    const item = { kind: 'deliberation' as const, consultationIds: [ref.consultationId], bundle: 'separate' as const };
    for (const who of [sakura.people.chair, sakura.people.member, sakura.people.fukushi, kaede.people.secretariat]) {
      await refusedUnchanged(() => createMeeting(deps, who, 'sakura', { kind: 'written', requestId: newId(), date: '2026-07-01' }), ForbiddenError);
      await refusedUnchanged(() => addAgendaItems(deps, who, 'sakura', meeting.meetingId, item), ForbiddenError);
      await refusedUnchanged(() => openDeliberation(deps, who, 'sakura', meeting.meetingId), ForbiddenError);
    }
    expect(await deps.agendas.list('sakura', meeting.meetingId)).toEqual([]);
  });

  it('lets neither the chair nor another council record the hands', async () => {
    const { meeting, item } = await inDeliberation(deps, sakura.people, 'meeting');
    const hands = { mode: 'all' as const, present: sakura.members.map((m) => m.memberId), votes: {}, conditions: [] };
    for (const who of [sakura.people.chair, sakura.people.member, kaede.people.secretariat]) {
      await refusedUnchanged(() => recordShowOfHands(deps, who, 'sakura', meeting.meetingId, item.itemId, hands), ForbiddenError);
    }
  });

  it('leaves the roster, the offices, re-runs and follow-up reviews to the secretariat', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const member = {
      requestId: newId(),
      name: '新井 直人',
      kana: 'あらい なおと',
      category: 'citizen' as const,
      affiliation: undefined,
      email: 'arai@example.jp',
    };
    const fu = { ...ref, followUpId: `${ref.consultationId}-1` };
    for (const who of [sakura.people.fukushi, sakura.people.chair, kaede.people.secretariat]) {
      await refusedUnchanged(() => addMember(deps, who, 'sakura', member), ForbiddenError);
      await refusedUnchanged(() => setOffices(deps, who, 'sakura', { chairMemberId: 'm-tanabe', viceChairMemberId: undefined, version: 1 }), ForbiddenError);
      await refusedUnchanged(() => redriveConsultation(deps, { principal: who }, ref), ForbiddenError);
      await refusedUnchanged(() => reviewFollowUp(deps, who, fu, { decision: 'accept' }), ForbiddenError);
    }
  });
});
