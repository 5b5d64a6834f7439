/**
 * The cold-start floor: a handler that only makes the AWS clients, bundled exactly like the
 * real handlers. What a handler costs above this is the application's own code and its first
 * event. The five clients are those every function made when the target was set (issue 18), kept
 * so that each pass is measured against the same floor: the functions now make the DynamoDB
 * client at import and the others on first use, and no longer hold a Secrets Manager client
 * (shared/adapters/aws.ts). The DynamoDB client is made as the functions make it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { documentClient } from '#shared/adapters/document-client.ts';

export const clients = {
  dynamo: documentClient(),
  ses: new SESClient({}),
  sfn: new SFNClient({}),
  secrets: new SecretsManagerClient({}),
  s3: new S3Client({ forcePathStyle: true }),
};

export async function handler(): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: '' };
}
