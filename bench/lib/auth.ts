/**
 * Signing in as a demo person, the way a browser holds it: the signed session cookie the
 * handlers verify (shared/domain/session.ts), minted with the stack's own signing key, and
 * the CSRF token every signed-in POST must carry. The older local_identity cookie is sent
 * along too, for a local gateway that still reads it.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import { csrfToken, SESSION_COOKIE, sessionToken } from '#shared/domain/session.ts';

export interface Auth {
  /** Cookies of a signed-in person (none for an anonymous one). */
  cookies(userId: string | undefined): string[];
  /** The `_csrf` form value for that person's POSTs. */
  csrf(userId: string | undefined): string | undefined;
}

/** From the environment the stack gives its functions: the Secrets Manager stand-in and the secret's name. */
export async function authFromEnv(env: Record<string, string | undefined>): Promise<Auth> {
  const endpoint = env['AWS_ENDPOINT_URL_SECRETS_MANAGER'];
  const secretId = env['SIGNING_SECRET_ARN'];
  if (!endpoint || !secretId) throw new Error('the stack environment has no Secrets Manager endpoint or signing secret');
  const client = new SecretsManagerClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  client.destroy();
  const key = Buffer.from(SecretString ?? '', 'utf8');
  const tokens = new Map<string, string>();
  const tokenOf = (userId: string) => {
    if (!tokens.has(userId)) {
      const principal = DEMO_IDENTITIES.find((i) => i.userId === userId);
      if (!principal) throw new Error(`no demo identity ${userId}`);
      tokens.set(userId, sessionToken(key, principal, new Date()));
    }
    return tokens.get(userId)!;
  };
  return {
    cookies: (userId) => (userId ? [`${SESSION_COOKIE}=${tokenOf(userId)}`, `local_identity=${userId}`] : []),
    csrf: (userId) => (userId ? csrfToken(key, tokenOf(userId)) : undefined),
  };
}
