import { z } from 'zod';
import { createDeps } from '#shared/adapters/deps.ts';
import { DECISION_OUTCOMES, type DecisionOutcome } from '#shared/domain/consultation.ts';
import { ID_PATTERN } from '#shared/keys.ts';
import { issueAnswer } from '#shared/use-cases/answers.ts';
import { workflowTask } from '#shared/adapters/workflow-task.ts';

const deps = createDeps();

const answerTask = z.object({
  councilId: z.string().regex(ID_PATTERN),
  consultationId: z.string().regex(ID_PATTERN),
  decision: z.object({
    outcome: z.enum(Object.keys(DECISION_OUTCOMES) as [DecisionOutcome, ...DecisionOutcome[]]),
    conditions: z.array(z.string()).default([]),
    meetingId: z.string().optional(),
  }),
});

/** Workflow task: write, keep and mail the answer (答申書) for a decided case. */
export const handler = workflowTask(async (event: unknown): Promise<void> => {
  const { councilId, consultationId, decision } = answerTask.parse(event);
  await issueAnswer(deps, { councilId, consultationId }, decision);
});
