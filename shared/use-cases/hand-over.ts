import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import type { ConsultationStatus } from '#shared/domain/consultation.ts';
import { ConflictError } from '#shared/errors.ts';

/** How long a hand-over waits for a step that is being (re-)entered to record its token. */
const FRESH_TOKEN_WAIT_MS = 3_000;

/**
 * Completes the human step a case waits in at `status`. A token that is no longer live while
 * the case still shows `status` means the step is being entered again (a restart, a redrive):
 * its new token is awaited briefly. False when the case has moved on (someone else did it).
 */
export async function handOver(
  deps: Pick<Deps, 'consultations' | 'workflow'>,
  ref: ConsultationRef,
  status: ConsultationStatus,
  output: object,
): Promise<boolean> {
  const deadline = Date.now() + FRESH_TOKEN_WAIT_MS;
  let tried: string | undefined;
  for (;;) {
    const c = await deps.consultations.get(ref);
    if (c.status !== status) return false;
    if (c.taskToken && c.taskToken !== tried) {
      tried = c.taskToken;
      try {
        await deps.workflow.complete(c.taskToken, output);
        return true;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
      }
    }
    if (Date.now() > deadline) throw new ConflictError('この諮問は今この操作を受け付けていません。少し待ってからもう一度操作してください。');
    await new Promise((r) => setTimeout(r, 100));
  }
}
