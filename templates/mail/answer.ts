import { html } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import { ANSWER_CONCLUSIONS, type Answer } from '#shared/domain/answer.ts';
import type { Council } from '#shared/domain/council.ts';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import { letter } from './layout.ts';

/** To the department: the council has answered its consultation. */
export function answerIssuedMail(v: { council: Council; to: string[]; answer: Answer; url: string }): Mail {
  const a = v.answer;
  const number = a.number ? formatConsultationNumber(a.number) : '';
  const subject = `【${v.council.name}】答申:${number} ${a.title}`;
  const conditions = a.conditions.map((c, i) => `(${i + 1}) ${c}`).join('\n');
  const text = `ご担当者 様

諮問「${a.title}」(${number})について、${a.meetingName ?? v.council.name}での審議の結果、次のとおり答申しました。

結論:${ANSWER_CONCLUSIONS[a.outcome]}
${conditions ? `\n条件:\n${conditions}\n\n付された条件は、履行状況を審議会に報告していただきます。\n` : ''}
答申書はこちらから確認・印刷できます:
${v.url}
`;
  return letter(v.council, { to: v.to, subject, text, html: html`<p>ご担当者 様</p>
<p>諮問「${a.title}」(${number})について、${a.meetingName ?? v.council.name}での審議の結果、次のとおり答申しました。</p>
<p><strong>結論:</strong>${ANSWER_CONCLUSIONS[a.outcome]}</p>
${a.conditions.length ? html`<p><strong>条件</strong></p><ol>${a.conditions.map((c) => html`<li>${c}</li>`)}</ol><p>付された条件は、履行状況を審議会に報告していただきます。</p>` : ''}
<p><a href="${v.url}">答申書を開く</a></p>` });
}
