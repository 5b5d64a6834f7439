import { createHash, createHmac, createSecretKey, type Hash, type Hmac, type KeyObject } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** The KeyObject of each binary secret the SDK has signed with, by the secret's own object. */
const keyObjects = new WeakMap<object, KeyObject>();

/**
 * An HMAC key as Node's crypto takes it fastest. On Node 24 an HMAC keyed by a Buffer or
 * Uint8Array costs ≈ 13 µs for its key check alone, against ≈ 3 µs keyed by a KeyObject (Node 20:
 * 3 µs either way). The SDK's signer hands over the same Uint8Array (its cached signing key, never
 * changed in place) call after call, so one KeyObject per object serves every call; a string key is
 * already fast.
 */
function hmacKey(secret: SourceData): string | Buffer | KeyObject {
  if (typeof secret === 'string') return secret;
  let key = keyObjects.get(secret);
  if (!key) {
    const bytes = ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    // A KeyObject cannot be empty; an empty key is rare enough to take the slow way.
    if (bytes.length === 0) return bytes;
    key = createSecretKey(bytes);
    keyObjects.set(secret, key);
  }
  return key;
}

/**
 * SHA-256 and HMAC-SHA256 for the SDK's clients (their `sha256` setting), as the SDK's own
 * node:crypto implementation computes them, with the HMAC keyed by a KeyObject: every DynamoDB
 * call is signed with an HMAC of the cached signing key.
 */
export class KeyedSha256 {
  readonly digestLength = 32;
  private hash: Hash | Hmac;
  private finished = false;
  private readonly key: string | Buffer | KeyObject | undefined;

  constructor(secret?: SourceData) {
    this.key = secret === undefined || secret === '' ? undefined : hmacKey(secret);
    this.hash = this.create();
  }

  update(data: string | Uint8Array): void {
    if (this.finished) throw new Error('Attempted to update an already finished hash.');
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    // An HMAC is finished by its digest; a plain hash may be digested again after more updates, as the SDK's own allows.
    let out: Buffer;
    if (this.key === undefined) out = (this.hash as Hash).copy().digest();
    else {
      this.finished = true;
      out = this.hash.digest();
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  reset(): void {
    this.hash = this.create();
    this.finished = false;
  }

  private create(): Hash | Hmac {
    return this.key === undefined ? createHash('sha256') : createHmac('sha256', this.key);
  }
}
