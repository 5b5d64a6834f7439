import * as z from 'zod/mini';
import { staffChange, staffInput } from '#shared/domain/staff.ts';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { changeStaff, disableStaff, inviteStaff, viewStaff } from '#shared/use-cases/staff.ts';
import { emptyForm } from '#templates/form.ts';
import { STAFF_NOTICES, staffPage } from '#templates/pages/staff.ts';
import { noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

const versionOnly = z.lazy(() => z.object({ version: z.coerce.number().check(z.int(), z.positive()) }));

/** 職員: the staff registry, the secretariat's invitations, changes of role and disabling. */
export const staffRoutes = {
  StaffList: async (req) =>
    page(staffPage({ ...(await viewStaff(req.deps, req.principal, req.param('councilId'))), notice: noticeOf(req, STAFF_NOTICES), inviteForm: emptyForm() })),

  /** The temporary password is on this response only (not behind a redirect), so it is shown once. */
  StaffInvite: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(staffInput, req.form());
    let state = command.ok ? undefined : command;
    if (command.ok) {
      try {
        const invited = await inviteStaff(req.deps, req.principal, councilId, command.value);
        return page(staffPage({ ...(await viewStaff(req.deps, req.principal, councilId)), inviteForm: emptyForm(), invited }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        state = problem(req.form(), e.fields);
      }
    }
    return page(staffPage({ ...(await viewStaff(req.deps, req.principal, councilId)), inviteForm: state! }), 400);
  },

  StaffSave: async (req) => {
    const [councilId, userId] = [req.param('councilId'), req.param('userId')];
    const command = checkForm(staffChange, req.form());
    let state = command.ok ? undefined : command;
    if (command.ok) {
      try {
        await changeStaff(req.deps, req.principal, councilId, userId, command.value);
        return seeOther(href('StaffList', { councilId }, { notice: 'saved' }));
      } catch (e) {
        if (e instanceof InvalidInputError) state = problem(req.form(), e.fields);
        else if (e instanceof ConflictError) state = problem(req.form(), { _form: e.message });
        else throw e;
      }
    }
    const view = await viewStaff(req.deps, req.principal, councilId);
    return page(staffPage({ ...view, inviteForm: emptyForm(), changeForm: { userId, state: state! } }), state!.errors['_form'] ? 409 : 400);
  },

  StaffDisable: async (req) => {
    const [councilId, userId] = [req.param('councilId'), req.param('userId')];
    const command = checkForm(versionOnly, req.form());
    try {
      if (!command.ok) throw new ConflictError('フォームを開き直してから、もう一度操作してください。');
      await disableStaff(req.deps, req.principal, councilId, userId, command.value.version);
      return seeOther(href('StaffList', { councilId }, { notice: 'disabled' }));
    } catch (e) {
      if (!(e instanceof ConflictError || e instanceof InvalidInputError)) throw e;
      const view = await viewStaff(req.deps, req.principal, councilId);
      return page(staffPage({ ...view, inviteForm: emptyForm(), changeForm: { userId, state: problem(req.form(), { _form: e.message }) } }), 409);
    }
  },
} satisfies Record<string, RouteHandler>;
