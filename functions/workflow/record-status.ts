import { dynamo } from '#shared/adapters/aws.ts';
import { ConsultationRepository } from '#shared/adapters/consultation-repository.ts';
import { systemClock } from '#shared/adapters/runtime.ts';
import { loadSettings } from '#shared/config.ts';
import { CONSULTATION_STATUSES, stepEvent } from '#shared/domain/consultation.ts';
import { recordAudit, SYSTEM_ACTOR } from '#shared/use-cases/audit.ts';
import { workflowTask } from '#shared/adapters/workflow-task.ts';

const consultations = new ConsultationRepository(dynamo, loadSettings().TABLE_NAME);

/** Workflow task: the case has entered `status` (no person is awaited). */
export const handler = workflowTask(async (event: unknown): Promise<void> => {
  const step = stepEvent.parse(event);
  await consultations.recordStep(step, step.status, systemClock.now().toISOString());
  await recordAudit({ consultations, clock: systemClock }, step, SYSTEM_ACTOR, `状態:${CONSULTATION_STATUSES[step.status]}`);
});
