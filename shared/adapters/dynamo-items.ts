import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Action, type Condition, checkUpdate, compile } from './store/expressions.ts';
import type { Item, ItemKey, ItemStore, QuerySpec, WriteResult } from './store/items.ts';
import { TABLE_KEYS } from './store/table.ts';

/**
 * The item store on DynamoDB, through the document client: the only code that builds
 * key conditions or sees ConditionalCheckFailedException.
 */
export class DynamoItems implements ItemStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(key: ItemKey, consistent: boolean): Promise<Item | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ...(consistent ? { ConsistentRead: true } : {}) }));
    return Item;
  }

  /**
   * BatchGetItem, 100 keys a request (DynamoDB's limit), asking again for the keys it left
   * unprocessed (under throttling) with a growing pause, as AWS advises.
   */
  async getMany(keys: readonly ItemKey[], consistent: boolean): Promise<Item[]> {
    const found: Item[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + 100).map(({ pk, sk }) => ({ pk, sk }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const out = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } } }),
        );
        found.push(...(out.Responses?.[this.tableName] ?? []));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  /** BatchWriteItem, 25 deletes a request (DynamoDB's limit), sending again what it left unprocessed, with a growing pause. */
  async deleteMany(keys: readonly ItemKey[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 25) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + 25).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }));
        pending = (out.UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
      }
    }
  }

  async put(item: Item, condition?: Condition): Promise<boolean> {
    return this.conditional(async () => {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ...compile(undefined, condition) }));
      return { ok: true };
    }).then((r) => r.ok);
  }

  update(key: ItemKey, actions: readonly Action[], condition?: Condition, returnNew = false): Promise<WriteResult> {
    checkUpdate(actions);
    return this.conditional(async () => {
      const { Attributes } = await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: key, ...compile(actions, condition), ...(returnNew ? { ReturnValues: 'ALL_NEW' } : {}) }),
      );
      return returnNew ? { ok: true, item: Attributes! } : { ok: true };
    });
  }

  async query(spec: QuerySpec): Promise<Item[]> {
    const pk = spec.index?.partition ?? TABLE_KEYS.partition;
    const sk = spec.index?.sort ?? TABLE_KEYS.sort;
    const names: Record<string, string> = { '#pk': pk };
    const values: Record<string, unknown> = { ':pk': spec.partition };
    let condition = '#pk = :pk';
    if (spec.sort) {
      names['#sk'] = sk;
      if ('beginsWith' in spec.sort) {
        condition += ' AND begins_with(#sk, :sk)';
        values[':sk'] = spec.sort.beginsWith;
      } else if ('between' in spec.sort) {
        condition += ' AND #sk BETWEEN :lo AND :hi';
        values[':lo'] = spec.sort.between[0];
        values[':hi'] = spec.sort.between[1];
      } else if ('lessThan' in spec.sort) {
        condition += ' AND #sk < :sk';
        values[':sk'] = spec.sort.lessThan;
      } else {
        condition += ' AND #sk > :sk';
        values[':sk'] = spec.sort.greaterThan;
      }
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      ...(spec.index ? { IndexName: spec.index.name } : {}),
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(spec.descending ? { ScanIndexForward: false } : {}),
      ...(spec.consistent ? { ConsistentRead: true } : {}),
    };
    // Partitions read whole are small (a roster, a case without its audit trail): follow every page.
    // A bounded read follows pages too until it has its count: DynamoDB ends a page at 1 MB,
    // and a caller that got fewer items than it asked for takes the range to be over.
    const items: Item[] = [];
    let start: QueryCommandInput['ExclusiveStartKey'];
    do {
      const limit = spec.limit === undefined ? {} : { Limit: spec.limit - items.length };
      const page = await this.db.send(new QueryCommand({ ...input, ...limit, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && (spec.limit === undefined || items.length < spec.limit));
    return items;
  }

  private async conditional(write: () => Promise<WriteResult>): Promise<WriteResult> {
    try {
      return await write();
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return { ok: false };
      throw e;
    }
  }
}
