import { html } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import type { Council } from '#shared/domain/council.ts';
import type { ConsultationForm } from '#shared/domain/consultation-form.ts';
import { TRIGGERS } from '#shared/domain/consultation-form.ts';
import { formatConsultationNumber, type ConsultationNumber } from '#shared/domain/consultation.ts';
import { letter } from './layout.ts';


/** To the secretariat: a department submitted (or resubmitted) a consultation. */
export function consultationSubmittedMail(v: {
  council: Council;
  departmentName: string;
  form: ConsultationForm;
  url: string;
  resubmission: boolean;
  response?: string | undefined;
}): Mail {
  const what = v.resubmission ? '再提出' : '提出';
  const subject = `【${v.council.name}】諮問の${what}:${v.form.title}(${v.departmentName})`;
  const triggers = v.form.triggers.map((t) => TRIGGERS[t]).join('、');
  const text = `事務局 御中

${v.departmentName}から、次の諮問が${what}されました。受付審査をお願いします。

件名:${v.form.title}
諮問の区分:${triggers}
開始予定日:${v.form.plannedStart}
${v.resubmission ? `\n差し戻しへの回答:\n${v.response ?? ''}\n` : ''}
内容の確認と受付・差し戻しはこちらから:
${v.url}
`;
  return letter(v.council, { to: [v.council.secretariatEmail], subject, text, html: html`<p>事務局 御中</p>
<p>${v.departmentName}から、次の諮問が${what}されました。受付審査をお願いします。</p>
<table style="border-collapse:collapse">
<tr><th style="text-align:left;padding-right:1em">件名</th><td>${v.form.title}</td></tr>
<tr><th style="text-align:left;padding-right:1em">諮問の区分</th><td>${triggers}</td></tr>
<tr><th style="text-align:left;padding-right:1em">開始予定日</th><td>${v.form.plannedStart}</td></tr>
</table>
${v.resubmission ? html`<p><strong>差し戻しへの回答</strong><br>${v.response ?? ''}</p>` : ''}
<p><a href="${v.url}">内容を確認し、受付・差し戻しを行う</a></p>` });
}

/** To the department: the secretariat returned the consultation for revision. */
export function consultationReturnedMail(v: { council: Council; to: string[]; title: string; comment: string; round: number; url: string }): Mail {
  const subject = `【${v.council.name}】諮問の差し戻し:${v.title}`;
  const text = `ご担当者 様

提出いただいた諮問「${v.title}」について、事務局から修正をお願いしたい点があります(第${v.round}回)。

事務局からのコメント:
${v.comment}

内容を修正し、コメントへの回答を添えて再提出してください:
${v.url}
`;
  return letter(v.council, { to: v.to, subject, text, html: html`<p>ご担当者 様</p>
<p>提出いただいた諮問「${v.title}」について、事務局から修正をお願いしたい点があります(第${v.round}回)。</p>
<p><strong>事務局からのコメント</strong></p>
<blockquote style="white-space:pre-wrap;border-left:3px solid #c9d1db;margin:0;padding-left:1em">${v.comment}</blockquote>
<p><a href="${v.url}">内容を修正して再提出する</a></p>` });
}

/** To the department: the consultation was accepted and numbered. */
export function consultationAcceptedMail(v: { council: Council; to: string[]; title: string; number: ConsultationNumber; url: string }): Mail {
  const number = formatConsultationNumber(v.number);
  const subject = `【${v.council.name}】諮問の受付:${number} ${v.title}`;
  const text = `ご担当者 様

提出いただいた諮問「${v.title}」を受け付けました。
諮問番号:${number}

審議の日程が決まりましたら、あらためてお知らせします。
${v.url}
`;
  return letter(v.council, { to: v.to, subject, text, html: html`<p>ご担当者 様</p>
<p>提出いただいた諮問「${v.title}」を受け付けました。</p>
<p>諮問番号:<strong>${number}</strong></p>
<p>審議の日程が決まりましたら、あらためてお知らせします。</p>
<p><a href="${v.url}">諮問を開く</a></p>` });
}

/** To the secretariat and the department: a consultation was withdrawn (取り下げ). */
export function caseWithdrawnMail(v: { council: Council; to: string[]; title: string; departmentName: string; reason: string; by: string; url: string }): Mail {
  const subject = `【${v.council.name}】諮問の取り下げ:${v.title}(${v.departmentName})`;
  const text = `関係者 各位

次の諮問は、${v.by}により取り下げられました。審議は行われません。

件名:${v.title}
所管課:${v.departmentName}
取り下げの理由:
${v.reason}

記録はこちらで確認できます:
${v.url}
`;
  return letter(v.council, { to: v.to, subject, text, html: html`<p>関係者 各位</p>
<p>次の諮問は、${v.by}により取り下げられました。審議は行われません。</p>
<table style="border-collapse:collapse">
<tr><th style="text-align:left;padding-right:1em">件名</th><td>${v.title}</td></tr>
<tr><th style="text-align:left;padding-right:1em">所管課</th><td>${v.departmentName}</td></tr>
</table>
<p><strong>取り下げの理由</strong></p>
<blockquote style="white-space:pre-wrap;border-left:3px solid #c9d1db;margin:0;padding-left:1em">${v.reason}</blockquote>
<p><a href="${v.url}">記録を開く</a></p>` });
}
