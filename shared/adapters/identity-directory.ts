import type { IdentityDirectory } from '#shared/domain/staff.ts';
import { cognito } from './aws.ts';

/**
 * The user pool's account directory through the SDK's Cognito client (AdminCreateUser,
 * AdminDisableUser), loaded on first use. The local identity provider answers the same API at
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. Cognito sends no mail (`MessageAction: SUPPRESS`):
 * the app mails the invitation from the council's sender.
 */
export class CognitoDirectory implements IdentityDirectory {
  constructor(private readonly userPoolId: string) {}

  async createUser(user: { userId: string; email: string; name: string; councilId: string; temporaryPassword: string }): Promise<boolean> {
    const { AdminCreateUserCommand, UsernameExistsException } = await import('@aws-sdk/client-cognito-identity-provider');
    try {
      await (await cognito()).send(
        new AdminCreateUserCommand({
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
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof UsernameExistsException || (e as { name?: string }).name === 'UsernameExistsException') return false;
      throw e;
    }
  }

  async disableUser(userId: string): Promise<void> {
    const { AdminDisableUserCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    await (await cognito()).send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
  }
}
