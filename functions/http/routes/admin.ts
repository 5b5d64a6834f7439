import { InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { createCouncil, createCouncilCommand, listCouncilsForOperator, suspendCouncil } from '#shared/use-cases/admin.ts';
import { ADMIN_NOTICES, adminCouncilsPage } from '#templates/pages/admin.ts';
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

  AdminCouncilSuspend: async (req) => {
    await suspendCouncil(req.deps, req.principal, req.param('councilId'));
    return seeOther(href('AdminCouncils', {}, { notice: 'suspended' }));
  },
} satisfies Record<string, RouteHandler>;
