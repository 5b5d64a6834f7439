import type { Server } from 'node:http';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { secretsApi } from '#infra/local/secrets.ts';
import { close, listen } from '#infra/local/services.ts';

// The signing key against the Secrets Manager stand-in, read as in AWS: through the Parameters and
// Secrets extension's local API (which the stand-in also serves), found by its
// PARAMETERS_SECRETS_EXTENSION_HTTP_PORT; rotated through Secrets Manager's own API.
const SECRET = 'rotation-test-key';
let server: Server;
let url: string;
let admin: SecretsManagerClient;
let mod: typeof import('#shared/adapters/signing-key.ts');
let reads = 0;

beforeAll(async () => {
  server = secretsApi({ names: [SECRET] });
  url = await listen(server, 0);
  server.on('request', (req) => {
    if (req.method === 'GET') reads++;
  });
  Object.assign(process.env, {
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: new URL(url).port,
    SIGNING_SECRET_ARN: SECRET,
  });
  mod = await import('#shared/adapters/signing-key.ts');
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

  it('is read with the session token the extension asks for, and the extension refuses a read without it', async () => {
    const tokens: (string | string[] | undefined)[] = [];
    const record = (req: { headers: Record<string, string | string[] | undefined> }) => tokens.push(req.headers['x-aws-parameters-secrets-token']);
    server.on('request', record);
    process.env['AWS_SESSION_TOKEN'] = 'session-token-of-the-role';
    vi.setSystemTime(new Date(Date.now() + (mod.SIGNING_KEY_MAX_AGE_SECONDS + 1) * 1000));
    try {
      await mod.signingKey.get();
    } finally {
      delete process.env['AWS_SESSION_TOKEN'];
      server.off('request', record);
    }
    expect(tokens).toEqual(['session-token-of-the-role']);
    const bare = await fetch(`${url}/secretsmanager/get?secretId=${SECRET}`);
    expect(bare.status).toBe(401);
    expect(await bare.text()).not.toContain('c'.repeat(48));
  });

  it('fails a read the extension does not answer, and does not keep the failure', async () => {
    const port = process.env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'];
    // A port where nothing listens: the extension is not there (yet).
    const silent = (await import('node:net')).createServer();
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const free = (silent.address() as { port: number }).port;
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    process.env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'] = String(free);
    try {
      await expect(new mod.SigningKey('other-secret').get()).rejects.toThrow();
    } finally {
      process.env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'] = port;
    }
    await expect(new mod.SigningKey('other-secret').get()).rejects.toThrow(/can't find the specified secret/);
  });
});
