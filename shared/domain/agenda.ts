import * as z from 'zod/mini';
import { ID_PATTERN } from './ids.ts';
import type { AgendaItem, AgendaItemKind, Meeting } from './meeting.ts';
import { formatCount, isoDate } from './schema.ts';

/**
 * The free agenda (会議次第): items of any kind in the order the secretariat sets, numbered as
 * councils number them — top-level sections 1, 2, 3 … (開会, 諮問書授受, 議事, 報告, その他,
 * 次回開催日程, 閉会, or as the items are ordered), deliberations (1), (2) … across the meeting,
 * each case of a bundle (一括諮問) keeping its own number under one vote: (6)〜(8).
 */
export const AGENDA_KIND_LABELS: Record<AgendaItemKind, string> = {
  opening: '開会',
  greeting: '挨拶',
  handover: '諮問書授受',
  deliberation: '諮問審議',
  report: '報告',
  explanation: '説明',
  other: 'その他',
  next_meeting: '次回開催日程',
  closing: '閉会',
};

/** The kinds the secretariat adds from the page (deliberations come from the cases waiting for a meeting). */
export const FREE_KINDS = ['opening', 'greeting', 'handover', 'report', 'explanation', 'other', 'next_meeting', 'closing'] as const;
export type FreeKind = (typeof FREE_KINDS)[number];
/** A written decision (書面審議) has no meeting to open, greet or close: only these. */
export const WRITTEN_KINDS = ['report', 'explanation', 'other'] as const satisfies readonly FreeKind[];

/** The frame of a meeting's agenda, implied until its items are made real (Meeting.agendaFramed). */
const LEADING_FRAME = ['opening', 'handover'] as const;
const TRAILING_FRAME = ['next_meeting', 'closing'] as const;

/** Kinds whose consecutive items share one numbered section. */
const GROUP_HEADINGS: Partial<Record<AgendaItemKind, string>> = {
  deliberation: '議事 個人情報を取り扱う事務について(諮問)',
  report: '報告',
  other: 'その他',
};

/** Where each kind sat in the fixed skeleton: how an agenda not yet framed is shown. */
const RANK: Record<AgendaItemKind, number> = {
  opening: 0,
  greeting: 1,
  handover: 2,
  deliberation: 3,
  report: 4,
  explanation: 5,
  other: 6,
  next_meeting: 7,
  closing: 8,
};

/**
 * An agenda line: a real item, or a frame line implied for a meeting whose agenda is not framed
 * yet — shown as the item it becomes (its fixed id, its kind's name) when the agenda is framed.
 */
export interface AgendaLine {
  item: AgendaItem;
  kind: AgendaItemKind;
  implied?: boolean;
}

/** The item an implied frame line becomes. */
export const frameItem = (kind: AgendaItemKind, order = 0, addedAt?: string): AgendaItem => ({
  itemId: FRAME_ITEM_IDS[kind]!,
  kind,
  order,
  title: AGENDA_KIND_LABELS[kind],
  consultationIds: [],
  ...(addedAt ? { addedAt } : {}),
});

/** Whether an id names a frame line (real once framed, implied before). */
export const isFrameId = (itemId: string) => Object.values(FRAME_ITEM_IDS).includes(itemId);

/**
 * The agenda in the order it is held. A framed agenda is its items by `order`; one that is not
 * (meetings from before free agendas) is shown as the fixed skeleton always printed it: 開会,
 * 諮問書授受, then the items by kind (deliberations, reports, other business), 次回開催日程, 閉会.
 * A written decision has no frame.
 */
export function agendaLines(meeting: Pick<Meeting, 'kind' | 'agendaFramed'>, items: readonly AgendaItem[]): AgendaLine[] {
  const byOrder = (a: AgendaItem, b: AgendaItem) => a.order - b.order || a.itemId.localeCompare(b.itemId);
  if (meeting.agendaFramed) return [...items].sort(byOrder).map((item) => ({ item, kind: item.kind }));
  const real = [...items].sort((a, b) => RANK[a.kind] - RANK[b.kind] || byOrder(a, b)).map((item) => ({ item, kind: item.kind }));
  if (meeting.kind !== 'meeting') return real;
  const has = (kind: AgendaItemKind) => items.some((i) => i.kind === kind);
  const implied = (kinds: readonly AgendaItemKind[]) => kinds.filter((k) => !has(k)).map((kind) => ({ item: frameItem(kind), kind, implied: true }));
  return [...implied(LEADING_FRAME), ...real, ...implied(TRAILING_FRAME)];
}

/** One line of a numbered section: an item (with its cases' numbers, for a deliberation). */
export interface OutlineEntry {
  item: AgendaItem;
  /** (1), (6)〜(8) for deliberations; (1), (2) … for reports and other business within their section. */
  label: string;
  /** A deliberation's case numbers in order: [6, 7, 8] for a bundle of three. */
  numbers: number[];
}

/** A section of the 会議次第: 「3 議事 …」 with its entries, or one item (「1 開会」, 「2 挨拶」). */
export interface OutlineSection {
  /** 1, 2, 3 …; none for an item outside the announced agenda (次第外). */
  number?: number;
  kind: AgendaItemKind;
  heading: string;
  /** The item a one-item section is (none for a group); for an implied frame line, the item it becomes. */
  item?: AgendaItem;
  implied?: boolean;
  entries: OutlineEntry[];
  /** A group taken up again after a 次第外 item: same number as the part before it. */
  continued?: boolean;
}

/** 「(6)」 or 「(6)〜(8)」. */
export const numberLabel = (numbers: readonly number[]) =>
  numbers.length > 1 ? `(${numbers[0]})〜(${numbers.at(-1)})` : numbers.length ? `(${numbers[0]})` : '';

/** The heading a one-item section takes: its title, or its kind when it has none. */
const headingOf = (line: AgendaLine) => line.item.title || AGENDA_KIND_LABELS[line.kind];

/**
 * The numbered 会議次第. Items outside the announced agenda (次第外) take no number and, with
 * `announced` (the mailed and Word 会議次第), are left out; the numbers of everything else are
 * the same either way, so the page, the mail, the Word file and the minutes agree.
 */
export function agendaOutline(
  meeting: Pick<Meeting, 'kind' | 'agendaFramed'>,
  items: readonly AgendaItem[],
  options: { announced?: boolean } = {},
): OutlineSection[] {
  const sections: OutlineSection[] = [];
  let top = 0;
  let deliberation = 0;
  /** The numbered section the last announced line belongs to, and whether a 次第外 section came since. */
  let current: OutlineSection | undefined;
  let interrupted = false;
  for (const line of agendaLines(meeting, items)) {
    if (line.item.outsideAgenda) {
      if (options.announced) continue;
      sections.push({ kind: line.kind, heading: headingOf(line), item: line.item, entries: [] });
      interrupted = true;
      continue;
    }
    const group = GROUP_HEADINGS[line.kind];
    if (!group || line.implied) {
      current = undefined;
      sections.push({ number: ++top, kind: line.kind, heading: headingOf(line), item: line.item, entries: [], ...(line.implied ? { implied: true } : {}) });
      continue;
    }
    if (current?.kind !== line.kind) {
      current = { number: ++top, kind: line.kind, heading: group, entries: [] };
      sections.push(current);
    } else if (interrupted) {
      current = { number: current.number!, kind: line.kind, heading: group, entries: [], continued: true };
      sections.push(current);
    }
    interrupted = false;
    const numbers =
      line.kind === 'deliberation'
        ? line.item.consultationIds.length
          ? line.item.consultationIds.map(() => ++deliberation)
          : [++deliberation]
        : [sections.filter((s) => s.number === current!.number).reduce((n, s) => n + s.entries.length, 0) + 1];
    current.entries.push({ item: line.item, label: numberLabel(numbers), numbers });
  }
  return sections;
}

/** Each item's label in the outline, by item id: 「(6)〜(8)」 for a deliberation, 「4」 for a one-item section. */
export function outlineLabels(sections: readonly OutlineSection[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const s of sections) {
    if (s.item) labels.set(s.item.itemId, s.number ? String(s.number) : '次第外');
    for (const e of s.entries) labels.set(e.item.itemId, e.label);
  }
  return labels;
}

/** The 会議次第 as plain lines (「1 開会」, 「3 議事 …」, 「  (6) …」): the minutes' header and the mail's text. */
export function outlineText(sections: readonly OutlineSection[], entryText: (e: OutlineEntry) => string[] = (e) => [`${e.label} ${e.item.title}`]): string[] {
  return sections.flatMap((s) =>
    s.continued
      ? s.entries.flatMap((e) => entryText(e).map((t) => `  ${t}`))
      : [`${s.number ? `${s.number} ` : '(次第外) '}${s.heading}`, ...s.entries.flatMap((e) => entryText(e).map((t) => `  ${t}`))],
  );
}

/**
 * Where a new item goes in a framed agenda: 開会 first, 挨拶 and 諮問書授受 after the opening
 * lines, a deliberation after the last deliberation (else before what follows the business),
 * anything else before 次回開催日程 and 閉会 at the end.
 * Returns the new item's order and the items to move down to make room.
 */
export function insertionPoint(items: readonly AgendaItem[], kind: AgendaItemKind): { order: number; shifts: { itemId: string; order: number }[] } {
  const ordered = [...items].sort((a, b) => a.order - b.order || a.itemId.localeCompare(b.itemId));
  let at = ordered.length;
  const lastDeliberation = ordered.findLastIndex((i) => i.kind === 'deliberation');
  if (kind === 'opening') at = 0;
  else if (kind === 'greeting') at = ordered.findLastIndex((i) => i.kind === 'opening' || i.kind === 'greeting') + 1;
  else if (kind === 'handover') at = ordered.findLastIndex((i) => i.kind === 'opening' || i.kind === 'greeting' || i.kind === 'handover') + 1;
  else if (kind === 'deliberation' && lastDeliberation >= 0) at = lastDeliberation + 1;
  else if (kind === 'deliberation') {
    const firstAfter = ordered.findIndex((i) => RANK[i.kind] > RANK.deliberation);
    if (firstAfter >= 0) at = firstAfter;
  } else if (kind !== 'closing') {
    while (
      at > 0 &&
      (TRAILING_FRAME as readonly string[]).includes(ordered[at - 1]!.kind) &&
      !(kind === 'next_meeting' && ordered[at - 1]!.kind === 'next_meeting')
    )
      at--;
  }
  const shifts = ordered.slice(at).map((i, k) => ({ itemId: i.itemId, order: at + k + 2 }));
  const before = ordered.slice(0, at).map((i, k) => ({ itemId: i.itemId, order: k + 1 }));
  return {
    order: at + 1,
    shifts: [...before, ...shifts].filter((s) => items.find((i) => i.itemId === s.itemId)!.order !== s.order),
  };
}

/** The fixed ids frame items get when an agenda is framed: framing twice (a retry) creates nothing new. */
export const FRAME_ITEM_IDS: Partial<Record<AgendaItemKind, string>> = {
  opening: 'frame-opening',
  handover: 'frame-handover',
  next_meeting: 'frame-next',
  closing: 'frame-closing',
};

const optionalText = (label: string, max: number) =>
  z.optional(z.string().check(z.trim(), z.maxLength(max, `${label}は${formatCount(max)}文字以内で入力してください。`)));

/** A free item as added or edited: its title (the kind's name when left empty), text, explainers, 次第外. */
export const freeItemFields = {
  title: optionalText('件名', 200),
  text: optionalText('内容', 8000),
  explainers: optionalText('説明員', 400),
  outsideAgenda: z.optional(z.literal('yes')),
};

/** A request raised under a report item: what, of which department, by when. */
export const agendaRequestInput = z.lazy(() =>
  z.object({
    text: z
      .string({ error: '求める内容を入力してください。' })
      .check(z.trim(), z.minLength(1, '求める内容を入力してください。'), z.maxLength(2000, '求める内容は2000文字以内で入力してください。')),
    departmentId: z.string({ error: '報告を求める所管課を選んでください。' }).check(z.regex(ID_PATTERN, '報告を求める所管課を選んでください。')),
    due: isoDate('報告の期限'),
  }),
);
export type AgendaRequestInput = z.output<typeof agendaRequestInput>;

const time = z
  .string({ error: '次回の開始時刻を入力してください。' })
  .check(z.trim(), z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, '次回の開始時刻は 10:00 の形で入力してください。'));

/**
 * The next meeting's date, time and place as the 次回開催日程 item takes them (named apart from
 * the meeting's own change form on the same page).
 */
export const nextMeetingInput = z.lazy(() =>
  z.object({
    nextDate: isoDate('次回の開催日'),
    nextStartTime: time,
    nextVenue: z
      .string({ error: '次回の開催場所を入力してください。' })
      .check(z.trim(), z.minLength(1, '次回の開催場所を入力してください。'), z.maxLength(100, '開催場所は100文字以内で入力してください。')),
  }),
);
export type NextMeetingInput = z.output<typeof nextMeetingInput>;

/** The next meeting's number: this one's + 1 in the same fiscal year, 1 in a new one. */
export const nextSeq = (meeting: Pick<Meeting, 'fiscalYear' | 'seq'>, nextFiscalYear: number) =>
  nextFiscalYear === meeting.fiscalYear ? (meeting.seq ?? 0) + 1 : 1;
