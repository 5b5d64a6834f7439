import { createDeps } from '#shared/adapters/deps.ts';
import { runFollowUpClock } from '#shared/use-cases/followups.ts';
import { renewLongWaits } from '#shared/use-cases/recovery.ts';

const deps = createDeps();

/**
 * Scheduled daily: reminds owners a week before each due date and escalates overdue reports,
 * and hands cases that have waited long in one execution to a newer one.
 */
export async function handler(): Promise<{ reminders: number; escalations: number; renewed: number }> {
  const result = { ...(await runFollowUpClock(deps)), ...(await renewLongWaits(deps)) };
  console.log(JSON.stringify({ level: 'info', job: 'followup-clock', ...result }));
  return result;
}
