import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StaffChange, StaffMember } from '#shared/domain/staff.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { staff } from './store/entities.ts';
import { and, assign, eq, itemExists } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

const STALE = '他の方が先にこの職員の情報を更新しました。最新の内容を確認してから、もう一度操作してください。';

/** The staff registry (職員名簿), in the council's partition: who may sign in, and as what. */
export class StaffRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** A registered person, if any (strongly consistent: a disabled account is refused at once). */
  find(councilId: string, userId: string): Promise<StaffMember | undefined> {
    return this.store.get(patterns.getStaff, { councilId, userId });
  }

  get(councilId: string, userId: string): Promise<StaffMember> {
    return this.store.get(patterns.getStaff, { councilId, userId }, () => new NotFoundError('職員が見つかりません。'));
  }

  list(councilId: string): Promise<StaffMember[]> {
    return this.store.query(patterns.listStaff, { councilId });
  }

  /** Registers a person under their user id; false if that id is already registered in the council. */
  add(s: StaffMember): Promise<boolean> {
    return this.store.create(staff, s, s, { onConditionFailure: false });
  }

  /** A new role or department, only if nobody saved another since `expected` was read. */
  change(councilId: string, userId: string, c: StaffChange, now: string): Promise<StaffMember> {
    return this.store.updateAndRead(
      staff,
      { councilId, userId },
      assign({
        role: c.role,
        departmentId: c.role === 'department' ? c.departmentId : undefined,
        memberId: c.role === 'member' ? c.memberId : undefined,
        updatedAt: now,
        version: c.version + 1,
      }),
      { if: and(itemExists(), eq('version', c.version)), onConditionFailure: () => new ConflictError(STALE) },
    );
  }

  /** Disables (or enables again) an account, only from the version the secretariat saw. */
  setDisabled(councilId: string, userId: string, disabled: boolean, expectedVersion: number, now: string): Promise<StaffMember> {
    return this.store.updateAndRead(staff, { councilId, userId }, assign({ disabled, updatedAt: now, version: expectedVersion + 1 }), {
      if: and(itemExists(), eq('version', expectedVersion)),
      onConditionFailure: () => new ConflictError(STALE),
    });
  }
}
