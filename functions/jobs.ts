import { z } from 'zod';
import { createDeps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { runFollowUpClock } from '#shared/use-cases/followups.ts';
import { renewLongWaits } from '#shared/use-cases/recovery.ts';
import { runVotingClock } from '#shared/use-cases/voting.ts';

const deps = createDeps();

/** The scheduled jobs; each schedule's rule passes `{ job }` as the event. */
const JOBS = {
  /** Hourly: closes votes past their deadline (or that everyone voted in) and reminds members who have not voted. */
  votingClock: () => runVotingClock(deps),
  /**
   * Daily: reminds owners a week before each due date, escalates overdue reports, and hands
   * cases that have waited long in one execution to a newer one.
   */
  followUpClock: async () => ({ ...(await runFollowUpClock(deps)), ...(await renewLongWaits(deps)) }),
} as const;
export type JobName = keyof typeof JOBS;

export async function handler(event: unknown): Promise<unknown> {
  const { job } = z.object({ job: z.enum(Object.keys(JOBS) as [JobName, ...JobName[]]) }).parse(event);
  logger.resetKeys();
  logger.appendKeys({ job });
  const result = await JOBS[job]();
  logger.info('job finished', { result });
  return result;
}
