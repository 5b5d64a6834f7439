import { type Answer, answerSections, conclusionOf, isApproved, signatureOf } from '#shared/domain/answer.ts';
import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export const ANSWER_NOTICES = { approved: '答申を承認しました。所管課へ送付します。' } as const;

/** 答申書, laid out as the document the council sends: printable as it is. A draft shows the review form above it. */
export function answerPage(v: {
  viewer: Principal;
  consultation: Consultation;
  answer: Answer;
  /** Set while the draft awaits approval and the viewer may approve it. */
  review?: { pattern: string } | undefined;
  approval?: FormState | undefined;
  notice?: keyof typeof ANSWER_NOTICES | undefined;
}): string {
  const a = v.answer;
  const number = a.number ? formatConsultationNumber(a.number) : '';
  const sections = answerSections(a);
  const draft = !isApproved(a);
  const form = v.approval ?? emptyForm({ issuedOn: a.issuedOn });
  return layout({
    title: `${draft ? '答申案' : '答申書'}:${a.title}`,
    principal: v.viewer,
    body: html`<p class="no-print"><a href="${href('ConsultationView', v.consultation)}">← 諮問へ戻る</a> ・ <a href="${href('AnswerDocx', v.consultation)}" download>Word ファイルで保存する</a> ・ 印刷するとこの文書だけが出力されます。</p>
${v.notice ? html`<p class="notice no-print" role="status">${ANSWER_NOTICES[v.notice]}</p>` : ''}
${
  draft && v.review
    ? html`<section class="no-print" aria-labelledby="review-h">
<h2 id="review-h">答申案の確認と承認</h2>
<p>審議の結果から作成した答申案です。内容を確認し、答申日を決めて承認してください。承認すると文書番号(${v.review.pattern.replace('{n}', 'N')})が付き、所管課へ送付されます。</p>
${errorSummary(form)}
<form method="post" action="${href('AnswerApprove', v.consultation)}" class="stacked" novalidate>${csrfField()}
${textField(form, { name: 'issuedOn', label: '答申日', type: 'date', required: true, hint: `審議の日(${a.decidedOn ? formatEraDate(a.decidedOn, { weekday: false }) : '—'})以降` })}
${
  v.viewer.role === 'secretariat'
    ? html`<p><label><input type="checkbox" name="onInstruction" value="yes"${form.values['onInstruction'] === 'yes' ? ' checked' : ''}${form.errors['onInstruction'] ? html` aria-invalid="true" aria-describedby="f-onInstruction-error"` : ''} id="f-onInstruction"> 会長の指示により、事務局が承認します</label></p>
${form.errors['onInstruction'] ? html`<p class="field-error" id="f-onInstruction-error">${form.errors['onInstruction']}</p>` : ''}`
    : ''
}
<p><button type="submit">答申を承認して送付する</button></p>
</form>
</section>`
    : draft
      ? html`<p class="notice no-print" role="status">この答申案は会長の承認を待っています。承認されると所管課へ送付されます。</p>`
      : ''
}
<article class="answer"${draft ? html` aria-label="答申案"` : ''}>
${draft ? html`<p class="draft-mark">(案)</p>` : ''}
<p style="text-align:right">${a.documentNumber ?? ''}${a.documentNumber ? html`<br>` : ''}${formatEraDate(a.issuedOn, { weekday: false })}</p>
<p>${a.addressee} 様</p>
<p style="text-align:right">${a.councilName}<br>${signatureOf(a)}</p>
<h2 style="text-align:center;border:0">個人情報の取扱いについて(答申)</h2>
<p>${a.submittedAt ? `${formatEraDate(new Date(a.submittedAt), { weekday: false })}付けで` : ''}諮問のあった「${a.title}」(${number})について、下記のとおり答申します。</p>
${a.consulted?.length ? html`<p class="consulted">${a.consulted.map((line, i) => html`${i ? html`<br>` : ''}${line}`)}</p>` : ''}
<p style="text-align:center">記</p>
<h3>1 審議会の結論</h3>
<p>${conclusionOf(a)}</p>
${sections.conditions ? html`<h3>${sections.conditions} 条件</h3><ol>${a.conditions.map((c) => html`<li>${c}</li>`)}</ol>` : ''}
${sections.opinions ? html`<h3>${sections.opinions} 意見</h3><ol>${(a.opinions ?? []).map((c) => html`<li>${c}</li>`)}</ol>` : ''}
${sections.history ? html`<h3>${sections.history} 審議の経過</h3><p>${a.meetingDate ? formatEraDate(a.meetingDate) : ''} ${a.meetingName}において審議した。</p>` : ''}
<p style="text-align:right">以上</p>
</article>`,
  });
}
