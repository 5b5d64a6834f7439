import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '#shared/adapters/document-client.ts';
import { KeyedSha256 } from '#shared/adapters/keyed-sha256.ts';

type HashConstructor = new (
  secret?: string | ArrayBuffer | ArrayBufferView,
) => {
  update(data: Uint8Array | string): void;
  digest(): Promise<Uint8Array>;
  reset(): void;
};
/** The SDK's own SHA-256, as a client it builds is configured with. */
const SdkSha256 = new DynamoDBClient({ region: 'ap-northeast-1' }).config.sha256 as unknown as HashConstructor;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Every step of a hash's life: updates, a digest, a reset, more updates and a last digest. */
async function run(Hash: HashConstructor, secret: string | ArrayBuffer | Uint8Array | undefined, first: Uint8Array[], second: Uint8Array[]) {
  const hash = new Hash(secret);
  for (const chunk of first) hash.update(chunk);
  const one = hex(await hash.digest());
  hash.reset();
  for (const chunk of second) hash.update(chunk);
  return [one, hex(await hash.digest())];
}

describe('KeyedSha256, the SHA-256 the DynamoDB client signs with', () => {
  it('computes what the SDK’s own computes: plain hashes and HMACs keyed by text, bytes or a buffer', async () => {
    const secret = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => b.buffer as ArrayBuffer),
      // A view into a larger buffer, as the signer's cached key may be.
      fc.uint8Array({ minLength: 8, maxLength: 64 }).map((b) => b.subarray(3, b.length - 2)),
    );
    const chunks = fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(secret, chunks, chunks, async (key, first, second) => {
        expect(await run(KeyedSha256, key, first, second)).toEqual(await run(SdkSha256, key, first, second));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same HMAC again for the same key object, and another for other bytes', async () => {
    const key = new Uint8Array(32).fill(7);
    const mac = async (k: Uint8Array) => {
      const h = new KeyedSha256(k);
      h.update(new TextEncoder().encode('payload'));
      return hex(await h.digest());
    };
    const first = await mac(key);
    expect(await mac(key)).toBe(first);
    expect(await mac(new Uint8Array(32).fill(8))).not.toBe(first);
    // A plain hash may be digested again after more data; an HMAC is finished by its digest.
    const plain = new KeyedSha256();
    plain.update(new Uint8Array([1]));
    await plain.digest();
    plain.update(new Uint8Array([2]));
    expect(hex(await plain.digest())).toBe(
      createHash('sha256')
        .update(Buffer.from([1, 2]))
        .digest('hex'),
    );
    const hmac = new KeyedSha256(key);
    await hmac.digest();
    expect(() => hmac.update(new Uint8Array([1]))).toThrow('already finished');
  });
});

describe('the DynamoDB client’s signature', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-04-01T09:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Signs a GetItem as the client does (its random invocation id fixed first) and gives the Authorization header; nothing is sent. */
  function signer(client: DynamoDBDocumentClient): () => Promise<string> {
    type Args = { request: { headers: Record<string, string> } };
    type Middleware = Parameters<typeof client.middlewareStack.addRelativeTo>[0];
    let captured: string | undefined;
    const fixInvocationId = (next: (args: Args) => Promise<unknown>) => async (args: Args) => {
      args.request.headers['amz-sdk-invocation-id'] = 'fixed';
      return next(args);
    };
    const capture = () => async (args: Args) => {
      captured = args.request.headers['authorization'];
      throw new Error('captured');
    };
    client.middlewareStack.addRelativeTo(fixInvocationId as unknown as Middleware, {
      relation: 'before',
      toMiddleware: 'httpSigningMiddleware',
      name: 'fixInvocationId',
    });
    client.middlewareStack.addRelativeTo(capture as unknown as Middleware, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'capture' });
    return async () => {
      captured = undefined;
      await expect(client.send(new GetCommand({ TableName: 'council', Key: { pk: 'C#sakura', sk: 'COUNCIL' } }))).rejects.toThrow('captured');
      return captured!;
    };
  }
  const config = (secretAccessKey: string) => ({
    region: 'ap-northeast-1',
    endpoint: 'http://127.0.0.1:1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey },
  });

  it('is the one the SDK’s own SHA-256 gives, call after call, and changes with the secret', async () => {
    const client = documentClient(config('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'));
    expect(client.config.sha256).toBe(KeyedSha256);
    const ours = signer(client);
    const expected = await signer(DynamoDBDocumentClient.from(new DynamoDBClient(config('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'))))();
    expect(expected).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260401\/ap-northeast-1\/dynamodb\/aws4_request, .*Signature=[0-9a-f]{64}$/);
    // The first call derives the day's signing key; the second signs with the key object kept from the first.
    expect(await ours()).toBe(expected);
    expect(await ours()).toBe(expected);
    expect(await signer(documentClient(config('another-secret-key-of-the-same-length-xx')))()).not.toBe(expected);
  });
});
