import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { secrets } from './aws.ts';

/**
 * How long a container trusts the key it read before asking Secrets Manager again: a rotated
 * key reaches every warm container within five minutes, at one GetSecretValue per container
 * per five minutes of traffic.
 */
export const SIGNING_KEY_MAX_AGE_SECONDS = 300;

/**
 * Powertools' provider keeps the value (per secret, for maxAge) and reads it through the
 * container's one Secrets Manager client, whose endpoint comes from the SDK's settings
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER locally). One provider here: one cached key per container.
 */
const provider = new SecretsProvider({ awsSdkV3Client: secrets });
/** The key last read, per secret. */
const keys = new Map<string, { value: string; key: Buffer }>();
/** Reads under way, so that the requests of a cold container wait for one read instead of each making one. */
const reading = new Map<string, Promise<Buffer>>();

/** Where the master secret comes from: Secrets Manager in functions, a fixed buffer in unit tests. */
export interface KeySource {
  get(): Promise<Buffer>;
}

/**
 * The master secret each council's session and link keys are derived from (HKDF, see
 * shared/domain/links.ts), read from Secrets Manager when first needed and again after
 * {@link SIGNING_KEY_MAX_AGE_SECONDS} (never logged). Every instance shares the one cache;
 * use the exported {@link signingKey}.
 */
export class SigningKey implements KeySource {
  /**
   * @param secretId the secret's name or ARN; by default SIGNING_SECRET_ARN, read at each call
   *   (the local stack sets it after the handler modules may have been imported).
   */
  constructor(
    private readonly secretId?: string,
    private readonly maxAgeSeconds = SIGNING_KEY_MAX_AGE_SECONDS,
  ) {}

  get(): Promise<Buffer> {
    const secretId = this.secretId ?? process.env['SIGNING_SECRET_ARN'];
    if (!secretId) return Promise.reject(new Error('SIGNING_SECRET_ARN is not set for this function'));
    const under = reading.get(secretId);
    if (under) return under;
    const read = provider.get(secretId, { maxAge: this.maxAgeSeconds }).then((value) => {
      if (typeof value !== 'string' || value.length < 32) throw new Error('the link signing secret is missing or too short');
      // One Buffer while the secret is unchanged: the keys derived from it are kept per Buffer (shared/domain/links.ts).
      const last = keys.get(secretId);
      if (last?.value === value) return last.key;
      const key = Buffer.from(value, 'utf8');
      keys.set(secretId, { value, key });
      return key;
    });
    // A failed read is not kept: the next request tries again.
    reading.set(secretId, read);
    void read.finally(() => reading.delete(secretId)).catch(() => {});
    return read;
  }
}

/** The container's signing key, for the session check (http.ts) and the use cases (createDeps) alike. */
export const signingKey = new SigningKey();
