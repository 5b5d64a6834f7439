import { createDeps } from '#shared/adapters/deps.ts';
import { runFollowUpClock } from '#shared/use-cases/followups.ts';

const deps = createDeps();

/** Scheduled daily: reminds owners a week before each due date and escalates overdue reports. */
export async function handler(): Promise<{ reminders: number; escalations: number }> {
  const result = await runFollowUpClock(deps);
  console.log(JSON.stringify({ level: 'info', job: 'followup-clock', ...result }));
  return result;
}
