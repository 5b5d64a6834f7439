import * as z from 'zod/mini';
import { createDeps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { exportGaveUp, type MinutesRenderer, runExport } from '#shared/use-cases/minutes.ts';
import { minutesCsv } from '#templates/minutes/csv.ts';
import { minutesDocx } from '#templates/minutes/docx.ts';
import { minutesHtml } from '#templates/minutes/html.ts';

const deps = createDeps();
const exportJob = z.object({
  councilId: z.string().check(z.regex(ID_PATTERN)),
  meetingId: z.string().check(z.regex(ID_PATTERN)),
  exportId: z.string().check(z.regex(ID_PATTERN)),
});

/** Lambda's on-failure record for an asynchronous invocation of this function (its own destination's input). */
const failedInvocation = z.object({
  requestContext: z.object({ condition: z.string() }),
  requestPayload: exportJob,
  responsePayload: z.nullish(z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) })),
});

/** The minutes, laid out in each format from `templates/minutes`. */
const renderer: MinutesRenderer = {
  render: async (format, doc, progress) => {
    if (format === 'docx') return minutesDocx(doc, progress);
    if (format === 'html') return Buffer.from(minutesHtml(doc), 'utf8');
    return minutesCsv(doc);
  },
};

/**
 * The export function, invoked asynchronously by the minutes page: renders the minutes and
 * stores the file, reporting progress. When every attempt failed, Lambda's on-failure record
 * comes to its destination — the failure function (same code) — and the export shows as failed.
 */
export async function handler(event: unknown): Promise<void> {
  logger.resetKeys();
  if ((event as { requestContext?: unknown })?.requestContext) {
    const { requestContext, requestPayload, responsePayload } = failedInvocation.parse(event);
    logger.warn('export given up', { exportId: requestPayload.exportId, condition: requestContext.condition });
    await exportGaveUp(deps, requestPayload, `${requestContext.condition}: ${responsePayload?.errorType ?? ''} ${responsePayload?.errorMessage ?? ''}`.trim());
    return;
  }
  const job = exportJob.parse(event);
  logger.appendKeys({ councilId: job.councilId, exportId: job.exportId });
  await runExport(deps, renderer, job);
}
