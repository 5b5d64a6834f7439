import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgendaItem, AgendaRequest, Decision, NextMeetingPlan } from '#shared/domain/meeting.ts';
import type { Ballot, Tally, VotingRound } from '#shared/domain/voting.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { agendaItem, LEGACY_PARTITIONS } from './store/entities.ts';
import { InvalidItemError } from './store/entity.ts';
import { add, and, append, assign, contains, eq, exists, itemExists, not, notExists, or, set, setIfMissing, sizeIs } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';
import { GSI1, TABLE_KEYS } from './store/table.ts';

/** An open round as the reminder job reads it: the item, and the meeting it belongs to. */
export type OpenRound = AgendaItem & { roundOf: { councilId: string; meetingId: string } };

const ALREADY_DECIDED = 'この議題の結果は既に記録されています。';

/** The day (Tokyo) of an ISO instant: what the hourly job's list is ordered by. */
const tokyoDay = (iso: string) => new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 10);

/** A meeting's agenda: its items, their voting rounds and ballots, hands raised and decisions. */
export class AgendaRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** The meeting's items (in key order; orderedAgenda sorts them as the secretariat set); removed ones are left out. */
  async list(councilId: string, meetingId: string): Promise<AgendaItem[]> {
    return (await this.store.query(patterns.agenda, { councilId, meetingId })).filter((i) => !i.removedAt);
  }

  async get(councilId: string, meetingId: string, itemId: string): Promise<AgendaItem> {
    const item = await this.store.get(patterns.getAgendaItem, { councilId, meetingId, itemId }, () => new NotFoundError('議題が見つかりません。'));
    if (item.removedAt) throw new NotFoundError('議題が見つかりません。');
    return item;
  }

  /** Adds an item under a fresh id. */
  async add(councilId: string, meetingId: string, item: AgendaItem): Promise<void> {
    await this.store.create(agendaItem, { councilId, meetingId, itemId: item.itemId }, item);
  }

  /** Adds an item under a fixed id once (a frame line): false if it is there already. */
  addOnce(councilId: string, meetingId: string, item: AgendaItem): Promise<boolean> {
    return this.store.create(agendaItem, { councilId, meetingId, itemId: item.itemId }, item, { onConditionFailure: false });
  }

  async update(
    councilId: string,
    meetingId: string,
    itemId: string,
    changes: Partial<Pick<AgendaItem, 'order' | 'explainers' | 'title' | 'text' | 'outsideAgenda'>>,
  ): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, assign(changes), { if: and(itemExists(), notExists('removedAt')) });
  }

  /**
   * Takes an item off the agenda. The item is kept, marked removed (when and by whom), so what
   * was on the agenda can still be told; no list shows it. A decided item is never removed.
   */
  async remove(councilId: string, meetingId: string, itemId: string, at: string, by: string): Promise<void> {
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, assign({ removedAt: at, removedBy: by }), {
      if: and(itemExists(), notExists('decision')),
      onConditionFailure: () => new ConflictError(ALREADY_DECIDED),
    });
  }

  /** A request raised under a report item, once: refused if another was recorded since the item was read (`before` requests). */
  async addRequest(councilId: string, meetingId: string, itemId: string, request: AgendaRequest, before: number): Promise<void> {
    const write = before ? [append('requests', [request])] : assign({ requests: [request] });
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, write, {
      if: and(itemExists(), before ? sizeIs('requests', before) : notExists('requests')),
      onConditionFailure: () => new ConflictError('この議題の報告の求めは他の人が変更しました。ページを読み込み直してください。'),
    });
  }

  /** The next meeting as the 次回開催日程 item records it; the meeting it names is set the first time only. */
  async setNext(councilId: string, meetingId: string, itemId: string, next: NextMeetingPlan): Promise<void> {
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, assign({ next }), {
      if: and(itemExists(), or(notExists('next'), eq(['next', 'meetingId'], next.meetingId))),
      onConditionFailure: () => new ConflictError('次回の会議は既に登録されています。ページを読み込み直してください。'),
    });
  }

  /**
   * Records an item's decision once. Recording the same outcome again (a retry after the
   * workflow could not be moved on) is accepted; a different decision is refused.
   */
  async recordDecision(councilId: string, meetingId: string, itemId: string, decision: Decision): Promise<void> {
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, [setIfMissing('decision', decision)], {
      if: and(itemExists(), or(notExists('decision'), eq(['decision', 'outcome'], decision.outcome))),
      onConditionFailure: () => new ConflictError(ALREADY_DECIDED),
    });
  }

  /** Takes an item off the voting job's list once its decision has reached every case. */
  async retireRound(councilId: string, meetingId: string, itemId: string): Promise<void> {
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, agendaItem.index('openRound').remove(), { if: itemExists() });
  }

  /** Opens the item's vote by signed links, listing it where the hourly job finds it (by its deadline). */
  async openVoting(councilId: string, meetingId: string, itemId: string, round: VotingRound): Promise<void> {
    await this.store.update(
      agendaItem,
      { councilId, meetingId, itemId },
      assign({
        voting: round,
        ballots: {},
        roundOf: { councilId, meetingId },
        ...agendaItem.index('openRound').keys({ due: round.deadline, councilId, meetingId, itemId }),
      }),
      {
        if: and(itemExists(), notExists('voting'), notExists('decision')),
        onConditionFailure: () => new ConflictError('この議題の表決は既に始まっています。'),
      },
    );
  }

  /**
   * Records a member's ballot in the open round: one per member (a new one replaces the
   * old), only while the round is open, only for an eligible member. Ballots of different
   * members are separate map entries, so simultaneous votes never overwrite each other.
   *
   * The ballot that completes the round (every other eligible member has voted) also makes the
   * round due today on the hourly job's list, in the same write: if the close that follows is
   * cut off, the next run finds the round without reading rounds that are not due.
   */
  async castBallot(
    councilId: string,
    meetingId: string,
    itemId: string,
    round: number,
    ballot: Ballot,
    last?: { eligible: readonly string[]; today: string },
  ): Promise<AgendaItem> {
    const params = { councilId, meetingId, itemId };
    // Every ballot bumps the round's version: a close counts exactly the ballots of the version it read.
    const actions = [set(['ballots', ballot.memberId], ballot), add(['voting', 'ballotVersion'], 1)];
    const open = and(eq(['voting', 'status'], 'open'), eq(['voting', 'round'], round), contains(['voting', 'eligible'], ballot.memberId));
    const conflict = () => new ConflictError('この表決は締め切られました。');
    const others = last?.eligible.filter((id) => id !== ballot.memberId) ?? [];
    if (last) {
      const completes = others.length ? and(open, ...others.map((id) => exists(['ballots', id]))) : open;
      const due = agendaItem.index('openRound').keys({ due: last.today, ...params });
      const item = await this.store.updateAndReadIf(agendaItem, params, [...actions, ...assign(due)], completes);
      if (item) return item;
    }
    return this.store.updateAndRead(agendaItem, params, actions, { if: open, onConditionFailure: conflict });
  }

  /**
   * Closes the round once: to 'closed', or to 'awaiting_chair' when conditions need the chair's wording —
   * and only over the ballots the tally was made from (`ballotVersion`). False when a ballot was
   * stored in between or someone else closed the round: the caller reads the item again.
   */
  closeVoting(
    councilId: string,
    meetingId: string,
    itemId: string,
    round: Pick<VotingRound, 'round' | 'ballotVersion'>,
    status: 'closed' | 'awaiting_chair',
    tally: Tally,
    now: string,
  ): Promise<boolean> {
    // Closed, the decision is handed over next: due at once on the job's list, so a failed hand-over is retried next run.
    const due = status === 'closed' ? assign(agendaItem.index('openRound').keys({ due: tokyoDay(now), councilId, meetingId, itemId })) : [];
    const counted = round.ballotVersion ? eq(['voting', 'ballotVersion'], round.ballotVersion) : notExists(['voting', 'ballotVersion']);
    // The round stays on the job's list until its decision is recorded, so a failed hand-over is retried.
    return this.store.update(
      agendaItem,
      { councilId, meetingId, itemId },
      [set(['voting', 'status'], status), set(['voting', 'closedAt'], now), set(['voting', 'tally'], tally), ...due],
      { if: and(eq(['voting', 'status'], 'open'), eq(['voting', 'round'], round.round), counted), onConditionFailure: false },
    );
  }

  /** The chair has settled the conditions' wording: the round is over. */
  async finishChairReview(councilId: string, meetingId: string, itemId: string, now: string): Promise<void> {
    const due = agendaItem.index('openRound').keys({ due: tokyoDay(now), councilId, meetingId, itemId });
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, [set(['voting', 'status'], 'closed'), ...assign(due)], {
      if: eq(['voting', 'status'], 'awaiting_chair'),
      onConditionFailure: () => new ConflictError('条件の確定は既に済んでいます。'),
    });
  }

  /** Notes a reminder milestone as sent; false if it was already (a job run twice mails once). */
  markReminded(councilId: string, meetingId: string, itemId: string, milestone: string): Promise<boolean> {
    return this.store.update(agendaItem, { councilId, meetingId, itemId }, [append(['voting', 'reminded'], [milestone])], {
      if: and(eq(['voting', 'status'], 'open'), not(contains(['voting', 'reminded'], milestone))),
      onConditionFailure: false,
    });
  }

  /**
   * A council's rounds still on the hourly job's list that are due before `before` (a YYYY-MM-DD
   * day: the deadline while open, the day it closed or was completed otherwise), with where they belong.
   */
  async dueRounds(councilId: string, before: string): Promise<OpenRound[]> {
    const items = await this.store.query(patterns.dueRounds, { councilId }, { bound: before });
    return items.map((item) => {
      const roundOf = (item as Partial<OpenRound>).roundOf;
      // openVoting writes both together; an item on the index without it could not be found again.
      if (!roundOf)
        throw new InvalidItemError(agendaItem.type, { sk: agendaItem.sk.build({ itemId: item.itemId }) }, 'is on the open-rounds index without roundOf');
      return { ...item, roundOf };
    });
  }

  /**
   * Moves one page (`limit` items) of the index partition earlier versions listed every
   * council's open rounds in to each round's own council's list; returns how many it moved.
   * A round retired meanwhile is left alone (the condition names the old partition).
   */
  async migrateLegacyRounds(limit: number, today: string): Promise<number> {
    const items = await this.store.items.query({ index: GSI1, partition: LEGACY_PARTITIONS.openRounds, limit });
    for (const raw of items) {
      const item = agendaItem.decode(raw) as OpenRound;
      const key = { pk: raw[TABLE_KEYS.partition] as string, sk: raw[TABLE_KEYS.sort] as string };
      if (!item.roundOf || !item.voting) {
        await this.store.items.update(key, agendaItem.index('openRound').remove(), eq(GSI1.partition, LEGACY_PARTITIONS.openRounds));
        continue;
      }
      const due = item.voting.status === 'open' ? item.voting.deadline : today;
      const keys = agendaItem.index('openRound').keys({ due, councilId: item.roundOf.councilId, meetingId: item.roundOf.meetingId, itemId: item.itemId });
      await this.store.items.update(key, assign(keys), eq(GSI1.partition, LEGACY_PARTITIONS.openRounds));
    }
    return items.length;
  }

  /** At a meeting: who was present for the item and how they raised hands, before the decision. */
  async recordHands(
    councilId: string,
    meetingId: string,
    itemId: string,
    present: string[],
    ballots: Record<string, Ballot>,
    handsMode: 'all' | 'each' = 'all',
  ): Promise<void> {
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, assign({ present, ballots, handsMode }), {
      if: and(itemExists(), notExists('decision')),
      onConditionFailure: () => new ConflictError(ALREADY_DECIDED),
    });
  }
}
