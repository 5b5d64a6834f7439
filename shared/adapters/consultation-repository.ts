import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsultationStatus } from '#shared/domain/consultation.ts';
import { NotFoundError } from '#shared/errors.ts';
import { keys } from '#shared/keys.ts';
import { withoutKeys } from './dynamo-items.ts';

export interface ConsultationRef {
  councilId: string;
  consultationId: string;
}

/** The workflow-facing side of a consultation: its status and the token of the step it waits in. */
export interface ConsultationState extends ConsultationRef {
  title: string;
  status: ConsultationStatus;
  /** Set while a human step waits; resumes the execution. Never logged, never rendered. */
  taskToken?: string;
  executionArn?: string;
  updatedAt: string;
}

export class ConsultationRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(c: ConsultationState): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.consultation(c.councilId, c.consultationId), ...keys.consultationByStatus(c.councilId, c.status, c.updatedAt), ...c },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(ref: ConsultationRef): Promise<ConsultationState> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.consultation(ref.councilId, ref.consultationId) }),
    );
    if (!Item) throw new NotFoundError('諮問が見つかりません。');
    return withoutKeys<ConsultationState>(Item);
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
      if (e instanceof ConditionalCheckFailedException) throw new NotFoundError('諮問が見つかりません。');
      throw e;
    }
  }
}
