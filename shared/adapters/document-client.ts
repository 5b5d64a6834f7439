import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KeyedSha256 } from './keyed-sha256.ts';

/**
 * The DocumentClient every repository reads and writes through, as the functions make it
 * (shared/adapters/aws.ts) and as the bench's baselines make it, so both send the same calls
 * the same way.
 *
 * Without the SDK's logger middleware: the functions give the SDK no logger (they log their
 * own events), yet the middleware still builds a redacted copy of every call's input and output,
 * walking the service schema, for the SDK's no-op logger to drop: ≈ 10 ms of a cold container's
 * first request, in code run for nothing.
 *
 * Signing with {@link KeyedSha256}: the SDK's own SHA-256 keys each call's HMAC with a Uint8Array,
 * which Node 24 checks slowly; the same HMAC keyed by a KeyObject.
 */
export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ sha256: KeyedSha256, ...config }), { marshallOptions: { removeUndefinedValues: true } });
  db.middlewareStack.remove('loggerMiddleware');
  return db;
}
