import { loadSettings, type Settings } from '#shared/config.ts';
import { dynamo, ses } from './aws.ts';
import { CouncilRepository } from './council-repository.ts';
import { Mailer } from './mailer.ts';
import { systemClock, type Clock } from './runtime.ts';

/** What use cases need from the outside world, wired once per container. */
export interface Deps {
  settings: Settings;
  councils: CouncilRepository;
  mailer: Mailer;
  clock: Clock;
}

export function createDeps(settings: Settings = loadSettings()): Deps {
  return {
    settings,
    councils: new CouncilRepository(dynamo, settings.TABLE_NAME),
    mailer: new Mailer(ses, settings.MAIL_FROM),
    clock: systemClock,
  };
}
