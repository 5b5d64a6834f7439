import * as z from 'zod/mini';
import { createDeps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { type ArchiveWriter, archiveGaveUp, runArchive, runDeletion } from '#shared/use-cases/council-archive.ts';
import { exportGaveUp, type MinutesRenderer, runExport } from '#shared/use-cases/minutes.ts';

const deps = createDeps();
const id = z.string().check(z.regex(ID_PATTERN));
const exportJob = z.object({ councilId: id, meetingId: id, exportId: id });
/** The operator's jobs on a whole council, run by the same function: its archive, and its deletion. */
const councilJob = z.discriminatedUnion('job', [
  z.object({ job: z.literal('councilArchive'), councilId: id, archiveId: id }),
  z.object({ job: z.literal('councilDelete'), councilId: id }),
]);
const anyJob = z.union([councilJob, exportJob]);

/** Lambda's on-failure record for an asynchronous invocation of this function (its own destination's input). */
const failedInvocation = z.object({
  requestContext: z.object({ condition: z.string() }),
  requestPayload: anyJob,
  responsePayload: z.nullish(z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) })),
});

/**
 * The minutes, laid out in each format from `templates/minutes`. Each layout (the Word one with
 * its library above all) is loaded by the job that needs it: the failure function, a council's
 * archive and a look at a finished export never read them.
 */
const renderer: MinutesRenderer = {
  render: async (format, doc, progress) => {
    if (format === 'docx') return (await import('#templates/minutes/docx.ts')).minutesDocx(doc, progress);
    if (format === 'html') return Buffer.from((await import('#templates/minutes/html.ts')).minutesHtml(doc), 'utf8');
    return (await import('#templates/minutes/csv.ts')).minutesCsv(doc);
  },
};

/** The council's archive, laid out as one zip by `templates/archive` (its zip library loaded by this job alone). */
const archiveWriter: ArchiveWriter = { write: async (content) => (await import('#templates/archive/council-archive.ts')).councilArchiveZip(content) };

/**
 * The export function, invoked asynchronously by the minutes page (or by the operator's pages,
 * for a council's archive or deletion): renders the minutes and
 * stores the file, reporting progress. When every attempt failed, Lambda's on-failure record
 * comes to its destination — the failure function (same code) — and the export shows as failed.
 */
export async function handler(event: unknown): Promise<void> {
  logger.resetKeys();
  if ((event as { requestContext?: unknown })?.requestContext) {
    const { requestContext, requestPayload, responsePayload } = failedInvocation.parse(event);
    const reason = `${requestContext.condition}: ${responsePayload?.errorType ?? ''} ${responsePayload?.errorMessage ?? ''}`.trim();
    if ('job' in requestPayload) {
      // A deletion given up leaves the council marked as being deleted; the alarm tells the operator, who starts it again.
      logger.warn('council job given up', { job: requestPayload.job, councilId: requestPayload.councilId, condition: requestContext.condition });
      if (requestPayload.job === 'councilArchive') await archiveGaveUp(deps, requestPayload, reason);
      return;
    }
    logger.warn('export given up', { exportId: requestPayload.exportId, condition: requestContext.condition });
    await exportGaveUp(deps, requestPayload, reason);
    return;
  }
  if ((event as { job?: unknown })?.job) {
    const job = councilJob.parse(event);
    logger.appendKeys({ councilId: job.councilId, job: job.job });
    if (job.job === 'councilArchive') await runArchive(deps, archiveWriter, job);
    else await runDeletion(deps, job);
    return;
  }
  const job = exportJob.parse(event);
  logger.appendKeys({ councilId: job.councilId, exportId: job.exportId });
  await runExport(deps, renderer, job);
}
