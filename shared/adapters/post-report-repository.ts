import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostReport } from '#shared/domain/blanket.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { postReport } from './store/entities.ts';
import { and, assign, eq, itemExists } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

/** Post-reports under blanket approvals (事後報告), in the council's partition. */
export class PostReportRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  list(councilId: string): Promise<PostReport[]> {
    return this.store.query(patterns.listPostReports, { councilId });
  }

  get(councilId: string, reportId: string): Promise<PostReport> {
    return this.store.get(patterns.getPostReport, { councilId, reportId }, () => new NotFoundError('事後報告が見つかりません。'));
  }

  /** Files a post-report once: false when one with this id is there already (the same form sent twice). */
  add(councilId: string, r: PostReport): Promise<boolean> {
    return this.store.create(postReport, { councilId, reportId: r.reportId }, r, { onConditionFailure: false });
  }

  /** Accepts a filed post-report onto a meeting, once. */
  async accept(councilId: string, reportId: string, v: { meetingId: string; acceptedBy: string; acceptedAt: string }): Promise<void> {
    await this.store.update(postReport, { councilId, reportId }, assign({ status: 'accepted', ...v }), {
      if: and(itemExists(), eq('status', 'filed')),
      onConditionFailure: () => new ConflictError('この事後報告は既に受け付けられています。'),
    });
  }

  /** The report item the accepted post-report is heard under. */
  async placeOnItem(councilId: string, reportId: string, itemId: string): Promise<void> {
    await this.store.update(postReport, { councilId, reportId }, assign({ itemId }), { if: itemExists() });
  }
}
