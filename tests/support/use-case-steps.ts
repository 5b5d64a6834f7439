import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import { newId } from '#shared/adapters/runtime.ts';
import type { ConsultationNumber } from '#shared/domain/consultation.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { approveAnswer } from '#shared/use-cases/answers.ts';
import { createConsultation, screenConsultation } from '#shared/use-cases/consultations.ts';
import { addAgendaItems, createMeeting, openDeliberation } from '#shared/use-cases/meetings.ts';
import { type MemoryDeps, type People, submitCommand } from './memory-deps.ts';

/**
 * The steps a case takes to reach the point a test starts from, each through the use cases
 * themselves and each followed by the workflow's own moves (`settle`), as on the pages.
 */

/** A department submits a complete form; the case then waits for screening (受付審査中). */
export async function submitCase(deps: MemoryDeps, who: Principal, overrides: Record<string, string | string[]> = {}): Promise<ConsultationRef> {
  const { ref } = await createConsultation(deps, { principal: who }, who.councilId, newId(), submitCommand(overrides));
  await deps.workflow.settle();
  return ref;
}

/** The secretariat accepts a case in screening; it then waits for a meeting (日程調整待ち). */
export async function acceptCase(deps: MemoryDeps, people: People, ref: ConsultationRef): Promise<ConsultationNumber> {
  const result = await screenConsultation(deps, { principal: people.secretariat }, ref, { decision: 'accept', requestId: newId() });
  await deps.workflow.settle();
  if (result.decision !== 'accept') throw new Error('not accepted');
  return result.number;
}

export async function acceptedCase(deps: MemoryDeps, people: People, overrides: Record<string, string | string[]> = {}): Promise<ConsultationRef> {
  const ref = await submitCase(deps, people.fukushi, overrides);
  await acceptCase(deps, people, ref);
  return ref;
}

/** A meeting (会議) on `date`, or a written decision (書面審議) whose votes are due on `date`. */
export function newMeetingOf(deps: MemoryDeps, people: People, kind: Meeting['kind'], date = '2026-06-10'): Promise<Meeting> {
  const councilId = people.secretariat.councilId;
  return kind === 'meeting'
    ? createMeeting(deps, people.secretariat, councilId, {
        kind,
        requestId: newId(),
        date,
        startTime: '10:00',
        endTime: '11:30',
        venue: '市役所 第3会議室',
        publicObservation: 'yes',
      })
    : createMeeting(deps, people.secretariat, councilId, { kind, requestId: newId(), date });
}

/** Puts accepted cases on a meeting, each as its own item; returns the items in the order added. */
export async function schedule(deps: MemoryDeps, people: People, meeting: Meeting, refs: ConsultationRef[]): Promise<AgendaItem[]> {
  const councilId = people.secretariat.councilId;
  const before = new Set((await deps.agendas.list(councilId, meeting.meetingId)).map((i) => i.itemId));
  await addAgendaItems(deps, people.secretariat, councilId, meeting.meetingId, {
    kind: 'deliberation',
    consultationIds: refs.map((r) => r.consultationId),
    bundle: 'separate',
  });
  await deps.workflow.settle();
  return (await deps.agendas.list(councilId, meeting.meetingId)).filter((i) => !before.has(i.itemId)).sort((a, b) => a.order - b.order);
}

/** Accepted cases on a new meeting or written decision whose deliberation has opened (審議中). */
export async function inDeliberation(deps: MemoryDeps, people: People, kind: Meeting['kind'], count = 1) {
  const refs: ConsultationRef[] = [];
  for (let i = 0; i < count; i++) refs.push(await acceptedCase(deps, people, { title: `委託業務 その${i + 1}` }));
  const meeting = await newMeetingOf(deps, people, kind);
  const items = await schedule(deps, people, meeting, refs);
  await openDeliberation(deps, people.secretariat, people.secretariat.councilId, meeting.meetingId);
  await deps.workflow.settle();
  return { refs, ref: refs[0]!, meeting, items, item: items[0]! };
}

/** The chair approves every drafted answer of the council, each dated on its decision; the answers are then sent. */
export async function approveAnswers(deps: MemoryDeps, people: People): Promise<ConsultationRef[]> {
  await deps.workflow.settle();
  const councilId = people.chair.councilId;
  const refs = (await deps.consultations.listByStatus(councilId, 'answer_review')).map((c) => ({ councilId, consultationId: c.consultationId }));
  for (const ref of refs) await approveAnswer(deps, people.chair, ref, { issuedOn: (await deps.consultations.getAnswer(ref)).issuedOn });
  await deps.workflow.settle();
  return refs;
}
