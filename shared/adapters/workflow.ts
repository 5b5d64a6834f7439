import type { SFNClient } from '@aws-sdk/client-sfn';
import { type ConsultationStatus, executionNameFor } from '#shared/domain/consultation.ts';
import type { Workflow } from '#shared/domain/workflow.ts';
import { ConflictError } from '#shared/errors.ts';
import type { ConsultationRef } from './consultation-repository.ts';
import { clientOf, type LazyClient } from './lazy-client.ts';

/** Errors that mean the step was already completed (by someone else, or by our own retry). */
const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);
const STALE = 'この諮問は既に他の方が処理しました。最新の状態を確認してください。';

/** Starts, resumes and redrives the consultation workflow (executions named per case and cycle). */
export class WorkflowClient implements Workflow {
  constructor(
    private readonly client: SFNClient | LazyClient<SFNClient>,
    private readonly stateMachineArn: string | undefined,
  ) {}

  /** The client and the package's commands, loaded on the first call (see aws.ts). */
  private async sdk() {
    const [client, sdk] = await Promise.all([clientOf(this.client), import('@aws-sdk/client-sfn')]);
    return { client, sdk };
  }

  /**
   * Starts the case's `cycle`-th execution — the first at submission, a later one entering at
   * the human step `resumeAt`. Starting the same one twice is harmless: the name makes it idempotent.
   */
  async start(ref: ConsultationRef, cycle = 1, resumeAt?: ConsultationStatus): Promise<string> {
    if (!this.stateMachineArn) throw new Error('STATE_MACHINE_ARN is not set for this function');
    const { client, sdk } = await this.sdk();
    const out = await client.send(
      new sdk.StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionNameFor(ref, cycle),
        input: JSON.stringify({ councilId: ref.councilId, consultationId: ref.consultationId, ...(resumeAt ? { resumeAt } : {}) }),
      }),
    );
    return out.executionArn!;
  }

  /** Completes the human step the case waits in; a stale token means someone got there first. */
  async complete(taskToken: string | undefined, output: object): Promise<void> {
    if (!taskToken) throw new ConflictError('この諮問は今この操作を受け付けていません。最新の状態を確認してください。');
    const { client, sdk } = await this.sdk();
    try {
      await client.send(new sdk.SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (e) {
      if (e instanceof Error && STALE_TOKEN_ERRORS.has(e.name)) throw new ConflictError(STALE);
      throw e;
    }
  }

  /** Ends the human step with an error the definition catches (a withdrawal, a takeover). */
  async fail(taskToken: string | undefined, error: string, cause: string): Promise<void> {
    if (!taskToken) throw new ConflictError('この諮問は今この操作を受け付けていません。最新の状態を確認してください。');
    const { client, sdk } = await this.sdk();
    try {
      await client.send(new sdk.SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_000) }));
    } catch (e) {
      if (e instanceof Error && STALE_TOKEN_ERRORS.has(e.name)) throw new ConflictError(STALE);
      throw e;
    }
  }

  /** Runs a failed execution again from the step that failed. */
  async redrive(executionArn: string): Promise<void> {
    const { client, sdk } = await this.sdk();
    try {
      await client.send(new sdk.RedriveExecutionCommand({ executionArn }));
    } catch (e) {
      if (e instanceof Error && e.name === 'ExecutionNotRedrivable')
        throw new ConflictError('この処理は既に再実行されています。しばらくしてから開き直してください。');
      throw e;
    }
  }
}
