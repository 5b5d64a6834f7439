import { html } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import type { Council } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { FOLLOW_UP_TYPES, type FollowUp } from '#shared/domain/followups.ts';
import { letter } from './layout.ts';

const LINK_NOTE = 'このリンクはこの条件の報告専用です。アカウントは不要です。';

/** To the owner (or to the department, to forward to its vendor): please report on a condition. */
export function followUpRequestMail(v: { council: Council; followUp: FollowUp; url: string; forward: boolean; reminder?: boolean }): Mail {
  const fu = v.followUp;
  const subject = `【${v.council.name}】${v.reminder ? '(期限が近づいています)' : ''}条件の履行報告のお願い:${fu.title}(期限 ${formatEraDate(fu.due, { weekday: false })})`;
  const forward = v.forward ? `\n※この報告は委託先「${fu.ownerName}」にお願いするものです。このメールを委託先のご担当者に転送してください。\n` : '';
  const text = `${fu.ownerName} ご担当者 様
${forward}
審議会の答申に付された次の条件について、履行状況の報告をお願いします。

諮問:${fu.title}
条件:${fu.condition}
区分:${FOLLOW_UP_TYPES[fu.type].label}
必要な資料:${fu.evidence}
期限:${formatEraDate(fu.due)}${fu.everyMonths ? `(以後 ${fu.everyMonths}か月ごと)` : ''}

報告と資料の提出はこちらから:
${v.url}

${LINK_NOTE}
`;
  return letter(v.council, { to: [fu.ownerEmail], subject, text, html: html`<p>${fu.ownerName} ご担当者 様</p>
${v.forward ? html`<p><strong>この報告は委託先「${fu.ownerName}」にお願いするものです。このメールを委託先のご担当者に転送してください。</strong></p>` : ''}
<p>審議会の答申に付された次の条件について、履行状況の報告をお願いします。</p>
<table style="border-collapse:collapse">
<tr><th style="text-align:left;padding-right:1em">諮問</th><td>${fu.title}</td></tr>
<tr><th style="text-align:left;padding-right:1em">条件</th><td>${fu.condition}</td></tr>
<tr><th style="text-align:left;padding-right:1em">必要な資料</th><td>${fu.evidence}</td></tr>
<tr><th style="text-align:left;padding-right:1em">期限</th><td>${formatEraDate(fu.due)}${fu.everyMonths ? `(以後 ${fu.everyMonths}か月ごと)` : ''}</td></tr>
</table>
<p><a href="${v.url}">報告する</a></p>
<p><small>${LINK_NOTE}</small></p>` });
}

/** To the secretariat: an owner has reported. */
export function followUpAnsweredMail(v: { council: Council; followUp: FollowUp; answeredBy: string; url: string }): Mail {
  const subject = `【${v.council.name}】条件の履行報告が届きました:${v.followUp.title}`;
  const text = `事務局 御中

${v.followUp.ownerName}(${v.answeredBy})から、次の条件について報告が届きました。内容を確認してください。

条件:${v.followUp.condition}

${v.url}
`;
  return letter(v.council, { to: [v.council.secretariatEmail], subject, text, html: html`<p>事務局 御中</p><p>${v.followUp.ownerName}(${v.answeredBy})から、次の条件について報告が届きました。内容を確認してください。</p><p>条件:${v.followUp.condition}</p><p><a href="${v.url}">報告を確認する</a></p>` });
}

/** To the owner: the report was returned, or the council asks for more. */
export function followUpReturnedMail(v: { council: Council; followUp: FollowUp; comment: string; url: string }): Mail {
  const subject = `【${v.council.name}】条件の履行報告について追加のお願い:${v.followUp.title}`;
  const text = `${v.followUp.ownerName} ご担当者 様

次の条件についての報告に、追加・修正をお願いします(期限 ${formatEraDate(v.followUp.due)})。

条件:${v.followUp.condition}
コメント:
${v.comment}

${v.url}
`;
  return letter(v.council, { to: [v.followUp.ownerEmail], subject, text, html: html`<p>${v.followUp.ownerName} ご担当者 様</p><p>次の条件についての報告に、追加・修正をお願いします(期限 ${formatEraDate(v.followUp.due)})。</p><p>条件:${v.followUp.condition}</p><blockquote style="white-space:pre-wrap;border-left:3px solid #c9d1db;margin:0;padding-left:1em">${v.comment}</blockquote><p><a href="${v.url}">報告する</a></p>` });
}

/** To the department's manager and the secretariat: a condition's report is overdue. */
export function followUpEscalationMail(v: { council: Council; followUp: FollowUp; to: string[]; url: string }): Mail {
  const fu = v.followUp;
  const subject = `【${v.council.name}】期限超過:条件の履行報告が届いていません(${fu.title})`;
  const text = `所属長 様、事務局 御中

審議会の答申に付された次の条件について、期限(${formatEraDate(fu.due)})を過ぎても報告が届いていません。
報告する人:${fu.ownerName}

諮問:${fu.title}
条件:${fu.condition}

状況の確認をお願いします:
${v.url}
`;
  return letter(v.council, { to: v.to, subject, text, html: html`<p>所属長 様、事務局 御中</p><p>審議会の答申に付された次の条件について、期限(${formatEraDate(fu.due)})を過ぎても報告が届いていません。</p><p>報告する人:${fu.ownerName}<br>諮問:${fu.title}<br>条件:${fu.condition}</p><p><a href="${v.url}">状況を確認する</a></p>` });
}
