import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Answer } from '#shared/domain/answer.ts';
import type { ConsultationDraft } from '#shared/domain/consultation-form.ts';
import { businessKeyOf, type FollowUp } from '#shared/domain/followups.ts';
import type {
  StallRecord,
  ConsultationBundle,
  Attachment,
  AuditEvent,
  Consultation,
  ConsultationNumber,
  ConsultationStatus,
  ScreeningRound,
} from '#shared/domain/consultation.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { accessPatterns, keys } from '#shared/keys.ts';
import { queryAll, queryIndex, withoutKeys } from './dynamo-items.ts';
import { claimNext } from './sequence.ts';

export interface ConsultationRef {
  councilId: string;
  consultationId: string;
}

export type { ConsultationBundle } from '#shared/domain/consultation.ts';

const isConditionFailure = (e: unknown) => e instanceof ConditionalCheckFailedException;

/** How many of the latest audit events a case page shows (the export has them all). */
export const AUDIT_ON_PAGE = 50;

/**
 * Consultations and everything in their partition (rounds, attachments, audit).
 * Invariants hold through single-item condition expressions — the local DynamoDB
 * stand-in has no transactions, and none of these rules needs one.
 */
/** Longer than any page's function may run (10 s): an acceptance marked before this is not running any more. */
const ACCEPTANCE_LEASE_MS = 60_000;

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
            ...keys.consultationByBusiness(c.councilId, businessKeyOf(c.form), c.createdAt),
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
  /**
   * The case with its rounds, attachments, follow-ups, answer and the latest audit events.
   * The audit trail grows with every look at the case, so it is read apart and bounded:
   * the rest of the partition comes in two range queries around it, the newest events in a
   * third. Reading a case therefore costs the same however often it has been read.
   */
  async bundle(ref: ConsultationRef, latestAudit = AUDIT_ON_PAGE): Promise<ConsultationBundle> {
    const pk = accessPatterns.consultationBundle(ref.councilId, ref.consultationId).partition;
    const range = (condition: string, bound: string) =>
      queryAll(this.db, { TableName: this.tableName, KeyConditionExpression: `pk = :pk AND ${condition}`, ExpressionAttributeValues: { ':pk': pk, ':b': bound }, ConsistentRead: true });
    const [before, after, recent] = await Promise.all([
      range('sk < :b', 'AUDIT#'),
      // '$' sorts right after '#': everything past the AUDIT# block.
      range('sk > :b', 'AUDIT$'),
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': 'AUDIT#' },
          ScanIndexForward: false,
          Limit: latestAudit,
          ConsistentRead: true,
        }),
      ),
    ]);
    const items = [...before, ...after];
    const of = (prefix: string) => items.filter((i) => String(i['sk']).startsWith(prefix));
    const main = items.find((i) => i['sk'] === 'CASE');
    if (!main) throw new NotFoundError('諮問が見つかりません。');
    return {
      consultation: withoutKeys<Consultation>(main),
      rounds: of('ROUND#').map((i) => withoutKeys<ScreeningRound>(i)),
      attachments: of('ATT#').map((i) => withoutKeys<Attachment>(i)),
      audit: (recent.Items ?? []).reverse().map((i) => withoutKeys<AuditEvent>(i)),
      followUps: of('FU#').map((i) => withoutKeys<FollowUp>(i)),
      ...(items.some((i) => i['sk'] === 'ANSWER') ? { answer: withoutKeys<Answer>(items.find((i) => i['sk'] === 'ANSWER')!) } : {}),
    };
  }

  /** The whole audit trail of a case, oldest first (for its export). */
  async auditTrail(ref: ConsultationRef): Promise<AuditEvent[]> {
    const p = accessPatterns.auditTrail(ref.councilId, ref.consultationId);
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': p.partition, ':prefix': p.sortPrefix },
    });
    return items.map((i) => withoutKeys<AuditEvent>(i));
  }

  async listByDepartment(councilId: string, departmentId: string): Promise<Consultation[]> {
    return queryIndex<Consultation>(this.db, this.tableName, accessPatterns.consultationsOfDepartment(councilId, departmentId));
  }

  /** Every consultation about one registered business, oldest first. */
  async listByBusiness(councilId: string, businessKey: string): Promise<Consultation[]> {
    return queryIndex<Consultation>(this.db, this.tableName, accessPatterns.consultationsOfBusiness(councilId, businessKey));
  }

  async listByStatus(councilId: string, status: ConsultationStatus): Promise<Consultation[]> {
    return queryIndex<Consultation>(this.db, this.tableName, accessPatterns.consultationsInStatus(councilId, status));
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
          UpdateExpression: `SET form = :form, updatedAt = :now, version = :next, gsi3pk = :bizpk${submitted ? ', submittedAt = :now' : ''}`,
          ConditionExpression: 'version = :expected AND #status IN (:draft, :returned)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':form': form,
            ':bizpk': keys.consultationByBusiness(ref.councilId, businessKeyOf(form), now).gsi3pk,
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
   * Records the status the workflow has just entered, and the token (and execution) if it now
   * waits for a person. Replaying the same step (a retried task) writes the same values. A step
   * that gets this far means the workflow runs: any stall or takeover in progress is over.
   */
  async recordStep(ref: ConsultationRef, status: ConsultationStatus, now: string, waiting?: { taskToken: string; execution?: Consultation['execution'] }): Promise<void> {
    const queue = keys.consultationByStatus(ref.councilId, status, now);
    const sets = ['#status = :status', 'updatedAt = :now', 'gsi1pk = :gpk', 'gsi1sk = :gsk'];
    const removes = ['stalled'];
    if (waiting) sets.push('taskToken = :token');
    else removes.push('taskToken');
    if (waiting?.execution) {
      sets.push('execution = :execution');
      removes.push('renewal');
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': now,
            ':gpk': queue.gsi1pk,
            ':gsk': queue.gsi1sk,
            ...(waiting ? { ':token': waiting.taskToken } : {}),
            ...(waiting?.execution ? { ':execution': waiting.execution } : {}),
          },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new NotFoundError('諮問が見つかりません。');
      throw e;
    }
  }

  /**
   * A move no workflow step makes (a draft withdrawn, a stalled case withdrawn, the last
   * follow-up closed): only from `from`, so two people cannot both make it.
   */
  async moveStatus(ref: ConsultationRef, from: ConsultationStatus, to: ConsultationStatus, now: string): Promise<void> {
    const queue = keys.consultationByStatus(ref.councilId, to, now);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET #status = :to, updatedAt = :now, gsi1pk = :gpk, gsi1sk = :gsk REMOVE taskToken, stalled',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from, ':to': to, ':now': now, ':gpk': queue.gsi1pk, ':gsk': queue.gsi1sk },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この諮問は既に他の方が処理しました。最新の状態を確認してください。');
      throw e;
    }
  }

  /**
   * The workflow stopped on a step that kept failing. Only the execution that carries the case
   * can stall it: an older one, superseded by a newer execution, ends without a word. False if ignored.
   */
  async markStalled(ref: ConsultationRef, executionName: string, stall: Omit<StallRecord, 'previousStatus'>): Promise<boolean> {
    const queue = keys.consultationByStatus(ref.councilId, 'stalled', stall.at);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.get(ref);
      const carrier = !current.execution || current.execution.name === executionName || current.renewal?.name === executionName;
      if (!carrier || current.status === 'withdrawn' || current.status === 'closed') return false;
      const previousStatus = current.status === 'stalled' ? (current.stalled?.previousStatus ?? 'submitted') : current.status;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.consultation(ref.councilId, ref.consultationId),
            UpdateExpression: 'SET #status = :stalled, stalled = :record, updatedAt = :now, gsi1pk = :gpk, gsi1sk = :gsk REMOVE taskToken',
            // Over exactly what was read: a step recorded in between is read again.
            ConditionExpression: '#status = :seen AND updatedAt = :seenAt',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':stalled': 'stalled',
              ':record': { ...stall, previousStatus } satisfies StallRecord,
              ':now': stall.at,
              ':gpk': queue.gsi1pk,
              ':gsk': queue.gsi1sk,
              ':seen': current.status,
              ':seenAt': current.updatedAt,
            },
          }),
        );
        return true;
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    }
    throw new ConflictError('諮問の状態を記録できませんでした。');
  }

  /** The secretariat asked for the stopped step to run again. */
  async markRedriven(ref: ConsultationRef, now: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET stalled.redrivenAt = :now',
          ConditionExpression: '#status = :stalled AND attribute_not_exists(stalled.redrivenAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':stalled': 'stalled', ':now': now },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この諮問は既に再実行を始めたか、止まっていません。最新の状態を確認してください。');
      throw e;
    }
  }

  /** A newer execution takes the case over from the one holding `taskToken`; false if the step moved on meanwhile. */
  async beginRenewal(ref: ConsultationRef, taskToken: string, renewal: NonNullable<Consultation['renewal']>): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET renewal = :renewal',
          ConditionExpression: 'taskToken = :token',
          ExpressionAttributeValues: { ':renewal': renewal, ':token': taskToken },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
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
          // An acceptance older than any function may run was cut off (a crash): it no longer blocks a return.
          ConditionExpression:
            '#status = :screening AND #returns = :previous AND attribute_not_exists(#number) AND (attribute_not_exists(acceptance) OR acceptanceAt < :lapsed)',
          ExpressionAttributeNames: { '#status': 'status', '#returns': 'returns', '#number': 'number' },
          ExpressionAttributeValues: {
            ':screening': 'screening',
            ':round': round.round,
            ':previous': round.round - 1,
            ':lapsed': new Date(Date.parse(round.returnedAt) - ACCEPTANCE_LEASE_MS).toISOString(),
          },
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
   * Marks an acceptance in progress (so a return cannot cross it) and returns the number if the
   * case has one already. Any acceptance may take over an unnumbered case — a second click, or a
   * click after a crash left an earlier acceptance unfinished — because numbering is idempotent
   * per case (see claimNext); never for a case that is not in screening.
   */
  async beginAcceptance(ref: ConsultationRef, requestId: string, now: string): Promise<ConsultationNumber | undefined> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET acceptance = :request, acceptanceAt = :now',
          ConditionExpression: '#status = :screening AND attribute_not_exists(#number)',
          ExpressionAttributeNames: { '#status': 'status', '#number': 'number' },
          ExpressionAttributeValues: { ':screening': 'screening', ':request': requestId, ':now': now },
        }),
      );
      return undefined;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const current = await this.get(ref);
      // Numbered but still in screening: an acceptance stopped before the workflow moved on; let any retry finish it.
      if (current.number && current.status === 'screening') return current.number;
      throw new ConflictError('この諮問は既に他の方が処理しました。最新の状態を確認してください。');
    }
  }

  /** The next 諮問番号 of the case's council and fiscal year (see claimNext for why it has no gaps). */
  assignNumber(ref: ConsultationRef, fiscalYear: number): Promise<ConsultationNumber> {
    return claimNext(this.db, this.tableName, {
      counterKey: keys.consultationCounter(ref.councilId, fiscalYear),
      claimant: ref.consultationId,
      keyOf: (id) => keys.consultation(ref.councilId, id),
      attribute: 'number',
      valueOf: (n) => ({ fiscalYear, n }),
    });
  }

  /** Puts an accepted, unscheduled case on an agenda item; refused if it is already on one. */
  async schedule(ref: ConsultationRef, meetingId: string, itemId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.consultation(ref.councilId, ref.consultationId),
          UpdateExpression: 'SET meetingId = :meeting, itemId = :item',
          ConditionExpression: '#status = :accepted AND attribute_not_exists(meetingId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':accepted': 'accepted', ':meeting': meetingId, ':item': itemId },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError('この諮問は既に議題に入っているか、日程調整待ちではありません。');
      throw e;
    }
  }

  /** Takes a carried-over case off its meeting so it can be scheduled again. */
  async unschedule(ref: ConsultationRef): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.consultation(ref.councilId, ref.consultationId),
        UpdateExpression: 'REMOVE meetingId, itemId',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  /** Keeps the answer; issuing it again (a retried task) writes the same record once. */
  async putAnswer(ref: ConsultationRef, answer: Answer): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...keys.answer(ref.councilId, ref.consultationId), ...answer }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async markAnswerMailed(ref: ConsultationRef, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: keys.answer(ref.councilId, ref.consultationId), UpdateExpression: 'SET mailedAt = if_not_exists(mailedAt, :at)', ExpressionAttributeValues: { ':at': at } }),
    );
  }

  async getAnswer(ref: ConsultationRef): Promise<Answer> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.answer(ref.councilId, ref.consultationId) }));
    if (!Item) throw new NotFoundError('答申はまだありません。');
    return withoutKeys<Answer>(Item);
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
