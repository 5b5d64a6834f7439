import { z } from 'zod';
import { createDeps } from '#shared/adapters/deps.ts';
import { ID_PATTERN } from '#shared/keys.ts';
import { exportGaveUp } from '#shared/use-cases/minutes.ts';

const deps = createDeps();

/** Lambda's on-failure record for an asynchronous invocation of the export job. */
const failedInvocation = z.object({
  requestContext: z.object({ condition: z.string() }),
  requestPayload: z.object({ councilId: z.string().regex(ID_PATTERN), meetingId: z.string().regex(ID_PATTERN), exportId: z.string().regex(ID_PATTERN) }),
  responsePayload: z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() }).nullish(),
});

/** The export job's on-failure destination: every attempt failed (or the request grew too old), so the export shows as failed. */
export async function handler(event: unknown): Promise<void> {
  const { requestContext, requestPayload, responsePayload } = failedInvocation.parse(event);
  await exportGaveUp(deps, requestPayload, `${requestContext.condition}: ${responsePayload?.errorType ?? ''} ${responsePayload?.errorMessage ?? ''}`.trim());
}
