import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgendaItem, Decision, Meeting, MeetingStatus } from '#shared/domain/meeting.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { accessPatterns, keys } from '#shared/keys.ts';
import { queryAll, withoutKeys } from './dynamo-items.ts';
import { claimNext } from './sequence.ts';

const isConditionFailure = (e: unknown) => e instanceof ConditionalCheckFailedException;

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

  /** Records an item's decision once; a second decision on the same item is refused. */
  async recordDecision(councilId: string, meetingId: string, itemId: string, decision: Decision): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agendaItem(councilId, meetingId, itemId),
          UpdateExpression: 'SET decision = :decision',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(decision)',
          ExpressionAttributeValues: { ':decision': decision },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この議題の結果は既に記録されています。');
      throw e;
    }
  }

  /** Moves the meeting from one status to the next; refused if it is not in `from`. */
  async setStatus(councilId: string, meetingId: string, from: MeetingStatus, to: MeetingStatus): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.meeting(councilId, meetingId),
          UpdateExpression: 'SET #status = :to',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from, ':to': to },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('会議の状態が変わっています。最新の状態を確認してください。');
      throw e;
    }
  }
}
