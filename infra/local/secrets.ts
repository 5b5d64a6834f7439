import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { jsonProtocolServer, ServiceError, stringMember } from './json-protocol.ts';

/**
 * A Secrets Manager stand-in (JSON 1.1 protocol: GetSecretValue, and PutSecretValue to rotate)
 * serving secrets generated on first start. With a data folder they are kept in a file there —
 * out of git — so links signed before a restart still verify after it.
 */
export function secretsApi(options: { names: string[]; dataDir?: string | undefined }): Server {
  const file = options.dataDir && path.join(options.dataDir, 'secrets.json');
  const stored: Record<string, string> = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  /** The AWSCURRENT version of each secret put since start; the others are 'local'. */
  const versions = new Map<string, string>();
  const save = () => {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  };
  let changed = false;
  for (const name of options.names) {
    if (!stored[name]) {
      stored[name] = randomBytes(48).toString('base64url');
      changed = true;
    }
  }
  if (changed) save();
  const existing = (b: Record<string, unknown>) => {
    const secretId = stringMember(b, 'SecretId', { required: true, max: 2048 })!;
    if (!Object.hasOwn(stored, secretId)) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secretId;
  };
  return jsonProtocolServer({
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    maxBodyBytes: 1024 * 1024,
    label: 'local Secrets Manager',
    operations: {
      GetSecretValue: (b) => {
        const secretId = existing(b);
        return { ARN: secretId, Name: secretId, SecretString: stored[secretId], VersionId: versions.get(secretId) ?? 'local', VersionStages: ['AWSCURRENT'] };
      },
      // As a rotation's setSecret step does: the new value becomes AWSCURRENT at once.
      PutSecretValue: (b) => {
        const secretId = existing(b);
        const value = stringMember(b, 'SecretString', { max: 65_536 });
        if (!value) throw new ServiceError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
        const versionId = stringMember(b, 'ClientRequestToken', { max: 64 }) ?? randomUUID();
        stored[secretId] = value;
        versions.set(secretId, versionId);
        save();
        return { ARN: secretId, Name: secretId, VersionId: versionId, VersionStages: ['AWSCURRENT'] };
      },
    },
  });
}
