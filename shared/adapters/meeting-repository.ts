import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgendaItem, Decision, Meeting, MeetingStatus } from '#shared/domain/meeting.ts';
import type { Minutes, MinutesExport } from '#shared/domain/minutes.ts';
import type { Ballot, Tally, VotingRound } from '#shared/domain/voting.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { accessPatterns, keys } from '#shared/keys.ts';
import { queryAll, queryIndex, withoutKeys } from './dynamo-items.ts';
import { claimNext } from './sequence.ts';

const isConditionFailure = (e: unknown) => e instanceof ConditionalCheckFailedException;

export type { MinutesExport } from '#shared/domain/minutes.ts';

/** Meetings (and written decisions) with their agendas. */
export class MeetingRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates the meeting once per form and gives it its 第N回 within the fiscal year. */
  async create(councilId: string, meeting: Meeting): Promise<Meeting> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...keys.meeting(councilId, meeting.meetingId), ...meeting }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const existing = await this.get(councilId, meeting.meetingId);
      if (existing.seq) return existing;
    }
    const seq = await claimNext(this.db, this.tableName, {
      counterKey: keys.meetingCounter(councilId, meeting.fiscalYear),
      claimant: meeting.meetingId,
      keyOf: (id) => keys.meeting(councilId, id),
      attribute: 'seq',
      valueOf: (n) => n,
    });
    return { ...meeting, seq };
  }

  async get(councilId: string, meetingId: string): Promise<Meeting> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.meeting(councilId, meetingId), ConsistentRead: true }));
    if (!Item) throw new NotFoundError('会議が見つかりません。');
    return withoutKeys<Meeting>(Item);
  }

  async list(councilId: string): Promise<Meeting[]> {
    const p = accessPatterns.listMeetings(councilId);
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': p.partition, ':prefix': p.sortPrefix },
    });
    return items.map((i) => withoutKeys<Meeting>(i)).sort((a, b) => b.date.localeCompare(a.date));
  }

  async agenda(councilId: string, meetingId: string): Promise<AgendaItem[]> {
    const p = accessPatterns.agenda(councilId, meetingId);
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': p.partition, ':prefix': p.sortPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<AgendaItem>(i));
  }

  async putItem(councilId: string, meetingId: string, item: AgendaItem): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.agendaItem(councilId, meetingId, item.itemId), ...item }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async updateItem(councilId: string, meetingId: string, itemId: string, changes: Partial<Pick<AgendaItem, 'order' | 'explainers' | 'title'>>): Promise<void> {
    const names = Object.keys(changes);
    if (names.length === 0) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.agendaItem(councilId, meetingId, itemId),
        UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
        ExpressionAttributeValues: Object.fromEntries(Object.entries(changes).map(([n, v]) => [`:${n}`, v])),
      }),
    );
  }

  /**
   * Records an item's decision once. Recording the same outcome again (a retry after the
   * workflow could not be moved on) is accepted; a different decision is refused.
   */
  async recordDecision(councilId: string, meetingId: string, itemId: string, decision: Decision): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          UpdateExpression: 'SET decision = if_not_exists(decision, :decision)',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(decision) OR decision.outcome = :outcome)',
          ExpressionAttributeValues: { ':decision': decision, ':outcome': decision.outcome },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この議題の結果は既に記録されています。');
      throw e;
    }
  }

  /** Takes an item off the voting job's list once its decision has reached every case. */
  async retireRound(councilId: string, meetingId: string, itemId: string): Promise<void> {
    await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: keys.agendaItem(councilId, meetingId, itemId), UpdateExpression: 'REMOVE gsi1pk, gsi1sk' }));
  }

  async getItem(councilId: string, meetingId: string, itemId: string): Promise<AgendaItem> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.agendaItem(councilId, meetingId, itemId), ConsistentRead: true }));
    if (!Item) throw new NotFoundError('議題が見つかりません。');
    return withoutKeys<AgendaItem>(Item);
  }

  /** Opens the item's vote by signed links, listing it where the reminder job finds it. */
  async openVoting(councilId: string, meetingId: string, itemId: string, round: VotingRound): Promise<void> {
    const open = keys.openRound(round.deadline, councilId, meetingId, itemId);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          UpdateExpression: 'SET voting = :round, ballots = :none, roundOf = :of, gsi1pk = :gpk, gsi1sk = :gsk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(voting) AND attribute_not_exists(decision)',
          ExpressionAttributeValues: { ':round': round, ':none': {}, ':of': { councilId, meetingId }, ':gpk': open.gsi1pk, ':gsk': open.gsi1sk },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この議題の表決は既に始まっています。');
      throw e;
    }
  }

  /**
   * Records a member's ballot in the open round: one per member (a new one replaces the
   * old), only while the round is open, only for an eligible member. Ballots of different
   * members are separate map entries, so simultaneous votes never overwrite each other.
   */
  async castBallot(councilId: string, meetingId: string, itemId: string, round: number, ballot: Ballot): Promise<AgendaItem> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          // Every ballot bumps the round's version: a close counts exactly the ballots of the version it read.
          UpdateExpression: 'SET ballots.#member = :ballot ADD voting.ballotVersion :one',
          ConditionExpression: 'voting.#status = :open AND voting.round = :round AND contains(voting.eligible, :memberId)',
          ExpressionAttributeNames: { '#member': ballot.memberId, '#status': 'status' },
          ExpressionAttributeValues: { ':ballot': ballot, ':open': 'open', ':round': round, ':memberId': ballot.memberId, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return withoutKeys<AgendaItem>(Attributes!);
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この表決は締め切られました。');
      throw e;
    }
  }

  /**
   * Closes the round once: to 'closed', or to 'awaiting_chair' when conditions need the chair's wording —
   * and only over the ballots the tally was made from (`ballotVersion`). False when a ballot was
   * stored in between or someone else closed the round: the caller reads the item again.
   */
  async closeVoting(
    councilId: string,
    meetingId: string,
    itemId: string,
    round: Pick<VotingRound, 'round' | 'ballotVersion'>,
    status: 'closed' | 'awaiting_chair',
    tally: Tally,
    now: string,
  ): Promise<boolean> {
    const counted = round.ballotVersion ? 'voting.ballotVersion = :version' : 'attribute_not_exists(voting.ballotVersion)';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          // The round stays on the job's list until its decision is recorded, so a failed hand-over is retried.
          UpdateExpression: 'SET voting.#status = :status, voting.closedAt = :now, voting.tally = :tally',
          ConditionExpression: `voting.#status = :open AND voting.round = :round AND ${counted}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': now,
            ':tally': tally,
            ':open': 'open',
            ':round': round.round,
            ...(round.ballotVersion ? { ':version': round.ballotVersion } : {}),
          },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** The chair has settled the conditions' wording: the round is over. */
  async finishChairReview(councilId: string, meetingId: string, itemId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          UpdateExpression: 'SET voting.#status = :closed',
          ConditionExpression: 'voting.#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':closed': 'closed', ':awaiting': 'awaiting_chair' },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('条件の確定は既に済んでいます。');
      throw e;
    }
  }

  /** Notes a reminder milestone as sent; false if it was already (a job run twice mails once). */
  async markReminded(councilId: string, meetingId: string, itemId: string, milestone: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          UpdateExpression: 'SET voting.reminded = list_append(voting.reminded, :m)',
          ConditionExpression: 'voting.#status = :open AND NOT contains(voting.reminded, :milestone)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':m': [milestone], ':milestone': milestone, ':open': 'open' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** Rounds still open in every council (for the scheduled job), with where they belong. */
  openRounds(): Promise<(AgendaItem & { roundOf: { councilId: string; meetingId: string } })[]> {
    return queryIndex(this.db, this.tableName, accessPatterns.openRounds());
  }

  /** At a meeting: who was present for the item and how they raised hands, before the decision. */
  async recordHands(councilId: string, meetingId: string, itemId: string, present: string[], ballots: Record<string, Ballot>): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          UpdateExpression: 'SET present = :present, ballots = :ballots',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(decision)',
          ExpressionAttributeValues: { ':present': present, ':ballots': ballots },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この議題の結果は既に記録されています。');
      throw e;
    }
  }

  async getMinutes(councilId: string, meetingId: string): Promise<Minutes | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.minutes(councilId, meetingId), ConsistentRead: true }));
    return Item ? withoutKeys<Minutes>(Item) : undefined;
  }

  /** Keeps the first draft; if another editor created it first, theirs stands. */
  async createMinutes(councilId: string, minutes: Minutes): Promise<Minutes> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.minutes(councilId, minutes.meetingId), ...minutes }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return minutes;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      return (await this.getMinutes(councilId, minutes.meetingId))!;
    }
  }

  /** Saves an edit only over the version the editor started from, and only while a draft. */
  async saveMinutes(councilId: string, minutes: Minutes, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.minutes(councilId, minutes.meetingId), ...minutes, version: expectedVersion + 1 },
          ConditionExpression: 'version = :expected AND #status = :draft',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expected': expectedVersion, ':draft': 'draft' },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('他の方が先に会議録を保存したか、既に確定しています。あなたの入力は下に残してあります。最新の内容と見比べてから保存し直してください。');
      throw e;
    }
  }

  /** Makes the minutes final and keeps that version as issued. */
  async finalizeMinutes(councilId: string, minutes: Minutes, now: string, by: string): Promise<Minutes> {
    const final: Minutes = { ...minutes, status: 'final', finalVersion: minutes.version, updatedAt: now, updatedBy: by };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.minutes(councilId, minutes.meetingId), ...final },
          ConditionExpression: 'version = :v AND #status = :draft',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':v': minutes.version, ':draft': 'draft' },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('会議録は既に確定しているか、確定の直前に更新されました。');
      throw e;
    }
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.minutesVersion(councilId, minutes.meetingId, minutes.version), ...final } }));
    return final;
  }

  async putExport(councilId: string, meetingId: string, job: MinutesExport): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.minutesExport(councilId, meetingId, job.exportId), ...job }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  /** A meeting's exports, oldest id first. */
  async listExports(councilId: string, meetingId: string): Promise<MinutesExport[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.minutesExport(councilId, meetingId, '').pk, ':prefix': 'EXPORT#' },
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<MinutesExport>(i));
  }

  async getExport(councilId: string, meetingId: string, exportId: string): Promise<MinutesExport> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.minutesExport(councilId, meetingId, exportId), ConsistentRead: true }));
    if (!Item) throw new NotFoundError('出力が見つかりません。');
    return withoutKeys<MinutesExport>(Item);
  }

  async updateExport(councilId: string, meetingId: string, exportId: string, changes: Partial<Pick<MinutesExport, 'status' | 'progress' | 'percent' | 'objectKey' | 'fileName' | 'error' | 'finishedAt' | 'updatedAt'>>): Promise<void> {
    const names = Object.keys(changes);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.minutesExport(councilId, meetingId, exportId),
        UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
        ExpressionAttributeValues: Object.fromEntries(Object.entries(changes).map(([n, v]) => [`:${n}`, v])),
      }),
    );
  }

  /** Moves the meeting from one status to the next; refused if it is not in `from`. */
  /** Moves the meeting on from `from` only; `at` is kept as when it changed (the opening, the close). */
  async setStatus(councilId: string, meetingId: string, from: MeetingStatus, to: MeetingStatus, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.meeting(councilId, meetingId),
          UpdateExpression: 'SET #status = :to, statusChangedAt = :at',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from, ':to': to, ':at': at },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('会議の状態が変わっています。最新の状態を確認してください。');
      throw e;
    }
  }
}
