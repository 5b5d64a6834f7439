import type { Council } from '#shared/domain/council.ts';
import { archivePercent, type CouncilArchive, OPERATOR_ACTIONS, type OperatorAuditEvent } from '#shared/domain/council-archive.ts';
import { formatTokyoDateTime } from '#shared/domain/era.ts';
import type { Principal } from '#shared/domain/principal.ts';
import type { StaffMember } from '#shared/domain/staff.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, selectField, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export const ADMIN_NOTICES = {
  suspended: '審議会の利用を停止しました。職員はサインインできなくなり、開いていたセッションは終了しました。',
  deleting: '審議会の削除を始めました。すべてのデータとファイルを消し終えると、一覧から消えます。',
} as const;

export interface AdminCouncilsView {
  viewer: Principal;
  notice?: keyof typeof ADMIN_NOTICES | undefined;
  councils: Council[];
  /** The operator's latest actions, newest first (kept outside every council). */
  trail?: OperatorAuditEvent[] | undefined;
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
    html`<tr><td>${c.name}</td><td>${c.councilId}</td><td>${c.municipality}</td><td>${c.secretariatEmail}</td><td>${c.deletingAt ? '削除中' : c.suspendedAt ? '停止中' : '利用中'}</td><td class="no-print">${
      c.suspendedAt
        ? ''
        : html`<form method="post" action="${href('AdminCouncilSuspend', { councilId: c.councilId })}">${csrfField()}<button type="submit" aria-label="${c.name}の利用を停止する">利用を停止する</button></form>`
    }${
      c.deletingAt
        ? ''
        : html`<form method="post" action="${href('AdminCouncilArchive', { councilId: c.councilId })}">${csrfField()}<button type="submit" aria-label="${c.name}のデータを書き出す">データを書き出す</button></form>`
    }<a href="${href('AdminCouncilDeleteConfirm', { councilId: c.councilId })}" aria-label="${c.name}を削除する">削除…</a></td></tr>`,
)}
</tbody>
</table>
${
  v.trail?.length
    ? html`<h2 id="trail">運用管理者の操作の記録(新しい順)</h2>
<table>
<thead><tr><th scope="col">日時</th><th scope="col">審議会</th><th scope="col">操作</th><th scope="col">操作した人</th><th scope="col">内容</th></tr></thead>
<tbody>${v.trail.map(
        (e) =>
          html`<tr><td>${formatTokyoDateTime(e.at)}</td><td>${e.councilName}(${e.councilId})</td><td>${OPERATOR_ACTIONS[e.action]}</td><td>${e.actor.name}</td><td>${e.detail ?? ''}</td></tr>`,
      )}</tbody>
</table>`
    : ''
}
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

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** A council's archive in the making; the page refreshes itself every two seconds until it is done or failed (no script). */
export function archivePage(v: { viewer: Principal; council: Council; archive: CouncilArchive }): string {
  const a = v.archive;
  const running = a.status === 'pending' || a.status === 'running';
  const percent = archivePercent(a);
  const at = { councilId: v.council.councilId };
  const body = html`<p><a href="${href('AdminCouncils', {})}">← 審議会の一覧へ戻る</a></p>
<p role="status">${a.progress}(${percent}%)</p>
<progress max="100" value="${percent}">${percent}%</progress>
<dl class="facts">
<dt>読み込んだ範囲</dt><dd>${a.partitionsTotal ? `${a.partitionsDone} / ${a.partitionsTotal}` : '確認中'}</dd>
<dt>項目</dt><dd>${a.items} 件</dd>
<dt>添付ファイル</dt><dd>${a.files} 件</dd>
</dl>
${
  a.status === 'done'
    ? html`<p><a class="button" id="archive-download" href="${href('AdminCouncilArchiveDownload', { ...at, archiveId: a.archiveId })}">${a.fileName ?? 'データ'}をダウンロード(${sizeText(a.size ?? 0)})</a></p>
<p>ZIP には、Excel で開ける一覧(CSV)、保存されているすべての項目(JSON)、添付ファイルが入っています。${a.downloadedAt ? html`(${formatTokyoDateTime(a.downloadedAt)}にダウンロード済み)` : ''}</p>`
    : ''
}
${
  a.status === 'failed'
    ? html`<div class="notice error" role="alert">書き出しに失敗しました(${a.progress})。審議会のデータは変わっていません。</div>
<form method="post" action="${href('AdminCouncilArchive', at)}" class="no-print">${csrfField()}<button type="submit">もう一度書き出す</button></form>`
    : ''
}`;
  const page = layout({ title: `${v.council.name} データの書き出し`, principal: v.viewer, body });
  return running ? page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<meta http-equiv="refresh" content="2">') : page;
}

/** The deletion's confirmation: refused with its reason until the archive was taken; then the council's name, typed. */
export function deleteCouncilPage(v: {
  viewer: Principal;
  council: Council;
  archives: CouncilArchive[];
  refusal: string | undefined;
  form?: FormState | undefined;
}): string {
  const state = v.form ?? emptyForm();
  const at = { councilId: v.council.councilId };
  const latest = v.archives[0];
  return layout({
    title: `${v.council.name}の削除`,
    principal: v.viewer,
    body: html`<p><a href="${href('AdminCouncils', {})}">← 審議会の一覧へ戻る</a></p>
<p>審議会を削除すると、諮問、会議、答申、履行確認、委員、職員、添付ファイルなど、この審議会のすべてのデータが消え、元に戻せません。職員のセッションと、メールで送ったリンクも使えなくなります。運用管理者の操作の記録は残ります。</p>
${
  latest
    ? html`<p>最新の書き出し:${formatTokyoDateTime(latest.requestedAt)}(${latest.status === 'done' ? (latest.downloadedAt ? 'ダウンロード済み' : '未ダウンロード') : latest.progress}) <a href="${href('AdminCouncilArchiveStatus', { ...at, archiveId: latest.archiveId })}">書き出しを開く</a></p>`
    : html`<p>まだ書き出していません。</p>`
}
${
  v.refusal
    ? html`<div class="notice error" role="alert" id="delete-refused">${v.refusal}</div>`
    : html`${v.council.deletingAt ? html`<div class="notice" role="status">削除を処理中です。しばらくたっても一覧から消えないときは、もう一度削除してください。</div>` : ''}
<form method="post" action="${href('AdminCouncilDelete', at)}" class="stacked" novalidate>${csrfField()}
${errorSummary(state)}
${textField(state, { name: 'confirmName', label: '確認のため、削除する審議会の名称を入力してください', required: true, autocomplete: 'off', hint: `「${v.council.name}」` })}
<button type="submit" class="danger">この審議会を削除する</button>
</form>`
}`,
  });
}
