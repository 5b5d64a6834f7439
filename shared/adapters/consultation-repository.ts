import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsultationDraft } from '#shared/domain/consultation-form.ts';
import type {
  Attachment,
  AuditEvent,
  Consultation,
  ConsultationNumber,
  ConsultationStatus,
  ScreeningRound,
} from '#shared/domain/consultation.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { accessPatterns, keys } from '#shared/keys.ts';
import { queryAll, withoutKeys } from './dynamo-items.ts';

export interface ConsultationRef {
  councilId: string;
  consultationId: string;
}

export interface ConsultationBundle {
  consultation: Consultation;
  rounds: ScreeningRound[];
  attachments: Attachment[];
  audit: AuditEvent[];
}

const isConditionFailure = (e: unknown) => e instanceof ConditionalCheckFailedException;

/**
 * Consultations and everything in their partition (rounds, attachments, audit).
 * Invariants hold through single-item condition expressions — the local DynamoDB
 * stand-in has no transactions, and none of these rules needs one.
 */
export class ConsultationRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates a draft; false if that id exists already (the same form sent twice). */
  async create(c: Consultation): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.consultation(c.councilId, c.consultationId),
            ...keys.consultationByStatus(c.councilId, c.status, c.updatedAt),
            ...keys.consultationByDepartment(c.councilId, c.departmentId, c.createdAt),
            ...c,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async get(ref: ConsultationRef): Promise<Consultation> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.consultation(ref.councilId, ref.consultationId), ConsistentRead: true }),
    );
    if (!Item) throw new NotFoundError('諮問が見つかりません。');
    return withoutKeys<Consultation>(Item);
  }

  /** The case with its rounds, attachments and audit trail, in one Query. */
  async bundle(ref: ConsultationRef): Promise<ConsultationBundle> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': accessPatterns.consultationBundle(ref.councilId, ref.consultationId).partition },
      ConsistentRead: true,
    });
    const of = (prefix: string) => items.filter((i) => String(i['sk']).startsWith(prefix));
    const main = items.find((i) => i['sk'] === 'CASE');
    if (!main) throw new NotFoundError('諮問が見つかりません。');
    return {
      consultation: withoutKeys<Consultation>(main),
      rounds: of('ROUND#').map((i) => withoutKeys<ScreeningRound>(i)),
      attachments: of('ATT#').map((i) => withoutKeys<Attachment>(i)),
      audit: of('AUDIT#').map((i) => withoutKeys<AuditEvent>(i)),
    };
  }

  async listByDepartment(councilId: string, departmentId: string): Promise<Consultation[]> {
    const p = accessPatterns.consultationsOfDepartment(councilId, departmentId);
    return this.queryIndex(p.index, p.partition.name, p.partition.value);
  }

  async listByStatus(councilId: string, status: ConsultationStatus): Promise<Consultation[]> {
    const p = accessPatterns.consultationsInStatus(councilId, status);
    return this.queryIndex(p.index, p.partition.name, p.partition.value);
  }

  private async queryIndex(index: string, name: string, value: string): Promise<Consultation[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': name },
      ExpressionAttributeValues: { ':pk': value },
    });
    return items.map((i) => withoutKeys<Consultation>(i));
  }

  /**
   * Saves the form of a case its department may still edit, only over the version the
   * editor started from. `submitted` also stamps the submission time.
   */
  async saveForm(ref: ConsultationRef, form: ConsultationDraft, expectedVersion: number, now: string, submitted = false): Promise<Consultation> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: `SET form = :form, updatedAt = :now, version = :next${submitted ? ', submittedAt = :now' : ''}`,
          ConditionExpression: 'version = :expected AND #status IN (:draft, :returned)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':form': form,
            ':now': now,
            ':expected': expectedVersion,
            ':next': expectedVersion + 1,
            ':draft': 'draft',
            ':returned': 'returned',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return withoutKeys<Consultation>(Attributes!);
    } catch (e) {
      if (isConditionFailure(e)) {
        throw new ConflictError('この諮問は、開いた後に他の方が更新したか、編集できない状態になっています。最新の内容を確認してください。');
      }
      throw e;
    }
  }

  /**
   * Records the status the workflow has just entered, and the token if it now waits
   * for a person. Replaying the same step (a retried task) writes the same values.
   */
  async recordStep(ref: ConsultationRef, status: ConsultationStatus, now: string, taskToken?: string): Promise<void> {
    const queue = keys.consultationByStatus(ref.councilId, status, now);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: taskToken
            ? 'SET #status = :status, updatedAt = :now, gsi1pk = :gpk, gsi1sk = :gsk, taskToken = :token'
            : 'SET #status = :status, updatedAt = :now, gsi1pk = :gpk, gsi1sk = :gsk REMOVE taskToken',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': now,
            ':gpk': queue.gsi1pk,
            ':gsk': queue.gsi1sk,
            ...(taskToken ? { ':token': taskToken } : {}),
          },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new NotFoundError('諮問が見つかりません。');
      throw e;
    }
  }

  /**
   * Opens return round `round` (差し戻し) — only from screening, only once per round,
   * and not while an acceptance is in progress — and keeps the comment.
   */
  async addReturn(ref: ConsultationRef, round: ScreeningRound): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET #returns = :round',
          ConditionExpression: '#status = :screening AND #returns = :previous AND attribute_not_exists(acceptance)',
          ExpressionAttributeNames: { '#status': 'status', '#returns': 'returns' },
          ExpressionAttributeValues: { ':screening': 'screening', ':round': round.round, ':previous': round.round - 1 },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この諮問は既に他の方が処理しました。最新の状態を確認してください。');
      throw e;
    }
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.screeningRound(ref.councilId, ref.consultationId, round.round), ...round } }),
    );
  }

  /** The department's answer to the latest return, kept with that round. */
  async answerRound(ref: ConsultationRef, round: number, response: string, by: string, now: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.screeningRound(ref.councilId, ref.consultationId, round),
        UpdateExpression: 'SET #response = :response, respondedAt = :now, respondedBy = :by',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: { ':response': response, ':now': now, ':by': by },
      }),
    );
  }

  /**
   * Marks the one acceptance in progress. Succeeds again for the same request (a retry),
   * fails for anyone else, and never for a case that is not in screening.
   * Returns the number if the case already has one (the acceptance completed before).
   */
  async beginAcceptance(ref: ConsultationRef, requestId: string): Promise<ConsultationNumber | undefined> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET acceptance = :request',
          ConditionExpression:
            '#status = :screening AND attribute_not_exists(#number) AND (attribute_not_exists(acceptance) OR acceptance = :request)',
          ExpressionAttributeNames: { '#status': 'status', '#number': 'number' },
          ExpressionAttributeValues: { ':screening': 'screening', ':request': requestId },
        }),
      );
      return undefined;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const current = await this.get(ref);
      if (current.number && current.acceptance === requestId) return current.number;
      throw new ConflictError('この諮問は既に他の方が処理しました。最新の状態を確認してください。');
    }
  }

  /**
   * Gives the case the next number of its council and fiscal year, without gaps or
   * duplicates under any concurrency, using only single-item conditions:
   *  - the counter item holds the last number given and the case it went to;
   *  - a case is written its number before the counter moves past it (whoever moves
   *    the counter next first completes the previous case's number), so a crash
   *    between the two writes leaves no gap;
   *  - the counter only moves from the value just read (optimistic lock), so two
   *    acceptances can never take the same number.
   */
  async assignNumber(ref: ConsultationRef, fiscalYear: number, now: string): Promise<ConsultationNumber> {
    const counterKey = keys.consultationCounter(ref.councilId, fiscalYear);
    for (let attempt = 0; attempt < 200; attempt++) {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: counterKey, ConsistentRead: true }));
      const last = Number(Item?.['last'] ?? 0);
      const lastCase = Item?.['lastCase'] as string | undefined;
      if (lastCase === ref.consultationId) return this.writeNumber(ref, { fiscalYear, n: last }, now);
      if (lastCase) await this.writeNumber({ councilId: ref.councilId, consultationId: lastCase }, { fiscalYear, n: last }, now, true);
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: counterKey,
            UpdateExpression: 'SET #last = :next, lastCase = :case',
            ConditionExpression: Item ? '#last = :last' : 'attribute_not_exists(pk)',
            ExpressionAttributeNames: { '#last': 'last' },
            ExpressionAttributeValues: { ':next': last + 1, ':case': ref.consultationId, ...(Item ? { ':last': last } : {}) },
          }),
        );
        return this.writeNumber(ref, { fiscalYear, n: last + 1 }, now);
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt + 1, 10)));
      }
    }
    throw new ConflictError('受付が混み合っています。少し時間をおいてもう一度操作してください。');
  }

  /** Writes a case's number once; `repair` completes another case's number and tolerates it being done. */
  private async writeNumber(ref: ConsultationRef, number: ConsultationNumber, now: string, repair = false): Promise<ConsultationNumber> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET #number = :number, acceptedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#number) OR #number = :number)',
          ExpressionAttributeNames: { '#number': 'number' },
          ExpressionAttributeValues: { ':number': number, ':now': now },
        }),
      );
    } catch (e) {
      if (!(repair && isConditionFailure(e))) throw e;
    }
    return number;
  }

  async putAttachment(ref: ConsultationRef, attachment: Attachment): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.attachment(ref.councilId, ref.consultationId, attachment.attachmentId), ...attachment },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async getAttachment(ref: ConsultationRef, attachmentId: string): Promise<Attachment> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.attachment(ref.councilId, ref.consultationId, attachmentId) }),
    );
    if (!Item) throw new NotFoundError('添付資料が見つかりません。');
    return withoutKeys<Attachment>(Item);
  }

  /** Appends to the case's audit trail; events are never updated or deleted. */
  async appendAudit(ref: ConsultationRef, event: AuditEvent): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.audit(ref.councilId, ref.consultationId, event.at, event.eventId), ...event },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}
