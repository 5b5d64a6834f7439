import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PiaAuditEvent, PiaComment, PiaReview } from '#shared/domain/pia.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { claimNext } from './sequence.ts';
import { patterns } from './store/access-patterns.ts';
import { answerCounter, piaAudit, piaComment, piaReview } from './store/entities.ts';
import { eq } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

/**
 * PIA reviews (特定個人情報保護評価書の第三者点検): each in its own partition with its members'
 * comments and its audit trail; listed by council and by department, and by re-evaluation due
 * date for the daily job. A review is written whole, under its version (optimistic lock), so two
 * people changing it at once cannot lose each other's change; each member's comments are an item of their own.
 */
export class PiaRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  async create(review: PiaReview): Promise<void> {
    await this.store.create(piaReview, review, review);
  }

  get(councilId: string, reviewId: string): Promise<PiaReview> {
    return this.store.get(patterns.getPiaReview, { councilId, reviewId }, () => new NotFoundError('評価書の点検が見つかりません。'));
  }

  /** Writes the review as changed, only if nobody wrote it since `expected` was read; returns it as written. */
  async save(expected: PiaReview, changed: Omit<PiaReview, 'version'>): Promise<PiaReview> {
    const next = { ...changed, version: expected.version + 1 } as PiaReview;
    // Optional fields left undefined are left out, so the stored item carries no empty values.
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as PiaReview;
    await this.store.put(piaReview, clean, clean, {
      if: eq('version', expected.version),
      onConditionFailure: () => new ConflictError('ほかの人が先にこの記録を変更しました。ページを開き直してからもう一度操作してください。'),
    });
    return clean;
  }

  listOfCouncil(councilId: string): Promise<PiaReview[]> {
    return this.store.query(patterns.piaReviewsOfCouncil, { councilId });
  }

  listOfDepartment(councilId: string, departmentId: string): Promise<PiaReview[]> {
    return this.store.query(patterns.piaReviewsOfDepartment, { councilId, departmentId });
  }

  /** Reviews whose re-evaluation is due before `before` (a YYYY-MM-DD day): what the daily job may have to remind. */
  listDue(councilId: string, before: string): Promise<PiaReview[]> {
    return this.store.query(patterns.piaReevaluationsDue, { councilId }, { bound: before });
  }

  async putComment(councilId: string, comment: PiaComment): Promise<void> {
    await this.store.put(piaComment, { councilId, reviewId: comment.reviewId, memberId: comment.memberId }, comment);
  }

  comments(councilId: string, reviewId: string): Promise<PiaComment[]> {
    return this.store.query(patterns.piaComments, { councilId, reviewId });
  }

  async audit(councilId: string, reviewId: string, event: PiaAuditEvent): Promise<void> {
    await this.store.create(piaAudit, { councilId, reviewId, at: event.at, eventId: event.eventId }, event);
  }

  trail(councilId: string, reviewId: string, limit = 50): Promise<PiaAuditEvent[]> {
    return this.store.query(patterns.piaTrail, { councilId, reviewId }, { limit });
  }

  /**
   * The opinion's 文書番号: the next number of the council's answers' series for the fiscal year
   * (one series of 文書番号 for answers and opinions), written on the review once. A retry gets
   * the same number.
   */
  assignDocumentNumber(councilId: string, reviewId: string, fiscalYear: number): Promise<number> {
    return claimNext(this.store, {
      counter: { entity: answerCounter, read: patterns.getAnswerCounter, params: { councilId, fiscalYear } },
      claimant: `pia-${reviewId}`,
      item: {
        entity: piaReview,
        read: patterns.getPiaReview,
        paramsOf: (id) => ({ councilId, reviewId: id.replace(/^pia-/, '') }),
      },
      attribute: 'documentNo',
      valueOf: (n) => n,
    });
  }
}
