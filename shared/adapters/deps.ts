import { loadSettings, type Settings } from '#shared/config.ts';
import type { Notifier } from '#shared/domain/events.ts';
import type { IdentityDirectory } from '#shared/domain/staff.ts';
import type { Workflow } from '#shared/domain/workflow.ts';
import { AttachmentStore } from './attachment-store.ts';
import { dynamo, lambda, s3, ses, sfn } from './aws.ts';
import { CognitoDirectory } from './identity-directory.ts';
import { JobStarter } from './jobs.ts';
import { Mailer } from './mailer.ts';
import { MailNotifier } from './notifier.ts';
import { createDynamoRepositories, type Repositories } from './repositories.ts';
import { type Clock, systemClock } from './runtime.ts';
import { type KeySource, signingKey } from './signing-key.ts';
import { WorkflowClient } from './workflow.ts';

/**
 * What use cases need from the outside world, wired once per container: the repositories
 * (on the table here; on the in-memory store in the use cases' unit tests) and the ports.
 */
export interface Deps extends Repositories {
  settings: Settings;
  /** Moves a case's workflow on (Step Functions). */
  workflow: Workflow;
  /** Present only where the function was given the attachments bucket. */
  attachments: AttachmentStore | undefined;
  /** Tells people what happened (mails rendered from domain events). */
  notifier: Notifier;
  clock: Clock;
  /** The master secret each council's session and link keys are derived from: the container's one cached copy (read lazily). */
  signingKey: KeySource;
  /** Starts minutes exports in the background. */
  exports: Pick<JobStarter, 'start'>;
  /** The identity provider's accounts (Cognito's user pool): invitations create them. */
  identities: IdentityDirectory;
}

/** Where no user pool was given (functions that invite nobody): asking is a bug. */
const noDirectory: IdentityDirectory = {
  createUser: () => Promise.reject(new Error('USER_POOL_ID is not set for this function')),
  disableUser: () => Promise.reject(new Error('USER_POOL_ID is not set for this function')),
};

export function createDeps(settings: Settings = loadSettings()): Deps {
  const mailer = new Mailer(ses, settings.MAIL_FROM, settings.MAIL_RATE_PER_SECOND ? { perSecond: settings.MAIL_RATE_PER_SECOND } : {});
  return {
    settings,
    ...createDynamoRepositories(dynamo, settings.TABLE_NAME),
    workflow: new WorkflowClient(sfn, settings.STATE_MACHINE_ARN),
    attachments: settings.ATTACHMENTS_BUCKET ? new AttachmentStore(s3, settings.ATTACHMENTS_BUCKET) : undefined,
    notifier: new MailNotifier(mailer, settings.APP_BASE_URL),
    clock: systemClock,
    signingKey,
    exports: new JobStarter(lambda, settings.EXPORT_FUNCTION_NAME),
    identities: settings.USER_POOL_ID ? new CognitoDirectory(settings.USER_POOL_ID) : noDirectory,
  };
}
