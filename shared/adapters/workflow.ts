import { SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ConflictError } from '#shared/errors.ts';
import type { ConsultationRef } from './consultation-repository.ts';

/** Errors that mean the step was already completed (by someone else, or by our own retry). */
const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** Starts and resumes the consultation workflow (one execution per case, named by its id). */
export class WorkflowClient {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string | undefined,
  ) {}

  /** Starting twice with the same case is harmless: the execution name makes it idempotent. */
  async start(ref: ConsultationRef): Promise<string> {
    if (!this.stateMachineArn) throw new Error('STATE_MACHINE_ARN is not set for this function');
    const out = await this.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: `${ref.councilId}-${ref.consultationId}`,
        input: JSON.stringify(ref),
      }),
    );
    return out.executionArn!;
  }

  /** Completes the human step the case waits in; a stale token means someone got there first. */
  async complete(taskToken: string | undefined, output: object): Promise<void> {
    if (!taskToken) throw new ConflictError('この諮問は今この操作を受け付けていません。最新の状態を確認してください。');
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (e) {
      if (e instanceof Error && STALE_TOKEN_ERRORS.has(e.name)) {
        throw new ConflictError('この諮問は既に他の方が処理しました。最新の状態を確認してください。');
      }
      throw e;
    }
  }
}
