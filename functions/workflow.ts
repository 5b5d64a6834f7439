import * as z from 'zod/mini';
import { createDeps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { workflowTask } from '#shared/adapters/workflow-task.ts';
import { CONSULTATION_STATUSES, DECISION_OUTCOMES, type DecisionOutcome, humanStepEvent, stepEvent } from '#shared/domain/consultation.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { draftAnswer, issueAnswer } from '#shared/use-cases/answers.ts';
import { recordAudit, SYSTEM_ACTOR } from '#shared/use-cases/audit.ts';
import { recordStall } from '#shared/use-cases/recovery.ts';

const deps = createDeps();
const caseRef = { councilId: z.string().check(z.regex(ID_PATTERN)), consultationId: z.string().check(z.regex(ID_PATTERN)) };

/** The tasks of the consultation workflow; the state machine names the one it runs in its payload. */
const TASKS = {
  /** The case has entered `status` (no person is awaited). */
  recordStatus: async (event: unknown) => {
    const step = stepEvent.parse(event);
    await deps.consultations.recordStep(step, step.status, deps.clock.now().toISOString());
    await recordAudit(deps, step, SYSTEM_ACTOR, `状態:${CONSULTATION_STATUSES[step.status]}`);
  },

  /**
   * The case now waits for a person (waitForTaskToken). The token is kept on the case, with the
   * execution that waits and since when it carries the case (its first step here).
   */
  awaitPerson: async (event: unknown) => {
    const step = humanStepEvent.parse(event);
    const now = deps.clock.now().toISOString();
    const current = step.executionName ? (await deps.consultations.get(step)).execution : undefined;
    const execution = step.executionName ? { name: step.executionName, startedAt: current?.name === step.executionName ? current.startedAt : now } : undefined;
    await deps.consultations.recordStep(step, step.status, now, { taskToken: step.taskToken, execution });
    await recordAudit(deps, step, SYSTEM_ACTOR, `状態:${CONSULTATION_STATUSES[step.status]}`);
  },

  /** Drafts and keeps the answer (答申書) of a decided case, for the chair to approve. */
  draftAnswer: async (event: unknown) => {
    const { councilId, consultationId, decision } = z
      .object({
        ...caseRef,
        decision: z.object({
          outcome: z.enum(Object.keys(DECISION_OUTCOMES) as [DecisionOutcome, ...DecisionOutcome[]]),
          conditions: z._default(z.array(z.string()), []),
          opinions: z._default(z.array(z.string()), []),
          meetingId: z.optional(z.string()),
          itemId: z.optional(z.string()),
        }),
      })
      .parse(event);
    await draftAnswer(deps, { councilId, consultationId }, decision);
  },

  /** Sends the approved answer, opens its follow-ups, marks the case answered. */
  issueAnswer: async (event: unknown) => {
    return issueAnswer(deps, z.object(caseRef).parse(event));
  },
} as const;

/** EventBridge's "Step Functions Execution Status Change" for an execution that did not succeed. */
const executionStopped = z.object({
  source: z.literal('aws.states'),
  detail: z.object({
    executionArn: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    input: z.pipe(
      z.string(),
      z.transform((s, ctx) => {
        try {
          return z.object(caseRef).parse(JSON.parse(s));
        } catch {
          ctx.issues.push({ code: 'custom', message: 'execution input is not a case', input: s });
          return z.NEVER;
        }
      }),
    ),
    error: z.nullish(z.string()),
    cause: z.nullish(z.string()),
  }),
});

/**
 * The workflow function: the state machine's tasks (by the `task` its payload names), and the
 * target of the rule on stopped executions, which marks the case stalled for the secretariat.
 */
export const handler = workflowTask(async (event: unknown): Promise<unknown> => {
  logger.resetKeys();
  if ((event as { source?: unknown })?.source === 'aws.states') {
    const { detail } = executionStopped.parse(event);
    await recordStall(deps, {
      ref: detail.input,
      executionArn: detail.executionArn,
      executionName: detail.name,
      error: detail.error ?? detail.status,
      cause: detail.cause ?? '',
    });
    return undefined;
  }
  const { task } = z.object({ task: z.enum(Object.keys(TASKS) as [keyof typeof TASKS, ...(keyof typeof TASKS)[]]) }).parse(event);
  logger.appendKeys({ task, councilId: (event as { councilId?: string }).councilId });
  return TASKS[task](event);
});
