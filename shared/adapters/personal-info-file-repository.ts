import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonalInfoFile } from '#shared/domain/personal-info-files.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { personalInfoFile } from './store/entities.ts';
import { and, eq, itemExists } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

const STALE = '他の方が先にこのファイルの内容を更新しました。最新の内容を確認してから、もう一度操作してください。';
const NOT_FOUND = 'ファイルが見つかりません。';

/**
 * The register of files (個人情報ファイル簿 / 業務届出), in the council's partition: each entry
 * with its history in the same item, so a change and its record are one conditional write.
 */
export class PersonalInfoFileRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  get(councilId: string, fileId: string): Promise<PersonalInfoFile> {
    return this.store.get(patterns.getPersonalInfoFile, { councilId, fileId }, () => new NotFoundError(NOT_FOUND));
  }

  /** Every entry of the council, abolished ones too. */
  list(councilId: string): Promise<PersonalInfoFile[]> {
    return this.store.query(patterns.listPersonalInfoFiles, { councilId });
  }

  /** A department's entries (its index). */
  listOfDepartment(councilId: string, departmentId: string): Promise<PersonalInfoFile[]> {
    return this.store.query(patterns.personalInfoFilesOfDepartment, { councilId, departmentId });
  }

  /** A new entry; false if its id is taken (a retried request). */
  create(file: PersonalInfoFile): Promise<boolean> {
    return this.store.create(personalInfoFile, file, file, { onConditionFailure: false });
  }

  /** The entry as changed (its history grown by one), only if nobody saved another since `expectedVersion` was read. */
  async replace(file: PersonalInfoFile, expectedVersion: number): Promise<void> {
    await this.store.put(personalInfoFile, file, file, {
      if: and(itemExists(), eq('version', expectedVersion)),
      onConditionFailure: () => new ConflictError(STALE),
    });
  }
}
