import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { jsonProtocolServer, ServiceError, stringMember } from './json-protocol.ts';

/**
 * A Secrets Manager stand-in (JSON 1.1 protocol: GetSecretValue, and PutSecretValue to rotate)
 * serving secrets generated on first start. With a data folder they are kept in a file there —
 * out of git — so links signed before a restart still verify after it.
 *
 * It also answers as the AWS Parameters and Secrets Lambda Extension does, which is how the
 * functions read the signing key (shared/adapters/signing-key.ts): `GET /secretsmanager/get?secretId=…`
 * with the `X-Aws-Parameters-Secrets-Token` header, answered with GetSecretValue's JSON. The
 * local stack points PARAMETERS_SECRETS_EXTENSION_HTTP_PORT at this server.
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
  const getSecretValue = (secretId: string) => ({
    ARN: secretId,
    Name: secretId,
    SecretString: stored[secretId],
    VersionId: versions.get(secretId) ?? 'local',
    VersionStages: ['AWSCURRENT'],
  });
  return jsonProtocolServer({
    targetPrefix: 'secretsmanager',
    get: {
      // The extension refuses a caller without the token header (AWS_SESSION_TOKEN in Lambda; locally there is none to match).
      '/secretsmanager/get': (query, headers) => {
        if (headers['x-aws-parameters-secrets-token'] === undefined)
          throw new ServiceError('AccessDeniedException', 'missing X-Aws-Parameters-Secrets-Token', 401);
        return getSecretValue(existing({ SecretId: query.get('secretId') ?? '' }));
      },
    },
    contentType: 'application/x-amz-json-1.1',
    maxBodyBytes: 1024 * 1024,
    label: 'local Secrets Manager',
    operations: {
      GetSecretValue: (b) => getSecretValue(existing(b)),
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
