import type { Council, Department, Member } from '#shared/domain/council.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { officeOfStaff, STAFF_ROLE_LABELS, STAFF_ROLES, type StaffMember } from '#shared/domain/staff.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { errorSummary, type FormState, selectField, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export const STAFF_NOTICES = {
  saved: '職員の役割・所属を変更しました。変更は次のサインインから有効です(開いていたセッションは終了しました)。',
  disabled: 'アカウントを無効にしました。この方はサインインできなくなり、開いていたセッションは終了しました。',
} as const;
export type StaffNotice = keyof typeof STAFF_NOTICES;

export interface StaffView {
  viewer: Principal;
  council: Council;
  staff: StaffMember[];
  departments: Department[];
  members: Member[];
  notice?: StaffNotice | undefined;
  inviteForm: FormState;
  /** Right after an invitation: the temporary password, shown this once. */
  invited?: { staff: StaffMember; temporaryPassword: string } | undefined;
  /** A change form that failed, by user id. */
  changeForm?: { userId: string; state: FormState } | undefined;
}

const ROLE_OPTIONS = STAFF_ROLES.map((r) => [r, STAFF_ROLE_LABELS[r]] as const);
const OFFICE = { chair: '会長', vice_chair: '副会長' } as const;

function roleOf(v: StaffView, s: StaffMember): string {
  const office = officeOfStaff(v.council, s);
  if (office) return `${STAFF_ROLE_LABELS[s.role]}(${OFFICE[office]})`;
  if (s.role === 'department')
    return `${STAFF_ROLE_LABELS[s.role]}(${v.departments.find((d) => d.departmentId === s.departmentId)?.name ?? s.departmentId ?? ''})`;
  return STAFF_ROLE_LABELS[s.role];
}

/** 職員: the registry of who may sign in, and as what; the secretariat invites, moves and disables people here. */
export function staffPage(v: StaffView): string {
  const departments = v.departments.map((d) => [d.departmentId, d.name] as const);
  const members = v.members.map((m) => [m.memberId, m.name] as const);
  return layout({
    title: `${v.council.name} 職員`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${STAFF_NOTICES[v.notice]}</div>` : ''}
${
  v.invited
    ? html`<div class="notice" role="status" id="invited"><p><strong>${v.invited.staff.name}さんを招待しました。</strong></p>
<p>利用者ID:<code>${v.invited.staff.userId}</code> 仮パスワード:<code id="temporary-password">${v.invited.temporaryPassword}</code></p>
<p>仮パスワードはこの画面に一度だけ表示します。本人に安全な方法(対面または電話)で伝えてください(最初のサインインで新しいパスワードの設定を求められます)。本人には、利用者IDとサインインのページを知らせるメールを送りました(仮パスワードはメールに書いていません)。</p></div>`
    : ''
}
<p>会長・副会長、次にふりがな順です。役割・所属はサインインのたびにこの名簿から読まれます。会長の権限は委員名簿で会長に選ばれた委員に付きます。</p>
<table>
<thead><tr><th scope="col">氏名</th><th scope="col">ふりがな</th><th scope="col">利用者ID</th><th scope="col">役割</th><th scope="col">役職</th><th scope="col">メールアドレス</th><th scope="col">状態</th><th scope="col" class="no-print">操作</th></tr></thead>
<tbody>
${v.staff.map((s) => {
  const failed = v.changeForm?.userId === s.userId ? v.changeForm.state : undefined;
  const state: FormState = failed ?? { values: { role: s.role, departmentId: s.departmentId, memberId: s.memberId }, errors: {} };
  return html`<tr>
<td>${s.name}</td><td>${s.kana}</td><td>${s.userId}</td><td>${roleOf(v, s)}</td><td>${s.title ?? ''}</td><td>${s.email}</td><td>${s.disabled ? '無効' : '有効'}</td>
<td class="no-print">${
    s.disabled
      ? ''
      : html`<details${failed ? html` open` : ''}><summary>変更</summary>
<form method="post" action="${href('StaffSave', { councilId: v.council.councilId, userId: s.userId })}" class="stacked" novalidate>${csrfField()}
${errorSummary(state, { scope: s.userId })}
<input type="hidden" name="version" value="${s.version}">
${selectField(state, { name: 'role', label: '役割', options: ROLE_OPTIONS, required: true, scope: s.userId })}
${selectField(state, { name: 'departmentId', label: '課(所管課の職員)', options: departments, blank: '—', scope: s.userId })}
${selectField(state, { name: 'memberId', label: '委員名簿(委員)', options: members, blank: '—', scope: s.userId })}
<button type="submit">変更を保存する</button>
</form>
${
  s.userId === v.viewer.userId
    ? ''
    : html`<form method="post" action="${href('StaffDisable', { councilId: v.council.councilId, userId: s.userId })}">${csrfField()}
<input type="hidden" name="version" value="${s.version}">
<button type="submit">アカウントを無効にする</button>
</form>`
}</details>`
  }</td>
</tr>`;
})}
</tbody>
</table>
<h2 id="invite">職員を招待する</h2>
<form method="post" action="${href('StaffInvite', v.council)}" class="stacked" novalidate>${csrfField()}
${errorSummary(v.inviteForm)}
${textField(v.inviteForm, { name: 'userId', label: '利用者ID', required: true, hint: '半角英数字・ハイフン・下線。サインインに使います', autocomplete: 'off' })}
${textField(v.inviteForm, { name: 'name', label: '氏名', required: true, autocomplete: 'off' })}
${textField(v.inviteForm, { name: 'kana', label: 'ふりがな', required: true, hint: 'ひらがなで入力' })}
${textField(v.inviteForm, { name: 'email', label: 'メールアドレス', type: 'email', required: true })}
${selectField(v.inviteForm, { name: 'role', label: '役割', options: ROLE_OPTIONS, required: true, blank: '選んでください' })}
${selectField(v.inviteForm, { name: 'departmentId', label: '課(所管課の職員)', options: departments, blank: '—' })}
${selectField(v.inviteForm, { name: 'memberId', label: '委員名簿(委員)', options: members, blank: '—' })}
${textField(v.inviteForm, { name: 'title', label: '役職', hint: '例:主査' })}
<button type="submit">招待する</button>
</form>`,
  });
}
