import { Duration } from 'aws-cdk-lib';
import { Choice, Condition, Fail, IntegrationPattern, JitterType, JsonPath, Succeed, TaskInput, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import { TRANSIENT_ERROR } from '#shared/adapters/workflow-task.ts';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { WITHDRAWN_ERROR, type ConsultationStatus } from '#shared/domain/consultation.ts';

export interface LifecycleFunctions {
  /** Records the status a case has entered. */
  recordStatus: IFunction;
  /** Records that a case waits for a person, with the token that resumes it. */
  awaitPerson: IFunction;
  /** Writes the answer (答申書) from the decision, mails the department, marks the case answered. */
  issueAnswer: IFunction;
}

/**
 * One Standard execution per consultation, from submission to closed follow-ups.
 * Input: { councilId, consultationId }. Human steps wait on a task token (no
 * polling); the page action that completes a step sends its outcome with the token:
 *  - screening:  { outcome: 'accepted' | 'returned' }
 *  - scheduling:   { meetingId, itemId }             (put on a meeting's agenda or a written decision)
 *  - deliberation: { meetingId }                     (the meeting opened its deliberations)
 *  - decision:     { outcome: 'approved' | 'approved_with_conditions' | 'rejected' | 'carried_over', conditions, meetingId, itemId }
 * A withdrawal fails the waiting step with WITHDRAWN_ERROR, which ends the case cleanly.
 */
/** Retried with backoff: the outside world failing (Task.Transient), and a Lambda that timed out mid-step. */
const RETRIED = [TRANSIENT_ERROR, 'Sandbox.Timedout', 'Lambda.Unknown'];

export function consultationLifecycle(scope: Construct, fns: LifecycleFunctions): IChainable {
  const ref = { councilId: JsonPath.stringAt('$.councilId'), consultationId: JsonPath.stringAt('$.consultationId') };

  /** Failures of the outside world are retried with backoff; what still fails stops the case visibly. */
  const resilient = <T extends LambdaInvoke>(task: T, stalled?: IChainable): T => {
    task.addRetry({ errors: RETRIED, interval: Duration.seconds(3), maxAttempts: 6, backoffRate: 2, jitterStrategy: JitterType.FULL });
    if (stalled) task.addCatch(stalled, { errors: ['States.ALL'], resultPath: '$.failure' });
    return task;
  };
  const invoke = (id: string, fn: IFunction, payload: Record<string, unknown>) =>
    new LambdaInvoke(scope, id, { lambdaFunction: fn, payload: TaskInput.fromObject(payload), payloadResponseOnly: true, resultPath: JsonPath.DISCARD, retryOnServiceExceptions: true });

  // A case whose step keeps failing is marked for the secretariat and the execution ends in failure.
  const stalled = resilient(invoke('RecordStalled', fns.recordStatus, { ...ref, status: 'stalled' })).next(new Fail(scope, 'Stalled', { error: 'Consultation.Stalled', cause: 'a step kept failing; see the case' }));
  const record = (id: string, status: ConsultationStatus) => resilient(invoke(id, fns.recordStatus, { ...ref, status }), stalled);

  const withdrawn = record('RecordWithdrawn', 'withdrawn').next(new Succeed(scope, 'Withdrawn'));

  /** A step where the case waits for a person; the person's answer lands at `resultPath`. */
  const awaitPerson = (id: string, status: ConsultationStatus, resultPath: string) => {
    const task = new LambdaInvoke(scope, id, {
      lambdaFunction: fns.awaitPerson,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...ref, status, taskToken: JsonPath.taskToken }),
      resultPath,
      retryOnServiceExceptions: true,
    });
    task.addRetry({ errors: RETRIED, interval: Duration.seconds(3), maxAttempts: 6, backoffRate: 2, jitterStrategy: JitterType.FULL });
    task.addCatch(withdrawn, { errors: [WITHDRAWN_ERROR], resultPath: '$.withdrawal' });
    task.addCatch(stalled, { errors: ['States.ALL'], resultPath: '$.failure' });
    return task;
  };

  const submitted = record('RecordSubmitted', 'submitted');
  const screening = awaitPerson('AwaitScreening', 'screening', '$.screening');
  const revision = awaitPerson('AwaitRevision', 'returned', '$.revision');
  const scheduling = awaitPerson('AwaitScheduling', 'accepted', '$.scheduling');
  const deliberation = awaitPerson('AwaitDeliberation', 'scheduled', '$.deliberation');
  const decision = awaitPerson('AwaitDecision', 'in_deliberation', '$.decision');
  const carriedOver = record('RecordCarriedOver', 'accepted');
  const answered = resilient(invoke('IssueAnswer', fns.issueAnswer, { ...ref, decision: JsonPath.objectAt('$.decision') }), stalled);
  const followUps = awaitPerson('AwaitFollowUps', 'followups_open', '$.followUps');
  const closed = record('RecordClosed', 'closed').next(new Succeed(scope, 'Closed'));

  const outcomeIs = (path: string, value: string) => Condition.stringEquals(path, value);

  revision.next(screening);
  carriedOver.next(scheduling);
  followUps.next(closed);

  const afterScreening = new Choice(scope, 'ScreeningOutcome')
    .when(outcomeIs('$.screening.outcome', 'returned'), revision)
    .when(outcomeIs('$.screening.outcome', 'accepted'), scheduling.next(deliberation).next(decision))
    .otherwise(screening);

  const afterDecision = new Choice(scope, 'DecisionOutcome')
    .when(outcomeIs('$.decision.outcome', 'carried_over'), carriedOver)
    .when(
      Condition.or(
        outcomeIs('$.decision.outcome', 'approved'),
        outcomeIs('$.decision.outcome', 'approved_with_conditions'),
        outcomeIs('$.decision.outcome', 'rejected'),
      ),
      answered.next(
        new Choice(scope, 'HasConditions')
          .when(outcomeIs('$.decision.outcome', 'approved_with_conditions'), followUps)
          .otherwise(closed),
      ),
    )
    .otherwise(decision);

  decision.next(afterDecision);
  return submitted.next(screening).next(afterScreening);
}
