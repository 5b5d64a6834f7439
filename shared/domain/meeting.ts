import * as z from 'zod/mini';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import type { Consultation, DecisionOutcome } from './consultation.ts';
import type { Council } from './council.ts';
import { fiscalYear, formatEraDate, formatFiscalYear, formatWesternDate } from './era.ts';
import { isoDate } from './schema.ts';
import type { Ballot, VotingRound } from './voting.ts';

/** A meeting (会議) or a decision in writing (書面審議). */
export type MeetingKind = 'meeting' | 'written';
export type MeetingStatus = 'planned' | 'in_session' | 'closed' | 'cancelled';
export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
  planned: '開催予定',
  in_session: '審議中',
  closed: '終了',
  cancelled: '中止',
};

export interface Meeting {
  meetingId: string;
  kind: MeetingKind;
  /** 'YYYY-MM-DD': the meeting day, or for a written decision its voting deadline. */
  date: string;
  startTime?: string;
  endTime?: string;
  venue?: string;
  /** 傍聴: whether the public may observe, and why not when not. */
  publicObservation?: boolean;
  closedReason?: string;
  fiscalYear: number;
  /** 第N回 within the fiscal year, given without gaps once the meeting is created. */
  seq?: number;
  status: MeetingStatus;
  /** When the status last changed (deliberation opened, meeting closed or cancelled). */
  statusChangedAt?: string;
  /** Why a cancelled meeting was cancelled (中止の理由), as members were told. */
  cancelledReason?: string;
  /**
   * Set once the agenda's frame (開会, 諮問書授受, 次回開催日程, 閉会) is made of real items the
   * secretariat edits, removes and moves. Without it (meetings from before free agendas, or not
   * edited yet) the frame is implied around the items, as the fixed 会議次第 always printed it.
   */
  agendaFramed?: boolean;
  createdAt: string;
  version: number;
}

/** 令和4年度第2回調布市個人情報保護審査会, or …(書面審議) for a decision in writing. */
export function meetingName(council: Pick<Council, 'name'>, m: Pick<Meeting, 'fiscalYear' | 'seq' | 'date' | 'kind'>): string {
  return `${formatFiscalYear(m.fiscalYear, m.date)}第${m.seq ?? '?'}回${council.name}${m.kind === 'written' ? '(書面審議)' : ''}`;
}

/** 令和4年7月11日(月) 10:00〜11:20(2022年7月11日); for a written decision, its voting deadline. */
export function meetingWhen(m: Pick<Meeting, 'date' | 'startTime' | 'endTime' | 'kind'>): string {
  if (m.kind === 'written') return `${formatEraDate(m.date)}(${formatWesternDate(m.date)})`;
  const time = m.startTime ? ` ${m.startTime}${m.endTime ? `〜${m.endTime}` : '〜'}` : '';
  return `${formatEraDate(m.date)}${time}(${formatWesternDate(m.date)})`;
}

const time = (label: string) => z.string().check(z.trim(), z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label}は 10:00 の形で入力してください。`));

const requestId = z.lazy(() => z.string().check(z.regex(ID_PATTERN, 'フォームを開き直してください。')));

/** The new-meeting form: a meeting needs its place and time; a written decision its deadline. */
export const meetingInput = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [
      z
        .object({
          kind: z.literal('meeting'),
          requestId,
          date: isoDate('開催日'),
          startTime: time('開始時刻'),
          endTime: z.optional(z.union([z.literal(''), time('終了時刻')])),
          venue: z.string().check(z.trim(), z.minLength(1, '開催場所を入力してください。'), z.maxLength(100, '開催場所は100文字以内で入力してください。')),
          publicObservation: z.enum(['yes', 'no'], { error: '傍聴の可否を選んでください。' }),
          closedReason: z.optional(z.string().check(z.trim(), z.maxLength(400, '非公開の理由は400文字以内で入力してください。'))),
        })
        .check(
          z.refine((m) => m.publicObservation === 'yes' || Boolean(m.closedReason), {
            path: ['closedReason'],
            message: '傍聴できない場合は、その理由を入力してください。',
          }),
        ),
      z.object({ kind: z.literal('written'), requestId, date: isoDate('表決期限') }),
    ],
    { error: '会議か書面審議かを選んでください。' },
  ),
);
export type MeetingInput = z.output<typeof meetingInput>;

/**
 * A planned meeting's number within its fiscal year (第N回): proposed when it is created, and
 * changed by the secretariat when the council's own count differs (a meeting held outside the system).
 */
export const meetingNumberInput = z.lazy(() =>
  z.object({
    seq: z.pipe(
      z.string({ error: '何回目の会議かを入力してください。' }).check(z.trim(), z.regex(/^[1-9]\d{0,2}$/, '回数は1から999までの数字で入力してください。')),
      z.transform(Number),
    ),
    version: z.pipe(z.string().check(z.regex(/^\d+$/, 'ページを開き直してください。')), z.transform(Number)),
  }),
);
export type MeetingNumberInput = z.output<typeof meetingNumberInput>;

/** The changes a planned meeting may take: its date, time and place (or deadline), and its number. */
export function meetingChanges(input: MeetingInput): Pick<Meeting, 'date' | 'startTime' | 'endTime' | 'venue' | 'publicObservation' | 'closedReason'> {
  const { meetingId: _id, kind: _kind, fiscalYear: _fy, status: _s, createdAt: _c, version: _v, ...changes } = newMeeting(input, '');
  return changes;
}

export const cancelMeetingInput = z.lazy(() =>
  z.object({
    reason: z
      .string({ error: '中止の理由を入力してください。' })
      .check(z.trim(), z.minLength(1, '中止の理由を入力してください。'), z.maxLength(400, '中止の理由は400文字以内で入力してください。')),
  }),
);
export type CancelMeetingInput = z.output<typeof cancelMeetingInput>;

export function newMeeting(input: MeetingInput, now: string): Meeting {
  const base = {
    meetingId: input.requestId,
    kind: input.kind,
    date: input.date,
    fiscalYear: fiscalYear(input.date),
    status: 'planned' as const,
    createdAt: now,
    version: 1,
  };
  if (input.kind === 'written') return base;
  return {
    ...base,
    startTime: input.startTime,
    ...(input.endTime ? { endTime: input.endTime } : {}),
    venue: input.venue,
    publicObservation: input.publicObservation === 'yes',
    ...(input.publicObservation === 'no' ? { closedReason: input.closedReason } : {}),
  };
}

/** What the council decided on one agenda item (for every consultation in it). */
export interface Decision {
  outcome: DecisionOutcome;
  /** 付帯条件, one per entry, in the chair's final wording. */
  conditions: string[];
  /** 意見・要望: attached to an approval and followed up, but not binding (可(意見付き)). */
  opinions?: string[];
  decidedAt: string;
  decidedBy: string;
}

/**
 * What an agenda line is: the frame (開会, 諮問書授受, 次回開催日程, 閉会), a greeting (挨拶), a
 * deliberation (one case, or bundled cases), a report, an explanation (説明, possibly 次第外),
 * other business. Labels and numbering are in agenda.ts.
 */
export type AgendaItemKind = 'opening' | 'greeting' | 'handover' | 'deliberation' | 'report' | 'explanation' | 'other' | 'next_meeting' | 'closing';

/** A request raised under a report item (「次回報告してください」): a follow-up for a department. */
export interface AgendaRequest {
  text: string;
  departmentId: string;
  /** 'YYYY-MM-DD' */
  due: string;
  followUpId: string;
  at: string;
}

/** The next meeting as the 次回開催日程 item records it, and the meeting it created. */
export interface NextMeetingPlan {
  date: string;
  startTime: string;
  venue: string;
  meetingId: string;
}

/** One line of the 会議次第 that carries business: a deliberation (one case, or bundled cases), a report, other business. */
export interface AgendaItem {
  itemId: string;
  kind: AgendaItemKind;
  order: number;
  title: string;
  /** One consultation, or several on one shared system deliberated together (一括諮問) with one vote. */
  consultationIds: string[];
  /** When it was put on the agenda. */
  addedAt?: string;
  /** What is said or reported under the item (free text; not for deliberations). */
  text?: string;
  /** 次第外: said at the meeting but not on the announced agenda (a 説明 item); printed unnumbered. */
  outsideAgenda?: boolean;
  /** Requests a report item raised, each followed up with a department. */
  requests?: AgendaRequest[];
  /** 次回開催日程: the next meeting's date, time and place, and the meeting created for it. */
  next?: NextMeetingPlan;
  /** Taken off the agenda (kept for the record; lists leave it out). */
  removedAt?: string;
  removedBy?: string;
  /** 説明員 */
  explainers?: string;
  decision?: Decision;
  /** A vote by signed links (書面審議), while open and after. */
  voting?: VotingRound;
  /** One ballot per member, by member id: the last one cast counts. */
  ballots?: Record<string, Ballot>;
  /** At a meeting: the members present for this item (a member who left does not vote on it). */
  present?: string[];
  /** How the hands were recorded: 全員挙手 at once, or member by member (the minutes write it as it was). */
  handsMode?: 'all' | 'each';
  /**
   * At a meeting, when the presiding officer settles the wording of the conditions and opinions
   * on the chair's page (at or after the meeting): what was proposed, and once settled, when.
   */
  chairWording?: { status: 'awaiting' | 'settled'; conditions: string[]; opinions: string[]; proposedAt: string; settledAt?: string };
}

export const isBundled = (item: AgendaItem) => item.consultationIds.length > 1;

/** A hand-over to a case's workflow that an interrupted request left undone. */
export interface PendingHandOver {
  itemId: string;
  consultationId: string;
  /** Put on the agenda, opened for deliberation, or decided — but the case was not moved on. */
  step: 'schedule' | 'deliberate' | 'decide' | 'open_vote';
}

/** A hand-over still undone this long after its request was made was cut off (a request lasts seconds). */
export const HAND_OVER_GRACE_MS = 15_000;

/**
 * What the meeting has done that its cases have not followed yet (a request cut off between
 * its own record and the workflow hand-over). Only cases that wait with a token count, and only
 * once the grace has passed: until then the workflow may simply still be moving.
 */
export function pendingHandOvers(
  meeting: Pick<Meeting, 'status' | 'kind' | 'statusChangedAt' | 'createdAt'>,
  agenda: readonly AgendaItem[],
  cases: ReadonlyMap<string, Pick<Consultation, 'status' | 'taskToken'>>,
  now: Date,
): PendingHandOver[] {
  const overdue = (at: string | undefined) => now.getTime() - Date.parse(at ?? meeting.createdAt) > HAND_OVER_GRACE_MS;
  const opened = meeting.status !== 'planned' && overdue(meeting.statusChangedAt);
  const pending: PendingHandOver[] = [];
  for (const item of agenda.filter((i) => i.kind === 'deliberation')) {
    if (meeting.kind === 'written' && meeting.status === 'in_session' && opened && !item.voting && !item.decision)
      pending.push({ itemId: item.itemId, consultationId: item.consultationIds[0] ?? '', step: 'open_vote' });
    for (const consultationId of item.consultationIds) {
      const c = cases.get(consultationId);
      if (!c?.taskToken) continue;
      if (c.status === 'accepted' && overdue(item.addedAt)) pending.push({ itemId: item.itemId, consultationId, step: 'schedule' });
      else if (c.status === 'scheduled' && opened) pending.push({ itemId: item.itemId, consultationId, step: 'deliberate' });
      else if (c.status === 'in_deliberation' && item.decision && overdue(item.decision.decidedAt))
        pending.push({ itemId: item.itemId, consultationId, step: 'decide' });
    }
  }
  return pending;
}

const lines = (v: string | undefined) =>
  (v ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The chair's final wording of an item's conditions and opinions (one per line; none turns 条件付き可 into 可). */
export const conditionsInput = z.object({
  conditions: z.pipe(z.optional(z.string().check(z.maxLength(8000, '条件は8000文字以内で入力してください。'))), z.transform(lines)),
  opinions: z.pipe(z.optional(z.string().check(z.maxLength(8000, '意見・要望は8000文字以内で入力してください。'))), z.transform(lines)),
});

export const HAND_CHOICES = { approve: '可(挙手)', reject: '否', abstain: '棄権', recuse: '利害関係により表決に加わらない' } as const;
type HandChoice = keyof typeof HAND_CHOICES;

/** The show of hands as the secretariat records it: how, who was present, each present member's hand, the conditions. */
export interface HandsCommand {
  mode: 'all' | 'each' | 'continue';
  present: string[];
  /** `vote.<memberId>` when each member is recorded. */
  votes: Record<string, string>;
  conditions: string[];
  /** 意見・要望 attached to an approval (not binding). */
  opinions?: string[];
  /** 'chair': the presiding officer settles the wording on the chair's page before the decision is issued. */
  wording?: 'chair';
}

/**
 * Reads the show-of-hands form: `mode` (all / each / continue), `present` member ids,
 * `vote.<memberId>` when each member is recorded, and `conditions` one per line.
 */
export function readHandsCommand(
  form: Record<string, string | string[]>,
): { ok: true; value: HandsCommand } | { ok: false; errors: Record<string, string>; values: Record<string, string | string[]> } {
  const errors: Record<string, string> = {};
  const mode = String(form['mode'] ?? '');
  if (mode !== 'all' && mode !== 'each' && mode !== 'continue') errors['mode'] = '表決の記録のしかたを選んでください。';
  const conditionsText = String(form['conditions'] ?? '');
  if (conditionsText.length > 8000) errors['conditions'] = '条件は8000文字以内で入力してください。';
  const opinionsText = String(form['opinions'] ?? '');
  if (opinionsText.length > 8000) errors['opinions'] = '意見・要望は8000文字以内で入力してください。';
  if (Object.keys(errors).length) return { ok: false, errors, values: form };
  const votes = Object.fromEntries(
    Object.entries(form)
      .filter(([k]) => k.startsWith('vote.'))
      .map(([k, v]) => [k.slice(5), String([v].flat()[0] ?? '')]),
  );
  return {
    ok: true,
    value: {
      mode: mode as HandsCommand['mode'],
      present: [...new Set([form['present'] ?? []].flat())],
      votes,
      conditions: lines(conditionsText),
      opinions: lines(opinionsText),
      ...(form['wording'] === 'chair' ? { wording: 'chair' as const } : {}),
    },
  };
}

/**
 * The ballots a show of hands gives the council's members. Only present members get a ballot,
 * so a member who left before the item does not vote on it; each present member needs a hand
 * when they are recorded one by one. Problems come back by the field they belong to.
 */
export function ballotsFromHands(
  hands: HandsCommand,
  memberIds: readonly string[],
  now: string,
): { ok: true; present: string[]; ballots: Record<string, Ballot> } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const present = hands.present.filter((id) => memberIds.includes(id));
  if (hands.mode !== 'continue' && present.length === 0) errors['present'] = 'この議題に出席している委員を選んでください。';
  const ballots: Record<string, Ballot> = {};
  for (const memberId of present) {
    const raw = hands.mode === 'all' ? 'approve' : (hands.votes[memberId] ?? '');
    if (!Object.hasOwn(HAND_CHOICES, raw)) {
      errors[`vote.${memberId}`] = '挙手の結果を選んでください。';
      continue;
    }
    ballots[memberId] = { memberId, choice: raw as HandChoice, conditions: [], castAt: now, source: 'meeting' };
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, present, ballots };
}

/** The form read and checked against the roster in one step (both of the above). */
export function readHands(form: Record<string, string | string[]>, memberIds: readonly string[], now: string) {
  const command = readHandsCommand(form);
  if (!command.ok) return command;
  const read = ballotsFromHands(command.value, memberIds, now);
  if (!read.ok) return { ok: false as const, errors: read.errors, values: form };
  return {
    ok: true as const,
    mode: command.value.mode,
    present: read.present,
    ballots: read.ballots,
    conditions: command.value.conditions,
    opinions: command.value.opinions,
  };
}

/** Agenda items in the order the secretariat set, deliberations numbered (1), (2) … as in real minutes. */
export function orderedAgenda(items: readonly AgendaItem[]): AgendaItem[] {
  return [...items].sort((a, b) => a.order - b.order || a.itemId.localeCompare(b.itemId));
}

/** Moves an item one place up or down; returns the new order values to write. */
export function moveItem(items: readonly AgendaItem[], itemId: string, direction: 'up' | 'down'): { itemId: string; order: number }[] {
  const ordered = orderedAgenda(items);
  const i = ordered.findIndex((x) => x.itemId === itemId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= ordered.length) return [];
  [ordered[i], ordered[j]] = [ordered[j]!, ordered[i]!];
  return ordered.map((x, k) => ({ itemId: x.itemId, order: k + 1 })).filter((x, k) => items.find((y) => y.itemId === x.itemId)!.order !== k + 1);
}
