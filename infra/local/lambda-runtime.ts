import { randomUUID } from 'node:crypto';
import { lambdaContext } from './lambda-context.ts';

export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** What the local stack takes from a synthesized function besides its code. */
export interface FunctionSettings {
  timeoutSeconds: number;
  memorySize: number;
}

/** CloudFormation's defaults when a function sets neither (the house construct sets 10 s and 512 MB). */
export const CFN_FUNCTION_DEFAULTS: FunctionSettings = { timeoutSeconds: 3, memorySize: 128 };

/** A failed invocation as Lambda reports it to its caller: `{ errorType, errorMessage, trace }`. */
export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: string[] = [],
  ) {
    super(errorMessage);
    this.name = errorType;
  }

  get payload() {
    return { errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace };
  }
}

export function asFunctionError(e: unknown): FunctionError {
  if (e instanceof FunctionError) return e;
  if (e instanceof Error)
    return new FunctionError(
      e.name || 'Error',
      e.message,
      (e.stack ?? '')
        .split('\n')
        .slice(1)
        .map((line) => line.trim()),
    );
  return new FunctionError('Error', String(e));
}

/**
 * One invocation as Lambda runs it: the handler with its context (timeout, memory), failing with
 * Sandbox.Timedout once its configured timeout has passed. A handler in this process cannot be
 * frozen as Lambda freezes it: it may go on, but its result is lost, as in AWS.
 */
export async function invokeHandler(
  handler: Handler,
  event: unknown,
  functionName: string,
  settings: FunctionSettings,
  requestId: string = randomUUID(),
): Promise<unknown> {
  const timeoutMs = settings.timeoutSeconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionError('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${settings.timeoutSeconds.toFixed(2)} seconds`)),
      timeoutMs,
    );
  });
  try {
    const run = (async () => handler(event, lambdaContext(functionName, timeoutMs, settings.memorySize, requestId)))();
    run.catch(() => undefined); // its failure after a timeout is nobody's
    return await Promise.race([run, timedOut]);
  } catch (e) {
    throw asFunctionError(e);
  } finally {
    clearTimeout(timer);
  }
}
