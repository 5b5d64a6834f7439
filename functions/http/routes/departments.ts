import { ConflictError, InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { addDepartment, addDepartmentCommand, editDepartment, editDepartmentCommand, viewDepartments } from '#shared/use-cases/departments.ts';
import { DEPARTMENT_NOTICES, departmentsPage } from '#templates/pages/departments.ts';
import { noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

/** 部・課: the council's departments, as the secretariat keeps them. */
export const departmentRoutes = {
  DepartmentsList: async (req) =>
    page(departmentsPage({ ...(await viewDepartments(req.deps, req.principal, req.param('councilId'))), notice: noticeOf(req, DEPARTMENT_NOTICES) })),

  DepartmentAdd: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(addDepartmentCommand, req.form());
    let state = command.ok ? undefined : command;
    if (command.ok) {
      try {
        await addDepartment(req.deps, req.principal, councilId, command.value);
        return seeOther(href('DepartmentsList', { councilId }, { notice: 'added' }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        state = problem(req.form(), e.fields);
      }
    }
    return page(departmentsPage({ ...(await viewDepartments(req.deps, req.principal, councilId)), addForm: state! }), 400);
  },

  DepartmentSave: async (req) => {
    const [councilId, departmentId] = [req.param('councilId'), req.param('departmentId')];
    const command = checkForm(editDepartmentCommand, req.form());
    let state = command.ok ? undefined : command;
    if (command.ok) {
      try {
        await editDepartment(req.deps, req.principal, councilId, departmentId, command.value);
        return seeOther(href('DepartmentsList', { councilId }, { notice: 'saved' }));
      } catch (e) {
        if (e instanceof InvalidInputError) state = problem(req.form(), e.fields);
        else if (e instanceof ConflictError) state = problem(req.form(), { _form: e.message });
        else throw e;
      }
    }
    const view = await viewDepartments(req.deps, req.principal, councilId);
    return page(departmentsPage({ ...view, editForm: { departmentId, state: state! } }), state!.errors['_form'] ? 409 : 400);
  },
} satisfies Record<string, RouteHandler>;
