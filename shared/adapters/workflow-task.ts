import { $ZodError } from 'zod/v4/core';
import { DomainError } from '#shared/errors.ts';

/** The error name the workflow retries with backoff (see infra/workflow/consultation-lifecycle.ts). */
export const TRANSIENT_ERROR = 'Task.Transient';

/**
 * Wraps a workflow task: a failure of the outside world (a throttled table, a mail service
 * down, a timeout) is reported as Task.Transient, which the state machine retries with
 * backoff; a domain or input error is reported as itself and is not retried.
 */
export function workflowTask<E, R>(task: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event) => {
    try {
      return await task(event);
    } catch (e) {
      if (e instanceof DomainError || e instanceof $ZodError) throw e;
      const transient = new Error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      transient.name = TRANSIENT_ERROR;
      throw transient;
    }
  };
}
