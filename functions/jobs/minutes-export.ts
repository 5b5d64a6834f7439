import { z } from 'zod';
import { createDeps } from '#shared/adapters/deps.ts';
import { ID_PATTERN } from '#shared/keys.ts';
import { runExport } from '#shared/use-cases/minutes.ts';

const deps = createDeps();
const exportJob = z.object({ councilId: z.string().regex(ID_PATTERN), meetingId: z.string().regex(ID_PATTERN), exportId: z.string().regex(ID_PATTERN) });

/** Invoked asynchronously by the export page: renders the minutes and stores the file, reporting progress. */
export async function handler(event: unknown): Promise<void> {
  await runExport(deps, exportJob.parse(event));
}
