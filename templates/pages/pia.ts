import { ACCEPTED_EXTENSIONS, type DirectUpload, MAX_ATTACHMENT_BYTES } from '#shared/domain/attachments.ts';
import { type Council, type Department, type Member, OFFICE_LABELS, officeOf } from '#shared/domain/council.ts';
import { formatEraDate, formatTokyoDateTime } from '#shared/domain/era.ts';
import {
  MAX_COMMENT,
  PIA_REQUIREMENT_LABELS,
  PIA_STATUS_LABELS,
  PIA_TYPES,
  PIA_VERDICTS,
  type PiaAuditEvent,
  type PiaComment,
  type PiaReview,
  type PiaVerdict,
} from '#shared/domain/pia.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, fieldId, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

const yen = (n: number) => n.toLocaleString('ja-JP');
const day = (d: string | undefined) => (d ? formatEraDate(d, { weekday: false }) : '—');

/** Notices a review page shows after a step (?notice=…). */
export const PIA_NOTICES = {
  created: '点検の記録を作成しました。評価書をアップロードしてください。',
  uploaded: 'ファイルを受け付けました。版の日付と変更内容を入力して登録してください。',
  version: '評価書の版を登録しました。',
  sections: '評価書の項目を保存しました。',
  opened: '委員による点検を始めました。各委員に点検のリンクをメールで送りました。',
  resent: '委員に点検のリンクを送り直しました。以前のリンクも、無効にしていなければ引き続き使えます。',
  closed: '委員による点検を締め切りました。意見案を作成してください。',
  saved: '意見案を保存しました。',
  submitted: '意見案を会長の承認に回しました。',
  reopened: '意見案を修正できるようにしました。',
  approved: '意見を承認しました。文書番号を付けて所管課へ送付しました。',
  step: '記録しました。',
} as const;
export type PiaNotice = keyof typeof PIA_NOTICES;

/** The forms of a review page, each shown again with its errors when refused. */
export type PiaForm = 'sections' | 'version' | 'open' | 'opinion' | 'approve' | 'public_comment' | 'submitted' | 'published' | 'major_change';

function radios(s: FormState, name: string, legend: string, options: readonly (readonly [string, string])[]): SafeHtml {
  const id = fieldId(name);
  const error = s.errors[name];
  return html`<fieldset id="${id}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}><legend>${legend} <span class="hint">(必須)</span></legend>
${options.map(([value, label]) => html`<label class="choice"><input type="radio" name="${name}" value="${value}"${s.values[name] === value ? html` checked` : ''}> ${label}</label>`)}
${fieldError(s, name)}</fieldset>`;
}

// ── The list ────────────────────────────────────────────────────────────────────────────

export function piaListPage(v: { viewer: Principal; reviews: PiaReview[]; departments: Department[]; state?: FormState | undefined }): string {
  const s = v.state ?? emptyForm({ seriousIncident: 'no' });
  const dept = (id: string) => v.departments.find((d) => d.departmentId === id)?.name ?? '';
  return layout({
    title: '特定個人情報保護評価書の第三者点検',
    principal: v.viewer,
    body: html`<p>番号法第28条により、全項目評価を行う特定個人情報ファイルについては、評価書を個人情報保護委員会に提出する前に、審議会による第三者点検を受けます。再評価は提出から5年以内(重要な変更の前)に行います。</p>
${
  v.reviews.length
    ? html`<table><thead><tr><th>評価対象の事務</th><th>所管課</th><th>評価書の種類</th><th>状況</th><th>再評価の期限</th></tr></thead><tbody>
${v.reviews.map(
  (r) =>
    html`<tr><td><a href="${href('PiaView', r)}">${r.businessName}</a></td><td>${dept(r.departmentId)}</td><td>${PIA_TYPES[r.evaluationType]}</td><td><span class="status">${PIA_STATUS_LABELS[r.status]}</span></td><td>${day(r.reevaluationDue)}</td></tr>`,
)}
</tbody></table>`
    : html`<p class="muted">点検の記録はまだありません。</p>`
}
${
  v.viewer.role === 'department'
    ? html`<h2>点検の記録を作成する</h2>
<form method="post" action="${href('PiaCreate', v.viewer)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${textField(s, { name: 'businessName', label: '評価対象の事務の名称', required: true, hint: '例:住民基本台帳に関する事務' })}
${selectField(s, { name: 'evaluationType', label: '評価書の種類', required: true, blank: '選んでください', options: Object.entries(PIA_TYPES) })}
<h3>しきい値判断</h3>
<p class="hint">対象人数・取扱者数・重大事故の有無から、実施すべき評価を判定します(特定個人情報保護評価指針)。選んだ種類がそれより簡易なときは受け付けません。</p>
${textField(s, { name: 'subjects', label: '対象人数(人)', required: true, type: 'number' })}
${textField(s, { name: 'handlers', label: '取扱者数(人)', required: true, type: 'number' })}
${radios(s, 'seriousIncident', '過去1年以内の特定個人情報に関する重大事故', [
  ['no', 'なし'],
  ['yes', 'あり'],
])}
<button type="submit">作成する</button>
</form>`
    : ''
}`,
  });
}

// ── A review ────────────────────────────────────────────────────────────────────────────

export interface PiaPageProps {
  viewer: Principal;
  council: Council;
  review: PiaReview;
  department: Department | undefined;
  members: Member[];
  comments: PiaComment[];
  trail: PiaAuditEvent[];
  upload: DirectUpload | undefined;
  draft: { verdict: PiaVerdict | undefined; summary: string; findings: string[] } | undefined;
  today: string;
  notice?: PiaNotice | undefined;
  error?: string | undefined;
  forms?: Partial<Record<PiaForm, FormState>>;
}

function overview(r: PiaReview, department: Department | undefined): SafeHtml {
  const t = r.threshold;
  return html`<dl class="sheet">
<dt>評価対象の事務</dt><dd>${r.businessName}</dd>
<dt>所管課</dt><dd>${department?.name ?? ''}</dd>
<dt>評価書の種類</dt><dd>${PIA_TYPES[r.evaluationType]}</dd>
<dt>しきい値判断</dt><dd>対象人数 ${yen(t.subjects)}人・取扱者数 ${yen(t.handlers)}人・重大事故 ${t.seriousIncident ? 'あり' : 'なし'}<br>→ <strong>${PIA_REQUIREMENT_LABELS[t.required]}</strong></dd>
<dt>状況</dt><dd><span class="status">${PIA_STATUS_LABELS[r.status]}</span></dd>
${r.review ? html`<dt>委員による点検</dt><dd>${formatTokyoDateTime(r.review.openedAt)} 開始・期限 ${day(r.review.deadline)}${r.review.closedAt ? html`・${formatTokyoDateTime(r.review.closedAt)} 締切` : ''}</dd>` : ''}
<dt>再評価の期限</dt><dd>${r.reevaluationDue ? html`<strong>${day(r.reevaluationDue)}</strong>` : '提出日の記録後に決まります(提出日から5年後)'}</dd>
</dl>`;
}

function versionsPart(v: PiaPageProps, owner: boolean): SafeHtml {
  const r = v.review;
  const s = v.forms?.version ?? emptyForm({ date: v.today, note: r.versions.length ? '' : '初版' });
  return html`<h2>評価書(版)</h2>
${
  r.versions.length
    ? html`<table><thead><tr><th>版</th><th>日付</th><th>変更内容</th><th>ファイル</th></tr></thead><tbody>
${r.versions.map(
  (x) =>
    html`<tr><td class="nowrap">第${x.n}版</td><td class="nowrap">${day(x.date)}</td><td class="pre">${x.note}</td><td><a href="${href('PiaVersionFile', { ...r, n: String(x.n) })}">${x.fileName}</a></td></tr>`,
)}
</tbody></table>`
    : html`<p class="muted">評価書はまだ提出されていません。</p>`
}
${
  owner && r.pendingFile
    ? html`<h3>第${r.versions.length + 1}版として登録する</h3>
<p>アップロードしたファイル:${r.pendingFile.fileName}</p>
<form method="post" action="${href('PiaVersionAdd', r)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${textField(s, { name: 'date', label: '版の日付', type: 'date', required: true })}
${textArea(s, { name: 'note', label: '変更内容', required: true, hint: '第1版は「初版」など', rows: 3 })}
<button type="submit">登録する</button>
</form>`
    : ''
}
${
  owner && v.upload
    ? html`<h3>${r.versions.length ? '新しい版をアップロードする' : '評価書をアップロードする'}</h3>
<form method="post" action="${v.upload.url}" enctype="multipart/form-data" class="stacked">
${Object.entries(v.upload.fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
<label for="file">ファイル <span class="hint">PDF、Word、Excel(${MAX_ATTACHMENT_BYTES / 1024 / 1024}MBまで)。アップロードの後、版の日付と変更内容を入力して登録します。</span></label>
<input id="file" type="file" name="file" accept="${ACCEPTED_EXTENSIONS.join(',')}" required>
<button type="submit">アップロードする</button>
</form>`
    : ''
}`;
}

function sectionsPart(v: PiaPageProps, editable: boolean): SafeHtml {
  const r = v.review;
  const s = v.forms?.sections ?? emptyForm({ sections: r.sections.join('\n') });
  return html`<h2>評価書の項目</h2>
<ol>${r.sections.map((x) => html`<li>${x}</li>`)}</ol>
${
  editable
    ? html`<form method="post" action="${href('PiaSections', r)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${textArea(s, { name: 'sections', label: '項目(1行に1つ)', hint: '委員は項目ごとに意見を書きます。点検が始まると変えられません。', rows: 7 })}
<button type="submit" class="secondary">項目を保存する</button>
</form>`
    : ''
}`;
}

function reviewPart(v: PiaPageProps): SafeHtml {
  const r = v.review;
  const secretariat = v.viewer.role === 'secretariat';
  if (r.status === 'preparing') {
    if (!secretariat) return html``;
    const s = v.forms?.open ?? emptyForm();
    return html`<h2>委員による点検</h2>
<form method="post" action="${href('PiaOpen', r)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
<p>点検を始めると、委員全員に、評価書と項目ごとの意見欄を開く本人専用のリンクをメールで送ります。</p>
${textField(s, { name: 'deadline', label: '点検の期限', type: 'date', required: true })}
<button type="submit">点検を始める</button>
</form>`;
  }
  const byMember = new Map(v.comments.map((c) => [c.memberId, c]));
  const name = (m: Member) => `${m.name} ${OFFICE_LABELS[officeOf(v.council, m.memberId)]}`;
  const invited = v.members.filter((m) => r.review?.memberIds.includes(m.memberId));
  const state = (m: Member) => (byMember.has(m.memberId) ? `入力済み(${formatTokyoDateTime(byMember.get(m.memberId)!.savedAt)})` : '未入力');
  // While the review runs, the secretariat can mail a member a new link (their links revoked, or the mail lost).
  const resend = (m: Member) =>
    secretariat && r.status === 'reviewing'
      ? html` <form method="post" action="${href('PiaLinkResend', { ...r, memberId: m.memberId })}" class="inline">${csrfField()}<button type="submit" class="secondary" aria-label="${m.name} 委員に点検のリンクを再送する">リンクを再送</button></form>`
      : '';
  return html`<h2>委員の意見</h2>
<ul>${invited.map((m) => html`<li>${name(m)}:${state(m)}${resend(m)}</li>`)}</ul>
${r.sections.map((section, i) => {
  const said = v.comments.filter((c) => c.comments[i]);
  return html`<h3>${section}</h3>
${said.length ? html`<ul>${said.map((c) => html`<li><strong>${c.memberName} 委員</strong>:<span class="pre">${c.comments[i]}</span></li>`)}</ul>` : html`<p class="muted">意見はありません。</p>`}`;
})}
${
  secretariat && r.status === 'reviewing'
    ? html`<form method="post" action="${href('PiaClose', r)}">${csrfField()}<button type="submit">点検を締め切って意見案を作る</button></form>`
    : ''
}`;
}

function opinionText(r: PiaReview): SafeHtml {
  const o = r.opinion!;
  return html`<article class="answer">
${o.documentNumber ? html`<p style="text-align:right">${o.documentNumber}<br>${day(o.issuedOn)}</p>` : html`<p class="muted">(案)</p>`}
<p>意見:<strong>${PIA_VERDICTS[o.verdict]}</strong></p>
${o.summary ? html`<p class="pre">${o.summary}</p>` : ''}
<ol>${r.sections.map((s, i) => html`<li>${s}<br><span class="pre">${o.findings[i] || '指摘事項なし'}</span></li>`)}</ol>
</article>`;
}

function opinionPart(v: PiaPageProps): SafeHtml {
  const r = v.review;
  const role = v.viewer.role;
  if (r.status === 'drafting' && role === 'secretariat' && v.draft) {
    const s =
      v.forms?.opinion ??
      emptyForm({ verdict: v.draft.verdict, general: v.draft.summary, ...Object.fromEntries(v.draft.findings.map((f, i) => [`f${i}`, f])) });
    return html`<h2>審議会の意見(案)</h2>
<form method="post" action="${href('PiaOpinionSave', r)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${radios(s, 'verdict', '意見', Object.entries(PIA_VERDICTS))}
${textArea(s, { name: 'general', label: '総評', rows: 4 })}
${r.sections.map((section, i) => textArea(s, { name: `f${i}`, label: `指摘事項:${section}`, hint: '委員の意見から下書きしています。編集してください。', rows: 4 }))}
<div class="actions"><button type="submit" name="intent" value="save" class="secondary">下書きを保存する</button>
<button type="submit" name="intent" value="submit">会長の承認に回す</button></div>
</form>`;
  }
  if (!r.opinion || r.status === 'drafting') return html``;
  const s = v.forms?.approve ?? emptyForm({ issuedOn: v.today });
  return html`<h2>審議会の意見</h2>
${opinionText(r)}
${r.status === 'issued' ? html`<p><a href="${href('PiaOpinionDocx', r)}">意見書(Word)をダウンロード</a>${r.opinion.mailedAt ? html`・${formatTokyoDateTime(r.opinion.mailedAt)} 所管課へ送付` : ''}</p>` : ''}
${
  r.status === 'awaiting_chair' && (role === 'chair' || role === 'secretariat')
    ? html`<form method="post" action="${href('PiaOpinionApprove', r)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${textField(s, { name: 'issuedOn', label: '意見の日付', type: 'date', required: true })}
${
  role === 'secretariat'
    ? html`<label class="choice" for="${fieldId('onInstruction')}"><input type="checkbox" id="${fieldId('onInstruction')}" name="onInstruction" value="yes"${s.values['onInstruction'] === 'yes' ? html` checked` : ''}> 会長の指示を受けて承認します</label>${fieldError(s, 'onInstruction')}`
    : ''
}
<button type="submit">承認して所管課へ送付する</button>
</form>
${role === 'secretariat' ? html`<form method="post" action="${href('PiaOpinionReopen', r)}">${csrfField()}<button type="submit" class="secondary">意見案を修正する</button></form>` : ''}`
    : ''
}`;
}

function stepForm(
  v: PiaPageProps,
  step: 'public_comment' | 'submitted' | 'published' | 'major_change',
  title: string,
  fields: (s: FormState) => SafeHtml,
): SafeHtml {
  const s = v.forms?.[step] ?? emptyForm();
  return html`<form method="post" action="${href('PiaStep', v.review)}" class="stacked" novalidate>${csrfField()}
<h3>${title}</h3>
${errorSummary(s, { scope: step })}
<input type="hidden" name="step" value="${step}">
${fields(s)}
<button type="submit" class="secondary">記録する</button>
</form>`;
}

function afterPart(v: PiaPageProps, owner: boolean): SafeHtml {
  const r = v.review;
  if (r.status !== 'issued') return html``;
  return html`<h2>意見の後の手続</h2>
<dl class="sheet">
<dt>パブリックコメント</dt><dd>${r.publicComment ? `${day(r.publicComment.from)}〜${day(r.publicComment.to)}` : '—'}</dd>
<dt>個人情報保護委員会への提出日</dt><dd>${day(r.submittedOn)}</dd>
<dt>公表日</dt><dd>${day(r.publishedOn)}</dd>
<dt>重要な変更</dt><dd>${r.majorChange ? `${day(r.majorChange.on)}:${r.majorChange.note}` : '—'}</dd>
<dt>再評価の期限</dt><dd>${day(r.reevaluationDue)}</dd>
</dl>
${
  owner
    ? html`${stepForm(
        v,
        'public_comment',
        'パブリックコメントの期間',
        (s) =>
          html`${textField(s, { name: 'from', label: '開始日', type: 'date', required: true, scope: 'public_comment' })}${textField(s, { name: 'to', label: '終了日', type: 'date', required: true, scope: 'public_comment' })}`,
      )}
${stepForm(v, 'submitted', '個人情報保護委員会への提出日', (s) => textField(s, { name: 'on', label: '提出日', type: 'date', required: true, scope: 'submitted' }))}
${stepForm(v, 'published', '公表日', (s) => textField(s, { name: 'on', label: '公表日', type: 'date', required: true, scope: 'published' }))}
${stepForm(
  v,
  'major_change',
  '重要な変更の報告(再評価が変更の前に必要になります)',
  (s) =>
    html`${textField(s, { name: 'on', label: '変更の予定日', type: 'date', required: true, scope: 'major_change' })}${textArea(s, { name: 'note', label: '変更の内容', required: true, rows: 3, scope: 'major_change' })}`,
)}`
    : ''
}`;
}

export function piaReviewPage(v: PiaPageProps): string {
  const r = v.review;
  const owner = v.viewer.role === 'department' && v.viewer.departmentId === r.departmentId;
  return layout({
    title: `評価書の第三者点検:${r.businessName}`,
    principal: v.viewer,
    body: html`<p><a href="${href('PiaList', r)}">← 点検の一覧へ</a></p>
${v.notice ? html`<div class="notice" role="status">${PIA_NOTICES[v.notice]}</div>` : ''}
${v.error ? html`<div class="notice error" role="alert">${v.error}</div>` : ''}
${overview(r, v.department)}
${versionsPart(v, owner)}
${sectionsPart(v, r.status === 'preparing' && (owner || v.viewer.role === 'secretariat'))}
${v.viewer.role === 'department' ? '' : reviewPart(v)}
${opinionPart(v)}
${afterPart(v, owner)}
<h2>操作記録</h2>
<table><thead><tr><th>日時</th><th>操作した人</th><th>操作</th><th>内容</th></tr></thead><tbody>
${v.trail.map((a) => html`<tr><td class="nowrap">${formatTokyoDateTime(a.at)}</td><td>${a.actor.name}</td><td>${a.action}</td><td>${a.detail ?? ''}</td></tr>`)}
</tbody></table>`,
  });
}

// ── A member's page, on their link ──────────────────────────────────────────────────────

export function piaLinkPage(v: {
  token: string;
  council: Council;
  member: Member;
  review: PiaReview;
  department: Department | undefined;
  mine: PiaComment | undefined;
  open: boolean;
  saved?: boolean;
  state?: FormState;
}): string {
  const r = v.review;
  const s = v.state ?? emptyForm(Object.fromEntries(r.sections.map((_, i) => [`c${i}`, v.mine?.comments[i] ?? ''])));
  const current = r.versions.at(-1);
  return layout({
    title: `評価書の点検:${r.businessName}`,
    body: html`${v.saved ? html`<div class="notice" role="status">意見を保存しました。期限までは何度でも修正できます。</div>` : ''}
<p>${v.member.name} ${OFFICE_LABELS[officeOf(v.council, v.member.memberId)]} ・ 点検の期限 ${day(r.review?.deadline)}</p>
<dl class="sheet">
<dt>評価対象の事務</dt><dd>${r.businessName}</dd>
<dt>所管課</dt><dd>${v.department?.name ?? ''}</dd>
<dt>評価書の種類</dt><dd>${PIA_TYPES[r.evaluationType]}</dd>
<dt>評価書</dt><dd>${current ? html`<a href="${href('PiaLinkFile', { token: v.token })}">第${current.n}版(${day(current.date)})${current.fileName}</a>` : 'まだありません'}</dd>
</dl>
${
  v.open
    ? html`<h2>項目ごとの意見</h2>
<form method="post" action="${href('PiaLinkSave', { token: v.token })}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${r.sections.map((section, i) => textArea(s, { name: `c${i}`, label: section, hint: `意見がなければ空欄のままで構いません(${MAX_COMMENT}文字まで)`, rows: 4 }))}
<button type="submit">意見を保存する</button>
</form>`
    : html`<p class="notice">この点検は締め切られました。</p>
${v.mine ? html`<h2>あなたの意見</h2><ol>${r.sections.map((section, i) => html`<li>${section}<br><span class="pre">${v.mine!.comments[i] || '(なし)'}</span></li>`)}</ol>` : ''}`
}`,
  });
}
