import { newId } from '#shared/adapters/runtime.ts';
import { postReportInput } from '#shared/domain/blanket.ts';
import { DomainError, InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { acceptPostReport, filePostReport, listBlanketApprovals, postReportForm } from '#shared/use-cases/blanket.ts';
import { emptyForm } from '#templates/form.ts';
import { BLANKET_NOTICES, blanketApprovalsPage, postReportFormPage } from '#templates/pages/blanket.ts';
import { noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

/** 包括諮問と事後報告: the approved classes, a department's post-report, the secretariat's acceptance onto the next meeting. */
export const blanketRoutes = {
  BlanketApprovals: async (req) =>
    page(blanketApprovalsPage({ ...(await listBlanketApprovals(req.deps, req.principal, req.param('councilId'))), notice: noticeOf(req, BLANKET_NOTICES) })),

  PostReportNew: async (req) =>
    page(postReportFormPage({ ...(await postReportForm(req.deps, req.principal, req.param('councilId'))), state: emptyForm({ requestId: newId() }) })),

  /** Bad input changes nothing: the form comes back as typed, each error beside its field. */
  PostReportCreate: async (req) => {
    const councilId = req.param('councilId');
    const form = req.form();
    const command = checkForm(postReportInput, form);
    if (command.ok) {
      try {
        await filePostReport(req.deps, req.principal, councilId, command.value);
        return seeOther(href('BlanketApprovals', { councilId }, { notice: 'filed' }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        return page(postReportFormPage({ ...(await postReportForm(req.deps, req.principal, councilId)), state: problem(form, e.fields) }), 400);
      }
    }
    return page(postReportFormPage({ ...(await postReportForm(req.deps, req.principal, councilId)), state: command }), 400);
  },

  /** Refused (no planned meeting, accepted already): the list again, saying why. */
  PostReportAccept: async (req) => {
    const councilId = req.param('councilId');
    try {
      await acceptPostReport(req.deps, req.principal, councilId, req.param('reportId'));
      return seeOther(href('BlanketApprovals', { councilId }, { notice: 'accepted' }));
    } catch (e) {
      if (!(e instanceof DomainError) || e.constructor !== DomainError) throw e;
      return page(blanketApprovalsPage({ ...(await listBlanketApprovals(req.deps, req.principal, councilId)), error: e.message }), 409);
    }
  },
} satisfies Record<string, RouteHandler>;
