import { councilDeletionInput } from '#shared/domain/council-archive.ts';
import { InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { createCouncil, createCouncilCommand, listCouncilsForOperator, suspendCouncil } from '#shared/use-cases/admin.ts';
import { archiveStatus, deleteCouncil, deletionView, downloadArchive, requestArchive } from '#shared/use-cases/council-archive.ts';
import { ADMIN_NOTICES, adminCouncilsPage, archivePage, deleteCouncilPage } from '#templates/pages/admin.ts';
import { noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

/** 審議会の管理: the platform operator's pages. */
export const adminRoutes = {
  AdminCouncils: async (req) => page(adminCouncilsPage({ ...(await listCouncilsForOperator(req.deps, req.principal)), notice: noticeOf(req, ADMIN_NOTICES) })),

  /** The first secretariat account's temporary password is on this response only. */
  AdminCouncilCreate: async (req) => {
    const command = checkForm(createCouncilCommand, req.form());
    let state = command.ok ? undefined : command;
    if (command.ok) {
      try {
        const created = await createCouncil(req.deps, req.principal, command.value);
        return page(adminCouncilsPage({ ...(await listCouncilsForOperator(req.deps, req.principal)), created }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        state = problem(req.form(), e.fields);
      }
    }
    return page(adminCouncilsPage({ ...(await listCouncilsForOperator(req.deps, req.principal)), form: state! }), 400);
  },

  /** Starts an archive of the whole council; its page shows the progress. */
  AdminCouncilArchive: async (req) => {
    const councilId = req.param('councilId');
    const archiveId = await requestArchive(req.deps, req.principal, councilId);
    return seeOther(href('AdminCouncilArchiveStatus', { councilId, archiveId }));
  },

  AdminCouncilArchiveStatus: async (req) => page(archivePage(await archiveStatus(req.deps, req.principal, req.param('councilId'), req.param('archiveId')))),

  /** Records the download (what allows the deletion), then sends the browser to a short-lived link to the zip. */
  AdminCouncilArchiveDownload: async (req) => seeOther(await downloadArchive(req.deps, req.principal, req.param('councilId'), req.param('archiveId'))),

  AdminCouncilDeleteConfirm: async (req) => page(deleteCouncilPage(await deletionView(req.deps, req.principal, req.param('councilId')))),

  /** The council's name, typed: the deletion starts in the background and the list says so. */
  AdminCouncilDelete: async (req) => {
    const councilId = req.param('councilId');
    const input = checkForm(councilDeletionInput, req.form());
    let state = input.ok ? undefined : input;
    if (input.ok) {
      try {
        await deleteCouncil(req.deps, req.principal, councilId, input.value);
        return seeOther(href('AdminCouncils', {}, { notice: 'deleting' }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        state = problem(req.form(), e.fields);
      }
    }
    return page(deleteCouncilPage({ ...(await deletionView(req.deps, req.principal, councilId)), form: state! }), 400);
  },

  AdminCouncilSuspend: async (req) => {
    await suspendCouncil(req.deps, req.principal, req.param('councilId'));
    return seeOther(href('AdminCouncils', {}, { notice: 'suspended' }));
  },
} satisfies Record<string, RouteHandler>;
