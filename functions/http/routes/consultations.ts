import * as z from 'zod/mini';
import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import { consultationDraft, consultationSubmission, formToObject, objectToForm, postedPath } from '#shared/domain/consultation-form.ts';
import { answerDocument } from '#shared/domain/documents.ts';
import { caseKind, formKindsOf } from '#shared/domain/legal-basis.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { readRegisterQuery } from '#shared/domain/register.ts';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';
import { checkForm, type FormProblem } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { answerApprovalInput, approveAnswer, viewAnswer } from '#shared/use-cases/answers.ts';
import { exportAudit } from '#shared/use-cases/audit.ts';
import {
  acceptConsultations,
  bulkAcceptCommand,
  consultationForEdit,
  createConsultation,
  listConsultations,
  newConsultationForm,
  requestIdField,
  type SaveCommand,
  saveConsultation,
  screenConsultation,
  screeningCommand,
  viewConsultation,
} from '#shared/use-cases/consultations.ts';
import { redriveConsultation, withdrawCommand, withdrawConsultation } from '#shared/use-cases/recovery.ts';
import { similarCases } from '#shared/use-cases/search.ts';
import { reportVendor, vendorReportCommand } from '#shared/use-cases/vendor-report.ts';
import { emptyForm, type FormState } from '#templates/form.ts';
import { ANSWER_NOTICES, answerPage } from '#templates/pages/answer.ts';
import { kindChoicePage } from '#templates/pages/consultation-kinds.ts';
import {
  CONSULTATION_LIST_NOTICES,
  CONSULTATION_NOTICES,
  type ConsultationListView,
  consultationFormPage,
  consultationListPage,
  consultationPage,
} from '#templates/pages/consultations.ts';
import { download, type Form, noticeOf, page, problem, type Request, type RouteHandler, seeOther, wordRenderer } from '../kit.ts';

const refOf = (req: Request): ConsultationRef => ({ councilId: req.param('councilId'), consultationId: req.param('consultationId') });

/** Save or submit, and for a returned case the answer to the secretariat's comments. */
const editMeta = z.lazy(() =>
  z.object({
    version: z.coerce.number().check(z.int(), z.positive()),
    action: z._default(z.enum(['save', 'submit', 'addBusiness', 'similar']), 'save'),
    response: z.optional(z.string().check(z.trim(), z.maxLength(2000, '回答は2000文字以内で入力してください。'))),
  }),
);

/**
 * The department's form as a command: the draft as typed (nothing typed is lost — an incomplete
 * submission is saved as a draft), and the complete form when it is submitted and complete.
 * `problem` lists what keeps it from being submitted.
 */
function readCaseForm(form: Form, submitting: boolean, needsResponse: boolean): { draft?: FormProblem; command?: SaveCommand; problem?: FormProblem } {
  const draft = checkForm(consultationDraft, form, formToObject, postedPath);
  if (!draft.ok) return { draft };
  if (!submitting) return { command: { draft: draft.value } };
  const complete = checkForm(consultationSubmission, form, formToObject, postedPath);
  const response = typeof form['response'] === 'string' ? form['response'].trim() : '';
  const errors = complete.ok ? {} : { ...complete.errors };
  if (needsResponse && !response) errors['response'] = '差し戻しへの回答を入力してください。';
  if (!complete.ok || Object.keys(errors).length) return { command: { draft: draft.value }, problem: problem(form, errors) };
  return { command: { draft: draft.value, submission: { form: complete.value, response: response || undefined } } };
}

const withVersion = (state: FormState, version: number): FormState => ({ ...state, values: { ...state.values, version: String(version) } });

/** 諮問: the lists, the department's 審議票, the secretariat's screening, and the way out of a stopped or unwanted case. */
export const consultationRoutes = {
  ConsultationsList: async (req) =>
    page(
      consultationListPage({
        ...(await listConsultations(req.deps, req.principal, req.param('councilId'), readRegisterQuery(req.query))),
        acceptance: emptyForm({ requestId: newId() }),
        notice: noticeOf(req, CONSULTATION_LIST_NOTICES),
      }),
    ),

  /** Accepts the cases ticked in the screening queue, each numbered in the order listed; any that could not be are named. */
  ConsultationsAccept: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(bulkAcceptCommand, req.form());
    const again = async (extra: Partial<ConsultationListView>, status: number) =>
      page(
        consultationListPage({ ...(await listConsultations(req.deps, req.principal, councilId)), acceptance: emptyForm({ requestId: newId() }), ...extra }),
        status,
      );
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return again({ acceptance: { ...command, values: { ...command.values, requestId: newId() } } }, 400);
    }
    const result = await acceptConsultations(req.deps, req.actor, councilId, command.value);
    if (result.skipped.length === 0) return seeOther(href('ConsultationsList', { councilId }, { notice: 'accepted' }));
    return again({ bulk: result }, 409);
  },

  /** The kind is asked first (of the council's kinds; not when it takes one), then the form for that kind. */
  ConsultationNew: async (req) => {
    const councilId = req.param('councilId');
    const view = await newConsultationForm(req.deps, req.principal, councilId);
    const kinds = formKindsOf(view.council);
    const asked = req.query('kind');
    const kind = kinds.length === 1 ? kinds[0] : kinds.find((k) => k === asked);
    if (!kind)
      return page(kindChoicePage({ ...view, kinds, error: asked !== undefined ? '諮問の種類を選んでください。' : undefined }), asked !== undefined ? 400 : 200);
    return page(consultationFormPage({ ...view, state: emptyForm({ requestId: newId(), kind }), action: href('ConsultationCreate', { councilId }) }));
  },

  /** Saves a new draft (and submits it if asked); an incomplete submission is kept as a draft and its problems shown. */
  ConsultationCreate: async (req) => {
    const councilId = req.param('councilId');
    const view = await newConsultationForm(req.deps, req.principal, councilId);
    // The kind chosen on the first page, if the council takes it; a form without one is of the council's usual kind.
    const posted = req.form();
    const kinds = formKindsOf(view.council);
    const usual = caseKind({}, view.council);
    const form: Form = { ...posted, kind: kinds.find((k) => k === posted['kind']) ?? kinds.find((k) => k === usual) ?? kinds[0] ?? 'ordinance_trigger' };
    const id = checkForm(requestIdField, form);
    // 「事務を追加」: the form again with one more 事務 row and everything typed; nothing is saved.
    if (form['action'] === 'addBusiness') {
      return page(consultationFormPage({ ...view, state: emptyForm(form), action: href('ConsultationCreate', { councilId }), addBusinessRow: true }));
    }
    const read = readCaseForm(form, form['action'] === 'submit', false);
    if (!id.ok || read.draft) {
      return page(consultationFormPage({ ...view, state: id.ok ? read.draft! : id, action: href('ConsultationCreate', { councilId }) }), 400);
    }
    const result = await createConsultation(req.deps, req.actor, councilId, id.value.requestId, read.command!);
    // 「類似の諮問を探す」: saved as a draft, back on its form with the similar earlier cases.
    if (form['action'] === 'similar') return seeOther(`${href('ConsultationEdit', result.ref)}#similar`);
    if (!read.problem) return seeOther(href('ConsultationView', result.ref, { notice: result.submitted ? 'submitted' : 'saved' }));
    const saved = await req.deps.consultations.get(result.ref);
    // Once saved, further edits go to the draft itself.
    return page(
      consultationFormPage({
        ...view,
        state: withVersion(read.problem, saved.version),
        action: href('ConsultationSave', result.ref),
        savedButIncomplete: true,
      }),
      400,
    );
  },

  ConsultationView: async (req) => {
    const view = await viewConsultation(req.deps, req.actor, refOf(req), { audit: true });
    return page(consultationPage({ ...view, notice: noticeOf(req, CONSULTATION_NOTICES), screening: emptyForm({ requestId: newId() }) }));
  },

  ConsultationEdit: async (req) => {
    const ref = refOf(req);
    const view = await consultationForEdit(req.deps, req.actor, ref, { audit: true });
    const state = emptyForm({
      ...objectToForm(view.consultation.form),
      kind: caseKind(view.consultation.form, view.council),
      version: String(view.consultation.version),
    });
    const similar = await similarCases(req.deps, view.viewer, view.consultation);
    return page(consultationFormPage({ ...view, state, action: href('ConsultationSave', ref), similar }));
  },

  /** Saves or submits the department's edits. Whatever goes wrong, the form comes back as typed. */
  ConsultationSave: async (req) => {
    const ref = refOf(req);
    const view = await consultationForEdit(req.deps, req.actor, ref, { audit: false });
    // A case keeps the kind it was filed as, whatever the form posts.
    const form: Form = { ...req.form(), kind: caseKind(view.consultation.form, view.council) };
    const again = (state: FormState, status: number, savedButIncomplete = false) =>
      page(consultationFormPage({ ...view, state, action: href('ConsultationSave', ref), savedButIncomplete }), status);
    const meta = checkForm(editMeta, form);
    if (!meta.ok) return again(meta, 400);
    if (meta.value.action === 'addBusiness') {
      return page(consultationFormPage({ ...view, state: emptyForm(form), action: href('ConsultationSave', ref), addBusinessRow: true }));
    }
    const read = readCaseForm(form, meta.value.action === 'submit', view.consultation.status === 'returned');
    if (read.draft) return again(read.draft, 400);
    try {
      const result = await saveConsultation(req.deps, req.actor, ref, meta.value.version, read.command!);
      if (meta.value.action === 'similar') return seeOther(`${href('ConsultationEdit', ref)}#similar`);
      if (!read.problem) return seeOther(href('ConsultationView', ref, { notice: result.submitted ? 'submitted' : 'saved' }));
      return again(withVersion(read.problem, result.version), 400, true);
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      return again(problem(form, { _form: e.message }), 409);
    }
  },

  ConsultationScreen: async (req) => {
    const ref = refOf(req);
    const command = checkForm(screeningCommand, req.form());
    if (command.ok) {
      const result = await screenConsultation(req.deps, req.actor, ref, command.value);
      return seeOther(href('ConsultationView', ref, { notice: result.decision === 'accept' ? 'accepted' : 'returned' }));
    }
    const view = await viewConsultation(req.deps, req.actor, ref, { audit: false });
    return page(consultationPage({ ...view, screening: command }), 400);
  },

  ConsultationRedrive: async (req) => {
    const ref = refOf(req);
    await redriveConsultation(req.deps, req.actor, ref);
    return seeOther(href('ConsultationView', ref, { notice: 'redriven' }));
  },

  ConsultationWithdraw: async (req) => {
    const ref = refOf(req);
    const command = checkForm(withdrawCommand, req.form());
    if (command.ok) {
      await withdrawConsultation(req.deps, req.actor, ref, command.value);
      return seeOther(href('ConsultationView', ref, { notice: 'withdrawn' }));
    }
    const view = await viewConsultation(req.deps, req.actor, ref, { audit: false });
    return page(consultationPage({ ...view, withdrawal: command }), 400);
  },

  /** The department reports the vendor its form left 「選定中」, after the decision. */
  ConsultationVendorReport: async (req) => {
    const ref = refOf(req);
    const form = req.form();
    const command = checkForm(vendorReportCommand, form);
    if (command.ok) {
      try {
        await reportVendor(req.deps, req.actor, ref, command.value);
        return seeOther(href('ConsultationView', ref, { notice: 'vendorReported' }));
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        const view = await viewConsultation(req.deps, req.actor, ref, { audit: false });
        return page(consultationPage({ ...view, vendorReport: problem(form, { _form: e.message }) }), 409);
      }
    }
    const view = await viewConsultation(req.deps, req.actor, ref, { audit: false });
    return page(consultationPage({ ...view, vendorReport: command }), 400);
  },

  AuditExport: async (req) => {
    const ref = refOf(req);
    const { csv, fileName } = await exportAudit(req.deps, req.principal, ref);
    return download(csv, 'text/csv; charset=utf-8', fileName);
  },

  AnswerView: async (req) => page(answerPage({ ...(await viewAnswer(req.deps, req.principal, refOf(req))), notice: noticeOf(req, ANSWER_NOTICES) })),

  AnswerApprove: async (req) => {
    const ref = refOf(req);
    const form = req.form();
    const command = checkForm(answerApprovalInput, form);
    if (command.ok) {
      try {
        await approveAnswer(req.deps, req.principal, ref, command.value);
        return seeOther(href('AnswerView', ref, { notice: 'approved' }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        return page(answerPage({ ...(await viewAnswer(req.deps, req.principal, ref)), approval: problem(form, e.fields) }), 400);
      }
    }
    return page(answerPage({ ...(await viewAnswer(req.deps, req.principal, ref)), approval: command }), 400);
  },

  /** 答申書 as a Word file, laid out by the minutes' renderer, named by its 諮問番号. */
  AnswerDocx: async (req) => {
    const { answer } = await viewAnswer(req.deps, req.principal, refOf(req));
    const name = answer.number ? formatConsultationNumber(answer.number) : answer.title;
    const { DOCX, documentDocx } = await wordRenderer();
    return download(await documentDocx(answerDocument(answer)), DOCX, `答申書 ${name}.docx`);
  },
} satisfies Record<string, RouteHandler>;
