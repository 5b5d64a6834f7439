import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { buildAnswer } from '#shared/domain/answer.ts';
import { calendarDate } from '#shared/domain/era.ts';
import type { Decision } from '#shared/domain/meeting.ts';
import { NotFoundError } from '#shared/errors.ts';
import { createFollowUps } from './followups.ts';

type AnswerDeps = Pick<
  Deps,
  'councils' | 'consultations' | 'meetings' | 'followUps' | 'workflow' | 'notifier' | 'clock' | 'settings' | 'signingKey' | 'attachments' | 'links'
>;

const orNothing = <T>(p: Promise<T>) => p.catch((e) => (e instanceof NotFoundError ? undefined : Promise.reject(e)));

/**
 * Workflow task: the council decided, so the answer (答申書) is written from the decision,
 * kept with the case and mailed to the department. A retried task finds the answer
 * already kept and sends no second mail.
 */
export async function issueAnswer(deps: AnswerDeps, ref: ConsultationRef, decision: Pick<Decision, 'outcome' | 'conditions'> & { meetingId?: string }) {
  const [consultation, council] = await Promise.all([deps.consultations.get(ref), deps.councils.getCouncil(ref.councilId)]);
  const [meeting, chair, departments] = await Promise.all([
    decision.meetingId ? orNothing(deps.meetings.get(ref.councilId, decision.meetingId)) : undefined,
    council.chairMemberId ? orNothing(deps.councils.getMember(ref.councilId, council.chairMemberId)) : undefined,
    deps.councils.listDepartments(ref.councilId),
  ]);
  const now = deps.clock.now();
  const d = calendarDate(now);
  const issuedOn = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  const answer = buildAnswer({ council, consultation, decision, meeting, chair, issuedOn });
  await deps.consultations.putAnswer(ref, answer);
  const kept = await deps.consultations.getAnswer(ref);
  const department = departments.find((x) => x.departmentId === consultation.departmentId);
  // Mailed at least once: a retry after a failed send sends it; one after a recorded send does not.
  if (!kept.mailedAt && department) {
    await deps.notifier.notify({ type: 'answer.issued', council, department, answer: kept, consultationId: ref.consultationId });
    await deps.consultations.markAnswerMailed(ref, now.toISOString());
  }
  // Every condition becomes a follow-up before the case is marked answered, so a retry completes the set.
  await createFollowUps(deps, answer, consultation);
  await deps.consultations.recordStep(ref, 'answered', now.toISOString());
}
