/**
 * The cold-start floor: a handler that only makes the AWS clients every function makes
 * (shared/adapters/aws.ts), bundled exactly like the real handlers. What a handler costs
 * above this is the application's own code and its first event.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const clients = {
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  ses: new SESClient({}),
  sfn: new SFNClient({}),
  secrets: new SecretsManagerClient({}),
  s3: new S3Client({ forcePathStyle: true }),
};

export async function handler(): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: '' };
}
