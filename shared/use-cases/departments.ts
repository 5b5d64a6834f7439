import * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import { type Department, type DepartmentInput, departmentInput, departmentTree } from '#shared/domain/council.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { InvalidInputError } from '#shared/errors.ts';

type DepartmentDeps = Pick<Deps, 'councils'>;

/** 部・課: the council's departments as a hierarchy; the secretariat's page. */
export async function viewDepartments(deps: DepartmentDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  return { viewer, council, departments, tree: departmentTree(departments) };
}

/** A new department names its id (part of URLs and of the staff registry), which stays. */
export const addDepartmentCommand = z.lazy(() =>
  z.extend(departmentInput, {
    departmentId: z
      .string({ error: '識別子を入力してください。' })
      .check(
        z.trim(),
        z.minLength(2, '識別子は2文字以上で入力してください。'),
        z.maxLength(40, '識別子は40文字以内で入力してください。'),
        z.regex(ID_PATTERN, '識別子は半角英数字・ハイフン・下線で入力してください。'),
      ),
  }),
);
export type AddDepartmentCommand = z.output<typeof addDepartmentCommand>;
export const editDepartmentCommand = z.lazy(() => z.extend(departmentInput, { version: z.coerce.number().check(z.int(), z.positive()) }));
export type EditDepartmentCommand = z.output<typeof editDepartmentCommand>;

/** A 課 goes under a 部 of the same council; a 部 cannot go under anything once it has 課 of its own (two levels). */
function checkParent(departments: readonly Department[], departmentId: string, input: DepartmentInput) {
  if (!input.parentId) return;
  const parent = departments.find((d) => d.departmentId === input.parentId);
  if (!parent || parent.parentId || parent.departmentId === departmentId)
    throw new InvalidInputError({ parentId: '上位の部は、この審議会の部から選んでください。' });
  if (departments.some((d) => d.parentId === departmentId)) throw new InvalidInputError({ parentId: '課をもつ部は、ほかの部の下に置けません。' });
}

export async function addDepartment(
  deps: DepartmentDeps,
  principal: Principal | undefined,
  councilId: string,
  command: AddDepartmentCommand,
): Promise<Department> {
  requireRole(principal, councilId, 'secretariat');
  const departments = await deps.councils.listDepartments(councilId);
  checkParent(departments, command.departmentId, command);
  const { departmentId, ...input } = command;
  const department: Department = { departmentId, ...input, version: 1 };
  if (!(await deps.councils.createDepartment(councilId, department)))
    throw new InvalidInputError({ departmentId: 'この識別子の部・課は既に登録されています。' });
  return department;
}

export async function editDepartment(
  deps: DepartmentDeps,
  principal: Principal | undefined,
  councilId: string,
  departmentId: string,
  command: EditDepartmentCommand,
): Promise<Department> {
  requireRole(principal, councilId, 'secretariat');
  const departments = await deps.councils.listDepartments(councilId);
  checkParent(departments, departmentId, command);
  const { version, ...input } = command;
  return deps.councils.updateDepartment(councilId, departmentId, input, version);
}
