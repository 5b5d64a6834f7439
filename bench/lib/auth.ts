/**
 * Signing in as a demo person, the way a browser holds it: a stored session (as sign-in
 * stores it) and the signed cookie naming it (shared/domain/session.ts), minted with the
 * stack's own master secret, and the CSRF token every signed-in POST must carry. The older
 * local_identity cookie is sent along too, for a local gateway that still reads it.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import { SessionRepository } from '#shared/adapters/session-repository.ts';
import { csrfToken, newSession, SESSION_COOKIE, type SessionRef, sessionToken } from '#shared/domain/session.ts';

export interface Auth {
  /** Cookies of a signed-in person (none for an anonymous one). */
  cookies(userId: string | undefined): string[];
  /** The `_csrf` form value for that person's POSTs. */
  csrf(userId: string | undefined): string | undefined;
  /** The stored session the cookie names (the raw baselines read it as every signed-in page does). */
  session(userId: string): SessionRef;
}

/** From the environment the stack gives its functions: the Secrets Manager stand-in, the secret's name, the table. */
export async function authFromEnv(env: Record<string, string | undefined>): Promise<Auth> {
  const endpoint = env['AWS_ENDPOINT_URL_SECRETS_MANAGER'];
  const secretId = env['SIGNING_SECRET_ARN'];
  const [dynamodb, tableName] = [env['AWS_ENDPOINT_URL_DYNAMODB'], env['TABLE_NAME']];
  if (!endpoint || !secretId) throw new Error('the stack environment has no Secrets Manager endpoint or signing secret');
  if (!dynamodb || !tableName) throw new Error('the stack environment has no DynamoDB endpoint or table name');
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const client = new SecretsManagerClient({ endpoint, region: 'ap-northeast-1', credentials });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  client.destroy();
  const key = Buffer.from(SecretString ?? '', 'utf8');
  // One stored session per demo person, as sign-in would store it.
  const raw = new DynamoDBClient({ endpoint: dynamodb, region: 'ap-northeast-1', credentials });
  const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const sessions = new SessionRepository(db, tableName);
  const tokens = new Map<string, { token: string; csrf: string; ref: SessionRef }>();
  for (const principal of DEMO_IDENTITIES) {
    const session = newSession(principal, randomBytes(16).toString('base64url'), new Date());
    await sessions.create(session);
    const token = sessionToken(key, session);
    tokens.set(principal.userId, {
      token,
      csrf: csrfToken(key, session, token),
      ref: { councilId: session.councilId, userId: session.userId, sessionId: session.sessionId },
    });
  }
  raw.destroy();
  const of = (userId: string) => {
    const t = tokens.get(userId);
    if (!t) throw new Error(`no demo identity ${userId}`);
    return t;
  };
  return {
    cookies: (userId) => (userId ? [`${SESSION_COOKIE}=${of(userId).token}`, `local_identity=${userId}`] : []),
    csrf: (userId) => (userId ? of(userId).csrf : undefined),
    session: (userId) => of(userId).ref,
  };
}
