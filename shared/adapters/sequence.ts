import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#shared/errors.ts';

type Key = Record<string, string>;

export interface SequenceClaim<V> {
  /** The counter item: holds the last number given and the item it went to. */
  counterKey: Key;
  /** Id of the item taking a number, and how to find any item by id. */
  claimant: string;
  keyOf: (id: string) => Key;
  /** Attribute the number is written to on the item, and its value for number n. */
  attribute: string;
  valueOf: (n: number) => V;
}

const isConditionFailure = (e: unknown) => e instanceof ConditionalCheckFailedException;

/**
 * Gives an item the next number of a sequence, without gaps or duplicates under any
 * concurrency, using only single-item conditions (the local DynamoDB has no transactions):
 *  - the counter item holds the last number given and the item it went to;
 *  - an item is written its number before the counter moves past it (whoever moves the
 *    counter next first completes the previous item's number), so a crash between the
 *    two writes leaves no gap;
 *  - the counter only moves from the value just read (optimistic lock), so two claims
 *    can never take the same number; a claimant that already holds the last number
 *    (a retry) gets it again.
 *  - a claimant that holds a number already (its claim was overtaken by later ones) gets it
 *    back: the counter only moves past a claim after that claim's number is written, so a
 *    claimant read after the counter is either the counter's last claimant or numbered.
 * Claims of the same item may therefore run at once (two clicks, or a retry after a crash).
 */
export async function claimNext<V>(db: DynamoDBDocumentClient, tableName: string, claim: SequenceClaim<V>): Promise<V> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: claim.counterKey, ConsistentRead: true }));
    const last = Number(Item?.['last'] ?? 0);
    const lastClaimant = Item?.['lastClaimant'] as string | undefined;
    if (lastClaimant === claim.claimant) return writeOnce(db, tableName, claim, claim.claimant, last);
    if (lastClaimant) await writeOnce(db, tableName, claim, lastClaimant, last, true);
    // Claimed before the counter moved on past it (its number was completed before the move): keep it.
    const held = await numberOf<V>(db, tableName, claim);
    if (held !== undefined) return held;
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: claim.counterKey,
          UpdateExpression: 'SET #last = :next, lastClaimant = :claimant',
          ConditionExpression: Item ? '#last = :last' : 'attribute_not_exists(pk)',
          ExpressionAttributeNames: { '#last': 'last' },
          ExpressionAttributeValues: { ':next': last + 1, ':claimant': claim.claimant, ...(Item ? { ':last': last } : {}) },
        }),
      );
      return writeOnce(db, tableName, claim, claim.claimant, last + 1);
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt + 1, 10)));
    }
  }
  throw new ConflictError('処理が混み合っています。少し時間をおいてもう一度操作してください。');
}

async function numberOf<V>(db: DynamoDBDocumentClient, tableName: string, claim: SequenceClaim<V>): Promise<V | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: claim.keyOf(claim.claimant), ConsistentRead: true }));
  return Item?.[claim.attribute] as V | undefined;
}

/**
 * Writes an item's number once; `repair` completes another item's number and tolerates it
 * being done. Whether an existing number is this one is checked on the read item: not every
 * DynamoDB implementation compares map values in a condition.
 */
async function writeOnce<V>(db: DynamoDBDocumentClient, tableName: string, claim: SequenceClaim<V>, id: string, n: number, repair = false): Promise<V> {
  const value = claim.valueOf(n);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: claim.keyOf(id),
        UpdateExpression: 'SET #attr = :value',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#attr)',
        ExpressionAttributeNames: { '#attr': claim.attribute },
        ExpressionAttributeValues: { ':value': value },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e) || repair) {
      if (repair) return value;
      throw e;
    }
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: claim.keyOf(id), ConsistentRead: true }));
    if (!Item || JSON.stringify(Item[claim.attribute]) !== JSON.stringify(value)) throw e;
  }
  return value;
}
