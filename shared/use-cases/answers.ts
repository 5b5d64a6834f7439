import * as z from 'zod/mini';
import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { actingChairOffice, buildAnswer, isApproved } from '#shared/domain/answer.ts';
import { type Consultation, isVisibleTo } from '#shared/domain/consultation.ts';
import { answerNumberPattern, type Council, formatAnswerNumber } from '#shared/domain/council.ts';
import { calendarDate, fiscalYear, formatEraDate } from '#shared/domain/era.ts';
import type { Decision } from '#shared/domain/meeting.ts';
import { meetingName } from '#shared/domain/meeting.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { hasChairRights } from '#shared/domain/proceedings.ts';
import { isoDate } from '#shared/domain/schema.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { recordAudit } from './audit.ts';
import { createFollowUps } from './followups.ts';
import { handOver } from './hand-over.ts';
import { indexAnswer } from './search.ts';

type AnswerDeps = Pick<
  Deps,
  'councils' | 'consultations' | 'meetings' | 'agendas' | 'followUps' | 'workflow' | 'notifier' | 'clock' | 'settings' | 'signingKey' | 'attachments' | 'links'
> &
  Pick<Deps, 'search'>;

const orNothing = <T>(p: Promise<T>) => p.catch((e) => (e instanceof NotFoundError ? undefined : Promise.reject(e)));
const isoDay = (at: Date | string) => {
  const d = calendarDate(at);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
};

/**
 * Workflow task: the council decided, so the answer (答申書) is drafted from the decision —
 * dated on the day of the decision — and kept with the case for review; the chair is asked to
 * approve it. A retried task finds the draft kept, and asks until the request is recorded as sent.
 */
export async function draftAnswer(
  deps: AnswerDeps,
  ref: ConsultationRef,
  decision: Pick<Decision, 'outcome' | 'conditions' | 'opinions'> & { meetingId?: string; itemId?: string },
) {
  const [consultation, council] = await Promise.all([deps.consultations.get(ref), deps.councils.getCouncil(ref.councilId)]);
  const [meeting, item, chair] = await Promise.all([
    decision.meetingId ? orNothing(deps.meetings.get(ref.councilId, decision.meetingId)) : undefined,
    decision.meetingId && decision.itemId ? orNothing(deps.agendas.get(ref.councilId, decision.meetingId, decision.itemId)) : undefined,
    council.chairMemberId ? orNothing(deps.councils.getMember(ref.councilId, council.chairMemberId)) : undefined,
  ]);
  const decidedOn = isoDay(item?.decision?.decidedAt ?? deps.clock.now());
  const draft = buildAnswer({ council, consultation, decision, meeting, chair, decidedOn });
  await deps.consultations.putAnswer(ref, draft);
  const kept = await deps.consultations.getAnswer(ref);
  if (kept.reviewRequestedAt || !chair) return;
  await deps.notifier.notify({
    type: 'answer.awaiting_approval',
    council,
    chair,
    answer: kept,
    ...(meeting ? { meetingName: meetingName(council, meeting) } : {}),
    consultationId: ref.consultationId,
  });
  await deps.consultations.markReviewRequested(ref, deps.clock.now().toISOString());
}

/**
 * Workflow task: the answer was approved, so it is mailed to the department, every condition
 * and opinion becomes a follow-up (due dates counted from the answer's date), and the case is
 * marked answered. A retried task sends no second mail.
 */
export async function issueAnswer(deps: AnswerDeps, ref: ConsultationRef): Promise<{ followUps: number }> {
  const [consultation, council, kept] = await Promise.all([
    deps.consultations.get(ref),
    deps.councils.getCouncil(ref.councilId),
    deps.consultations.getAnswer(ref),
  ]);
  if (!isApproved(kept)) throw new ConflictError('答申案がまだ承認されていません。');
  const department = (await deps.councils.listDepartments(ref.councilId)).find((x) => x.departmentId === consultation.departmentId);
  const now = deps.clock.now();
  // Mailed at least once: a retry after a failed send sends it; one after a recorded send does not.
  if (!kept.mailedAt && department) {
    await deps.notifier.notify({ type: 'answer.issued', council, department, answer: kept, consultationId: ref.consultationId });
    await deps.consultations.markAnswerMailed(ref, now.toISOString());
  }
  // Every condition and opinion becomes a follow-up before the case is marked answered, so a retry completes the set.
  await createFollowUps(deps, kept, consultation);
  await deps.consultations.recordStep(ref, 'answered', now.toISOString());
  return { followUps: kept.conditions.length + (kept.opinions?.length ?? 0) };
}

/** Who may approve an answer: the chair, or the secretariat on the chair's instruction — and the member who presided the meeting that decided it. */
const APPROVERS = ['chair', 'secretariat'] as const;

/** Whether a member presided (as 議長, in the chair's absence) the meeting that decided the case. */
async function presided(deps: Pick<Deps, 'meetings'>, viewer: Principal, consultation: Pick<Consultation, 'meetingId'>, council: Council) {
  if (viewer.role !== 'member' || !consultation.meetingId) return false;
  return hasChairRights(viewer, council, await deps.meetings.getProceedings(viewer.councilId, consultation.meetingId));
}

/** The answer (答申書) as the viewer may see it: a draft only to those who review it. */
export async function viewAnswer(deps: Pick<Deps, 'consultations' | 'councils' | 'meetings'>, principal: Principal | undefined, ref: ConsultationRef) {
  const viewer = requireRole(principal, ref.councilId, 'department', 'secretariat', 'member', 'chair');
  const consultation = await deps.consultations.get(ref);
  if (!isVisibleTo(consultation, viewer)) throw new NotFoundError('諮問が見つかりません。');
  const [answer, council] = await Promise.all([deps.consultations.getAnswer(ref), deps.councils.getCouncil(ref.councilId)]);
  const reviewer = (APPROVERS as readonly string[]).includes(viewer.role) || (await presided(deps, viewer, consultation, council));
  if (!isApproved(answer) && !reviewer) throw new NotFoundError('答申はまだありません。');
  const review = !isApproved(answer) && consultation.status === 'answer_review' ? { pattern: answerNumberPattern(council) } : undefined;
  return { viewer, consultation, answer, review };
}

/** The review form: the date the answer carries, and — for the secretariat — that the chair instructed it. */
export const answerApprovalInput = z.lazy(() =>
  z.object({
    issuedOn: isoDate('答申日'),
    onInstruction: z.optional(z.literal('yes')),
  }),
);
export type AnswerApprovalCommand = z.output<typeof answerApprovalInput>;

/**
 * Approves the drafted answer: dated as chosen (not before the decision), given the council's
 * next document number (文書番号) of that fiscal year — gap-free, once per answer — and sent on.
 * A second click after the approval resumes a hand-over that did not finish, and is told it is done
 * when the workflow already took it.
 */
export async function approveAnswer(deps: AnswerDeps, principal: Principal | undefined, ref: ConsultationRef, command: AnswerApprovalCommand) {
  const viewer = requireRole(principal, ref.councilId, ...APPROVERS, 'member');
  if (viewer.role === 'secretariat' && command.onInstruction !== 'yes')
    throw new InvalidInputError({ onInstruction: '事務局が承認するときは、会長の指示を受けたことを確認してください。' });
  const [consultation, answer, council] = await Promise.all([
    deps.consultations.get(ref),
    deps.consultations.getAnswer(ref),
    deps.councils.getCouncil(ref.councilId),
  ]);
  if (viewer.role === 'member' && !(await presided(deps, viewer, consultation, council))) throw new ForbiddenError();
  if (consultation.status !== 'answer_review') throw new ConflictError('この答申は既に承認されています。');
  if (!isApproved(answer)) {
    if (answer.decidedOn && command.issuedOn < answer.decidedOn)
      throw new InvalidInputError({ issuedOn: `答申日は審議の日(${formatEraDate(answer.decidedOn, { weekday: false })})以降の日付にしてください。` });
    // An acting chair signs the answer they approve in their own name and office, not the absent chair's.
    const actingChair = viewer.role === 'member' ? await orNothing(deps.councils.getMember(ref.councilId, viewer.userId)) : undefined;
    const n = await deps.consultations.assignAnswerNumber(ref, fiscalYear(command.issuedOn));
    const approved = await deps.consultations.approveAnswer(ref, {
      issuedOn: command.issuedOn,
      documentNumber: formatAnswerNumber(answerNumberPattern(council), n),
      approvedBy: viewer.userId,
      approvedAs: viewer.role === 'chair' ? '会長' : viewer.role === 'member' ? '議長(会長の職務を代理して)' : '事務局(会長の指示により)',
      approvedAt: deps.clock.now().toISOString(),
      ...(viewer.role === 'member' ? { signer: { chairName: actingChair?.name ?? viewer.name, signedAs: actingChairOffice(council, viewer.userId) } } : {}),
    });
    if (approved) await indexAnswer(deps, consultation, await deps.consultations.getAnswer(ref));
    if (approved)
      await recordAudit(deps, ref, viewer, '答申を承認', {
        detail: `${formatAnswerNumber(answerNumberPattern(council), n)}・${formatEraDate(command.issuedOn, { weekday: false })}付け`,
      });
  }
  try {
    await handOver(deps, ref, 'answer_review', { approved: true });
  } catch (e) {
    // The approval is kept. A token that is no longer live while the case still shows the review
    // means the workflow took an earlier hand-over and is sending the answer now (or it will stall
    // visibly and be re-run): nothing is left for this click to do.
    if (!(e instanceof ConflictError)) throw e;
  }
}
