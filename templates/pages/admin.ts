import type { Council } from '#shared/domain/council.ts';
import type { Principal } from '#shared/domain/principal.ts';
import type { StaffMember } from '#shared/domain/staff.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, selectField, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export const ADMIN_NOTICES = { suspended: '審議会の利用を停止しました。職員はサインインできなくなり、開いていたセッションは終了しました。' } as const;

export interface AdminCouncilsView {
  viewer: Principal;
  notice?: keyof typeof ADMIN_NOTICES | undefined;
  councils: Council[];
  form?: FormState | undefined;
  created?: { council: Council; admin: StaffMember; temporaryPassword: string } | undefined;
}

/** 審議会の管理: the operator's list of councils and the form that opens a new one. */
export function adminCouncilsPage(v: AdminCouncilsView): string {
  const state = v.form ?? emptyForm({ quorum: 'majority', chairBreaksTie: 'on' });
  return layout({
    title: '審議会の管理',
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${ADMIN_NOTICES[v.notice]}</div>` : ''}${
      v.created
        ? html`<div class="notice" role="status" id="created"><p><strong>${v.created.council.name}を開設しました。</strong></p>
<p>事務局の利用者ID:<code>${v.created.admin.userId}</code> 仮パスワード:<code id="temporary-password">${v.created.temporaryPassword}</code></p>
<p>仮パスワードはこの画面に一度だけ表示します。事務局の担当者に安全な方法で伝えてください。</p></div>`
        : ''
    }
<table>
<thead><tr><th scope="col">審議会</th><th scope="col">識別子</th><th scope="col">自治体</th><th scope="col">事務局</th><th scope="col">状態</th><th scope="col" class="no-print">操作</th></tr></thead>
<tbody>
${v.councils.map(
  (c) =>
    html`<tr><td>${c.name}</td><td>${c.councilId}</td><td>${c.municipality}</td><td>${c.secretariatEmail}</td><td>${c.suspendedAt ? '停止中' : '利用中'}</td><td class="no-print">${
      c.suspendedAt
        ? ''
        : html`<form method="post" action="${href('AdminCouncilSuspend', { councilId: c.councilId })}">${csrfField()}<button type="submit" aria-label="${c.name}の利用を停止する">利用を停止する</button></form>`
    }</td></tr>`,
)}
</tbody>
</table>
<h2 id="create">審議会を開設する</h2>
<form method="post" action="${href('AdminCouncilCreate', {})}" class="stacked" novalidate>${csrfField()}
${errorSummary(state)}
${textField(state, { name: 'councilId', label: '審議会の識別子', required: true, hint: '半角英数字・ハイフン・下線(URL に使います。例:momiji)' })}
${textField(state, { name: 'name', label: '審議会の名称', required: true })}
${textField(state, { name: 'municipality', label: '自治体名', required: true })}
${textField(state, { name: 'contact', label: '問い合わせ先', required: true })}
${textField(state, { name: 'secretariatEmail', label: '事務局のメールアドレス', type: 'email', required: true })}
${selectField(state, {
  name: 'quorum',
  label: '定足数',
  required: true,
  options: [
    ['majority', '委員の過半数'],
    ['two_thirds', '委員の3分の2以上'],
  ],
})}
<label class="choice"><input type="checkbox" id="f-chairBreaksTie" name="chairBreaksTie"${state.values['chairBreaksTie'] === 'on' ? html` checked` : ''}> 可否同数のときは会長が決する</label>
${fieldError(state, 'chairBreaksTie')}
${textField(state, { name: 'senderAddress', label: '差出人のアドレス', type: 'email', hint: '自治体のドメインの、SES で検証済みのアドレス' })}
${textField(state, { name: 'replyTo', label: '返信先(Reply-To)', type: 'email', hint: '空欄なら事務局のメールアドレス' })}
<h3>最初の事務局の担当者</h3>
${textField(state, { name: 'adminUserId', label: '事務局の利用者ID', required: true, autocomplete: 'off' })}
${textField(state, { name: 'adminName', label: '事務局の担当者の氏名', required: true, autocomplete: 'off' })}
${textField(state, { name: 'adminKana', label: 'ふりがな', required: true })}
${textField(state, { name: 'adminEmail', label: '担当者のメールアドレス', type: 'email', required: true })}
<button type="submit">開設する</button>
</form>`,
  });
}
