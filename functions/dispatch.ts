import * as z from 'zod/mini';
import { dynamo, lambda } from '#shared/adapters/aws.ts';
import { CouncilRepository } from '#shared/adapters/council-repository.ts';
import { JobStarter } from '#shared/adapters/jobs.ts';
import { logger } from '#shared/adapters/logger.ts';
import { dispatchJob, JOB_NAMES } from '#shared/use-cases/scheduled.ts';

/**
 * The schedules' target: lists the councils a page at a time and starts the job once per council
 * on the jobs function (asynchronously). Reads nothing but the registry of councils; sends no
 * mail, signs no link, moves no workflow.
 */
const settings = z.object({ TABLE_NAME: z.string().check(z.minLength(1)), JOBS_FUNCTION_NAME: z.string().check(z.minLength(1)) }).parse(process.env);
const deps = {
  councils: new CouncilRepository(dynamo, settings.TABLE_NAME),
  units: new JobStarter(lambda, settings.JOBS_FUNCTION_NAME, 'JOBS_FUNCTION_NAME'),
};

export async function handler(raw: unknown): Promise<unknown> {
  const { job } = z.object({ job: z.enum(JOB_NAMES) }).parse(raw);
  logger.resetKeys();
  logger.appendKeys({ job });
  const started = Date.now();
  const result = await dispatchJob(deps, job);
  logger.info('job dispatched', { result, ms: Date.now() - started });
  return result;
}
