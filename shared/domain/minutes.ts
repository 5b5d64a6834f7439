import * as z from 'zod/mini';
import { agendaOutline, type OutlineEntry, outlineText } from './agenda.ts';
import type { Consultation } from './consultation.ts';
import { DECISION_OUTCOMES, formatConsultationNumber } from './consultation.ts';
import type { Council, Department, Member } from './council.ts';
import { OFFICE_LABELS, officeOf, rosterOrder } from './council.ts';
import { formatEraDate } from './era.ts';
import { type AgendaItem, isBundled, type Meeting, meetingName, meetingWhen } from './meeting.ts';
import {
  attendeeLine,
  EXPLAINER,
  entriesOf,
  type MeetingEntry,
  type Proceedings,
  presentOnRoll,
  presidingOf,
  type RollEntry,
  rollNote,
  speakerName,
  uniqueNames,
} from './proceedings.ts';
import { tally } from './voting.ts';

/**
 * Minutes (会議録). The secretariat writes them from a draft prefilled from the meeting; any
 * passage can be marked non-public with its reason, and the published edition leaves it out
 * and says why — as real minutes do.
 */
export const NON_PUBLIC_REASONS = {
  personal: '個人情報を含むため',
  security: 'セキュリティ上の情報を含むため',
  contract: '公表前の契約に関する情報を含むため',
} as const;
export type NonPublicReason = keyof typeof NON_PUBLIC_REASONS;

export interface QA {
  /** Who asked: a member id, or a name as written. */
  asker: string;
  question: string;
  /** Who answered (e.g. 説明員, 事務局). */
  answerer: string;
  answer: string;
  nonPublic?: NonPublicReason;
}

export interface MinutesItem {
  itemId: string;
  explanation: string;
  explanationNonPublic?: NonPublicReason;
  qa: QA[];
  decision: string;
}

export interface Minutes {
  meetingId: string;
  status: 'draft' | 'final';
  /** Bumped by every save: a save names the version it started from. */
  version: number;
  /** How members are named in the published edition. */
  memberNaming: 'names' | 'letters';
  explainers: string;
  secretariat: string;
  /** Members present, by id; the rest of the roster is shown absent. */
  present: string[];
  opening: string;
  items: MinutesItem[];
  reports: string;
  other: string;
  nextMeeting: string;
  closing: string;
  updatedAt: string;
  updatedBy: string;
  /** Set when made final. */
  finalVersion?: number;
  /** The roll as taken at the meeting (遅参・早退 with their times), when one was. */
  attendance?: RollEntry[];
  /** 議長: who presided, when the roll named them (speakers are named by it: 田辺副会長). */
  presidingMemberId?: string;
  /** Why the meeting's materials are not published (the closing note 「会議資料は、…のため非公開とする。」); empty for none. */
  materialsNote?: string;
  /** A draft nobody has saved yet: opening it again writes it afresh from the meeting's record (Q&A typed since included). */
  fromRecord?: boolean;
}

/** 「会議資料は、個人情報を含むため非公開とする。」 from the reason as typed (with or without ため / 。). */
export function materialsClosingNote(reason: string | undefined): string {
  const r = (reason ?? '').trim().replace(/。$/, '').replace(/ため$/, '').trim();
  return r ? `会議資料は、${r}ため非公開とする。` : '';
}

/** The decision as minutes record it, from the item's ballots and decision. */
export function decisionSentence(item: AgendaItem, council: Pick<Council, 'rules' | 'chairMemberId'>, members: readonly Member[]): string {
  if (!item.decision) return '';
  const outcome = DECISION_OUTCOMES[item.decision.outcome];
  const ballots = Object.values(item.ballots ?? {});
  let vote = '';
  if (ballots.length) {
    const t = tally({ memberIds: members.map((m) => m.memberId), chairId: council.chairMemberId, ballots, rules: council.rules });
    const unanimous = ballots.every((b) => b.choice === 'approve');
    // 全員挙手 only when the hands were recorded so; hands recorded member by member are counted, even when all approve.
    vote =
      unanimous && ballots.every((b) => b.source === 'meeting') && item.handsMode !== 'each'
        ? '(全員挙手)'
        : `(可 ${t.for}、否 ${t.against}、棄権 ${t.abstained}${t.recused ? `、表決に加わらない委員 ${t.recused}` : ''})`;
  }
  const numbered = (list: readonly string[] = []) => list.map((c, i) => `(${i + 1})${c}`).join('\n');
  const conditions = numbered(item.decision.conditions);
  const opinions = numbered(item.decision.opinions);
  return `${vote}審議の結果、「${outcome}」とされた。${conditions ? `\n付された条件:\n${conditions}` : ''}${opinions ? `\n付された意見:\n${opinions}` : ''}`;
}

/**
 * One entry of the minutes' 会議次第: a deliberation with its number and title — a bundle's
 * cases each under its own number — a report or other business with its title.
 */
export function agendaEntryLines(e: OutlineEntry, cases: ReadonlyMap<string, Consultation>): string[] {
  if (e.item.kind !== 'deliberation' || !isBundled(e.item)) return [`${e.label} ${e.item.title}`];
  return [`${e.label} ${e.item.title}(一括諮問)`, ...e.item.consultationIds.map((id, k) => `  (${e.numbers[k]}) ${cases.get(id)?.form.title ?? ''}`)];
}

/** 次回開催日程 as the minutes write it, once the item has the next meeting's date. */
function nextMeetingSentence(agenda: readonly AgendaItem[]): string {
  const next = agenda.find((i) => i.kind === 'next_meeting' && i.next)?.next;
  return next ? `次回は、${formatEraDate(next.date)} ${next.startTime}から、${next.venue}で開催する予定である。` : '';
}

/** Q&A rows typed during the meeting, as the minutes' question-and-answer pairs (an opinion has no answer). */
const qaOf = (entries: readonly MeetingEntry[], itemId: string): QA[] =>
  entriesOf(entries, itemId)
    .filter((e) => e.kind === 'qa')
    .map((e) => ({ asker: e.asker, question: e.question, answerer: e.answerer, answer: e.answer }));

const notesOf = (entries: readonly MeetingEntry[], itemId: string) =>
  entriesOf(entries, itemId)
    .filter((e) => e.kind === 'note')
    .map((e) => e.note);

/**
 * A first draft from what the system already knows: the roll (or who was present per item),
 * who presided, the attendees (each once), agenda, decisions and votes, and the Q&A and notes
 * typed during the meeting.
 */
export function draftMinutes(v: {
  meeting: Meeting;
  agenda: AgendaItem[];
  members: Member[];
  council: Council;
  departments?: Department[];
  proceedings?: Proceedings | undefined;
  entries?: MeetingEntry[];
  now: string;
  by: string;
}): Minutes {
  const present = new Set<string>(presentOnRoll(v.proceedings) ?? []);
  if (!present.size) for (const item of v.agenda) for (const id of item.present ?? Object.keys(item.ballots ?? {})) present.add(id);
  const entries = v.entries ?? [];
  const attendees = v.proceedings?.attendees ?? [];
  const departments = v.departments ?? [];
  const lineOf = (role: 'explainer' | 'secretariat') =>
    attendees
      .filter((a) => a.role === role)
      .map((a) => attendeeLine(a, departments))
      .join('、');
  const presiding = v.proceedings?.presidingMemberId;
  const speaker = (id: string) => speakerName(v.council, v.members, presidingOf(v.council, v.proceedings), id);
  const chairAbsent = v.proceedings?.roll.some((r) => r.memberId === v.council.chairMemberId && r.status === 'absent');
  const presidingLine =
    presiding && presiding !== v.council.chairMemberId ? `${chairAbsent ? '会長欠席のため、' : ''}${speaker(presiding)}が議長を務めた。\n` : '';
  const withQa = (title: string, itemId: string, said: readonly (string | undefined)[] = [], after: readonly string[] = []) =>
    [
      title,
      ...said.filter((x): x is string => Boolean(x)),
      ...notesOf(entries, itemId),
      ...qaOf(entries, itemId).flatMap((qa) => [
        `〇${speaker(qa.asker)} ${qa.question}`,
        ...(qa.answer ? [`〇${speaker(qa.answerer || EXPLAINER)} ${qa.answer}`] : []),
      ]),
      ...after,
    ].join('\n');
  return {
    meetingId: v.meeting.meetingId,
    status: 'draft',
    version: 1,
    memberNaming: 'names',
    explainers: lineOf('explainer') || uniqueNames(v.agenda.map((i) => i.explainers ?? '')).join('、'),
    secretariat: lineOf('secretariat'),
    present: present.size ? [...present] : v.members.map((m) => m.memberId),
    opening: v.meeting.kind === 'written' ? '書面により審議を行った。' : `${presidingLine}${meetingName(v.council, v.meeting)}を開会した。`,
    items: v.agenda
      .filter((i) => i.kind === 'deliberation')
      .map((i) => ({
        itemId: i.itemId,
        explanation: ['説明員から資料により説明した。', ...notesOf(entries, i.itemId)].join('\n'),
        qa: qaOf(entries, i.itemId),
        decision: decisionSentence(i, v.council, v.members),
      })),
    // Each report with what was said, its Q&A, and the reports asked of departments (「次回報告してください」).
    reports: v.agenda
      .filter((i) => i.kind === 'report')
      .map((i) =>
        withQa(
          i.title,
          i.itemId,
          [i.text],
          (i.requests ?? []).map((r) => `次回の報告を求めた:${r.text}`),
        ),
      )
      .join('\n'),
    other: v.agenda
      .filter((i) => i.kind === 'other')
      .map((i) => withQa(i.title, i.itemId))
      .join('\n'),
    nextMeeting: nextMeetingSentence(v.agenda),
    closing: '閉会した。',
    updatedAt: v.now,
    updatedBy: v.by,
    ...(v.proceedings?.roll.length ? { attendance: v.proceedings.roll } : {}),
    ...(presiding ? { presidingMemberId: presiding } : {}),
    materialsNote: '',
    fromRecord: true,
  };
}

/** Whether two drafts say the same (what is written, not when or by whom). */
export function sameDraft(a: Minutes, b: Minutes): boolean {
  // Key order is not content: a stored item may come back with its keys in another order.
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  const body = ({ version: _v, updatedAt: _u, updatedBy: _b, ...rest }: Minutes) => JSON.stringify(canonical(rest));
  return body(a) === body(b);
}

/** The minutes form, flat as the page posts it: `items.<i>.qa.<j>.question` and so on. */
export function readMinutesForm(
  form: Record<string, string | string[]>,
  current: Minutes,
):
  | { ok: true; minutes: Omit<Minutes, 'version' | 'status' | 'updatedAt' | 'updatedBy' | 'meetingId'>; version: number }
  | { ok: false; errors: Record<string, string>; values: Record<string, string | string[]> } {
  const text = (name: string, max = 20_000) => {
    const v = form[name];
    const s = (Array.isArray(v) ? v[v.length - 1] : v) ?? '';
    return s.length > max ? undefined : s.replace(/\r\n/g, '\n').trim();
  };
  const errors: Record<string, string> = {};
  const field = (name: string, max?: number) => {
    const v = text(name, max);
    if (v === undefined) errors[name] = `${max ?? 20_000}文字以内で入力してください。`;
    return v ?? '';
  };
  const reason = (name: string): NonPublicReason | undefined => {
    const v = text(name) ?? '';
    return Object.hasOwn(NON_PUBLIC_REASONS, v) ? (v as NonPublicReason) : undefined;
  };
  const version = Number(text('version'));
  if (!Number.isInteger(version) || version < 1) errors['_form'] = 'ページを開き直してください。';
  const items: MinutesItem[] = current.items.map((item, i) => {
    const qa: QA[] = [];
    for (let j = 0; j < 500; j++) {
      const p = `items.${i}.qa.${j}`;
      if (form[`${p}.question`] === undefined) break;
      const entry = { asker: field(`${p}.asker`, 100), question: field(`${p}.question`), answerer: field(`${p}.answerer`, 100), answer: field(`${p}.answer`) };
      if (!entry.question && !entry.answer) continue;
      if (!entry.question) errors[`${p}.question`] = '質問を入力してください(回答だけの行は記録できません)。';
      const np = reason(`${p}.nonPublic`);
      qa.push({ ...entry, ...(np ? { nonPublic: np } : {}) });
    }
    const np = reason(`items.${i}.explanationNonPublic`);
    return {
      itemId: item.itemId,
      explanation: field(`items.${i}.explanation`),
      ...(np ? { explanationNonPublic: np } : {}),
      qa,
      decision: field(`items.${i}.decision`),
    };
  });
  const naming = text('memberNaming');
  const present = [form['present'] ?? []].flat();
  if (Object.keys(errors).length) return { ok: false, errors, values: form };
  return {
    ok: true,
    version,
    minutes: {
      memberNaming: naming === 'letters' ? 'letters' : 'names',
      explainers: field('explainers', 2000),
      secretariat: field('secretariat', 2000),
      present,
      opening: field('opening'),
      items,
      reports: field('reports'),
      other: field('other'),
      nextMeeting: field('nextMeeting', 400),
      closing: field('closing'),
      materialsNote: field('materialsNote', 200),
      ...(current.attendance ? { attendance: current.attendance } : {}),
      ...(current.presidingMemberId ? { presidingMemberId: current.presidingMemberId } : {}),
      ...(current.finalVersion ? { finalVersion: current.finalVersion } : {}),
    },
  };
}

/** Finalising asks for a confirmation the server checks: the box ticked. */
export const finalizeMinutesInput = z.lazy(() =>
  z.object({
    confirm: z.literal('yes', { error: '内容を確認したことにチェックを入れてください(確定すると編集できなくなります)。' }),
  }),
);
export type FinalizeMinutesCommand = z.output<typeof finalizeMinutesInput>;

export const exportRequest = z.lazy(() =>
  z.object({
    format: z.enum(['docx', 'html', 'csv'], { error: '形式を選んでください。' }),
    edition: z.enum(['internal', 'published'], { error: '内部用か公開用かを選んでください。' }),
  }),
);
export type ExportRequest = z.output<typeof exportRequest>;

/** A paragraph of the rendered minutes: text, or the note left where non-public text was. */
export interface Block {
  text: string;
  /** Set in the published edition where a passage was left out. */
  withheld?: boolean;
}

export interface MinutesDocument {
  title: string;
  edition: 'internal' | 'published';
  /** The header table (会議の名称 … 問い合わせ先) as label/value rows. */
  header: [string, string][];
  sections: { heading: string; blocks: Block[] }[];
  /** Decisions and conditions, one row per consultation, for the CSV. */
  decisions: { item: string; number: string; title: string; department: string; outcome: string; conditions: string[] }[];
}

const withheldNote = (reason: NonPublicReason) => `(${NON_PUBLIC_REASONS[reason]}、この部分は公開しません。)`;

/**
 * Lays the minutes out once for every format. The published edition drops what is marked
 * non-public (saying why) and, if the council chooses, names members A委員, B委員 … in roster order.
 */
export function minutesDocument(v: {
  minutes: Minutes;
  council: Council;
  meeting: Meeting;
  agenda: AgendaItem[];
  members: Member[];
  cases: Map<string, Consultation>;
  departments: Department[];
  edition: 'internal' | 'published';
  /** The actual opening and closing times, when recorded, replace the announced ones. */
  proceedings?: Pick<Proceedings, 'openedAt' | 'closedAt'> | undefined;
}): MinutesDocument {
  const { minutes: m, council, meeting, edition } = v;
  const published = edition === 'published';
  const roster = rosterOrder(council, v.members);
  const letters = published && m.memberNaming === 'letters';
  // Letters go to ordinary members only (the chair and vice-chair are named by office), so Ａ委員 is the first of them.
  const ordinary = roster.filter((x) => officeOf(council, x.memberId) === 'member');
  const letterOf = (id: string) => String.fromCharCode(0xff21 + ordinary.findIndex((x) => x.memberId === id));
  const nameOf = (idOrName: string) => {
    const member = v.members.find((x) => x.memberId === idOrName);
    if (!member) return idOrName;
    const office = officeOf(council, member.memberId);
    if (letters) return office === 'member' ? `${letterOf(member.memberId)}委員` : OFFICE_LABELS[office];
    return `${member.name}${office === 'member' ? '委員' : OFFICE_LABELS[office]}`;
  };
  // A speaker as minutes write one: 〇三浦委員, 〇田辺副会長 (family name and office), 〇事務局, 〇説明員(市民課).
  const presidingId = m.presidingMemberId ?? council.chairMemberId;
  const speakerOf = (idOrName: string) => {
    const member = v.members.find((x) => x.memberId === idOrName);
    if (!member || !letters) return speakerName(council, v.members, presidingId, idOrName);
    return nameOf(idOrName);
  };
  const noteOf = (id: string) => {
    const r = m.attendance?.find((x) => x.memberId === id);
    return r ? rollNote(r) : '';
  };
  const present = roster.filter((x) => m.present.includes(x.memberId));
  const absent = roster.filter((x) => !m.present.includes(x.memberId));
  const block = (text: string, reason?: NonPublicReason): Block => (published && reason ? { text: withheldNote(reason), withheld: true } : { text });
  const deliberations = v.agenda.filter((i) => i.kind === 'deliberation');
  const dept = (id: string) => v.departments.find((d) => d.departmentId === id)?.name ?? '';
  // The 会議次第 as held (次第外 items too), numbered as the page and the Word file number it.
  const outline = agendaOutline(meeting, v.agenda);
  const entries = new Map(outline.flatMap((s) => s.entries.map((e) => [e.item.itemId, e] as const)));

  const header: [string, string][] = [
    ['会議の名称', meetingName(council, meeting)],
    [
      meeting.kind === 'written' ? '表決期限' : '開催日時',
      meetingWhen({ ...meeting, startTime: v.proceedings?.openedAt ?? meeting.startTime, endTime: v.proceedings?.closedAt ?? meeting.endTime }),
    ],
    ['開催場所', meeting.kind === 'written' ? '(書面審議)' : (meeting.venue ?? '')],
    [
      '出席者',
      [
        present.length ? `委員:${present.map((x) => `${nameOf(x.memberId)}${noteOf(x.memberId)}`).join('、')}` : '',
        m.explainers ? `説明員:${m.explainers}` : '',
        m.secretariat ? `事務局:${m.secretariat}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    ],
    ['欠席者', absent.length ? absent.map((x) => nameOf(x.memberId)).join('、') : 'なし'],
    ['傍聴の可否', meeting.kind === 'written' ? '—' : meeting.publicObservation ? '可' : `不可(${meeting.closedReason ?? ''})`],
    ['会議次第', outlineText(outline, (e) => agendaEntryLines(e, v.cases)).join('\n')],
    ['問い合わせ先', council.contact],
  ];

  const sections: MinutesDocument['sections'] = [{ heading: '開会', blocks: [block(m.opening)] }];
  deliberations.forEach((item) => {
    const mi = m.items.find((x) => x.itemId === item.itemId);
    const cases = item.consultationIds.map((id) => v.cases.get(id)).filter((c): c is Consultation => Boolean(c));
    // A bundle's cases keep their own agenda numbers, as the minutes list them: (6) …, (7) …, (8) ….
    const numbers = isBundled(item) ? (entries.get(item.itemId)?.numbers ?? []) : [];
    const caseLine = cases
      .map((c, i) => `${numbers[i] ? `(${numbers[i]}) ` : ''}${c.number ? formatConsultationNumber(c.number) : ''} ${c.form.title}(${dept(c.departmentId)})`)
      .join('\n');
    const blocks: Block[] = [{ text: `${isBundled(item) ? '一括諮問\n' : ''}${caseLine}` }];
    if (mi) {
      blocks.push(block(mi.explanation, mi.explanationNonPublic));
      for (const qa of mi.qa) {
        if (published && qa.nonPublic) blocks.push({ text: withheldNote(qa.nonPublic), withheld: true });
        else {
          blocks.push({ text: `〇${speakerOf(qa.asker)} ${qa.question}` });
          // An opinion needs no answer: no empty answer line.
          if (qa.answer) blocks.push({ text: `〇${speakerOf(qa.answerer || EXPLAINER)} ${qa.answer}` });
        }
      }
      blocks.push({ text: mi.decision });
    }
    sections.push({ heading: `議事${entries.get(item.itemId)?.label ?? ''} ${item.title}`, blocks });
  });
  if (m.reports) sections.push({ heading: '報告', blocks: [block(m.reports)] });
  if (m.other) sections.push({ heading: 'その他', blocks: [block(m.other)] });
  if (m.nextMeeting) sections.push({ heading: '次回開催日程', blocks: [block(m.nextMeeting)] });
  const materials = materialsClosingNote(m.materialsNote);
  sections.push({ heading: '閉会', blocks: [block(m.closing), ...(materials ? [{ text: materials }] : [])] });

  const decisions = deliberations.flatMap((item) =>
    item.consultationIds.map((id, j) => {
      const c = v.cases.get(id);
      const numbers = entries.get(item.itemId)?.numbers ?? [];
      return {
        item: `${numbers[j] ? `(${numbers[j]})` : ''} ${item.title}`,
        number: c?.number ? formatConsultationNumber(c.number) : '',
        title: c?.form.title ?? '',
        department: c ? dept(c.departmentId) : '',
        outcome: item.decision ? DECISION_OUTCOMES[item.decision.outcome] : '(未決定)',
        conditions: [...(item.decision?.conditions ?? []), ...(item.decision?.opinions ?? []).map((o) => `(意見)${o}`)],
      };
    }),
  );

  return { title: `${meetingName(council, meeting)} 会議録${published ? '' : '(内部用)'}`, edition, header, sections, decisions };
}

/** One export of the minutes, produced in the background; the page polls it for progress. */
export interface MinutesExport {
  exportId: string;
  format: 'docx' | 'html' | 'csv';
  edition: 'internal' | 'published';
  status: 'pending' | 'running' | 'done' | 'failed';
  progress: string;
  percent: number;
  objectKey?: string;
  fileName?: string;
  error?: string;
  requestedBy: string;
  requestedAt: string;
  /** Last progress written: an export that stops reporting is shown as failed (see isExportLost). */
  updatedAt?: string;
  finishedAt?: string;
}
