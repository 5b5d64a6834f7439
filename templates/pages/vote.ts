import type { ConsultationBundle } from '#shared/domain/consultation.ts';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import { type Council, type Department, type Member, OFFICE_LABELS, officeOf } from '#shared/domain/council.ts';
import { formatEraDate, formatTokyoTime } from '#shared/domain/era.ts';
import { type AgendaItem, isBundled } from '#shared/domain/meeting.ts';
import { type Ballot, CHOICES, type VotingRound } from '#shared/domain/voting.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, textArea } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { sheet } from './consultations.ts';

/**
 * The page behind a member's voting link. Opening it records nothing (mail scanners
 * open links too); only the member's POST of the form does.
 */
export function votePage(v: {
  token: string;
  council: Council;
  member: Member;
  name: string;
  item: AgendaItem;
  round: VotingRound;
  bundles: ConsultationBundle[];
  departments: Department[];
  ballot: Ballot | undefined;
  open: boolean;
  state?: FormState;
  saved?: boolean;
}): string {
  const s = v.state ?? emptyForm(v.ballot ? { choice: v.ballot.choice, conditions: v.ballot.conditions.join('\n'), reason: v.ballot.reason } : {});
  return layout({
    title: `書面審議:${v.item.title}`,
    body: html`${v.saved ? html`<div class="notice" role="status">表決を受け付けました。期限までは変更できます。</div>` : ''}
<p>${v.member.name} ${OFFICE_LABELS[officeOf(v.council, v.member.memberId)]} ・ ${v.name} ・ 表決期限 ${formatEraDate(v.round.deadline)}</p>
${v.ballot ? html`<p class="notice">現在の表決:<strong>${CHOICES[v.ballot.choice]}</strong>(${formatTokyoTime(v.ballot.castAt)})</p>` : ''}
${v.bundles.map(
  (b) => html`<h2>${b.consultation.number ? formatConsultationNumber(b.consultation.number) : ''} ${b.consultation.form.title}</h2>
${sheet(
  b.consultation.form,
  v.departments.find((d) => d.departmentId === b.consultation.departmentId),
)}
<h3>資料</h3>
${
  b.attachments.length
    ? html`<ul>${b.attachments.map((a) => html`<li><a href="${href('VoteFile', { token: v.token, consultationId: b.consultation.consultationId, attachmentId: a.attachmentId })}">${a.label} ${a.fileName}</a></li>`)}</ul>`
    : html`<p class="muted">資料はありません。</p>`
}`,
)}
${
  v.open
    ? html`<h2>表決</h2>
<form method="post" action="${href('VoteCast', { token: v.token })}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
<fieldset id="f-choice"${s.errors['choice'] ? html` aria-invalid="true"` : ''}><legend>この諮問について${isBundled(v.item) ? '(一括諮問のすべてについて)' : ''}</legend>
${Object.entries(CHOICES).map(
  ([value, label]) =>
    html`<label class="choice"><input type="radio" name="choice" value="${value}"${s.values['choice'] === value ? html` checked` : ''}> ${label}</label>`,
)}
${fieldError(s, 'choice')}</fieldset>
${textArea(s, { name: 'conditions', label: '条件(条件付き可のとき、1行に1つ)', hint: '会長が文言をとりまとめて答申に付します' })}
${textArea(s, { name: 'reason', label: '理由(否、または利害関係で表決に加わらないとき)' })}
<button type="submit">表決する</button>
</form>`
    : html`<p class="notice">この表決は締め切られました。</p>`
}`,
  });
}
