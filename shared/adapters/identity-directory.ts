import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IdentityDirectory } from '#shared/domain/staff.ts';
import { ses } from './aws.ts';

const bytes = (d: string | ArrayBuffer | ArrayBufferView) =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

/** The hash SigV4 signs with, on node:crypto (an HMAC when given a key). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  reset(): void {}
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/**
 * The user pool's account directory, through Cognito's own JSON API (AdminCreateUser,
 * AdminDisableUser), signed with the function's role as the SDK signs (the credentials and
 * region of the SDK's clients). The endpoint is the SDK's standard one, or
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` (the local identity provider answers there).
 * Cognito sends no mail (`MessageAction: SUPPRESS`): the app mails the invitation from the
 * council's sender.
 */
export class CognitoDirectory implements IdentityDirectory {
  constructor(private readonly userPoolId: string) {}

  private async call(action: string, body: object): Promise<{ ok: true } | { ok: false; error: string }> {
    const client = await ses();
    const region = await client.config.region();
    const endpoint = new URL(process.env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'] ?? `https://cognito-idp.${region}.amazonaws.com/`);
    const signer = new SignatureV4({ credentials: client.config.credentials, region, service: 'cognito-idp', sha256: NodeSha256 });
    const request = await signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname,
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
    const res = await fetch(endpoint, { method: 'POST', headers: request.headers, body: request.body as string });
    if (res.ok) return { ok: true };
    const answer = (await res.json().catch(() => ({}))) as { __type?: string; message?: string };
    const error = (answer.__type ?? `HTTP ${res.status}`).split('#').pop()!;
    if (error === 'UsernameExistsException') return { ok: false, error };
    throw new Error(`cognito-idp ${action} failed: ${error} ${answer.message ?? ''}`.trim());
  }

  async createUser(user: { userId: string; email: string; name: string; councilId: string; temporaryPassword: string }): Promise<boolean> {
    const result = await this.call('AdminCreateUser', {
      UserPoolId: this.userPoolId,
      Username: user.userId,
      TemporaryPassword: user.temporaryPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: user.name },
        { Name: 'custom:councilId', Value: user.councilId },
      ],
    });
    return result.ok;
  }

  async disableUser(userId: string): Promise<void> {
    await this.call('AdminDisableUser', { UserPoolId: this.userPoolId, Username: userId });
  }
}
