import * as z from 'zod/mini';
import type { Council, Department, Member } from './council.ts';
import { officeOf } from './council.ts';
import { ID_PATTERN } from './ids.ts';
import type { Principal } from './principal.ts';

/**
 * What happened at a meeting, as the clerk records it on the day: the roll (出欠), who presided
 * (議長), the secretariat and explainers who attended, the actual opening and closing times,
 * and — per agenda item — the questions, answers, opinions and notes as they were spoken.
 * The minutes' draft is written from it.
 */
export const ATTENDANCE = { present: '出席', absent: '欠席', late: '遅参', left_early: '早退' } as const;
export type Attendance = keyof typeof ATTENDANCE;

export interface RollEntry {
  memberId: string;
  status: Attendance;
  /** 遅参: when the member arrived; 早退: when they left ('HH:MM'). */
  time?: string;
}

export const ATTENDEE_ROLES = { secretariat: '事務局', explainer: '説明員' } as const;
export type AttendeeRole = keyof typeof ATTENDEE_ROLES;

/** A secretariat attendee or an explainer (説明員), listed once for the meeting. */
export interface Attendee {
  attendeeId: string;
  role: AttendeeRole;
  name: string;
  /** 職名, e.g. 課長, 副参事. */
  title: string;
  departmentId?: string;
  /** When chosen from the staff registry. */
  userId?: string;
}

export interface Proceedings {
  meetingId: string;
  /** One entry per roster member once the roll is taken; empty until then. */
  roll: RollEntry[];
  /** 議長: the chair by default; the vice-chair (or an acting chair) when the chair is absent. */
  presidingMemberId?: string;
  attendees: Attendee[];
  /** Actual opening and closing times (開会・閉会), 'HH:MM'. */
  openedAt?: string;
  closedAt?: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export const emptyProceedings = (meetingId: string, now: string, by: string): Proceedings => ({
  meetingId,
  roll: [],
  attendees: [],
  version: 0,
  updatedAt: now,
  updatedBy: by,
});

/** One row of the meeting-in-progress record: a question (or an opinion, which needs no answer) with its answer, or a note. */
export interface MeetingEntry {
  entryId: string;
  itemId: string;
  kind: 'qa' | 'note';
  /** A member id, 事務局, or a name as typed. */
  asker: string;
  question: string;
  /** 説明員, 説明員(課名), 事務局, a member id, or a name as typed; empty for an opinion. */
  answerer: string;
  answer: string;
  note: string;
  createdAt: string;
  updatedAt: string;
  by: string;
  /** A row taken back: kept, never shown. */
  deleted?: boolean;
}

/** The speakers who are not members, as the record stores them. */
export const SECRETARIAT = '事務局';
export const EXPLAINER = '説明員';

/** 〇三浦委員: minutes name a member by family name and office; anyone else as recorded. */
export function familyName(name: string): string {
  return name.trim().split(/[\s\u3000]+/)[0] ?? name;
}

/** The short name of a department (市民部 市民課 → 市民課). */
export function departmentShortName(d: Pick<Department, 'name'>): string {
  return (
    d.name
      .trim()
      .split(/[\s\u3000]+/)
      .at(-1) ?? d.name
  );
}

/** Who presides when the clerk leaves it to the roll: the chair if attending, else the vice-chair if attending. */
export function automaticPresiding(council: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>, roll: readonly RollEntry[]): string | undefined {
  const attending = (id: string | undefined) => Boolean(id) && roll.some((r) => r.memberId === id && r.status !== 'absent');
  return [council.chairMemberId, council.viceChairMemberId].find(attending);
}

/** Who presides: the one recorded for the meeting, else the chair. */
export function presidingOf(council: Pick<Council, 'chairMemberId'>, p: Pick<Proceedings, 'presidingMemberId'> | undefined): string | undefined {
  return p?.presidingMemberId ?? council.chairMemberId;
}

/** The office a speaker is named by: 会長, 副会長, 会長職務代理者 (an ordinary member presiding), or 委員. */
export function speakerOffice(council: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>, memberId: string, presidingId: string | undefined): string {
  const office = officeOf(council, memberId);
  if (office === 'chair') return '会長';
  if (office === 'vice_chair') return '副会長';
  return memberId === presidingId ? '会長職務代理者' : '委員';
}

/** 三浦委員, 田辺副会長 — a member as minutes write a speaker; anyone else as recorded (事務局, 説明員(市民課)). */
export function speakerName(
  council: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>,
  members: readonly Pick<Member, 'memberId' | 'name'>[],
  presidingId: string | undefined,
  speaker: string,
): string {
  const member = members.find((m) => m.memberId === speaker);
  return member ? `${familyName(member.name)}${speakerOffice(council, member.memberId, presidingId)}` : speaker;
}

/**
 * Whether the person has the chair's rights at this meeting: the chair always, and the member
 * recorded as presiding (the vice-chair or an acting chair, when the chair is absent).
 */
export function hasChairRights(
  principal: Pick<Principal, 'role' | 'userId'>,
  council: Pick<Council, 'chairMemberId'>,
  p: Pick<Proceedings, 'presidingMemberId'> | undefined,
): boolean {
  if (principal.role === 'chair') return true;
  return (
    principal.role === 'member' && Boolean(p?.presidingMemberId) && p?.presidingMemberId === principal.userId && council.chairMemberId !== principal.userId
  );
}

/** Members present on the roll (遅参 and 早退 count as present); undefined while no roll is taken. */
export function presentOnRoll(p: Pick<Proceedings, 'roll'> | undefined): string[] | undefined {
  if (!p?.roll.length) return undefined;
  return p.roll.filter((r) => r.status !== 'absent').map((r) => r.memberId);
}

/**
 * The quorum on the roll (遅参・早退 count as attending): the same rule the tally applies to each
 * item's hands (過半数, or two thirds, of the members). Undefined while no roll is taken.
 */
export function quorumOnRoll(council: Pick<Council, 'rules'>, p: Pick<Proceedings, 'roll'> | undefined, memberCount: number) {
  const present = presentOnRoll(p);
  if (!present) return undefined;
  const n = present.length;
  const met = council.rules.quorum === 'majority' ? n * 2 > memberCount : n * 3 >= memberCount * 2;
  return { present: n, total: memberCount, met };
}

/** 小山 宇一(遅参 14:20) — a roll entry as the minutes' attendance lists it. */
export function rollNote(r: RollEntry): string {
  if (r.status === 'late') return `(遅参${r.time ? ` ${r.time}` : ''})`;
  if (r.status === 'left_early') return `(早退${r.time ? ` ${r.time}` : ''})`;
  return '';
}

/** 鈴木 宏昌(行政経営部副参事): an attendee as the minutes' 出席者 lists them. */
export function attendeeLine(a: Attendee, departments: readonly Department[]): string {
  const dept = departments.find((d) => d.departmentId === a.departmentId);
  const where = `${dept ? dept.name.replace(/[\s\u3000]+/g, '') : ''}${a.title}`;
  return where ? `${a.name}(${where})` : a.name;
}

/** Each person once, in the order first named (explainers typed on several items repeat otherwise). */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names.flatMap((n) => n.split(/[、,\n]/))) {
    const name = raw.trim();
    const key = name.replace(/[\s\u3000]+/g, '');
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

const clock = (label: string) => z.string().check(z.trim(), z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label}は 14:20 の形で入力してください。`));
const optionalClock = (label: string) =>
  z.pipe(
    z.optional(z.union([z.literal(''), clock(label)])),
    z.transform((v) => v || undefined),
  );

/**
 * The roll form: each roster member's attendance (`roll.<memberId>.status`, and `.time` for
 * 遅参 / 早退), who presides, and the actual opening and closing times.
 */
export const rollCommand = z.lazy(() =>
  z.object({
    version: z.pipe(z.string({ error: 'ページを開き直してください。' }).check(z.regex(/^\d+$/, 'ページを開き直してください。')), z.transform(Number)),
    presidingMemberId: z.pipe(
      z.optional(z.string().check(z.trim(), z.regex(/^$|^[A-Za-z0-9_-]{1,64}$/, '議長を選んでください。'))),
      z.transform((v) => v || undefined),
    ),
    openedAt: optionalClock('開会時刻'),
    closedAt: optionalClock('閉会時刻'),
    roll: z.record(
      z.string().check(z.regex(ID_PATTERN)),
      z
        .object({
          status: z.enum(['present', 'absent', 'late', 'left_early'], { error: '出欠を選んでください。' }),
          time: optionalClock('時刻'),
        })
        .check(
          z.refine((r) => (r.status !== 'late' && r.status !== 'left_early') || Boolean(r.time), {
            path: ['time'],
            message: '遅参・早退のときは時刻を入力してください。',
          }),
        ),
    ),
  }),
);
export type RollCommand = z.output<typeof rollCommand>;

/** The flat roll form (`roll.<memberId>.status`) as the object rollCommand reads. */
export function rollShape(form: Record<string, string | string[]>): Record<string, unknown> {
  const roll: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(form)) {
    const m = /^roll\.(.+)\.(status|time)$/.exec(k);
    if (m) (roll[m[1]!] ??= {})[m[2]!] = String([v].flat()[0] ?? '');
  }
  return { ...form, roll };
}

/** A secretariat attendee or explainer, chosen from the staff registry or typed, with a title; or one taken off the list. */
export const attendeeCommand = z.lazy(() =>
  z.union([
    z.object({ remove: z.string().check(z.regex(ID_PATTERN, 'ページを開き直してください。')) }),
    z.object({
      role: z.enum(['secretariat', 'explainer'], { error: '事務局か説明員かを選んでください。' }),
      userId: z.pipe(
        z.optional(z.string().check(z.trim())),
        z.transform((v) => v || undefined),
      ),
      name: z.pipe(
        z.optional(z.string().check(z.trim(), z.maxLength(40, '氏名は40文字以内で入力してください。'))),
        z.transform((v) => v || undefined),
      ),
      title: z.pipe(
        z.optional(z.string().check(z.trim(), z.maxLength(60, '職名は60文字以内で入力してください。'))),
        z.transform((v) => v || ''),
      ),
      departmentId: z.pipe(
        z.optional(z.string().check(z.trim())),
        z.transform((v) => v || undefined),
      ),
    }),
  ]),
);
export type AttendeeCommand = z.output<typeof attendeeCommand>;

const entryText = (label: string, max: number) =>
  z.pipe(
    z.optional(z.string().check(z.maxLength(max, `${label}は${max}文字以内で入力してください。`))),
    z.transform((v) => (v ?? '').replace(/\r\n/g, '\n').trim()),
  );

/**
 * One row of the meeting-in-progress record, saved as typed: a question with its answer (an
 * opinion has none), or a note. `asker` / `answerer` name a roll member, 事務局, 説明員 … or
 * `other`, with the name typed beside it. An empty row with `entryId` takes the row back.
 */
export const entryCommand = z.lazy(() =>
  z
    .object({
      itemId: z.string({ error: 'ページを開き直してください。' }).check(z.regex(ID_PATTERN, 'ページを開き直してください。')),
      entryId: z.pipe(
        z.optional(z.string().check(z.regex(/^$|^[A-Za-z0-9_-]{1,64}$/, 'ページを開き直してください。'))),
        z.transform((v) => v || undefined),
      ),
      kind: z._default(z.enum(['qa', 'note']), 'qa'),
      asker: entryText('質問・意見をした人', 100),
      askerOther: entryText('質問・意見をした人の名前', 60),
      question: entryText('質問・意見', 20_000),
      answerer: entryText('回答した人', 100),
      answererOther: entryText('回答した人の名前', 60),
      answer: entryText('回答', 20_000),
      note: entryText('メモ', 20_000),
      delete: z.optional(z.literal('yes')),
    })
    .check(
      z.refine((e) => e.delete === 'yes' || e.kind !== 'qa' || Boolean(e.question) || !e.answer, {
        path: ['question'],
        message: '質問・意見を入力してください(回答だけの行は記録できません)。',
      }),
      z.refine((e) => e.delete === 'yes' || e.kind !== 'qa' || !e.question || Boolean(e.asker === 'other' ? e.askerOther : e.asker), {
        path: ['asker'],
        message: '質問・意見をした人を選んでください。',
      }),
      z.refine((e) => e.delete === 'yes' || !e.answer || Boolean(e.answerer === 'other' ? e.answererOther : e.answerer), {
        path: ['answerer'],
        message: '回答した人を選んでください。',
      }),
    ),
);
export type EntryCommand = z.output<typeof entryCommand>;

/** The row as stored: `other` replaced by the name typed. */
export function entryFields(c: EntryCommand): Pick<MeetingEntry, 'itemId' | 'kind' | 'asker' | 'question' | 'answerer' | 'answer' | 'note'> {
  if (c.kind === 'note') return { itemId: c.itemId, kind: 'note', asker: '', question: '', answerer: '', answer: '', note: c.note };
  return {
    itemId: c.itemId,
    kind: 'qa',
    asker: c.asker === 'other' ? c.askerOther : c.asker,
    question: c.question,
    answerer: c.answer ? (c.answerer === 'other' ? c.answererOther : c.answerer) : '',
    answer: c.answer,
    note: '',
  };
}

/** Whether a row has nothing in it (saving it empty takes it back). */
export const isEmptyEntry = (e: Pick<MeetingEntry, 'kind' | 'question' | 'answer' | 'note'>) => (e.kind === 'note' ? !e.note : !e.question && !e.answer);

/** The rows of one item, in the order they were first saved. */
export function entriesOf(entries: readonly MeetingEntry[], itemId: string): MeetingEntry[] {
  return entries.filter((e) => e.itemId === itemId && !e.deleted).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.entryId.localeCompare(b.entryId));
}
