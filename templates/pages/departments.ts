import type { Council, Department } from '#shared/domain/council.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, selectField, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export const DEPARTMENT_NOTICES = { added: '部・課を登録しました。', saved: '部・課を保存しました。' } as const;
export type DepartmentNotice = keyof typeof DEPARTMENT_NOTICES;

export interface DepartmentsView {
  viewer: Principal;
  council: Council;
  departments: Department[];
  tree: { department: Department; depth: 0 | 1 }[];
  notice?: DepartmentNotice | undefined;
  addForm?: FormState | undefined;
  /** An edit that failed, by department id. */
  editForm?: { departmentId: string; state: FormState } | undefined;
}

function fields(state: FormState, parents: (readonly [string, string])[], scope?: string) {
  return html`${textField(state, { name: 'name', label: '名称', required: true, hint: '例:市民部 市民課', scope })}
${selectField(state, { name: 'parentId', label: '上位の部', options: parents, blank: '(なし:部として登録)', scope })}
${textField(state, { name: 'email', label: 'メールアドレス', type: 'email', required: true, hint: '諮問の連絡が届きます', scope })}
${textField(state, { name: 'managerName', label: '所属長の氏名', scope })}
${textField(state, { name: 'managerEmail', label: '所属長のメールアドレス', type: 'email', required: true, hint: '条件の履行の期限切れを知らせます', scope })}`;
}

/** 部・課: the hierarchy, an edit form per row, and the form to add one. */
export function departmentsPage(v: DepartmentsView): string {
  const parents = v.departments.filter((d) => !d.parentId).map((d) => [d.departmentId, d.name] as const);
  const add = v.addForm ?? emptyForm();
  return layout({
    title: `${v.council.name} 部・課`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${DEPARTMENT_NOTICES[v.notice]}</div>` : ''}
<table>
<thead><tr><th scope="col">部・課</th><th scope="col">識別子</th><th scope="col">メールアドレス</th><th scope="col">所属長</th><th scope="col" class="no-print">操作</th></tr></thead>
<tbody>
${v.tree.map(({ department: d, depth }) => {
  const failed = v.editForm?.departmentId === d.departmentId ? v.editForm.state : undefined;
  const state =
    failed ??
    emptyForm({
      name: d.name,
      parentId: d.parentId,
      email: d.email,
      managerName: d.managerName,
      managerEmail: d.managerEmail,
      version: String(d.version ?? 1),
    });
  return html`<tr>
<td>${depth ? html`<span aria-hidden="true">└ </span>` : ''}${d.name}</td><td>${d.departmentId}</td><td>${d.email}</td><td>${d.managerName ?? ''} ${d.managerEmail}</td>
<td class="no-print"><details${failed ? html` open` : ''}><summary>編集</summary>
<form method="post" action="${href('DepartmentSave', { councilId: v.council.councilId, departmentId: d.departmentId })}" class="stacked" novalidate>${csrfField()}
${errorSummary(state, { scope: d.departmentId })}
<input type="hidden" name="version" value="${String(state.values['version'] ?? d.version ?? 1)}">
${fields(
  state,
  parents.filter(([id]) => id !== d.departmentId),
  d.departmentId,
)}
<button type="submit">保存する</button>
</form></details></td>
</tr>`;
})}
</tbody>
</table>
<h2 id="add">部・課を登録する</h2>
<form method="post" action="${href('DepartmentAdd', v.council)}" class="stacked" novalidate>${csrfField()}
${errorSummary(add)}
${textField(add, { name: 'departmentId', label: '識別子', required: true, hint: '半角英数字・ハイフン・下線(例:kokuho)。後から変えられません' })}
${fields(add, parents)}
<button type="submit">登録する</button>
</form>`,
  });
}
