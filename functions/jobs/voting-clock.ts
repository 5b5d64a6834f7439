import { createDeps } from '#shared/adapters/deps.ts';
import { runVotingClock } from '#shared/use-cases/voting.ts';

const deps = createDeps();

/** Scheduled hourly: closes votes past their deadline and reminds members who have not voted. */
export async function handler(): Promise<{ closed: number; reminded: number }> {
  const result = await runVotingClock(deps);
  console.log(JSON.stringify({ level: 'info', job: 'voting-clock', ...result }));
  return result;
}
