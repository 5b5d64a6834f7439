import { ANSWER_CONCLUSIONS, type Answer } from '#shared/domain/answer.ts';
import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

/** 答申書, laid out as the document the council sends: printable as it is. */
export function answerPage(v: { viewer: Principal; consultation: Consultation; answer: Answer }): string {
  const a = v.answer;
  const number = a.number ? formatConsultationNumber(a.number) : '';
  return layout({
    title: `答申書:${a.title}`,
    principal: v.viewer,
    body: html`<p class="no-print"><a href="${href('ConsultationView', v.consultation)}">← 諮問へ戻る</a> ・ <a href="${href('AnswerDocx', v.consultation)}" download>Word ファイルで保存する</a> ・ 印刷するとこの文書だけが出力されます。</p>
<article class="answer">
<p style="text-align:right">${formatEraDate(a.issuedOn, { weekday: false })}</p>
<p>${a.addressee} 様</p>
<p style="text-align:right">${a.councilName}<br>${a.chairName ? `会長 ${a.chairName}` : ''}</p>
<h2 style="text-align:center;border:0">個人情報の取扱いについて(答申)</h2>
<p>${a.submittedAt ? `${formatEraDate(new Date(a.submittedAt), { weekday: false })}付けで` : ''}諮問のあった「${a.title}」(${number})について、下記のとおり答申します。</p>
<p style="text-align:center">記</p>
<h3>1 審議会の結論</h3>
<p>${ANSWER_CONCLUSIONS[a.outcome]}</p>
${a.conditions.length ? html`<h3>2 条件</h3><ol>${a.conditions.map((c) => html`<li>${c}</li>`)}</ol>` : ''}
${a.meetingName ? html`<h3>${a.conditions.length ? '3' : '2'} 審議の経過</h3><p>${a.meetingDate ? formatEraDate(a.meetingDate) : ''} ${a.meetingName}において審議した。</p>` : ''}
<p style="text-align:right">以上</p>
</article>`,
  });
}
