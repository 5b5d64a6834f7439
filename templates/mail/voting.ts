import { html } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import { formatConsultationNumber, type Consultation } from '#shared/domain/consultation.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import type { AgendaItem } from '#shared/domain/meeting.ts';
import { letter } from './layout.ts';

const caseLines = (cases: Consultation[]) => cases.map((c) => `・${c.number ? formatConsultationNumber(c.number) : ''} ${c.form.title}\n  目的:${(c.form.purpose ?? '').slice(0, 120)}`).join('\n');
const LINK_NOTE = 'このリンクはあなた専用です。転送しないでください。リンクを開いただけでは表決は記録されません。ページで内容を確認し「表決する」を押してください。';

/** To a member: a written decision (書面審議) asks for their vote through a personal link. */
export function voteInvitationMail(v: { council: Council; member: Member; meetingName: string; deadline: string; item: AgendaItem; cases: Consultation[]; url: string }): Mail {
  const subject = `【${v.council.name}】書面審議のお願い:${v.item.title}(期限 ${formatEraDate(v.deadline, { weekday: false })})`;
  const text = `${v.member.name} 委員

${v.meetingName}として、次の諮問について書面による表決をお願いします。

議題:${v.item.title}${v.cases.length > 1 ? '(一括諮問)' : ''}
${caseLines(v.cases)}

表決期限:${formatEraDate(v.deadline)}

資料の確認と表決はこちらから(可・条件付き可・否・棄権、利害関係の申出):
${v.url}

${LINK_NOTE}
`;
  return letter(v.council, { to: [v.member.email], subject, text, html: html`<p>${v.member.name} 委員</p>
<p>${v.meetingName}として、次の諮問について書面による表決をお願いします。</p>
<p><strong>議題:</strong>${v.item.title}${v.cases.length > 1 ? '(一括諮問)' : ''}</p>
<ul>${v.cases.map((c) => html`<li>${c.number ? formatConsultationNumber(c.number) : ''} ${c.form.title}<br><small>${(c.form.purpose ?? '').slice(0, 120)}</small></li>`)}</ul>
<p><strong>表決期限:</strong>${formatEraDate(v.deadline)}</p>
<p><a href="${v.url}">資料を確認して表決する</a></p>
<p><small>${LINK_NOTE}</small></p>` });
}

/** To a member who has not voted yet: the deadline is near (two days before, and on the day). */
export function voteReminderMail(v: { council: Council; member: Member; meetingName: string; deadline: string; item: AgendaItem; milestone: '2days' | 'dayof'; url: string }): Mail {
  const when = v.milestone === 'dayof' ? '本日が表決期限です' : `表決期限(${formatEraDate(v.deadline, { weekday: false })})が近づいています`;
  const subject = `【${v.council.name}】書面審議のお願い(再送):${v.item.title} ― ${when}`;
  const text = `${v.member.name} 委員

${v.meetingName}の書面審議について、${when}。まだ表決をいただいていないため、あらためてご案内します。

議題:${v.item.title}
表決はこちらから:
${v.url}

${LINK_NOTE}
`;
  return letter(v.council, { to: [v.member.email], subject, text, html: html`<p>${v.member.name} 委員</p>
<p>${v.meetingName}の書面審議について、${when}。まだ表決をいただいていないため、あらためてご案内します。</p>
<p><strong>議題:</strong>${v.item.title}</p>
<p><a href="${v.url}">資料を確認して表決する</a></p>
<p><small>${LINK_NOTE}</small></p>` });
}

/** To the chair: the vote approved with conditions; the final wording is theirs to settle. */
export function chairReviewMail(v: { council: Council; chair: Member; meetingName: string; item: AgendaItem; proposed: string[]; url: string }): Mail {
  const subject = `【${v.council.name}】条件の確定のお願い:${v.item.title}`;
  const text = `${v.chair.name} 会長

${v.meetingName}の書面審議で、「${v.item.title}」は条件付きで可とされました。
委員から出された条件をとりまとめ、答申に付す条件の文言を確定してください。

委員から出された条件:
${v.proposed.map((c) => `・${c}`).join('\n')}

確定はこちらから(サインインが必要です):
${v.url}
`;
  return letter(v.council, { to: [v.chair.email], subject, text, html: html`<p>${v.chair.name} 会長</p>
<p>${v.meetingName}の書面審議で、「${v.item.title}」は条件付きで可とされました。<br>委員から出された条件をとりまとめ、答申に付す条件の文言を確定してください。</p>
<ul>${v.proposed.map((c) => html`<li>${c}</li>`)}</ul>
<p><a href="${v.url}">条件を確定する</a>(サインインが必要です)</p>` });
}
