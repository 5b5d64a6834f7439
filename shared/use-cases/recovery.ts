import * as z from 'zod/mini';
import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import {
  CONTINUED_ERROR,
  type ConsultationStatus,
  cycleOf,
  executionNameFor,
  isVisibleTo,
  isWithdrawable,
  WAITING_STATUSES,
  WITHDRAWN_ERROR,
} from '#shared/domain/consultation.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { actorOfPrincipal, recordAudit, SYSTEM_ACTOR } from './audit.ts';
import type { Actor } from './consultations.ts';

type RecoveryDeps = Pick<Deps, 'councils' | 'consultations' | 'workflow' | 'notifier' | 'clock'>;

/** Executions are continued by a newer one well before Step Functions ends them at one year. */
export const EXECUTION_RENEWAL_DAYS = 300;

/**
 * An execution stopped (failed, timed out or was aborted): if it carries the case, the case is
 * marked stalled with the reason, for the secretariat to re-run or withdraw it from its page.
 */
export async function recordStall(
  deps: Pick<Deps, 'consultations' | 'clock'>,
  stop: { ref: ConsultationRef; executionArn: string; executionName: string; error: string; cause: string },
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  const marked = await deps.consultations.markStalled(stop.ref, stop.executionName, {
    executionArn: stop.executionArn,
    error: stop.error,
    cause: stop.cause,
    at,
  });
  if (marked) await recordAudit(deps, stop.ref, SYSTEM_ACTOR, '処理が停止', { detail: `${stop.error}: ${stop.cause}`.slice(0, 2000) });
  return marked;
}

/** The secretariat runs the stopped step again (Step Functions RedriveExecution). */
export async function redriveConsultation(deps: RecoveryDeps, who: Actor, ref: ConsultationRef): Promise<void> {
  const principal = requireRole(who.principal, ref.councilId, 'secretariat');
  const c = await deps.consultations.get(ref);
  if (!isVisibleTo(c, principal)) throw new NotFoundError('諮問が見つかりません。');
  if (c.status !== 'stalled' || !c.stalled) throw new ConflictError('この諮問の処理は止まっていません。最新の状態を確認してください。');
  await deps.consultations.markRedriven(ref, deps.clock.now().toISOString());
  await deps.workflow.redrive(c.stalled.executionArn);
  await recordAudit(deps, ref, actorOfPrincipal(principal), '止まった処理を再実行', { sourceIp: who.sourceIp });
}

export const withdrawCommand = z.lazy(() =>
  z.object({
    reason: z
      .string()
      .check(z.trim(), z.minLength(1, '取り下げの理由を入力してください。'), z.maxLength(2000, '取り下げの理由は2000文字以内で入力してください。')),
  }),
);
export type WithdrawCommand = z.output<typeof withdrawCommand>;

/**
 * The department withdraws its case (or the secretariat does, on its behalf or for a stalled
 * case) until the case is on a meeting's agenda. A case waiting in its workflow ends there
 * through the definition's withdrawal path; a draft or a stalled case has no running step.
 */
export async function withdrawConsultation(deps: RecoveryDeps, who: Actor, ref: ConsultationRef, { reason }: WithdrawCommand): Promise<void> {
  const principal = requireRole(who.principal, ref.councilId, 'department', 'secretariat');
  const c = await deps.consultations.get(ref);
  if (!isVisibleTo(c, principal)) throw new NotFoundError('諮問が見つかりません。');
  if (!isWithdrawable(c)) throw new ConflictError('この諮問は会議の議題に入っているか、既に終わっているため取り下げられません。事務局にご相談ください。');
  const now = deps.clock.now().toISOString();
  if (c.status === 'draft' || c.status === 'stalled') await deps.consultations.moveStatus(ref, c.status, 'withdrawn', now);
  else await deps.workflow.fail(c.taskToken, WITHDRAWN_ERROR, reason);
  await recordAudit(deps, ref, actorOfPrincipal(principal), '取り下げ', { detail: reason, sourceIp: who.sourceIp });
  if (c.status === 'draft') return;
  const [council, departments] = await Promise.all([deps.councils.getCouncil(ref.councilId), deps.councils.listDepartments(ref.councilId)]);
  const department = departments.find((d) => d.departmentId === c.departmentId);
  // The withdrawal stands even if the notice cannot be mailed (the mail service may be why the case stalled).
  await deps.notifier
    .notify({
      type: 'consultation.withdrawn',
      council,
      department,
      consultation: c,
      reason,
      by: principal.role === 'secretariat' ? 'secretariat' : 'department',
    })
    .catch((e: unknown) => logger.error('withdrawal notice not sent', { consultationId: ref.consultationId, error: e as Error }));
}

/**
 * The daily job: a case that has waited in one execution for EXECUTION_RENEWAL_DAYS is carried
 * on by a newer execution entering at the same step, so no execution meets Step Functions'
 * one-year limit, however long a person takes. The takeover is marked on the case first, the
 * old step is then ended, the new execution started (idempotent by name); a run cut off midway
 * is finished by the next one. It runs for one council: its queues of waiting cases.
 */
export async function renewLongWaits(deps: Pick<Deps, 'consultations' | 'workflow' | 'clock'>, councilId: string): Promise<{ renewed: number }> {
  const cutoff = deps.clock.now().getTime() - EXECUTION_RENEWAL_DAYS * 86_400_000;
  let renewed = 0;
  for (const status of WAITING_STATUSES) {
    for (const c of await deps.consultations.listByStatus(councilId, status)) {
      const ref = { councilId: c.councilId, consultationId: c.consultationId };
      try {
        if (c.renewal) {
          // Cut off after ending the old step: start the newer execution again (same name, same execution).
          await deps.workflow.start(ref, cycleOf(c.renewal.name), status);
          continue;
        }
        if (!c.execution || !c.taskToken || Date.parse(c.execution.startedAt) > cutoff) continue;
        const name = executionNameFor(ref, cycleOf(c.execution.name) + 1);
        if (!(await deps.consultations.beginRenewal(ref, c.taskToken, { name, at: deps.clock.now().toISOString() }))) continue;
        await deps.workflow.fail(c.taskToken, CONTINUED_ERROR, `continued by ${name}`);
        await deps.workflow.start(ref, cycleOf(name), status as ConsultationStatus);
        renewed++;
      } catch (e) {
        // Someone completed the step meanwhile: the case moved on; anything else is retried tomorrow.
        if (!(e instanceof ConflictError))
          logger.error('execution renewal failed', { job: 'renew-executions', consultationId: c.consultationId, error: e as Error });
      }
    }
  }
  return { renewed };
}
