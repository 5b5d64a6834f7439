import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { documentClient } from './document-client.ts';
import { type LazyClient, lazy } from './lazy-client.ts';

/**
 * The SDK clients, made once per container and handed to repositories and mailers.
 * Endpoints come from the SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB, …),
 * which is how the local stack points the same code at its stand-ins.
 *
 * DynamoDB serves every request, so it is made at import; the signing key comes through the
 * Parameters and Secrets extension, with no client (signing-key.ts). The others are loaded on
 * first use (a dynamic import the bundle keeps as one): a cold container whose first request
 * sends no mail, moves no workflow and touches no file never loads their code, which is most of
 * a cold start's cost above the floor.
 */
export const dynamo = documentClient();

export const ses: LazyClient<SESClient> = lazy(async () => new (await import('@aws-sdk/client-ses')).SESClient({}));
export const sfn: LazyClient<SFNClient> = lazy(async () => new (await import('@aws-sdk/client-sfn')).SFNClient({}));
export const lambda: LazyClient<LambdaClient> = lazy(async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({}));
/** The user pool's account directory (the secretariat's invitations); AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER points it at the local identity provider. */
export const cognito: LazyClient<CognitoIdentityProviderClient> = lazy(
  async () => new (await import('@aws-sdk/client-cognito-identity-provider')).CognitoIdentityProviderClient({}),
);
/** Path-style addressing: works in every region and lets the local stand-in serve any bucket on one port. */
export const s3: LazyClient<S3Client> = lazy(async () => new (await import('@aws-sdk/client-s3')).S3Client({ forcePathStyle: true }));
