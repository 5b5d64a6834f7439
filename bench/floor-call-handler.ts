/**
 * The floor plus one GetItem: shows how much of a first event is the SDK's own first
 * request (credentials, endpoint, serializers, connection) rather than application code.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { clients } from './floor-handler.ts';

export async function handler(): Promise<{ statusCode: number; body: string }> {
  await clients.dynamo.send(new GetCommand({ TableName: process.env['TABLE_NAME'] ?? 'missing', Key: { pk: 'bench', sk: 'floor' } }));
  return { statusCode: 200, body: '' };
}
