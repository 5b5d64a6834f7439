import * as z from 'zod/mini';
import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { awaitsVendorReport, isVisibleTo } from '#shared/domain/consultation.ts';
import { isVendorType } from '#shared/domain/followups.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { isoDate, requiredText } from '#shared/domain/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { actorOfPrincipal, recordAudit } from './audit.ts';
import type { Actor } from './consultations.ts';
import { indexAnswer, indexCase, indexConditions } from './search.ts';

type VendorReportDeps = Pick<Deps, 'councils' | 'consultations' | 'followUps' | 'notifier' | 'clock' | 'search'>;

/** 委託先の報告: the vendor chosen after the decision — its name, address and the day it was chosen. */
export const vendorReportCommand = z.lazy(() =>
  z.object({
    name: requiredText('委託先の名称', 80),
    address: requiredText('委託先の所在地', 200),
    chosenOn: isoDate('選定日'),
  }),
);
export type VendorReportCommand = z.output<typeof vendorReportCommand>;

/**
 * The department reports the vendor its form left 「選定中」, once the council has decided: it is
 * recorded on the case (once), the case's open follow-ups a vendor answers are put in the vendor's
 * name (their links still go to the department, which forwards them), the report is on the audit
 * trail, and the secretariat is told.
 */
export async function reportVendor(deps: VendorReportDeps, actor: Actor, ref: ConsultationRef, command: VendorReportCommand) {
  const principal = requireRole(actor.principal, ref.councilId, 'department');
  const bundle = await deps.consultations.bundle(ref, 0);
  const current = bundle.consultation;
  if (!isVisibleTo(current, principal)) throw new NotFoundError('諮問が見つかりません。');
  if (principal.departmentId !== current.departmentId) throw new ForbiddenError('委託先を報告できるのは、この諮問の所管課だけです。');
  if (!awaitsVendorReport(current)) throw new ConflictError('委託先は既に報告されているか、今は報告できない状態です。最新の内容を確認してください。');
  const now = deps.clock.now().toISOString();
  const report = { ...command, reportedAt: now, reportedBy: principal.userId };
  const saved = await deps.consultations.reportVendor(ref, report);
  // Searched by its vendor from now on: the case, its answer and its conditions.
  await indexCase(deps, saved);
  if (bundle.answer) await indexAnswer(deps, saved, bundle.answer);
  await recordAudit(deps, ref, actorOfPrincipal(principal), '委託先を報告', {
    detail: `${command.name}(${command.address}、選定日 ${command.chosenOn})`,
    sourceIp: actor.sourceIp,
  });
  // Conditions a vendor answers, planned while none was chosen: from now on in the vendor's name.
  for (const fu of bundle.followUps) {
    if (fu.status === 'closed' || fu.owner === 'vendor' || !isVendorType(fu.type)) continue;
    try {
      await deps.followUps.updatePlan({ ...ref, followUpId: fu.followUpId }, { ...fu, owner: 'vendor', ownerName: command.name }, fu.version);
    } catch (e) {
      // The secretariat changed it meanwhile: its plan stands.
      if (!(e instanceof ConflictError)) throw e;
    }
  }
  await indexConditions(deps, saved, (await deps.consultations.bundle(ref, 0)).followUps);
  const [council, departments] = await Promise.all([deps.councils.getCouncil(ref.councilId), deps.councils.listDepartments(ref.councilId)]);
  const department = departments.find((d) => d.departmentId === current.departmentId);
  await deps.notifier.notify({ type: 'consultation.vendor_reported', council, department, consultation: saved, report });
  return saved;
}
