import type { Council } from '#shared/domain/council.ts';

/** The scheduled jobs: each schedule's rule names one; the dispatcher runs it as one unit per council. */
export const JOB_NAMES = ['votingClock', 'followUpClock'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** What a unit of a job is given: the job, and the one council it works for. */
export interface JobUnit {
  job: JobName;
  councilId: string;
}

export interface DispatchDeps {
  councils: { councilPage(limit: number, after?: Pick<Council, 'councilId' | 'name'>): Promise<Council[]> };
  /** Starts one unit in the background (an asynchronous invocation of the jobs function). */
  units: { start(payload: object): Promise<void> };
}

export interface DispatchOptions {
  /** Councils read per page of the registry. */
  pageSize?: number;
  /** Units being started at once. */
  concurrency?: number;
  /** Waits before each new try of a unit that could not be started. */
  retryDelaysMs?: readonly number[];
}

/**
 * A schedule's run: reads the registry of councils a bounded page at a time and starts one unit
 * of the job per council (and, with the hourly job, one unit that moves what earlier versions
 * left in the index partitions shared by all councils). Every read is bounded: no council's work
 * is read here. A unit that cannot be started is tried again; if it still cannot, the run fails
 * once every other unit has been started (the failure alarm; the next run reaches that council).
 */
export async function dispatchJob(deps: DispatchDeps, job: JobName, options: DispatchOptions = {}): Promise<{ councils: number; pages: number }> {
  const { pageSize = 100, concurrency = 16, retryDelaysMs = [200, 1000, 3000] } = options;
  const failed: string[] = [];
  const start = async (payload: object, label: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await deps.units.start(payload);
      } catch (e) {
        if (attempt >= retryDelaysMs.length) {
          failed.push(`${label}: ${(e as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, retryDelaysMs[attempt]));
      }
    }
  };
  if (job === 'votingClock') await start({ job: 'migrateIndexes' }, 'migrateIndexes');
  let councils = 0;
  let pages = 0;
  let after: Council | undefined;
  for (;;) {
    const page = await deps.councils.councilPage(pageSize, after);
    pages++;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, page.length) }, async () => {
        while (next < page.length) {
          const council = page[next++]!;
          // A suspended council (or one being deleted) gets no reminders: its mailed links would only be refused.
          if (council.suspendedAt || council.deletingAt) continue;
          await start({ job, councilId: council.councilId } satisfies JobUnit, council.councilId);
        }
      }),
    );
    councils += page.length;
    if (page.length < pageSize) break;
    after = page.at(-1);
  }
  if (failed.length) throw new Error(`${job}: ${failed.length} unit(s) not started — ${failed.slice(0, 5).join('; ')}`);
  return { councils, pages };
}
