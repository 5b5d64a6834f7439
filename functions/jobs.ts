import * as z from 'zod/mini';
import { createDeps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { tokyoDate } from '#shared/domain/followups.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { runFollowUpClock } from '#shared/use-cases/followups.ts';
import { runIncidentClock } from '#shared/use-cases/incidents.ts';
import { runPiaClock } from '#shared/use-cases/pia.ts';
import { renewLongWaits } from '#shared/use-cases/recovery.ts';
import { JOB_NAMES, type JobName } from '#shared/use-cases/scheduled.ts';
import { runVotingClock } from '#shared/use-cases/voting.ts';

const deps = createDeps();

/** Items moved out of the legacy shared index partitions per run (one bounded page each). */
const MIGRATION_PAGE = 200;

/** The units of the scheduled jobs, each for one council (the dispatcher starts one per council). */
const JOBS = {
  /** Hourly: closes the council's votes past their deadline (or that everyone voted in) and reminds members who have not voted. */
  votingClock: (councilId: string) => runVotingClock(deps, councilId),
  /**
   * Daily: reminds owners a week before each due date, escalates overdue reports (and incidents'
   * 速報/確報), hands cases that have waited long in one execution to a newer one, and reminds
   * departments of a 評価書's re-evaluation 6 months and 1 month before it is due — in the
   * council's data only.
   */
  followUpClock: async (councilId: string) => ({
    ...(await runFollowUpClock(deps, councilId)),
    // Incidents' 速報/確報 deadlines: reminders before and on the day, escalation once overdue.
    ...(await runIncidentClock(deps, councilId)),
    ...(await renewLongWaits(deps, councilId)),
    ...(await runPiaClock(deps, councilId)),
  }),
} as const satisfies Record<JobName, (councilId: string) => Promise<object>>;

const event = z.union([
  z.object({ job: z.enum(JOB_NAMES), councilId: z.string().check(z.regex(ID_PATTERN)) }),
  /** With the hourly run: moves one page of what earlier versions left in the index partitions shared by all councils. */
  z.object({ job: z.literal('migrateIndexes') }),
]);

export async function handler(raw: unknown): Promise<unknown> {
  const unit = event.parse(raw);
  logger.resetKeys();
  logger.appendKeys(unit);
  const result =
    unit.job === 'migrateIndexes'
      ? {
          rounds: await deps.agendas.migrateLegacyRounds(MIGRATION_PAGE, tokyoDate(deps.clock.now())),
          followUps: await deps.followUps.migrateLegacy(MIGRATION_PAGE),
        }
      : await JOBS[unit.job](unit.councilId);
  logger.info('job unit finished', { result });
  return result;
}
