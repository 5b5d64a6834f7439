import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The key that signs links, read from Secrets Manager once per container (the first
 * request pays for it; it is then kept in memory, never logged).
 */
export class SigningKey {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string | undefined,
  ) {}

  get(): Promise<Buffer> {
    if (!this.secretId) return Promise.reject(new Error('SIGNING_SECRET_ARN is not set for this function'));
    this.key ??= this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })).then((out) => {
      if (!out.SecretString || out.SecretString.length < 32) throw new Error('the link signing secret is missing or too short');
      return Buffer.from(out.SecretString, 'utf8');
    });
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }
}
