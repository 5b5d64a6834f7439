import { agendaOutline, type OutlineEntry } from '#shared/domain/agenda.ts';
import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { type AgendaItem, isBundled, type Meeting, meetingWhen } from '#shared/domain/meeting.ts';
import { meetingCalendar } from './calendar.ts';
import type { ListItem, Mail } from './compose.ts';
import { TO_MEMBERS, toMember } from './compose.ts';
import { letter } from './layout.ts';

/**
 * The numbered 会議次第 as announced (agendaOutline), as a list: each section, its items and,
 * under each deliberation, its cases linked to their materials — a bundle's cases each with
 * its own number, (6)〜(8) under one vote.
 */
function outlineItems(v: {
  meeting: Meeting;
  agenda: AgendaItem[];
  cases: Map<string, Consultation>;
  caseUrl: (consultationId: string) => string;
}): ListItem[] {
  const caseItem = (id: string, number?: number): ListItem[] => {
    const c = v.cases.get(id);
    const text = c ? [number && `(${number})`, c.number && formatConsultationNumber(c.number), c.form.title].filter(Boolean).join(' ') : '';
    return c ? [{ text, url: v.caseUrl(id) }] : [];
  };
  const entry = (e: OutlineEntry): ListItem =>
    e.item.kind === 'deliberation'
      ? {
          text: `${e.label} ${e.item.title}${isBundled(e.item) ? '(一括諮問)' : ''}`,
          items: e.item.consultationIds.flatMap((id, k) => caseItem(id, isBundled(e.item) ? e.numbers[k] : undefined)),
        }
      : { text: `${e.label} ${e.item.title}` };
  return agendaOutline(v.meeting, v.agenda, { announced: true }).map((s) => ({
    text: s.continued ? `${s.number} ${s.heading}(続き)` : `${s.number} ${s.heading}`,
    ...(s.entries.length ? { items: s.entries.map(entry) } : {}),
    ...(s.item?.next ? { detail: `${formatEraDate(s.item.next.date)} ${s.item.next.startTime}〜 ${s.item.next.venue}` } : {}),
  }));
}

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
      { kind: 'list', label: '会議次第', items: outlineItems(v) },
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
