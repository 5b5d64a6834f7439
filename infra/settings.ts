import type { Construct } from 'constructs';

/**
 * What an operator sets per deployment, as CDK context values (cdk.json, or
 * `-c key=value` on the command line). Documented in the README.
 */
export interface DeploymentSettings {
  /** Sender address; its domain or address must be a verified SES identity. */
  mailFrom: string;
  /** Public origin of the pages (a custom domain in front of the HTTP API), used in mail links. */
  appBaseUrl: string;
  /** AWS region to deploy to. @default ap-northeast-1 (Tokyo) */
  region: string;
  /** Prefix of the Cognito hosted UI domain (<prefix>.auth.<region>.amazoncognito.com). */
  authDomainPrefix: string;
  /** Where the CloudWatch alarms are mailed (an SNS e-mail subscription, confirmed once from the mail it gets). */
  operatorEmail: string;
  /**
   * Whether the functions run with `--enable-source-maps`, so that the logs' stack traces name
   * source files and lines. Off by default: Node then reads every chunk's map at import, ≈ 20 ms
   * of each cold start of the page functions. The maps are in every bundle either way, and
   * `node scripts/decode-stack.mjs` maps a logged trace back to the sources. @default false
   */
  sourceMaps: boolean;
}

export function readSettings(scope: Construct): DeploymentSettings {
  const mailFrom = String(scope.node.tryGetContext('council:mailFrom') ?? 'no-reply@example.jp');
  const appBaseUrl = String(scope.node.tryGetContext('council:appBaseUrl') || 'https://council.example.jp');
  if (!/^[^@\s]+@[^@\s]+$/.test(mailFrom)) throw new Error(`council:mailFrom is not an address: ${mailFrom}`);
  if (!/^https?:\/\//.test(appBaseUrl)) throw new Error(`council:appBaseUrl must be an http(s) origin: ${appBaseUrl}`);
  const region = String(scope.node.tryGetContext('council:region') ?? 'ap-northeast-1');
  const authDomainPrefix = String(scope.node.tryGetContext('council:authDomainPrefix') ?? 'council-review');
  if (!/^[a-z0-9-]{3,63}$/.test(authDomainPrefix))
    throw new Error(`council:authDomainPrefix must be lowercase letters, digits and hyphens: ${authDomainPrefix}`);
  const operatorEmail = String(scope.node.tryGetContext('council:operatorEmail') ?? 'operator@example.jp');
  if (!/^[^@\s]+@[^@\s]+$/.test(operatorEmail)) throw new Error(`council:operatorEmail is not an address: ${operatorEmail}`);
  const sourceMaps = String(scope.node.tryGetContext('council:sourceMaps') ?? 'false');
  if (sourceMaps !== 'true' && sourceMaps !== 'false') throw new Error(`council:sourceMaps must be true or false: ${sourceMaps}`);
  return { mailFrom, appBaseUrl: appBaseUrl.replace(/\/$/, ''), region, authDomainPrefix, operatorEmail, sourceMaps: sourceMaps === 'true' };
}

/**
 * Where the identity provider may send a browser back to: after sign-in, the app's callback; after
 * sign-out, the app's home page. The user pool client registers exactly these, and the local
 * identity provider accepts nothing else.
 */
export function signInUrls(appBaseUrl: string): { callbackUrls: string[]; logoutUrls: string[] } {
  const origin = appBaseUrl.replace(/\/$/, '');
  return { callbackUrls: [`${origin}/auth/callback`], logoutUrls: [`${origin}/`] };
}
