import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Choice, Condition, type IChainable, IntegrationPattern, JitterType, JsonPath, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TRANSIENT_ERROR } from '#shared/adapters/workflow-task.ts';
import { CONTINUED_ERROR, type ConsultationStatus, WITHDRAWN_ERROR } from '#shared/domain/consultation.ts';

/**
 * The workflow function runs every task; the payload's `task` names it:
 *  - recordStatus: records the status a case has entered;
 *  - awaitPerson:  records that a case waits for a person, with the token that resumes it;
 *  - draftAnswer:  drafts the answer (答申書) from the decision, for the chair to approve;
 *  - issueAnswer:  sends the approved answer, opens its follow-ups, marks the case answered.
 */
type Task = 'recordStatus' | 'awaitPerson' | 'draftAnswer' | 'issueAnswer';

/**
 * A Standard execution carries a consultation from submission to its answer.
 * Input: { councilId, consultationId } — or, for an execution that continues an older one,
 * also { resumeAt: <status> }, entering at that human step. Human steps wait on a task
 * token (no polling); the page action that completes a step sends its outcome with it:
 *  - screening:    { outcome: 'accepted' | 'returned' }
 *  - scheduling:   { meetingId, itemId }             (put on a meeting's agenda or a written decision)
 *  - deliberation: { meetingId }                     (the meeting opened its deliberations)
 *                  { meetingId, cancelled: true }    (the meeting was cancelled: back to scheduling)
 *  - decision:     { outcome: 'approved' | 'approved_with_opinions' | 'approved_with_conditions' | 'rejected' | 'carried_over',
 *                    conditions, opinions, meetingId, itemId }
 *  - answer_review: { approved: true }                 (the chair — or the secretariat on the chair's instruction — approved the answer)
 * A waiting step failed with WITHDRAWN_ERROR ends the case as withdrawn; with CONTINUED_ERROR
 * it ends this execution because a newer one carries the case on (no execution lives near
 * Step Functions' one-year limit). After the answer the follow-ups of its conditions run on
 * the pages and the daily job, for as many years as they need, outside any execution.
 * A step that keeps failing fails the execution: an EventBridge rule marks the case stalled,
 * and the secretariat redrives the execution (RedriveExecution) or withdraws the case.
 */
/** Retried with backoff: the outside world failing (Task.Transient), a Lambda that timed out mid-step, Lambda throttling. */
const RETRIED = [TRANSIENT_ERROR, 'Sandbox.Timedout', 'Lambda.Unknown', 'Lambda.TooManyRequestsException'];

/** Where an execution that continues an older one enters: the human step of each waiting status. */
export const RESUMABLE_STEPS = {
  screening: 'AwaitScreening',
  returned: 'AwaitRevision',
  accepted: 'AwaitScheduling',
  scheduled: 'AwaitDeliberation',
  in_deliberation: 'AwaitDecision',
  answer_review: 'AwaitAnswerApproval',
} as const satisfies Partial<Record<ConsultationStatus, string>>;

export function consultationLifecycle(scope: Construct, tasks: IFunction): IChainable {
  const ref = { councilId: JsonPath.stringAt('$.councilId'), consultationId: JsonPath.stringAt('$.consultationId') };

  /** Failures of the outside world are retried with backoff; what still fails fails the execution (see above). */
  const resilient = <T extends LambdaInvoke>(task: T): T => {
    task.addRetry({ errors: RETRIED, interval: Duration.seconds(3), maxAttempts: 6, backoffRate: 2, jitterStrategy: JitterType.FULL });
    return task;
  };
  const invoke = (id: string, task: Task, payload: Record<string, unknown>, resultPath: string = JsonPath.DISCARD) =>
    resilient(
      new LambdaInvoke(scope, id, {
        lambdaFunction: tasks,
        payload: TaskInput.fromObject({ task, ...payload }),
        payloadResponseOnly: true,
        resultPath,
        retryOnServiceExceptions: true,
      }),
    );
  const record = (id: string, status: ConsultationStatus) => invoke(id, 'recordStatus', { ...ref, status });

  const withdrawn = record('RecordWithdrawn', 'withdrawn').next(new Succeed(scope, 'Withdrawn'));
  const continued = new Succeed(scope, 'ContinuedAsNew', { comment: 'a newer execution carries the case on' });

  /** A step where the case waits for a person; the person's answer lands at `resultPath`. */
  const awaitPerson = (id: string, status: ConsultationStatus, resultPath: string) => {
    const task = resilient(
      new LambdaInvoke(scope, id, {
        lambdaFunction: tasks,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({
          task: 'awaitPerson' satisfies Task,
          ...ref,
          status,
          taskToken: JsonPath.taskToken,
          executionName: JsonPath.stringAt('$$.Execution.Name'),
        }),
        resultPath,
        retryOnServiceExceptions: true,
      }),
    );
    task.addCatch(withdrawn, { errors: [WITHDRAWN_ERROR], resultPath: '$.withdrawal' });
    task.addCatch(continued, { errors: [CONTINUED_ERROR], resultPath: JsonPath.DISCARD });
    return task;
  };

  const submitted = record('RecordSubmitted', 'submitted');
  const screening = awaitPerson(RESUMABLE_STEPS.screening, 'screening', '$.screening');
  const revision = awaitPerson(RESUMABLE_STEPS.returned, 'returned', '$.revision');
  const scheduling = awaitPerson(RESUMABLE_STEPS.accepted, 'accepted', '$.scheduling');
  const deliberation = awaitPerson(RESUMABLE_STEPS.scheduled, 'scheduled', '$.deliberation');
  const decision = awaitPerson(RESUMABLE_STEPS.in_deliberation, 'in_deliberation', '$.decision');
  const carriedOver = record('RecordCarriedOver', 'accepted');
  const drafted = invoke('DraftAnswer', 'draftAnswer', { ...ref, decision: JsonPath.objectAt('$.decision') });
  const approval = awaitPerson(RESUMABLE_STEPS.answer_review, 'answer_review', '$.approval');
  const answered = invoke('IssueAnswer', 'issueAnswer', ref, '$.answer');
  const followUps = record('RecordFollowUpsOpen', 'followups_open').next(
    new Succeed(scope, 'FollowUpsOpen', { comment: 'the follow-ups run outside the execution' }),
  );
  const closed = record('RecordClosed', 'closed').next(new Succeed(scope, 'Closed'));

  const outcomeIs = (path: string, value: string) => Condition.stringEquals(path, value);

  revision.next(screening);
  carriedOver.next(scheduling);

  const afterScreening = new Choice(scope, 'ScreeningOutcome')
    .when(outcomeIs('$.screening.outcome', 'returned'), revision)
    .when(outcomeIs('$.screening.outcome', 'accepted'), scheduling)
    .otherwise(screening);
  screening.next(afterScreening);
  scheduling.next(deliberation);
  deliberation.next(
    new Choice(scope, 'MeetingHeld')
      .when(Condition.and(Condition.isPresent('$.deliberation.cancelled'), Condition.booleanEquals('$.deliberation.cancelled', true)), carriedOver)
      .otherwise(decision),
  );

  const afterDecision = new Choice(scope, 'DecisionOutcome')
    .when(outcomeIs('$.decision.outcome', 'carried_over'), carriedOver)
    .when(
      Condition.or(
        outcomeIs('$.decision.outcome', 'approved'),
        outcomeIs('$.decision.outcome', 'approved_with_opinions'),
        outcomeIs('$.decision.outcome', 'approved_with_conditions'),
        outcomeIs('$.decision.outcome', 'rejected'),
      ),
      drafted,
    )
    .otherwise(decision);
  decision.next(afterDecision);
  drafted.next(approval);
  // The approved answer is sent; a case resumed at its approval (a continued execution) has no decision in its
  // input, so whether follow-ups run is read from the task's result: the number it opened.
  approval.next(answered);
  answered.next(new Choice(scope, 'HasFollowUps').when(Condition.numberGreaterThan('$.answer.followUps', 0), followUps).otherwise(closed));

  const entry = new Choice(scope, 'EntryPoint');
  const resumable: Record<keyof typeof RESUMABLE_STEPS, IChainable> = {
    screening,
    returned: revision,
    accepted: scheduling,
    scheduled: deliberation,
    in_deliberation: decision,
    answer_review: approval,
  };
  for (const [status, step] of Object.entries(resumable)) entry.when(Condition.and(Condition.isPresent('$.resumeAt'), outcomeIs('$.resumeAt', status)), step);
  return entry.otherwise(submitted.next(screening));
}
