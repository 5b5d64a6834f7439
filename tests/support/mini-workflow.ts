import { WorkflowRunner } from '#infra/local/workflow-runner.ts';

/** Small state machines of the tests' own, run by the local runner with handlers given inline. */
export const REGION = 'ap-northeast-1';
export const ACCOUNT = '000000000000';
export const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Mini`;
export const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

type Handler = (event: any, context: any) => Promise<unknown>;

/** A step that waits for a person: its function `Park` is handed the token (and the state's input). */
export const waitStep = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: fnArn('Park'), Payload: { 'token.$': '$$.Task.Token', 'input.$': '$' } },
  ...extra,
});

/** A definition waiting in one step, then succeeding. */
export const waitingMachine = (step: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  StartAt: 'Wait',
  States: { Wait: waitStep({ Next: 'Done', ...step }), Done: { Type: 'Succeed' } },
  ...top,
});

/** A runner of `definition` whose `Park` function keeps every token it is handed. */
export function miniRunner(
  definition: Record<string, unknown>,
  options: Partial<ConstructorParameters<typeof WorkflowRunner>[0]> & { handlers?: Record<string, Handler> } = {},
) {
  const tokens: string[] = [];
  const handlers: Record<string, Handler> = {
    Park: async (event: { token: string }) => void tokens.push(event.token),
    ...options.handlers,
  };
  const runner = new WorkflowRunner({
    definition,
    stateMachineArn: MACHINE_ARN,
    loadHandler: async (name) => {
      const handler = handlers[name];
      if (!handler) throw new Error(`no handler ${name}`);
      return handler;
    },
    ...options,
  });
  return { runner, tokens };
}

/** Polls `check` (real time) until it holds. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
