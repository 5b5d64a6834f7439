import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { jsonProtocolServer, ServiceError, stringMember } from './json-protocol.ts';

/**
 * A Secrets Manager stand-in (JSON 1.1 protocol, GetSecretValue only) serving secrets
 * generated on first start. With a data folder they are kept in a file there — out of
 * git — so links signed before a restart still verify after it.
 */
export function secretsApi(options: { names: string[]; dataDir?: string | undefined }): Server {
  const file = options.dataDir && path.join(options.dataDir, 'secrets.json');
  const stored: Record<string, string> = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const name of options.names) {
    if (!stored[name]) {
      stored[name] = randomBytes(48).toString('base64url');
      changed = true;
    }
  }
  if (file && changed) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  return jsonProtocolServer({
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    maxBodyBytes: 1024 * 1024,
    label: 'local Secrets Manager',
    operations: {
      GetSecretValue: (b) => {
        const secretId = stringMember(b, 'SecretId', { required: true, max: 2048 })!;
        const value = Object.hasOwn(stored, secretId) ? stored[secretId] : undefined;
        if (!value) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return { ARN: secretId, Name: secretId, SecretString: value, VersionId: 'local', VersionStages: ['AWSCURRENT'] };
      },
    },
  });
}
