import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import { type AgendaItem, isBundled, type Meeting, meetingWhen } from '#shared/domain/meeting.ts';
import { meetingCalendar } from './calendar.ts';
import type { Mail } from './compose.ts';
import { TO_MEMBERS, toMember } from './compose.ts';
import { letter } from './layout.ts';

/**
 * To each member: the agenda (会議次第) with links to the materials of every case. With
 * `member` (and `to: [member.email]`) the copy is addressed to that member by name; without
 * it, to the council as a whole (委員各位). A meeting's notice carries its calendar entry
 * (会議.ics); a written decision has no time to put in a calendar.
 */
export function agendaMail(v: {
  council: Council;
  to: string[];
  meeting: Meeting;
  name: string;
  agenda: AgendaItem[];
  cases: Map<string, Consultation>;
  meetingUrl: string;
  caseUrl: (consultationId: string) => string;
  member?: Pick<Member, 'memberId' | 'name'> | undefined;
}): Mail {
  const written = v.meeting.kind === 'written';
  const deliberations = v.agenda.filter((i) => i.kind === 'deliberation');
  const mail = letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】${written ? '書面審議のお願い' : '会議次第と資料のご案内'}:${v.name}`,
    addressee: v.member ? toMember(v.council, v.member) : TO_MEMBERS,
    blocks: [
      { kind: 'paragraph', text: `${v.name}の${written ? '書面審議をお願いします' : '会議次第と資料をお送りします'}。` },
      { kind: 'table', rows: [[written ? '表決期限' : '日時', meetingWhen(v.meeting)], !written && ['場所', v.meeting.venue ?? '']] },
      {
        kind: 'list',
        label: '議事 個人情報を取り扱う事務について(諮問)',
        ordered: true,
        items: deliberations.map((item) => ({
          text: `${item.title}${isBundled(item) ? '(一括諮問)' : ''}`,
          items: item.consultationIds.flatMap((id) => {
            const c = v.cases.get(id);
            return c ? [{ text: [c.number && formatConsultationNumber(c.number), c.form.title].filter(Boolean).join(' '), url: v.caseUrl(id) }] : [];
          }),
        })),
      },
      { kind: 'link', label: '会議次第の全体', url: v.meetingUrl },
    ],
  });
  if (written) return mail;
  const calendar = meetingCalendar({
    councilId: v.council.councilId,
    meeting: v.meeting,
    name: v.name,
    description: `議事:${deliberations.map((i) => i.title).join('、') || '(未定)'}\n会議次第と資料:${v.meetingUrl}`,
    url: v.meetingUrl,
  });
  return { ...mail, attachments: [{ fileName: 'meeting.ics', contentType: 'text/calendar; method=PUBLISH', content: calendar }] };
}
