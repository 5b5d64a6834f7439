import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Minutes, MinutesExport } from '#shared/domain/minutes.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { minutes as minutesEntity, minutesExport, minutesVersion } from './store/entities.ts';
import { and, assign, eq, itemExists } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

export type { MinutesExport };

export type ExportChanges = Partial<Pick<MinutesExport, 'status' | 'progress' | 'percent' | 'objectKey' | 'fileName' | 'error' | 'finishedAt' | 'updatedAt'>>;

/** A meeting's minutes: the draft being edited, the final versions as issued, and their exports. */
export class MinutesRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  get(councilId: string, meetingId: string): Promise<Minutes | undefined> {
    return this.store.get(patterns.getMinutes, { councilId, meetingId });
  }

  /** Keeps the first draft; if another editor created it first, theirs stands. */
  async create(councilId: string, minutes: Minutes): Promise<Minutes> {
    if (await this.store.create(minutesEntity, { councilId, meetingId: minutes.meetingId }, minutes, { onConditionFailure: false })) return minutes;
    return this.store.get(patterns.getMinutes, { councilId, meetingId: minutes.meetingId }, () => new NotFoundError('会議録が見つかりません。'));
  }

  /** Saves an edit only over the version the editor started from, and only while a draft. */
  async save(councilId: string, minutes: Minutes, expectedVersion: number): Promise<void> {
    await this.store.put(
      minutesEntity,
      { councilId, meetingId: minutes.meetingId },
      { ...minutes, version: expectedVersion + 1 },
      {
        if: and(eq('version', expectedVersion), eq('status', 'draft')),
        onConditionFailure: () =>
          new ConflictError(
            '他の方が先に会議録を保存したか、既に確定しています。あなたの入力は下に残してあります。最新の内容と見比べてから保存し直してください。',
          ),
      },
    );
  }

  /** Makes the minutes final and keeps that version as issued. */
  async finalize(councilId: string, minutes: Minutes, now: string, by: string): Promise<Minutes> {
    const final: Minutes = { ...minutes, status: 'final', finalVersion: minutes.version, updatedAt: now, updatedBy: by };
    await this.store.put(minutesEntity, { councilId, meetingId: minutes.meetingId }, final, {
      if: and(eq('version', minutes.version), eq('status', 'draft')),
      onConditionFailure: () => new ConflictError('会議録は既に確定しているか、確定の直前に更新されました。'),
    });
    await this.store.put(minutesVersion, { councilId, meetingId: minutes.meetingId, version: minutes.version }, final);
    return final;
  }

  /** A final version as it was issued. */
  getVersion(councilId: string, meetingId: string, version: number): Promise<Minutes | undefined> {
    return this.store.get(patterns.getMinutesVersion, { councilId, meetingId, version });
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
