import { loadSettings, type Settings } from '#shared/config.ts';
import type { Notifier } from '#shared/domain/events.ts';
import { AttachmentStore } from './attachment-store.ts';
import { dynamo, lambda, s3, ses, sfn } from './aws.ts';
import { ConsultationRepository } from './consultation-repository.ts';
import { CouncilRepository } from './council-repository.ts';
import { FollowUpRepository } from './followup-repository.ts';
import { JobStarter } from './jobs.ts';
import { LinkRepository } from './link-repository.ts';
import { Mailer } from './mailer.ts';
import { MeetingRepository } from './meeting-repository.ts';
import { MailNotifier } from './notifier.ts';
import { type Clock, systemClock } from './runtime.ts';
import { SessionRepository } from './session-repository.ts';
import { type KeySource, signingKey } from './signing-key.ts';
import { WorkflowClient } from './workflow.ts';

/** What use cases need from the outside world, wired once per container. */
export interface Deps {
  settings: Settings;
  councils: CouncilRepository;
  consultations: ConsultationRepository;
  meetings: MeetingRepository;
  followUps: FollowUpRepository;
  /** Staff sessions (sign-in, every signed-in request, sign-out). */
  sessions: SessionRepository;
  /** Signed links' generations (revocation), rate counters and daily view marks. */
  links: LinkRepository;
  workflow: WorkflowClient;
  /** Present only where the function was given the attachments bucket. */
  attachments: AttachmentStore | undefined;
  /** Tells people what happened (mails rendered from domain events). */
  notifier: Notifier;
  clock: Clock;
  /** The master secret each council's session and link keys are derived from: the container's one cached copy (read lazily). */
  signingKey: KeySource;
  /** Starts minutes exports in the background. */
  exports: JobStarter;
}

export function createDeps(settings: Settings = loadSettings()): Deps {
  const mailer = new Mailer(ses, settings.MAIL_FROM);
  return {
    settings,
    councils: new CouncilRepository(dynamo, settings.TABLE_NAME),
    consultations: new ConsultationRepository(dynamo, settings.TABLE_NAME),
    meetings: new MeetingRepository(dynamo, settings.TABLE_NAME),
    followUps: new FollowUpRepository(dynamo, settings.TABLE_NAME),
    sessions: new SessionRepository(dynamo, settings.TABLE_NAME),
    links: new LinkRepository(dynamo, settings.TABLE_NAME),
    workflow: new WorkflowClient(sfn, settings.STATE_MACHINE_ARN),
    attachments: settings.ATTACHMENTS_BUCKET ? new AttachmentStore(s3, settings.ATTACHMENTS_BUCKET) : undefined,
    notifier: new MailNotifier(mailer, settings.APP_BASE_URL),
    clock: systemClock,
    signingKey,
    exports: new JobStarter(lambda, settings.EXPORT_FUNCTION_NAME),
  };
}
