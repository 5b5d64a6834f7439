import { agendaOutline, type OutlineEntry } from './agenda.ts';
import { type Answer, answerSections, conclusionOf, isApproved, signatureOf } from './answer.ts';
import { type Consultation, formatConsultationNumber } from './consultation.ts';
import type { Council, Department } from './council.ts';
import { formatEraDate } from './era.ts';
import { type AgendaItem, isBundled, type Meeting, meetingName, meetingWhen } from './meeting.ts';

/** A paragraph of a document, set left unless it says otherwise. */
export interface DocumentBlock {
  text: string;
  /** Set in the published minutes where a passage was left out (shown in italics). */
  withheld?: boolean;
  align?: 'right' | 'center';
}

/**
 * A document laid out once for the Word renderer (templates/minutes/docx.ts): a title, lines
 * before the table (date, addressee, sender), the label/value table, a part heading, the
 * sections with their headings, and closing lines.
 */
export interface WordDocument {
  title: string;
  lead?: DocumentBlock[];
  header?: [string, string][];
  /** The heading over the sections (会議経過 in the minutes). */
  part?: string;
  sections: { heading: string; blocks: DocumentBlock[] }[];
  closing?: DocumentBlock[];
}

/**
 * 会議次第 as cities send it to the members: the meeting's name, when and where, then the
 * numbered agenda as announced (agendaOutline): 1 開会, 2 諮問書授受, 3 議事 with each case —
 * a bundle's cases each under its own number, (6)〜(8) — reports with their titles, other
 * business, 次回開催日程 (with the date once set), 閉会, or as the items are ordered; items
 * outside the announced agenda (次第外) are not on it. A written decision has no opening or closing.
 */
export function agendaDocument(v: {
  council: Pick<Council, 'name' | 'contact'>;
  meeting: Meeting;
  agenda: AgendaItem[];
  cases: Map<string, Consultation>;
  departments: Department[];
}): WordDocument {
  const written = v.meeting.kind === 'written';
  const dept = (id: string) => v.departments.find((d) => d.departmentId === id)?.name ?? '';
  const caseText = (id: string) => {
    const c = v.cases.get(id);
    return c
      ? [c.number && formatConsultationNumber(c.number), c.form.title, dept(c.departmentId) && `(${dept(c.departmentId)})`].filter(Boolean).join(' ')
      : '';
  };
  const entryText = (e: OutlineEntry): string => {
    const item = e.item;
    if (item.kind !== 'deliberation') return `${e.label} ${item.title}`;
    if (!isBundled(item)) return [`${e.label} ${item.title}`, ...item.consultationIds.map((id) => `  ${caseText(id)}`)].join('\n');
    // A bundle: one vote, each case under its own number.
    return [`${e.label} ${item.title}(一括諮問)`, ...item.consultationIds.map((id, k) => `  (${e.numbers[k]}) ${caseText(id)}`)].join('\n');
  };
  const outline = agendaOutline(v.meeting, v.agenda, { announced: true });
  const sections: WordDocument['sections'] = outline.map((s) => ({
    heading: s.continued ? '' : `${s.number} ${s.heading}`,
    blocks: s.entries.length
      ? s.entries.map((e) => ({ text: entryText(e) }))
      : s.item?.next
        ? [{ text: `${formatEraDate(s.item.next.date)} ${s.item.next.startTime}〜 ${s.item.next.venue}` }]
        : [],
  }));
  if (!v.agenda.some((i) => i.kind === 'deliberation')) sections.push({ heading: '', blocks: [{ text: '(審議する諮問はまだありません)' }] });
  return {
    title: `${meetingName(v.council, v.meeting)} 会議次第`,
    header: [
      [written ? '表決期限' : '日時', meetingWhen(v.meeting)],
      ['場所', written ? '(書面審議)' : (v.meeting.venue ?? '')],
      ['問い合わせ先', v.council.contact],
    ],
    sections,
  };
}

/**
 * 答申書 as the council sends it: its document number and date, addressed to the head of the
 * municipality, signed by the council and its 会長; the sections numbered as on the page. A draft
 * awaiting approval says (案).
 */
export function answerDocument(a: Answer): WordDocument {
  const number = a.number ? formatConsultationNumber(a.number) : '';
  const n = answerSections(a);
  const sections: WordDocument['sections'] = [{ heading: '1 審議会の結論', blocks: [{ text: conclusionOf(a) }] }];
  if (n.conditions) sections.push({ heading: `${n.conditions} 条件`, blocks: a.conditions.map((c, i) => ({ text: `(${i + 1}) ${c}` })) });
  if (n.opinions) sections.push({ heading: `${n.opinions} 意見`, blocks: (a.opinions ?? []).map((c, i) => ({ text: `(${i + 1}) ${c}` })) });
  if (n.history) {
    sections.push({
      heading: `${n.history} 審議の経過`,
      blocks: [{ text: `${a.meetingDate ? `${formatEraDate(a.meetingDate)} ` : ''}${a.meetingName}において審議した。` }],
    });
  }
  return {
    title: `個人情報の取扱いについて(答申)${isApproved(a) ? '' : '(案)'}`,
    lead: [
      { text: [a.documentNumber ?? '', formatEraDate(a.issuedOn, { weekday: false })].filter(Boolean).join('\n'), align: 'right' },
      { text: `${a.addressee} 様` },
      { text: [a.councilName, signatureOf(a)].filter(Boolean).join('\n'), align: 'right' },
    ],
    sections: [
      {
        heading: '',
        blocks: [
          {
            text: `${a.submittedAt ? `${formatEraDate(new Date(a.submittedAt), { weekday: false })}付けで` : ''}諮問のあった「${a.title}」${number ? `(${number})` : ''}について、下記のとおり答申します。`,
          },
          ...(a.consulted ?? []).map((text) => ({ text })),
          { text: '記', align: 'center' },
        ],
      },
      ...sections,
    ],
    closing: [{ text: '以上', align: 'right' }],
  };
}
