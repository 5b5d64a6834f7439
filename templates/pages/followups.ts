import { conclusionOf } from '#shared/domain/answer.ts';
import type { DirectUpload } from '#shared/domain/attachments.ts';
import { ACCEPTED_EXTENSIONS, MAX_ATTACHMENT_BYTES } from '#shared/domain/attachments.ts';
import type { ConsultationBundle } from '#shared/domain/consultation.ts';
import { CONSULTATION_STATUSES, type Consultation, DECISION_OUTCOMES, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council } from '#shared/domain/council.ts';
import { eraDateOrAsTyped, formatEraDate } from '#shared/domain/era.ts';
import { FOLLOW_UP_STATUS_LABELS, FOLLOW_UP_TYPES, type FollowUp, HISTORY_PAGE_SIZE, subjectLabel, wordingLabel } from '#shared/domain/followups.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, fieldId, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

export const FOLLOW_UP_NOTICES = {
  answered: '報告を送りました。ありがとうございました。事務局が確認します。',
  uploaded: '資料を添付しました。報告を送るときに一緒に提出されます。',
  reviewed: '確認の結果を記録しました。',
  council: '審議会の判断を記録しました。',
  planned: '報告の内容・期限を更新しました。',
} as const;
export type FollowUpNotice = keyof typeof FOLLOW_UP_NOTICES;
const notice = (n: FollowUpNotice | undefined) => (n ? html`<div class="notice" role="status">${FOLLOW_UP_NOTICES[n]}</div>` : '');

const due = (fu: FollowUp) => html`${formatEraDate(fu.due, { weekday: false })}${fu.everyMonths ? `(以後 ${fu.everyMonths}か月ごと)` : ''}`;

function conditionSheet(fu: FollowUp): SafeHtml {
  return html`<dl class="sheet">
<dt>${subjectLabel(fu)}</dt><dd>${fu.title}</dd>
<dt>${wordingLabel(fu)}</dt><dd class="pre">${fu.condition}</dd>
<dt>区分</dt><dd>${FOLLOW_UP_TYPES[fu.type].label}</dd>
<dt>報告する人</dt><dd>${fu.ownerName}${fu.owner === 'vendor' ? '(委託先)' : ''}</dd>
<dt>必要な資料</dt><dd>${fu.evidence}</dd>
<dt>期限</dt><dd>${due(fu)}</dd>
<dt>状態</dt><dd><span class="status">${FOLLOW_UP_STATUS_LABELS[fu.status]}</span></dd>
</dl>`;
}

function answersList(fu: FollowUp, evidenceHref?: (answer: number, file: number) => string): SafeHtml {
  if (fu.answers.length === 0) return html`<p class="muted">まだ報告はありません。</p>`;
  return html`${fu.answers.map(
    (a, i) => html`<h3>報告 ${a.n}(${formatEraDate(new Date(a.submittedAt), { weekday: false })}・${a.answeredBy})</h3>
<dl class="sheet">
<dt>内容</dt><dd class="pre">${a.text}</dd>
${a.count !== undefined ? html`<dt>ヒヤリハット件数</dt><dd>${a.count}件(〜${a.forDue})</dd>` : ''}
<dt>資料</dt><dd>${a.evidence.length ? a.evidence.map((e, j) => (evidenceHref ? html`<a href="${evidenceHref(i, j)}">${e.fileName}</a> ` : html`${e.fileName} `)) : 'なし'}</dd>
<dt>事務局の確認</dt><dd>${a.review ? html`${a.review.outcome === 'accepted' ? '確認済み' : '差し戻し'}${a.review.comment ? html`:<span class="pre">${a.review.comment}</span>` : ''}` : '確認中'}</dd>
</dl>`,
  )}`;
}

/** The owner's page behind the follow-up link (vendors have no accounts). */
export function followUpLinkPage(v: {
  token: string;
  council: Council;
  followUp: FollowUp;
  upload: DirectUpload | undefined;
  state?: FormState;
  notice?: FollowUpNotice | undefined;
  error?: string | undefined;
}): string {
  const fu = v.followUp;
  const s = v.state ?? emptyForm();
  return layout({
    title: `${fu.incidentId ? '再発防止策の実施報告' : '条件の履行報告'}:${fu.title}`,
    body: html`${notice(v.notice)}${v.error ? html`<div class="notice error" role="alert">${v.error}</div>` : ''}
<p>${v.council.name}からのお願いです。</p>
${conditionSheet(fu)}
${fu.comment ? html`<div class="notice error"><strong>事務局・審議会からのコメント</strong><div class="pre">${fu.comment}</div></div>` : ''}
<h2>これまでの報告</h2>
${answersList(fu)}
${
  fu.status === 'open'
    ? html`<h2>資料を添付する</h2>
${fu.pendingEvidence.length ? html`<p>添付済み(未提出):${fu.pendingEvidence.map((e) => html`${e.fileName} `)}</p>` : ''}
${
  v.upload
    ? html`<form method="post" action="${v.upload.url}" enctype="multipart/form-data" class="stacked">
${Object.entries(v.upload.fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
<label for="file">ファイル <span class="hint">PDF、Word、Excel(${MAX_ATTACHMENT_BYTES / 1024 / 1024}MBまで)</span></label>
<input id="file" type="file" name="file" accept="${ACCEPTED_EXTENSIONS.join(',')}" required>
<button type="submit" class="secondary">アップロードする</button>
</form>`
    : ''
}
<h2>報告する</h2>
<form method="post" action="${href('FollowUpAnswer', { token: v.token })}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${textField(s, { name: 'answeredBy', label: '報告者(会社名・氏名)', required: true })}
${fu.type === 'near_miss_counts' ? textField(s, { name: 'count', label: `期間中のヒヤリハット件数(〜${eraDateOrAsTyped(fu.due)})`, type: 'number', required: true }) : ''}
${textArea(s, { name: 'text', label: '報告の内容', required: true, hint: '条件をどのように満たしたか' })}
<button type="submit">報告を送る</button>
</form>`
    : html`<p class="notice">${fu.status === 'closed' ? (fu.incidentId ? 'この再発防止策は完了しました。' : 'この条件は完了しました。') : '報告は事務局で確認中です。'}</p>`
}`,
  });
}

/**
 * The required choice of a follow-up form, its ids scoped by the form (the page has two
 * `decision` fields): the group is named by its legend, says it is required, keeps the choice
 * made and carries its error.
 */
function decisionRadios(state: FormState, scope: string, legend: string, options: [string, string][]): SafeHtml {
  const id = fieldId('decision', scope);
  const error = state.errors['decision'];
  const chosen = String(state.values['decision'] ?? '');
  return html`<fieldset id="${id}" role="radiogroup" aria-required="true"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}><legend>${legend} <span class="hint">(必須)</span></legend>
${options.map(
  ([value, label]) =>
    html`<label class="choice"><input type="radio" name="decision" value="${value}"${value === chosen ? html` checked` : ''} required> ${label}</label>`,
)}
${fieldError(state, 'decision', scope)}</fieldset>`;
}

/** A follow-up for the secretariat and the owning department: answers, review, the council's word, the plan. */
export function followUpPage(v: {
  viewer: Principal;
  council: Council;
  /** The case whose answer set the condition; none for a request raised at a meeting. */
  consultation?: Consultation | undefined;
  followUp: FollowUp;
  notice?: FollowUpNotice | undefined;
  problem?: { target: 'review' | 'council' | 'plan'; state: FormState };
}): string {
  const fu = v.followUp;
  const secretariat = v.viewer.role === 'secretariat';
  const form = (target: 'review' | 'council' | 'plan', initial: FormState) => (v.problem?.target === target ? v.problem.state : initial);
  const plan = form(
    'plan',
    emptyForm({
      type: fu.type,
      owner: fu.owner,
      ownerName: fu.ownerName,
      ownerEmail: fu.ownerEmail,
      evidence: fu.evidence,
      due: fu.due,
      everyMonths: fu.everyMonths ? String(fu.everyMonths) : '',
      version: String(fu.version),
    }),
  );
  return layout({
    title: `${fu.incidentId ? '再発防止策の実施確認' : '条件の履行確認'}:${fu.title}`,
    principal: v.viewer,
    body: html`${notice(v.notice)}
<p>${
      fu.incidentId
        ? html`<a href="${href('IncidentView', { councilId: fu.councilId, incidentId: fu.incidentId })}">← 漏えい等事案へ戻る</a>`
        : fu.source
          ? html`<a href="${href('MeetingView', { councilId: fu.councilId, meetingId: fu.source.meetingId })}#line-${fu.source.itemId}">← 報告を求めた会議へ</a>`
          : html`<a href="${href('ConsultationView', fu)}">← 諮問へ戻る</a>`
    } ・ <a href="${href('FollowUpsDashboard', fu)}">履行確認の一覧</a></p>
${conditionSheet(fu)}
<h2>報告</h2>
${answersList(fu, (i, j) => href('FollowUpEvidence', { ...fu, answer: String(i), file: String(j) }))}
${
  secretariat && fu.status === 'submitted'
    ? html`<h2>事務局の確認</h2>
<form method="post" action="${href('FollowUpAct', { ...fu, action: 'review' })}" class="stacked" novalidate>${csrfField()}
${errorSummary(form('review', emptyForm()), { scope: 'review' })}
${decisionRadios(form('review', emptyForm()), 'review', '最新の報告', [
  ['accept', '確認した(審議会に報告する)'],
  ['return', '差し戻す'],
])}
${textArea(form('review', emptyForm()), { name: 'comment', label: '差し戻す理由', scope: 'review' })}
<button type="submit">記録する</button>
</form>`
    : ''
}
${
  secretariat && fu.status !== 'closed'
    ? html`<h2>審議会の判断</h2>
<form method="post" action="${href('FollowUpAct', { ...fu, action: 'council' })}" class="stacked" novalidate>${csrfField()}
${errorSummary(form('council', emptyForm()), { scope: 'council' })}
${decisionRadios(form('council', emptyForm()), 'council', '審議会で', [
  ['close', '条件の履行を確認し、完了とした'],
  ['more', '追加の報告を求めた'],
])}
${textArea(form('council', emptyForm()), { name: 'comment', label: '求める内容(追加の報告を求めるとき)', scope: 'council' })}
${textField(form('council', emptyForm()), { name: 'due', label: '新しい期限', type: 'date', scope: 'council' })}
<button type="submit">記録する</button>
</form>
<h2>報告の内容・期限</h2>
<form method="post" action="${href('FollowUpAct', { ...fu, action: 'plan' })}" class="stacked" novalidate>${csrfField()}
${errorSummary(plan)}
<input type="hidden" name="version" value="${String(plan.values['version'] ?? '')}">
${selectField(plan, { name: 'type', label: '区分', options: Object.entries(FOLLOW_UP_TYPES).map(([k, t]) => [k, t.label] as const) })}
${selectField(plan, {
  name: 'owner',
  label: '報告する人',
  options: [
    ['department', '所管課'],
    ['vendor', '委託先(所管課を通じて)'],
  ],
})}
${textField(plan, { name: 'ownerName', label: '名称' })}
${textField(plan, { name: 'ownerEmail', label: '報告依頼の送り先', type: 'email', hint: '委託先の担当者が分かればそのアドレス。所管課のアドレスなら所管課が転送します' })}
${textField(plan, { name: 'evidence', label: '必要な資料' })}
${textField(plan, { name: 'due', label: '期限', type: 'date' })}
${textField(plan, { name: 'everyMonths', label: '繰り返し(か月ごと)', type: 'number', hint: '一度きりなら空欄' })}
<button type="submit" class="secondary">更新する</button>
</form>`
    : ''
}`,
  });
}

type Counts = { open: number; due_soon: number; overdue: number; waiting_council: number };

function countsTable(title: string, rows: [string, Counts][]): SafeHtml {
  return html`<h2>${title}</h2>${
    rows.length
      ? html`<table><thead><tr><th scope="col">${title.replace('別', '')}</th><th scope="col">回答待ち</th><th scope="col">期限間近(14日以内)</th><th scope="col">期限超過</th><th scope="col">確認・報告待ち</th></tr></thead><tbody>
${rows.map(([name, c]) => html`<tr><td>${name}</td><td>${c.open}</td><td>${c.due_soon}</td><td${c.overdue ? html` style="color:var(--error);font-weight:700"` : ''}>${c.overdue}</td><td>${c.waiting_council}</td></tr>`)}
</tbody></table>`
      : html`<p class="muted">ありません。</p>`
  }`;
}

/** A bar chart of near-miss counts per period, drawn as inline SVG (prints, needs no script). */
function nearMissChart(vendor: string, series: { period: string; count: number }[]): SafeHtml {
  const max = Math.max(1, ...series.map((p) => p.count));
  const w = 60;
  const h = 120;
  return html`<figure><figcaption>${vendor}:ヒヤリハット件数の推移</figcaption>
<svg role="img" aria-label="${vendor}のヒヤリハット件数" width="${series.length * w + 20}" height="${h + 40}" viewBox="0 0 ${series.length * w + 20} ${h + 40}">
${series.map((p, i) => {
  const bh = Math.round((p.count / max) * h);
  return html`<rect x="${10 + i * w}" y="${10 + h - bh}" width="${w - 16}" height="${bh}" fill="#1f5fa8"></rect>
<text x="${10 + i * w + (w - 16) / 2}" y="${6 + h - bh}" font-size="12" text-anchor="middle">${p.count}</text>
<text x="${10 + i * w + (w - 16) / 2}" y="${h + 28}" font-size="10" text-anchor="middle">${p.period.slice(0, 7)}</text>`;
})}
</svg>
<table><thead><tr><th scope="col">期間(〜)</th><th scope="col">件数</th></tr></thead><tbody>${series.map((p) => html`<tr><td>${p.period}</td><td>${p.count}</td></tr>`)}</tbody></table>
</figure>`;
}

const BUCKET_LABELS = { open: '回答待ち', due_soon: '期限間近', overdue: '期限超過', waiting_council: '確認・報告待ち' } as const;

export function followUpDashboardPage(v: {
  viewer: Principal;
  council: Council;
  followUps: (FollowUp & { bucket: keyof typeof BUCKET_LABELS })[];
  byVendor: [string, Counts][];
  byDepartment: [string, Counts][];
  nearMiss: [string, { period: string; count: number }[]][];
  deptName: (id: string) => string;
}): string {
  const count = (b: keyof typeof BUCKET_LABELS) => v.followUps.filter((f) => f.bucket === b).length;
  return layout({
    title: `${v.council.name} 条件の履行確認`,
    principal: v.viewer,
    body: html`<p>完了していない条件 ${v.followUps.length}件:回答待ち ${count('open')}・期限間近 ${count('due_soon')}・<strong>期限超過 ${count('overdue')}</strong>・確認・報告待ち ${count('waiting_council')}</p>
${countsTable('委託先別', v.byVendor)}
${countsTable('所管課別', v.byDepartment)}
<h2>一覧(期限順)</h2>
${
  v.followUps.length
    ? html`<table><thead><tr><th scope="col">期限</th><th scope="col">諮問</th><th scope="col">条件</th><th scope="col">報告する人</th><th scope="col">状況</th></tr></thead><tbody>
${v.followUps.map(
  (f) =>
    html`<tr><td>${eraDateOrAsTyped(f.due)}</td><td>${f.title}</td><td><a href="${href('FollowUpView', f)}">${f.source ? '(報告の求め)' : f.binding === false ? '(意見)' : ''}${f.condition.slice(0, 40)}${f.condition.length > 40 ? '…' : ''}</a></td><td>${f.ownerName}</td><td><span class="status">${BUCKET_LABELS[f.bucket]}</span></td></tr>`,
)}</tbody></table>`
    : html`<p class="muted">ありません。</p>`
}
<h2>ヒヤリハット件数(委託先別)</h2>
${v.nearMiss.length ? v.nearMiss.map(([vendor, series]) => (series.length ? nearMissChart(vendor, series) : html`<p>${vendor}:まだ報告はありません。</p>`)) : html`<p class="muted">定期報告の条件はありません。</p>`}`,
  });
}

/** An imported case in a history: its outcome, and the conditions that were met before the import (they have no follow-up). */
function importedNote(imported: NonNullable<Consultation['imported']>, answer: ConsultationBundle['answer'], followUps: FollowUp[]) {
  const wordings = answer ? [...answer.conditions, ...(answer.opinions ?? [])] : [];
  const met = wordings.filter((_, i) => !followUps.some((f) => f.conditionIndex === i));
  return html`<p class="muted">過去の記録から取り込んだ諮問です(結果:${DECISION_OUTCOMES[imported.outcome]}、審議日 ${formatEraDate(imported.decidedOn, { weekday: false })})。${
    met.length ? `取込の時点で履行済み:${met.join('、')}` : ''
  }</p>`;
}

/** 個人情報取扱事務の履歴: every consultation, decision, condition and answer about one business, newest first, a page at a time. */
export function businessHistoryPage(v: {
  viewer: Principal;
  council: Council;
  businessName: string;
  businessKey: string;
  bundles: ConsultationBundle[];
  next: string | undefined;
  paged: boolean;
}): string {
  const first = href('BusinessHistory', { councilId: v.council.councilId, businessKey: v.businessKey });
  return layout({
    title: `事務の履歴:${v.businessName}`,
    principal: v.viewer,
    body: html`<p>この個人情報取扱事務について審議会が扱ったすべての記録です(新しい順、1ページ${HISTORY_PAGE_SIZE}件まで)。担当者が替わっても、承認の条件はここで引き継がれます。</p>
${v.bundles.map(
  ({ consultation: c, answer, followUps }) => html`<section>
<h2>${c.submittedAt ? formatEraDate(new Date(c.submittedAt), { weekday: false }) : ''} ${c.number ? formatConsultationNumber(c.number) : ''} <a href="${href('ConsultationView', c)}">${c.form.title}</a></h2>
<p>状態:${CONSULTATION_STATUSES[c.status]}</p>
${answer ? html`<p>答申(${formatEraDate(answer.issuedOn, { weekday: false })}${answer.meetingName ? `・${answer.meetingName}` : ''}):${conclusionOf(answer)}</p>` : ''}
${c.imported ? importedNote(c.imported, answer, followUps) : ''}
${
  followUps.length
    ? html`<table><thead><tr><th scope="col">条件</th><th scope="col">報告</th><th scope="col">状態</th></tr></thead><tbody>
${followUps.map(
  (f) =>
    html`<tr><td><a href="${href('FollowUpView', f)}">${f.condition}</a></td><td>${f.answers.map((a) => html`${formatEraDate(new Date(a.submittedAt), { weekday: false })} ${a.answeredBy}:${a.text}<br>`)}</td><td>${FOLLOW_UP_STATUS_LABELS[f.status]}</td></tr>`,
)}</tbody></table>`
    : ''
}
</section>`,
)}
${
  v.next || v.paged
    ? html`<nav class="pager no-print" aria-label="事務の履歴のページ">
${v.paged ? html`<a href="${first}">最初のページへ</a>` : ''}
${v.next ? html`<a href="${first}?after=${encodeURIComponent(v.next)}" rel="next">次へ →</a>` : ''}
</nav>`
    : ''
}`,
  });
}
