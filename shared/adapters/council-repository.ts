import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Council, Department, Member, MemberInput } from '#shared/domain/council.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { accessPatterns, keys } from '#shared/keys.ts';
import { queryAll, queryIndex, withoutKeys } from './dynamo-items.ts';

/** Councils and their rosters. Holds the keys; the rules live in shared/domain. */
export class CouncilRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  listCouncils(): Promise<Council[]> {
    return queryIndex<Council>(this.db, this.tableName, accessPatterns.listCouncils());
  }

  async getCouncil(councilId: string): Promise<Council> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: accessPatterns.getCouncil(councilId).key }),
    );
    if (!Item) throw new NotFoundError('審議会が見つかりません。');
    return withoutKeys<Council>(Item);
  }

  /** Creates the council if it is not there yet (used by seeding; safe to repeat). */
  createCouncil(council: Council): Promise<boolean> {
    return this.putNew({ ...keys.council(council.councilId), ...keys.councilRegistry(council.councilId, council.name), ...council });
  }

  listDepartments(councilId: string): Promise<Department[]> {
    return this.listPartition<Department>(accessPatterns.listDepartments(councilId));
  }

  /** Creates the department if it is not there yet; returns whether it was created. */
  createDepartment(councilId: string, department: Department): Promise<boolean> {
    return this.putNew({ ...keys.department(councilId, department.departmentId), ...department });
  }

  listMembers(councilId: string): Promise<Member[]> {
    return this.listPartition<Member>(accessPatterns.listMembers(councilId));
  }

  async getMember(councilId: string, memberId: string): Promise<Member> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.member(councilId, memberId) }),
    );
    if (!Item) throw new NotFoundError('委員が見つかりません。');
    return withoutKeys<Member>(Item);
  }

  /** Adds a member under a fresh id; returns false if that id already exists (a repeated submit). */
  addMember(councilId: string, member: Member): Promise<boolean> {
    return this.putNew({ ...keys.member(councilId, member.memberId), ...member });
  }

  private async listPartition<T>(p: { partition: string; sortPrefix: string }): Promise<T[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': p.partition, ':prefix': p.sortPrefix },
    });
    return items.map((i) => withoutKeys<T>(i));
  }

  /** Puts an item only if its key is free; false when it already exists. */
  private async putNew(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /** Saves an edit only if nobody saved another since `expectedVersion` was read. */
  async updateMember(councilId: string, memberId: string, input: MemberInput, expectedVersion: number, now: string) {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.member(councilId, memberId),
          UpdateExpression:
            'SET #name = :name, kana = :kana, category = :category, affiliation = :affiliation, email = :email, updatedAt = :now, version = :next',
          ConditionExpression: 'attribute_exists(pk) AND version = :expected',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': input.name,
            ':kana': input.kana,
            ':category': input.category,
            ':affiliation': input.affiliation ?? null,
            ':email': input.email,
            ':now': now,
            ':expected': expectedVersion,
            ':next': expectedVersion + 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return withoutKeys<Member>(Attributes!);
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        throw new ConflictError('他の方が先にこの委員の情報を更新しました。最新の内容を確認してから、もう一度保存してください。');
      }
      throw e;
    }
  }

  async setOffices(
    councilId: string,
    offices: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>,
    expectedVersion: number,
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.council(councilId),
          UpdateExpression: 'SET chairMemberId = :chair, viceChairMemberId = :vice, version = :next',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: {
            ':chair': offices.chairMemberId ?? null,
            ':vice': offices.viceChairMemberId ?? null,
            ':expected': expectedVersion,
            ':next': expectedVersion + 1,
          },
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        throw new ConflictError('他の方が先に審議会の設定を更新しました。最新の内容を確認してから、もう一度操作してください。');
      }
      throw e;
    }
  }
}
