import { html } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import type { Council } from '#shared/domain/council.ts';
import { formatConsultationNumber, type Consultation } from '#shared/domain/consultation.ts';
import { isBundled, meetingWhen, type AgendaItem, type Meeting } from '#shared/domain/meeting.ts';
import { letter } from './layout.ts';

/** To each member: the agenda (会議次第) with links to the materials of every case. */
export function agendaMail(v: {
  council: Council;
  to: string[];
  meeting: Meeting;
  name: string;
  agenda: AgendaItem[];
  cases: Map<string, Consultation>;
  meetingUrl: string;
  caseUrl: (consultationId: string) => string;
}): Mail {
  const written = v.meeting.kind === 'written';
  const subject = `【${v.council.name}】${written ? '書面審議のお願い' : '会議次第と資料のご案内'}:${v.name}`;
  const deliberations = v.agenda.filter((i) => i.kind === 'deliberation');
  const lines = deliberations.map((item, k) => {
    const cases = item.consultationIds.map((id) => v.cases.get(id)!).filter(Boolean);
    const detail = cases.map((c) => `    ${c.number ? formatConsultationNumber(c.number) : ''} ${c.form.title}\n    ${v.caseUrl(c.consultationId)}`).join('\n');
    return `(${k + 1}) ${item.title}${cases.length > 1 ? '(一括諮問)' : ''}\n${detail}`;
  });
  const text = `委員各位

${v.name}の${written ? '書面審議をお願いします' : '会議次第と資料をお送りします'}。

${written ? '表決期限' : '日時'}:${meetingWhen(v.meeting)}
${written ? '' : `場所:${v.meeting.venue ?? ''}\n`}
議事 個人情報を取り扱う事務について(諮問)
${lines.join('\n')}

会議次第の全体:
${v.meetingUrl}
`;
  return letter(v.council, {
    to: v.to,
    subject,
    text,
    html: html`<p>委員各位</p>
<p>${v.name}の${written ? '書面審議をお願いします' : '会議次第と資料をお送りします'}。</p>
<p>${written ? '表決期限' : '日時'}:${meetingWhen(v.meeting)}${written ? '' : html`<br>場所:${v.meeting.venue ?? ''}`}</p>
<p><strong>議事 個人情報を取り扱う事務について(諮問)</strong></p>
<ol>${deliberations.map(
  (item) => html`<li>${item.title}${isBundled(item) ? '(一括諮問)' : ''}<ul>${item.consultationIds.map((id) => {
    const c = v.cases.get(id);
    return c ? html`<li><a href="${v.caseUrl(id)}">${c.number ? formatConsultationNumber(c.number) : ''} ${c.form.title}</a></li>` : '';
  })}</ul></li>`,
)}</ol>
<p><a href="${v.meetingUrl}">会議次第の全体を開く</a></p>`,
  });
}
