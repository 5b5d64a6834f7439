import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

const KEY_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk']);

/** The entity without the generic key attributes; `null` (DynamoDB's "unset") becomes absent. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const entity: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (!KEY_ATTRIBUTES.has(k) && v !== null) entity[k] = v;
  }
  return entity as T;
}

/** Follows pagination to the end of one partition (partitions here are small: a council's roster, a case's trail). */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of one GSI partition, as an access pattern names it. */
export async function queryIndex<T>(db: DynamoDBDocumentClient, tableName: string, p: { index: string; partition: { name: string; value: string } }): Promise<T[]> {
  const items = await queryAll(db, {
    TableName: tableName,
    IndexName: p.index,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': p.partition.name },
    ExpressionAttributeValues: { ':pk': p.partition.value },
  });
  return items.map((i) => withoutKeys<T>(i));
}
