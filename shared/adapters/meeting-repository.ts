import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgendaItem, Decision, Meeting, MeetingStatus } from '#shared/domain/meeting.ts';
import type { Minutes } from '#shared/domain/minutes.ts';
import type { Ballot, Tally, VotingRound } from '#shared/domain/voting.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { claimNext } from './sequence.ts';
import { patterns } from './store/access-patterns.ts';
import { agendaItem, meeting as meetingEntity, meetingCounter, minutes as minutesEntity, minutesExport, minutesVersion, type MinutesExport } from './store/entities.ts';
import { InvalidItemError } from './store/entity.ts';
import { add, and, append, assign, contains, eq, itemExists, not, notExists, or, set, setIfMissing } from './store/expressions.ts';
import { storeOf, type Store } from './store/store.ts';

export type { MinutesExport };

/** An open round as the reminder job reads it: the item, and the meeting it belongs to. */
export type OpenRound = AgendaItem & { roundOf: { councilId: string; meetingId: string } };
export type ExportChanges = Partial<Pick<MinutesExport, 'status' | 'progress' | 'percent' | 'objectKey' | 'fileName' | 'error' | 'finishedAt' | 'updatedAt'>>;

const ALREADY_DECIDED = 'この議題の結果は既に記録されています。';

/** Meetings (and written decisions) with their agendas, minutes and exports. */
export class MeetingRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** Creates the meeting once per form and gives it its 第N回 within the fiscal year. */
  async create(councilId: string, meeting: Meeting): Promise<Meeting> {
    const created = await this.store.create(meetingEntity, { councilId, meetingId: meeting.meetingId }, meeting, { onConditionFailure: false });
    if (!created) {
      const existing = await this.get(councilId, meeting.meetingId);
      if (existing.seq) return existing;
    }
    const seq = await claimNext(this.store, {
      counter: { entity: meetingCounter, read: patterns.getMeetingCounter, params: { councilId, fiscalYear: meeting.fiscalYear } },
      claimant: meeting.meetingId,
      item: { entity: meetingEntity, read: patterns.getMeeting, paramsOf: (id) => ({ councilId, meetingId: id }) },
      attribute: 'seq',
      valueOf: (n) => n,
    });
    return { ...meeting, seq };
  }

  get(councilId: string, meetingId: string): Promise<Meeting> {
    return this.store.get(patterns.getMeeting, { councilId, meetingId }, () => new NotFoundError('会議が見つかりません。'));
  }

  /** A council's meetings, latest date first. */
  async list(councilId: string): Promise<Meeting[]> {
    const meetings = await this.store.query(patterns.listMeetings, { councilId });
    return meetings.sort((a, b) => b.date.localeCompare(a.date));
  }

  /** Moves the meeting on from `from` only; `at` is kept as when it changed (the opening, the close). */
  async setStatus(councilId: string, meetingId: string, from: MeetingStatus, to: MeetingStatus, at: string): Promise<void> {
    await this.store.update(meetingEntity, { councilId, meetingId }, assign({ status: to, statusChangedAt: at }), {
      if: eq('status', from),
      onConditionFailure: () => new ConflictError('会議の状態が変わっています。最新の状態を確認してください。'),
    });
  }

  agenda(councilId: string, meetingId: string): Promise<AgendaItem[]> {
    return this.store.query(patterns.agenda, { councilId, meetingId });
  }

  getItem(councilId: string, meetingId: string, itemId: string): Promise<AgendaItem> {
    return this.store.get(patterns.getAgendaItem, { councilId, meetingId, itemId }, () => new NotFoundError('議題が見つかりません。'));
  }

  /** Adds an item under a fresh id. */
  async putItem(councilId: string, meetingId: string, item: AgendaItem): Promise<void> {
    await this.store.create(agendaItem, { councilId, meetingId, itemId: item.itemId }, item);
  }

  async updateItem(councilId: string, meetingId: string, itemId: string, changes: Partial<Pick<AgendaItem, 'order' | 'explainers' | 'title'>>): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, assign(changes), { if: itemExists() });
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

  /** Opens the item's vote by signed links, listing it where the reminder job finds it. */
  async openVoting(councilId: string, meetingId: string, itemId: string, round: VotingRound): Promise<void> {
    await this.store.update(
      agendaItem,
      { councilId, meetingId, itemId },
      assign({ voting: round, ballots: {}, roundOf: { councilId, meetingId }, ...agendaItem.index('openRound').keys({ deadline: round.deadline, councilId, meetingId, itemId }) }),
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
   */
  castBallot(councilId: string, meetingId: string, itemId: string, round: number, ballot: Ballot): Promise<AgendaItem> {
    return this.store.updateAndRead(
      agendaItem,
      { councilId, meetingId, itemId },
      // Every ballot bumps the round's version: a close counts exactly the ballots of the version it read.
      [set(['ballots', ballot.memberId], ballot), add(['voting', 'ballotVersion'], 1)],
      {
        if: and(eq(['voting', 'status'], 'open'), eq(['voting', 'round'], round), contains(['voting', 'eligible'], ballot.memberId)),
        onConditionFailure: () => new ConflictError('この表決は締め切られました。'),
      },
    );
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
    const counted = round.ballotVersion ? eq(['voting', 'ballotVersion'], round.ballotVersion) : notExists(['voting', 'ballotVersion']);
    // The round stays on the job's list until its decision is recorded, so a failed hand-over is retried.
    return this.store.update(
      agendaItem,
      { councilId, meetingId, itemId },
      [set(['voting', 'status'], status), set(['voting', 'closedAt'], now), set(['voting', 'tally'], tally)],
      { if: and(eq(['voting', 'status'], 'open'), eq(['voting', 'round'], round.round), counted), onConditionFailure: false },
    );
  }

  /** The chair has settled the conditions' wording: the round is over. */
  async finishChairReview(councilId: string, meetingId: string, itemId: string): Promise<void> {
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, [set(['voting', 'status'], 'closed')], {
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

  /** Rounds still open in every council (for the scheduled job), with where they belong. */
  async openRounds(): Promise<OpenRound[]> {
    const items = await this.store.query(patterns.openRounds, {});
    return items.map((item) => {
      const roundOf = (item as Partial<OpenRound>).roundOf;
      // openVoting writes both together; an item on the index without it could not be found again.
      if (!roundOf) throw new InvalidItemError(agendaItem.type, { sk: agendaItem.sk.build({ itemId: item.itemId }) }, 'is on the open-rounds index without roundOf');
      return { ...item, roundOf };
    });
  }

  /** At a meeting: who was present for the item and how they raised hands, before the decision. */
  async recordHands(councilId: string, meetingId: string, itemId: string, present: string[], ballots: Record<string, Ballot>): Promise<void> {
    await this.store.update(agendaItem, { councilId, meetingId, itemId }, assign({ present, ballots }), {
      if: and(itemExists(), notExists('decision')),
      onConditionFailure: () => new ConflictError(ALREADY_DECIDED),
    });
  }

  getMinutes(councilId: string, meetingId: string): Promise<Minutes | undefined> {
    return this.store.get(patterns.getMinutes, { councilId, meetingId });
  }

  /** Keeps the first draft; if another editor created it first, theirs stands. */
  async createMinutes(councilId: string, minutes: Minutes): Promise<Minutes> {
    if (await this.store.create(minutesEntity, { councilId, meetingId: minutes.meetingId }, minutes, { onConditionFailure: false })) return minutes;
    return this.store.get(patterns.getMinutes, { councilId, meetingId: minutes.meetingId }, () => new NotFoundError('会議録が見つかりません。'));
  }

  /** Saves an edit only over the version the editor started from, and only while a draft. */
  async saveMinutes(councilId: string, minutes: Minutes, expectedVersion: number): Promise<void> {
    await this.store.put(minutesEntity, { councilId, meetingId: minutes.meetingId }, { ...minutes, version: expectedVersion + 1 }, {
      if: and(eq('version', expectedVersion), eq('status', 'draft')),
      onConditionFailure: () =>
        new ConflictError('他の方が先に会議録を保存したか、既に確定しています。あなたの入力は下に残してあります。最新の内容と見比べてから保存し直してください。'),
    });
  }

  /** Makes the minutes final and keeps that version as issued. */
  async finalizeMinutes(councilId: string, minutes: Minutes, now: string, by: string): Promise<Minutes> {
    const final: Minutes = { ...minutes, status: 'final', finalVersion: minutes.version, updatedAt: now, updatedBy: by };
    await this.store.put(minutesEntity, { councilId, meetingId: minutes.meetingId }, final, {
      if: and(eq('version', minutes.version), eq('status', 'draft')),
      onConditionFailure: () => new ConflictError('会議録は既に確定しているか、確定の直前に更新されました。'),
    });
    await this.store.put(minutesVersion, { councilId, meetingId: minutes.meetingId, version: minutes.version }, final);
    return final;
  }

  async putExport(councilId: string, meetingId: string, job: MinutesExport): Promise<void> {
    await this.store.create(minutesExport, { councilId, meetingId, exportId: job.exportId }, job);
  }

  /** A meeting's exports, oldest id first. */
  listExports(councilId: string, meetingId: string): Promise<MinutesExport[]> {
    return this.store.query(patterns.listExports, { councilId, meetingId });
  }

  getExport(councilId: string, meetingId: string, exportId: string): Promise<MinutesExport> {
    return this.store.get(patterns.getExport, { councilId, meetingId, exportId }, () => new NotFoundError('出力が見つかりません。'));
  }

  async updateExport(councilId: string, meetingId: string, exportId: string, changes: ExportChanges): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.store.update(minutesExport, { councilId, meetingId, exportId }, assign(changes), { if: itemExists() });
  }
}
