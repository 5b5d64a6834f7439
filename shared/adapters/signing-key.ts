/**
 * How long a container trusts the key it read before asking for it again: a rotated key
 * reaches every warm container within five minutes, at one read per container per five
 * minutes of traffic.
 */
export const SIGNING_KEY_MAX_AGE_SECONDS = 300;

/** A read that has not been answered by then fails (and the next request tries again). */
const READ_TIMEOUT_MS = 5_000;

/** Where the master secret comes from: Secrets Manager in functions, a fixed buffer in unit tests. */
export interface KeySource {
  get(): Promise<Buffer>;
}

/**
 * The secret as the AWS Parameters and Secrets Lambda Extension serves it: a local HTTP call
 * to the extension's own process, which reads Secrets Manager with the function's role. The
 * function then loads no Secrets Manager client at all: on a cold start the SDK's first call of a
 * second client cost more than the rest of the request's own code. The extension's cache is off
 * (infra/constructs/house-function.ts): the age is kept here, so rotation reaches a container
 * as it always did. Locally the Secrets Manager stand-in answers on the same path
 * (infra/local/secrets.ts), found through the extension's own PARAMETERS_SECRETS_EXTENSION_HTTP_PORT.
 */
function readSecret(secretId: string): Promise<string> {
  // Not `import … from 'node:http'`: an ES import of node:http builds its module facade, which
  // reads http's lazy WebSocket exports and so loads Node's whole fetch stack (undici) during INIT:
  // ≈ 20 ms of the page functions' imports, for a module every function already holds (https requires it).
  const { get } = process.getBuiltinModule('node:http');
  const port = process.env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'] || '2773';
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { 'X-Aws-Parameters-Secrets-Token': process.env['AWS_SESSION_TOKEN'] ?? '' }, timeout: READ_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`reading ${secretId}: the secrets extension answered ${res.statusCode}: ${body.slice(0, 300)}`));
        try {
          const value = (JSON.parse(body) as { SecretString?: unknown }).SecretString;
          if (typeof value !== 'string') throw new Error('no SecretString');
          resolve(value);
        } catch (e) {
          reject(new Error(`reading ${secretId}: the secrets extension's answer is not a secret (${(e as Error).message})`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`reading ${secretId}: the secrets extension did not answer within ${READ_TIMEOUT_MS} ms`)));
    request.on('error', reject);
  });
}

/** The key last read, per secret, and until when it is trusted. */
const keys = new Map<string, { value: string; key: Buffer; until: number }>();
/** Reads under way, so that the requests of a cold container wait for one read instead of each making one. */
const reading = new Map<string, Promise<Buffer>>();

/**
 * The master secret each council's session and link keys are derived from (HKDF, see
 * shared/domain/links.ts), read when first needed and again after
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
    const last = keys.get(secretId);
    if (last && Date.now() < last.until) return Promise.resolve(last.key);
    const under = reading.get(secretId);
    if (under) return under;
    const read = readSecret(secretId).then((value) => {
      if (value.length < 32) throw new Error('the link signing secret is missing or too short');
      const until = Date.now() + this.maxAgeSeconds * 1000;
      // One Buffer while the secret is unchanged: the keys derived from it are kept per Buffer (shared/domain/links.ts).
      const key = last?.value === value ? last.key : Buffer.from(value, 'utf8');
      keys.set(secretId, { value, key, until });
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
