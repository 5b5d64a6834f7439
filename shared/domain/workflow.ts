import type { ConsultationStatus } from './consultation.ts';

/**
 * The port use cases move a case's workflow through: the Step Functions client in production
 * (shared/adapters/workflow.ts), a fake in the unit tests of use cases. A token that is missing
 * or no longer live (someone completed the step first) is refused with a ConflictError.
 */
export interface Workflow {
  /**
   * Starts the case's `cycle`-th execution — the first at submission, a later one entering at
   * the human step `resumeAt`; starting the same one twice is harmless. Returns its ARN.
   */
  start(ref: { councilId: string; consultationId: string }, cycle?: number, resumeAt?: ConsultationStatus): Promise<string>;
  /** Completes the human step the case waits in with the person's answer. */
  complete(taskToken: string | undefined, output: object): Promise<void>;
  /** Ends the human step with an error the definition catches (a withdrawal, a takeover). */
  fail(taskToken: string | undefined, error: string, cause: string): Promise<void>;
  /** Runs a stopped execution again from the step that failed. */
  redrive(executionArn: string): Promise<void>;
}
