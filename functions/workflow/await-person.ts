import { dynamo } from '#shared/adapters/aws.ts';
import { ConsultationRepository } from '#shared/adapters/consultation-repository.ts';
import { systemClock } from '#shared/adapters/runtime.ts';
import { loadSettings } from '#shared/config.ts';
import { CONSULTATION_STATUSES, humanStepEvent } from '#shared/domain/consultation.ts';
import { recordAudit, SYSTEM_ACTOR } from '#shared/use-cases/audit.ts';
import { workflowTask } from '#shared/adapters/workflow-task.ts';

const consultations = new ConsultationRepository(dynamo, loadSettings().TABLE_NAME);

/**
 * Workflow task (waitForTaskToken): the case now waits for a person. The token is kept on the
 * case, with the execution that waits and since when it carries the case (its first step here).
 */
export const handler = workflowTask(async (event: unknown): Promise<void> => {
  const step = humanStepEvent.parse(event);
  const now = systemClock.now().toISOString();
  const current = step.executionName ? (await consultations.get(step)).execution : undefined;
  const execution = step.executionName ? { name: step.executionName, startedAt: current?.name === step.executionName ? current.startedAt : now } : undefined;
  await consultations.recordStep(step, step.status, now, { taskToken: step.taskToken, execution });
  await recordAudit({ consultations, clock: systemClock }, step, SYSTEM_ACTOR, `状態:${CONSULTATION_STATUSES[step.status]}`);
});
