import type { Server } from 'node:http';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { secretsApi } from '#infra/local/secrets.ts';
import { close, listen } from '#infra/local/services.ts';

// The signing key against the Secrets Manager stand-in, found as in the local stack and in AWS:
// through the SDK's AWS_ENDPOINT_URL_SECRETS_MANAGER, set before the adapter is first imported.
const SECRET = 'rotation-test-key';
let server: Server;
let admin: SecretsManagerClient;
let mod: typeof import('#shared/adapters/signing-key.ts');
let reads = 0;

beforeAll(async () => {
  server = secretsApi({ names: [SECRET] });
  const url = await listen(server, 0);
  Object.assign(process.env, {
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
    SIGNING_SECRET_ARN: SECRET,
  });
  mod = await import('#shared/adapters/signing-key.ts');
  const { secrets } = await import('#shared/adapters/aws.ts');
  secrets.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'GetSecretValueCommand') reads++;
      return next(args);
    },
    { step: 'initialize', name: 'countReads' },
  );
  admin = new SecretsManagerClient({});
});

afterAll(async () => {
  vi.useRealTimers();
  admin?.destroy();
  await close(server);
});

const rotate = (value: string) => admin.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: value }));

describe('the link signing key', () => {
  it('is read once per container, however many ask for it at once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-04-01T00:00:00Z'));
    await rotate('a'.repeat(48));
    const keys = await Promise.all([mod.signingKey.get(), mod.signingKey.get(), new mod.SigningKey().get(), new mod.SigningKey(SECRET).get()]);
    expect(keys.map((k) => k.toString('utf8'))).toEqual(Array(4).fill('a'.repeat(48)));
    expect(reads).toBe(1);
  });

  it('sees a rotated secret once the cached one is five minutes old, not before', async () => {
    await rotate('b'.repeat(48));
    expect((await mod.signingKey.get()).toString('utf8')).toBe('a'.repeat(48));
    vi.setSystemTime(new Date(Date.now() + (mod.SIGNING_KEY_MAX_AGE_SECONDS - 1) * 1000));
    expect((await mod.signingKey.get()).toString('utf8')).toBe('a'.repeat(48));
    expect(reads).toBe(1);
    vi.setSystemTime(new Date(Date.now() + 2000));
    expect((await mod.signingKey.get()).toString('utf8')).toBe('b'.repeat(48));
    expect(reads).toBe(2);
  });

  it('refuses a missing setting, a missing secret or a short one, and keeps no failed read', async () => {
    const setting = process.env['SIGNING_SECRET_ARN'];
    delete process.env['SIGNING_SECRET_ARN'];
    await expect(mod.signingKey.get()).rejects.toThrow('SIGNING_SECRET_ARN is not set');
    process.env['SIGNING_SECRET_ARN'] = setting;
    await expect(new mod.SigningKey('no-such-secret').get()).rejects.toThrow(/can't find the specified secret/);
    await expect(new mod.SigningKey('no-such-secret').get()).rejects.toThrow(/can't find the specified secret/);
    await rotate('too short');
    vi.setSystemTime(new Date(Date.now() + (mod.SIGNING_KEY_MAX_AGE_SECONDS + 1) * 1000));
    await expect(mod.signingKey.get()).rejects.toThrow('missing or too short');
    await rotate('c'.repeat(48));
    vi.setSystemTime(new Date(Date.now() + (mod.SIGNING_KEY_MAX_AGE_SECONDS + 1) * 1000));
    expect((await mod.signingKey.get()).toString('utf8')).toBe('c'.repeat(48));
  });
});
