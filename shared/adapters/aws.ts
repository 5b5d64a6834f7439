import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The SDK clients, made once per container and handed to repositories and mailers.
 * Endpoints come from the SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB, …),
 * which is how the local stack points the same code at its stand-ins.
 */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
export const ses = new SESClient({});
export const sfn = new SFNClient({});
export const secrets = new SecretsManagerClient({});
export const lambda = new LambdaClient({});
/** Path-style addressing: works in every region and lets the local stand-in serve any bucket on one port. */
export const s3 = new S3Client({ forcePathStyle: true });
