import * as z from 'zod/mini';
import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { type Consultation, type ConsultationNumber, caseIdFor, isEditableBy, isVisibleTo } from '#shared/domain/consultation.ts';
import type { ConsultationDraft, ConsultationForm } from '#shared/domain/consultation-form.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { isBrowsing, type RegisterQuery, readRegisterQuery } from '#shared/domain/register.ts';
import { DomainError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { actorOfPrincipal, recordAudit } from './audit.ts';
import { readRegister } from './register.ts';
import { indexCase } from './search.ts';

type ConsultationDeps = Pick<Deps, 'councils' | 'consultations' | 'workflow' | 'notifier' | 'clock' | 'search'>;

/** Who did what, from where: appended to the case's audit trail. */
export interface Actor {
  principal: Principal | undefined;
  sourceIp?: string | undefined;
}

const audit = (
  deps: Pick<Deps, 'consultations' | 'clock'>,
  ref: ConsultationRef,
  principal: Principal,
  sourceIp: string | undefined,
  action: string,
  detail?: string,
) => recordAudit(deps, ref, actorOfPrincipal(principal), action, { detail, sourceIp });

async function departmentOf(deps: Pick<Deps, 'councils'>, c: Pick<Consultation, 'councilId' | 'departmentId'>) {
  return (await deps.councils.listDepartments(c.councilId)).find((d) => d.departmentId === c.departmentId);
}

/**
 * A case as the principal may see it, or 404 (not 403, so ids of other departments' cases leak
 * nothing). A page that shows the case records the look (`audit`); a form shown again after a
 * refused POST does not — that request was not a look.
 */
export async function viewConsultation(
  deps: Pick<Deps, 'councils' | 'consultations' | 'clock'>,
  actor: Actor,
  ref: ConsultationRef,
  options: { audit: boolean },
) {
  const viewer = requireRole(actor.principal, ref.councilId, 'department', 'secretariat', 'member', 'chair');
  // The council and its departments are read with the case (they say nothing of it); the look is recorded only once the case may be shown.
  const [bundle, council, departments] = await Promise.all([
    deps.consultations.bundle(ref),
    deps.councils.getCouncil(ref.councilId),
    deps.councils.listDepartments(ref.councilId),
  ]);
  if (!isVisibleTo(bundle.consultation, viewer)) throw new NotFoundError('諮問が見つかりません。');
  // The case holds personal data: every look at it is on the record.
  if (options.audit) await audit(deps, ref, viewer, actor.sourceIp, '閲覧');
  const department = departments.find((d) => d.departmentId === bundle.consultation.departmentId);
  return { viewer, council, department, ...bundle };
}

/**
 * 諮問一覧: the work that waits on top — for a department its drafts and the cases returned to
 * it, for the secretariat its queues — and below it a page of the register (every submitted
 * case, filtered and paged; a department's own only). A filtered or paged list leaves the
 * queues out: they are the same on every page.
 */
export async function listConsultations(
  deps: Pick<Deps, 'councils' | 'consultations' | 'clock'>,
  principal: Principal | undefined,
  councilId: string,
  query: RegisterQuery = readRegisterQuery(() => undefined),
) {
  const viewer = requireRole(principal, councilId, 'department', 'secretariat');
  // The council and its departments are read alongside the list and the queues: nothing waits for them.
  const frame = Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  const browsing = isBrowsing(query);
  const today = deps.clock.now();
  if (viewer.role === 'department') {
    const own = (c: Consultation) => c.departmentId === viewer.departmentId;
    const [[council, departments], register, drafts, returned] = await Promise.all([
      frame,
      readRegister(deps, viewer, councilId, { ...query, department: undefined }),
      ...(['draft', 'returned'] as const).map(async (s) => (browsing ? [] : (await deps.consultations.listByStatus(councilId, s)).filter(own))),
    ]);
    return {
      viewer,
      council,
      departments,
      today,
      register,
      queues: browsing ? undefined : { kind: 'department' as const, drafts: drafts!, returned: returned! },
    };
  }
  const [[council, departments], register, submitted, screening, returned, accepted, stalled] = await Promise.all([
    frame,
    readRegister(deps, viewer, councilId, query),
    ...(['submitted', 'screening', 'returned', 'accepted', 'stalled'] as const).map((s) => (browsing ? [] : deps.consultations.listByStatus(councilId, s))),
  ]);
  return {
    viewer,
    council,
    departments,
    today,
    register,
    queues: browsing
      ? undefined
      : { kind: 'secretariat' as const, stalled: stalled!, screening: [...submitted!, ...screening!], returned: returned!, accepted: accepted! },
  };
}

/** What the new-case form is drawn with: the department's council and its own department. */
export async function newConsultationForm(deps: Pick<Deps, 'councils'>, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'department');
  const [council, department] = await Promise.all([
    deps.councils.getCouncil(councilId),
    departmentOf(deps, { councilId, departmentId: viewer.departmentId ?? '' }),
  ]);
  return { viewer, council, department };
}

/** The case its department is editing, with what the form needs; 403 when it may not be edited now. */
export async function consultationForEdit(
  deps: Pick<Deps, 'councils' | 'consultations' | 'clock'>,
  actor: Actor,
  ref: ConsultationRef,
  options: { audit: boolean },
) {
  const view = await viewConsultation(deps, actor, ref, options);
  if (!isEditableBy(view.consultation, view.viewer)) throw new ForbiddenError('この諮問は今は編集できません。');
  return view;
}

/** The form's id field: minted when the form was drawn, so a double submit makes one case. */
export const requestIdField = z.lazy(() => z.object({ requestId: z.string().check(z.regex(ID_PATTERN, 'フォームを開き直してください。')) }));

/** Saving a department's form: the draft as typed, and — when it is being submitted — the complete form. */
export interface SaveCommand {
  draft: ConsultationDraft;
  submission?: { form: ConsultationForm; response?: string | undefined } | undefined;
}

/**
 * A department starts a consultation: the form is saved as a draft under the case id the
 * server mints from the form's request id (the same form sent twice makes one case), and
 * submitted if asked.
 */
export async function createConsultation(deps: ConsultationDeps, actor: Actor, councilId: string, requestId: string, command: SaveCommand) {
  const principal = requireRole(actor.principal, councilId, 'department');
  const now = deps.clock.now().toISOString();
  const ref = { councilId, consultationId: caseIdFor(councilId, principal.userId, requestId) };
  const created = await deps.consultations.create({
    ...ref,
    departmentId: principal.departmentId ?? '',
    form: command.draft,
    status: 'draft',
    returns: 0,
    createdBy: principal.userId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  if (created) await audit(deps, ref, principal, actor.sourceIp, '下書きを作成', command.draft.title);
  if (!command.submission) return { ref, submitted: false };
  const existing = await deps.consultations.get(ref);
  // The same form sent twice: the first send may already have submitted it.
  if (existing.status !== 'draft') return { ref, submitted: true };
  // Submitted, but the workflow has not recorded it yet: the first send is still under way, or was
  // cut off before its start. Starting again is harmless (the execution's name makes it one start).
  if (existing.submittedAt) {
    await deps.workflow.start(ref);
    return { ref, submitted: true };
  }
  return saveConsultation(deps, actor, ref, existing.version, command);
}

/**
 * Saves the department's edits over the version the editor started from and, with a
 * submission, submits them (a returned case: its answer to the comments goes with it).
 */
export async function saveConsultation(deps: ConsultationDeps, actor: Actor, ref: ConsultationRef, version: number, command: SaveCommand) {
  const principal = requireRole(actor.principal, ref.councilId, 'department');
  const current = await deps.consultations.get(ref);
  if (!isVisibleTo(current, principal)) throw new NotFoundError('諮問が見つかりません。');
  if (!isEditableBy(current, principal)) throw new ForbiddenError('この諮問は今は編集できません。');
  const now = deps.clock.now().toISOString();
  if (!command.submission) {
    const saved = await deps.consultations.saveForm(ref, command.draft, version, now);
    // A returned case is on the register: its search document follows its form.
    await indexCase(deps, saved);
    await audit(deps, ref, principal, actor.sourceIp, '下書きを保存');
    return { ref, submitted: false, version: saved.version };
  }
  const { form, response } = command.submission;
  const saved = await deps.consultations.saveForm(ref, form, version, now, true);
  await indexCase(deps, saved);
  const [council, department] = await Promise.all([deps.councils.getCouncil(ref.councilId), departmentOf(deps, current)]);
  const resubmission = current.status === 'returned';
  if (resubmission) {
    await deps.consultations.answerRound(ref, current.returns, response ?? '', principal.userId, now);
    await deps.workflow.complete(current.taskToken, { revised: true, round: current.returns });
    await audit(deps, ref, principal, actor.sourceIp, '差し戻しに回答して再提出', response);
  } else {
    await deps.workflow.start(ref);
    await audit(deps, ref, principal, actor.sourceIp, '提出');
  }
  await deps.notifier.notify({ type: 'consultation.submitted', council, department, consultation: current, form, resubmission, response });
  return { ref, submitted: true, version: saved.version };
}

export const screeningCommand = z.lazy(() =>
  z.discriminatedUnion(
    'decision',
    [
      z.object({ decision: z.literal('accept'), requestId: z.string().check(z.regex(ID_PATTERN)) }),
      z.object({
        decision: z.literal('return'),
        comment: z
          .string()
          .check(z.trim(), z.minLength(1, '差し戻しの理由を入力してください。'), z.maxLength(4000, '差し戻しの理由は4000文字以内で入力してください。')),
      }),
    ],
    { error: '受付か差し戻しかを選んでください。' },
  ),
);
export type ScreeningCommand = z.output<typeof screeningCommand>;

/** The secretariat screens a submitted case: accept (and number it) or return it with comments. */
export async function screenConsultation(deps: ConsultationDeps, actor: Actor, ref: ConsultationRef, command: ScreeningCommand) {
  const principal = requireRole(actor.principal, ref.councilId, 'secretariat');
  const c = await deps.consultations.get(ref);
  if (!isVisibleTo(c, principal)) throw new NotFoundError('諮問が見つかりません。');
  if (c.status !== 'screening') throw new DomainError('この諮問は受付審査中ではありません。最新の状態を確認してください。');
  const now = deps.clock.now();
  const [council, department] = await Promise.all([deps.councils.getCouncil(ref.councilId), departmentOf(deps, c)]);

  if (command.decision === 'return') {
    const round = c.returns + 1;
    await deps.consultations.addReturn(ref, { round, comment: command.comment, returnedAt: now.toISOString(), returnedBy: principal.userId });
    await deps.workflow.complete(c.taskToken, { outcome: 'returned', round });
    await audit(deps, ref, principal, actor.sourceIp, `差し戻し(第${round}回)`, command.comment);
    if (department) await deps.notifier.notify({ type: 'consultation.returned', council, department, consultation: c, comment: command.comment, round });
    return { decision: 'return' as const };
  }

  const already = await deps.consultations.beginAcceptance(ref, command.requestId, now.toISOString());
  const number = already ?? (await deps.consultations.assignNumber(ref, fiscalYear(now), council.numbering));
  await deps.workflow.complete(c.taskToken, { outcome: 'accepted', number });
  // Its number is part of what people search by.
  await indexCase(deps, { ...c, number });
  await audit(deps, ref, principal, actor.sourceIp, '受付', JSON.stringify(number));
  if (department) await deps.notifier.notify({ type: 'consultation.accepted', council, department, consultation: c, number });
  return { decision: 'accept' as const, number };
}

/** Several screened cases to accept at once, in the order the queue lists them; the form's id marks each acceptance. */
export const bulkAcceptCommand = z.lazy(() =>
  z.object({
    requestId: z.string().check(z.regex(ID_PATTERN, 'フォームを開き直してください。')),
    consultationIds: z.pipe(
      z.pipe(
        z.union([z.string(), z.array(z.string())], { error: '受け付ける諮問を選んでください。' }),
        z.transform((v) => [...new Set([v].flat().filter(Boolean))]),
      ),
      z
        .array(z.string().check(z.regex(ID_PATTERN, '受け付ける諮問を選び直してください。')))
        .check(z.minLength(1, '受け付ける諮問を選んでください。'), z.maxLength(50)),
    ),
  }),
);
export type BulkAcceptCommand = z.output<typeof bulkAcceptCommand>;

/**
 * The secretariat accepts several screened cases in one step: each exactly as if accepted alone
 * (numbered gap-free in the order given, its workflow moved on, its department told). A case
 * someone else handled meanwhile (or no longer in screening) is left as it is and named; the
 * others are accepted all the same.
 */
export async function acceptConsultations(deps: ConsultationDeps, actor: Actor, councilId: string, command: BulkAcceptCommand) {
  requireRole(actor.principal, councilId, 'secretariat');
  const accepted: { consultation: Consultation; number: ConsultationNumber }[] = [];
  const skipped: { consultationId: string; title: string | undefined; reason: string }[] = [];
  for (const consultationId of command.consultationIds) {
    const ref = { councilId, consultationId };
    try {
      const result = await screenConsultation(deps, actor, ref, { decision: 'accept', requestId: command.requestId });
      if (result.decision === 'accept') accepted.push({ consultation: await deps.consultations.get(ref), number: result.number });
    } catch (e) {
      if (!(e instanceof DomainError) || e instanceof ForbiddenError) throw e;
      const c = await deps.consultations.get(ref).catch(() => undefined);
      skipped.push({ consultationId, title: c && c.status !== 'draft' ? c.form.title : undefined, reason: e.message });
    }
  }
  return { accepted, skipped };
}
