import { z } from 'zod';
import type { Deps } from '#shared/adapters/deps.ts';
import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import {
  consultationDraft,
  consultationSubmission,
  formToObject,
  postedPath,
  type ConsultationForm,
} from '#shared/domain/consultation-form.ts';
import { caseIdFor, isEditableBy, isVisibleTo, type Consultation } from '#shared/domain/consultation.ts';
import { actorOfPrincipal, recordAudit } from './audit.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import { requireRole, type Principal } from '#shared/domain/principal.ts';
import { DomainError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { checkForm, type FormProblem } from '#shared/forms.ts';
import { ID_PATTERN } from '#shared/keys.ts';
import {
  consultationAcceptedMail,
  consultationReturnedMail,
  consultationSubmittedMail,
} from '#templates/mail/consultation.ts';

type ConsultationDeps = Pick<Deps, 'councils' | 'consultations' | 'workflow' | 'mailer' | 'clock' | 'settings'>;
type Form = Record<string, string | string[]>;

/** Who did what, from where: appended to the case's audit trail. */
export interface Actor {
  principal: Principal | undefined;
  sourceIp?: string | undefined;
}

/** An actor whose role has been checked. */
interface Checked {
  principal: Principal;
  sourceIp?: string | undefined;
}

const audit = (deps: ConsultationDeps, ref: ConsultationRef, actor: Checked, action: string, detail?: string) =>
  recordAudit(deps, ref, actorOfPrincipal(actor.principal), action, { detail, sourceIp: actor.sourceIp });

const caseUrl = (deps: ConsultationDeps, ref: ConsultationRef) => `${deps.settings.APP_BASE_URL}/c/${ref.councilId}/consultations/${ref.consultationId}`;

/** A case as the principal may see it, or 404 (not 403, so ids of other departments' cases leak nothing). */
export async function viewConsultation(deps: ConsultationDeps, principal: Principal | undefined, ref: ConsultationRef, sourceIp?: string) {
  const viewer = requireRole(principal, ref.councilId, 'department', 'secretariat', 'member', 'chair');
  const bundle = await deps.consultations.bundle(ref);
  if (!isVisibleTo(bundle.consultation, viewer)) throw new NotFoundError('諮問が見つかりません。');
  // The case holds personal data: every look at it is on the record.
  await recordAudit(deps, ref, actorOfPrincipal(viewer), '閲覧', { sourceIp });
  const [council, departments] = await Promise.all([deps.councils.getCouncil(ref.councilId), deps.councils.listDepartments(ref.councilId)]);
  const department = departments.find((d) => d.departmentId === bundle.consultation.departmentId);
  return { viewer, council, department, ...bundle };
}

/** The department's own cases, or for the secretariat the queues that wait for someone. */
export async function listConsultations(deps: ConsultationDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'department', 'secretariat');
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  if (viewer.role === 'department') {
    const own = await deps.consultations.listByDepartment(councilId, viewer.departmentId ?? '');
    return { viewer, council, departments, own, queues: undefined };
  }
  const [submitted, screening, returned, accepted, stalled] = await Promise.all(
    (['submitted', 'screening', 'returned', 'accepted', 'stalled'] as const).map((s) => deps.consultations.listByStatus(councilId, s)),
  );
  return { viewer, council, departments, own: undefined, queues: { stalled: stalled!, screening: [...submitted!, ...screening!], returned: returned!, accepted: accepted! } };
}

const newCaseForm = z.object({ requestId: z.string().regex(ID_PATTERN, 'フォームを開き直してください。') });

/**
 * A department starts a consultation: the form is saved as a draft (under an id minted
 * when the form was drawn, so a double submit creates one case) and, if asked, submitted.
 */
export async function createConsultation(deps: ConsultationDeps, who: Actor, councilId: string, form: Form) {
  const principal = requireRole(who.principal, councilId, 'department');
  const actor = { principal, sourceIp: who.sourceIp };
  const idCheck = checkForm(newCaseForm, form);
  if (!idCheck.ok) return idCheck;
  const draft = checkForm(consultationDraft, form, formToObject, postedPath);
  if (!draft.ok) return draft;
  const now = deps.clock.now().toISOString();
  const ref = { councilId, consultationId: caseIdFor(councilId, principal.userId, idCheck.value.requestId) };
  const created = await deps.consultations.create({
    ...ref,
    departmentId: principal.departmentId ?? '',
    form: draft.value,
    status: 'draft',
    returns: 0,
    createdBy: principal.userId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  if (created) await audit(deps, ref, actor, '下書きを作成', draft.value.title);
  if (form['action'] !== 'submit') return { ok: true as const, ref, submitted: false };
  if (!created) {
    // The same form sent twice: the first send may already have submitted it.
    const existing = await deps.consultations.get(ref);
    if (existing.status !== 'draft') return { ok: true as const, ref, submitted: true };
    return saveConsultation(deps, actor, ref, { ...form, version: String(existing.version) });
  }
  return saveConsultation(deps, actor, ref, { ...form, version: '1' });
}

const editMeta = z.object({
  version: z.coerce.number().int().positive(),
  action: z.enum(['save', 'submit']).default('save'),
  response: z.string().trim().max(2000, '回答は2000文字以内で入力してください。').optional(),
});

/**
 * Saves the department's edits and, for `action=submit`, submits them. The draft is
 * saved first even when the submission is incomplete, so nothing typed is lost; the
 * problem then lists what must be completed.
 */
export async function saveConsultation(
  deps: ConsultationDeps,
  who: Actor,
  ref: ConsultationRef,
  form: Form,
): Promise<{ ok: true; ref: ConsultationRef; submitted: boolean } | (FormProblem & { saved?: boolean; ref?: ConsultationRef })> {
  const principal = requireRole(who.principal, ref.councilId, 'department');
  const actor = { principal, sourceIp: who.sourceIp };
  const current = await deps.consultations.get(ref);
  if (!isVisibleTo(current, principal)) throw new NotFoundError('諮問が見つかりません。');
  if (!isEditableBy(current, principal)) throw new ForbiddenError('この諮問は今は編集できません。');
  const meta = checkForm(editMeta, form);
  if (!meta.ok) return meta;
  const draft = checkForm(consultationDraft, form, formToObject, postedPath);
  if (!draft.ok) return draft;
  const now = deps.clock.now().toISOString();
  const submitting = meta.value.action === 'submit';
  const returned = current.status === 'returned';

  if (submitting) {
    const complete = checkForm(consultationSubmission, form, formToObject, postedPath);
    const needsResponse = returned && !meta.value.response;
    if (!complete.ok || needsResponse) {
      const saved = await deps.consultations.saveForm(ref, draft.value, meta.value.version, now);
      await audit(deps, ref, actor, '下書きを保存');
      const errors = complete.ok ? {} : complete.errors;
      if (needsResponse) errors['response'] = '差し戻しへの回答を入力してください。';
      return { ok: false, errors, values: { ...form, version: String(saved.version) }, saved: true, ref };
    }
    await deps.consultations.saveForm(ref, complete.value, meta.value.version, now, true);
    await submit(deps, actor, current, complete.value, meta.value.response, now);
    return { ok: true, ref, submitted: true };
  }

  await deps.consultations.saveForm(ref, draft.value, meta.value.version, now);
  await audit(deps, ref, actor, '下書きを保存');
  return { ok: true, ref, submitted: false };
}

async function submit(deps: ConsultationDeps, actor: Checked, c: Consultation, form: ConsultationForm, response: string | undefined, now: string) {
  const ref = { councilId: c.councilId, consultationId: c.consultationId };
  const council = await deps.councils.getCouncil(c.councilId);
  const department = (await deps.councils.listDepartments(c.councilId)).find((d) => d.departmentId === c.departmentId);
  if (c.status === 'returned') {
    await deps.consultations.answerRound(ref, c.returns, response ?? '', actor.principal.userId, now);
    await deps.workflow.complete(c.taskToken, { revised: true, round: c.returns });
    await audit(deps, ref, actor, '差し戻しに回答して再提出', response);
  } else {
    await deps.workflow.start(ref);
    await audit(deps, ref, actor, '提出');
  }
  await deps.mailer.send(
    consultationSubmittedMail({ council, departmentName: department?.name ?? '', form, url: caseUrl(deps, ref), resubmission: c.status === 'returned', response }),
  );
}

const screeningForm = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept'), requestId: z.string().regex(ID_PATTERN) }),
  z.object({
    decision: z.literal('return'),
    comment: z.string().trim().min(1, '差し戻しの理由を入力してください。').max(4000, '差し戻しの理由は4000文字以内で入力してください。'),
  }),
], { error: '受付か差し戻しかを選んでください。' });

/** The secretariat screens a submitted case: accept (and number it) or return it with comments. */
export async function screenConsultation(deps: ConsultationDeps, who: Actor, ref: ConsultationRef, form: Form) {
  const actor = { principal: requireRole(who.principal, ref.councilId, 'secretariat'), sourceIp: who.sourceIp };
  const checked = checkForm(screeningForm, form);
  if (!checked.ok) return checked;
  const c = await deps.consultations.get(ref);
  if (c.status !== 'screening') throw new DomainError('この諮問は受付審査中ではありません。最新の状態を確認してください。');
  const now = deps.clock.now();
  const council = await deps.councils.getCouncil(ref.councilId);
  const department = (await deps.councils.listDepartments(ref.councilId)).find((d) => d.departmentId === c.departmentId);
  const to = department ? [department.email] : [];

  if (checked.value.decision === 'return') {
    const round = c.returns + 1;
    await deps.consultations.addReturn(ref, { round, comment: checked.value.comment, returnedAt: now.toISOString(), returnedBy: actor.principal.userId });
    await deps.workflow.complete(c.taskToken, { outcome: 'returned', round });
    await audit(deps, ref, actor, `差し戻し(第${round}回)`, checked.value.comment);
    if (to.length) await deps.mailer.send(consultationReturnedMail({ council, to, title: c.form.title, comment: checked.value.comment, round, url: caseUrl(deps, ref) }));
    return { ok: true as const, decision: 'return' as const };
  }

  const already = await deps.consultations.beginAcceptance(ref, checked.value.requestId, now.toISOString());
  const number = already ?? (await deps.consultations.assignNumber(ref, fiscalYear(now)));
  await deps.workflow.complete(c.taskToken, { outcome: 'accepted', number });
  await audit(deps, ref, actor, '受付', JSON.stringify(number));
  if (to.length) await deps.mailer.send(consultationAcceptedMail({ council, to, title: c.form.title, number, url: caseUrl(deps, ref) }));
  return { ok: true as const, decision: 'accept' as const, number };
}
