import { z } from 'zod';
import { dynamo } from '#shared/adapters/aws.ts';
import { ConsultationRepository } from '#shared/adapters/consultation-repository.ts';
import { systemClock } from '#shared/adapters/runtime.ts';
import { workflowTask } from '#shared/adapters/workflow-task.ts';
import { loadSettings } from '#shared/config.ts';
import { ID_PATTERN } from '#shared/keys.ts';
import { recordStall } from '#shared/use-cases/recovery.ts';

const consultations = new ConsultationRepository(dynamo, loadSettings().TABLE_NAME);

/** EventBridge's "Step Functions Execution Status Change" for an execution that did not succeed. */
const executionStopped = z.object({
  detail: z.object({
    executionArn: z.string().min(1),
    name: z.string().min(1),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    input: z.string().transform((s, ctx) => {
      try {
        return z.object({ councilId: z.string().regex(ID_PATTERN), consultationId: z.string().regex(ID_PATTERN) }).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'execution input is not a case' });
        return z.NEVER;
      }
    }),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/** Target of the rule on stopped executions: the case is marked stalled for the secretariat. */
export const handler = workflowTask(async (event: unknown): Promise<void> => {
  const { detail } = executionStopped.parse(event);
  await recordStall(
    { consultations, clock: systemClock },
    {
      ref: { councilId: detail.input.councilId, consultationId: detail.input.consultationId },
      executionArn: detail.executionArn,
      executionName: detail.name,
      error: detail.error ?? detail.status,
      cause: detail.cause ?? '',
    },
  );
});
