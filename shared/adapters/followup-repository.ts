import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Evidence, FollowUp, FollowUpAnswer } from '#shared/domain/followups.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { accessPatterns, keys } from '#shared/keys.ts';
import { queryIndex, withoutKeys } from './dynamo-items.ts';

export interface FollowUpRef {
  councilId: string;
  consultationId: string;
  followUpId: string;
}

const isConditionFailure = (e: unknown) => e instanceof ConditionalCheckFailedException;
const refOf = (fu: FollowUp): FollowUpRef => ({ councilId: fu.councilId, consultationId: fu.consultationId, followUpId: fu.followUpId });

/** Follow-ups live in their case's partition; while not closed they are also on the dashboard and job indexes. */
export class FollowUpRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates the follow-ups of an answer; creating them again (a retried task) changes nothing. */
  async createAll(followUps: FollowUp[]): Promise<number> {
    let created = 0;
    for (const fu of followUps) {
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.followUp(fu.councilId, fu.consultationId, fu.followUpId), ...keys.activeFollowUp(fu.councilId, fu.consultationId, fu.followUpId, fu.due), ...fu },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        created++;
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    }
    return created;
  }

  async get(ref: FollowUpRef): Promise<FollowUp> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.followUp(ref.councilId, ref.consultationId, ref.followUpId), ConsistentRead: true }));
    if (!Item) throw new NotFoundError('条件の履行確認が見つかりません。');
    return withoutKeys<FollowUp>(Item);
  }

  /** A council's follow-ups not yet closed, soonest due first. */
  async listActive(councilId: string): Promise<FollowUp[]> {
    return queryIndex<FollowUp>(this.db, this.tableName, accessPatterns.activeFollowUps(councilId));
  }

  /** Every council's follow-ups not yet closed (the scheduled job). */
  async listOpenEverywhere(): Promise<FollowUp[]> {
    return queryIndex<FollowUp>(this.db, this.tableName, accessPatterns.openFollowUps());
  }


  /** Evidence uploaded through the owner's link, kept until they send their answer. */
  async addPendingEvidence(ref: FollowUpRef, evidence: Evidence): Promise<void> {
    await this.update(ref, 'SET pendingEvidence = list_append(pendingEvidence, :e)', '#status = :open', { ':e': [evidence], ':open': 'open' }, 'この条件には今は回答できません。');
  }

  /** The owner's answer, with the evidence uploaded for it; only while the follow-up waits for one. */
  async submitAnswer(ref: FollowUpRef, answer: FollowUpAnswer): Promise<void> {
    await this.update(
      ref,
      'SET answers = list_append(answers, :a), pendingEvidence = :none, #status = :submitted REMOVE #comment',
      // Refused if a file was added after the answer was read, so no evidence is dropped unseen.
      '#status = :open AND size(answers) = :n AND size(pendingEvidence) = :files',
      { ':a': [answer], ':none': [], ':submitted': 'submitted', ':open': 'open', ':n': answer.n - 1, ':files': answer.evidence.length },
      'この回答は既に送られています。',
      { '#comment': 'comment' },
    );
  }

  /**
   * The secretariat's review of the latest answer. Accepted: a one-off condition waits for
   * the council to close it; a recurring one moves to its next due date. Returned: back to
   * the owner with a comment.
   */
  async review(fu: FollowUp, outcome: 'accepted' | 'returned', comment: string | undefined, by: string, now: string, next: string | undefined): Promise<void> {
    const index = fu.answers.length - 1;
    const review = { outcome, ...(comment ? { comment } : {}), at: now, by };
    const status = outcome === 'returned' || next ? 'open' : 'accepted';
    const due = next ?? fu.due;
    const active = keys.activeFollowUp(fu.councilId, fu.consultationId, fu.followUpId, due);
    await this.update(
      refOf(fu),
      `SET answers[${index}].review = :review, #status = :status, due = :due, gsi1sk = :g1, gsi2sk = :g2${outcome === 'returned' && comment ? ', #comment = :comment' : ''}`,
      '#status = :submitted AND size(answers) = :count',
      {
        ':review': review,
        ':status': status,
        ':due': due,
        ':g1': active.gsi1sk,
        ':g2': active.gsi2sk,
        ':submitted': 'submitted',
        ':count': fu.answers.length,
        ...(outcome === 'returned' && comment ? { ':comment': comment } : {}),
      },
      'この回答は既に確認済みです。',
      outcome === 'returned' && comment ? { '#comment': 'comment' } : {},
    );
  }

  /** The council closes the condition: it leaves the dashboard and the job's list. */
  async close(ref: FollowUpRef, now: string): Promise<void> {
    await this.update(ref, 'SET #status = :closed, closedAt = :now REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk', '#status <> :closed', { ':closed': 'closed', ':now': now }, 'この条件は既に完了しています。');
  }

  /** The council asks for more: back to the owner, with a comment and a new due date. */
  async askMore(ref: FollowUpRef, comment: string, due: string): Promise<void> {
    const active = keys.activeFollowUp(ref.councilId, ref.consultationId, ref.followUpId, due);
    await this.update(
      ref,
      'SET #status = :open, #comment = :comment, due = :due, gsi1sk = :g1, gsi2sk = :g2',
      '#status IN (:accepted, :open)',
      { ':open': 'open', ':accepted': 'accepted', ':comment': comment, ':due': due, ':g1': active.gsi1sk, ':g2': active.gsi2sk },
      'この条件は今は追加の報告を求められない状態です。',
      { '#comment': 'comment' },
    );
  }

  /** The secretariat's edit of owner, type, due date or recurrence, over the version it read. */
  async updatePlan(ref: FollowUpRef, plan: Pick<FollowUp, 'type' | 'owner' | 'ownerName' | 'ownerEmail' | 'evidence' | 'due'> & { everyMonths?: number | undefined }, version: number): Promise<void> {
    const active = keys.activeFollowUp(ref.councilId, ref.consultationId, ref.followUpId, plan.due);
    await this.update(
      ref,
      `SET #type = :type, #owner = :owner, ownerName = :ownerName, ownerEmail = :ownerEmail, evidence = :evidence, due = :due, gsi1sk = :g1, gsi2sk = :g2, version = :next${plan.everyMonths ? ', everyMonths = :every' : ' REMOVE everyMonths'}`,
      'version = :version AND #status <> :closed',
      {
        ':type': plan.type,
        ':owner': plan.owner,
        ':ownerName': plan.ownerName,
        ':ownerEmail': plan.ownerEmail,
        ':evidence': plan.evidence,
        ':due': plan.due,
        ':g1': active.gsi1sk,
        ':g2': active.gsi2sk,
        ':version': version,
        ':next': version + 1,
        ':closed': 'closed',
        ...(plan.everyMonths ? { ':every': plan.everyMonths } : {}),
      },
      '他の方が先に更新したか、既に完了しています。最新の内容を確認してください。',
      { '#type': 'type', '#owner': 'owner' },
    );
  }

  /** Notes a reminder or escalation as sent; false if it already was. */
  async markNotified(ref: FollowUpRef, notice: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.followUp(ref.councilId, ref.consultationId, ref.followUpId),
          UpdateExpression: 'SET notified = list_append(notified, :n)',
          ConditionExpression: 'NOT contains(notified, :notice)',
          ExpressionAttributeValues: { ':n': [notice], ':notice': notice },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  private async update(
    ref: FollowUpRef,
    expression: string,
    condition: string,
    values: Record<string, unknown>,
    conflictMessage: string,
    extraNames: Record<string, string> = {},
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.followUp(ref.councilId, ref.consultationId, ref.followUpId),
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ExpressionAttributeNames: { ...(expression.includes('#status') || condition.includes('#status') ? { '#status': 'status' } : {}), ...extraNames },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError(conflictMessage);
      throw e;
    }
  }
}
