import { type Council, MEMBER_CATEGORIES, type Member, OFFICE_LABELS, officeOf } from '#shared/domain/council.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, selectField, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

const CATEGORY_OPTIONS = Object.entries(MEMBER_CATEGORIES) as [string, string][];

export const NOTICES = {
  added: '委員を登録し、本人に登録のお知らせを送信しました。',
  saved: '委員の情報を保存しました。',
  offices: '会長・副会長を更新しました。',
  links_revoked: 'この委員にこれまで送った表決のリンクを無効にしました。これから送るお知らせには新しいリンクが入ります。',
  links_resent: '表決中の書面審議のリンクを、この委員にあらためて送りました。',
  links_none: 'この委員が表決できる書面審議は、いまはありません。リンクは送っていません。',
} as const;
export type Notice = keyof typeof NOTICES;

export interface RosterView {
  council: Council;
  members: Member[];
  viewer: Principal;
  notice?: Notice | undefined;
  /** The add form: fresh (with a new request id) or as submitted with its errors. */
  addForm: FormState;
  officesForm?: FormState;
}

/** 委員名簿: everyone of the council may read it; only the secretariat sees addresses and edits. */
export function membersPage(v: RosterView): string {
  const editable = v.viewer.role === 'secretariat';
  return layout({
    title: `${v.council.name} 委員名簿`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${NOTICES[v.notice]}</div>` : ''}
<p>${v.council.municipality} ・ 委員 ${v.members.length}名 ・ 問い合わせ先:${v.council.contact}</p>
<table class="roster">
<thead><tr><th scope="col" class="nowrap">役職</th><th scope="col">氏名</th><th scope="col">ふりがな</th><th scope="col">区分</th><th scope="col">所属・役職</th>${
      editable ? html`<th scope="col">メールアドレス</th><th scope="col" class="no-print">操作</th>` : ''
    }</tr></thead>
<tbody>
${v.members.map(
  (m) => html`<tr>
<td class="nowrap">${OFFICE_LABELS[officeOf(v.council, m.memberId)]}</td><td class="nowrap">${m.name}</td><td>${m.kana}</td><td>${MEMBER_CATEGORIES[m.category]}</td><td>${m.affiliation ?? ''}</td>${
    editable
      ? html`<td>${m.email}</td><td class="no-print"><a href="${href('MemberEdit', { councilId: v.council.councilId, memberId: m.memberId })}">編集</a></td>`
      : ''
  }
</tr>`,
)}
</tbody>
</table>
${editable ? officesSection(v) : ''}
${editable ? addSection(v) : ''}`,
  });
}

function officesSection(v: RosterView) {
  const state = v.officesForm ?? emptyForm({ chairMemberId: v.council.chairMemberId, viceChairMemberId: v.council.viceChairMemberId });
  const options = v.members.map((m) => [m.memberId, m.name] as const);
  return html`<h2>会長・副会長</h2>
<form method="post" action="${href('OfficesSave', v.council)}" class="stacked">${csrfField()}
${errorSummary(state)}
<input type="hidden" name="version" value="${v.council.version}">
${selectField(state, { name: 'chairMemberId', label: '会長', options, blank: '(空席)' })}
${selectField(state, { name: 'viceChairMemberId', label: '副会長', options, blank: '(空席)' })}
<button type="submit">会長・副会長を更新する</button>
</form>`;
}

function addSection(v: RosterView) {
  return html`<h2 id="add">委員を登録する</h2>
<form method="post" action="${href('MemberAdd', v.council)}" class="stacked" novalidate>${csrfField()}
${errorSummary(v.addForm)}
<input type="hidden" name="requestId" value="${String(v.addForm.values['requestId'] ?? '')}">
${memberFields(v.addForm)}
<button type="submit">登録して本人に知らせる</button>
</form>`;
}

/** The fields shared by the add and edit forms, from the one member schema. */
export function memberFields(state: FormState) {
  return html`${textField(state, { name: 'name', label: '氏名', required: true, autocomplete: 'off' })}
${textField(state, { name: 'kana', label: 'ふりがな', required: true, hint: 'ひらがなで入力' })}
${selectField(state, { name: 'category', label: '区分', options: CATEGORY_OPTIONS, required: true, blank: '選んでください' })}
${textField(state, { name: 'affiliation', label: '所属・役職', hint: '例:○○大学法学部教授' })}
${textField(state, { name: 'email', label: 'メールアドレス', type: 'email', required: true, hint: '表決の依頼や資料の送付に使います' })}`;
}

export function memberEditPage(v: { council: Council; member: Member; viewer: Principal; form: FormState }): string {
  return layout({
    title: `委員の編集:${v.member.name}`,
    principal: v.viewer,
    body: html`<p><a href="${href('MembersList', v.council)}">← ${v.council.name} 委員名簿へ戻る</a></p>
<form method="post" action="${href('MemberSave', { councilId: v.council.councilId, memberId: v.member.memberId })}" class="stacked" novalidate>${csrfField()}
${errorSummary(v.form)}
<input type="hidden" name="version" value="${String(v.form.values['version'] ?? v.member.version)}">
${memberFields(v.form)}
<button type="submit">保存する</button>
</form>
<h2>表決のリンク</h2>
<p>退任したとき、またはリンクが他の人に転送されたときは、この委員にこれまでメールで送った表決のリンクをすべて無効にできます。無効にしたリンクを開くと、その旨の案内が表示されます。</p>
<form method="post" action="${href('MemberLinksRevoke', { councilId: v.council.councilId, memberId: v.member.memberId })}">${csrfField()}
<button type="submit">送ったリンクをすべて無効にする</button>
</form>
<p>表決中の書面審議があれば、この委員に新しいリンクをメールで送り直せます(無効にした後や、メールが届かなかったとき)。評価書の点検のリンクは、その点検のページから送り直せます。</p>
<form method="post" action="${href('MemberLinksResend', { councilId: v.council.councilId, memberId: v.member.memberId })}">${csrfField()}
<button type="submit" class="secondary">表決のリンクを送り直す</button>
</form>`,
  });
}
