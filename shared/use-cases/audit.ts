import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { excelCsv } from '#shared/csv.ts';
import { ACTOR_LABELS, type AuditEvent, formatConsultationNumber, isVisibleTo } from '#shared/domain/consultation.ts';
import { formatTokyoDateTime } from '#shared/domain/era.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { NotFoundError } from '#shared/errors.ts';

type AuditDeps = Pick<Deps, 'consultations' | 'clock'>;

export const SYSTEM_ACTOR: AuditEvent['actor'] = { userId: 'workflow', name: 'ワークフロー', role: 'system' };
export const actorOfPrincipal = (p: Principal): AuditEvent['actor'] => ({ userId: p.userId, name: p.name, role: p.role });

/** Appends to a case's audit trail (who, what, when, from where); events are never changed or removed. */
export async function recordAudit(
  deps: AuditDeps,
  ref: ConsultationRef,
  actor: AuditEvent['actor'],
  action: string,
  extra: { detail?: string | undefined; sourceIp?: string | undefined } = {},
) {
  await deps.consultations.appendAudit(ref, {
    at: deps.clock.now().toISOString(),
    eventId: newId(6),
    actor,
    action,
    ...(extra.detail ? { detail: extra.detail } : {}),
    ...(extra.sourceIp ? { sourceIp: extra.sourceIp } : {}),
  });
}

/** The secretariat's export of a case's audit trail, oldest first, as a CSV Excel opens with Japanese intact, named by its 諮問番号. */
export async function exportAudit(deps: AuditDeps, principal: Principal | undefined, ref: ConsultationRef): Promise<{ csv: Buffer; fileName: string }> {
  const viewer = requireRole(principal, ref.councilId, 'secretariat');
  const [consultation, audit] = await Promise.all([deps.consultations.get(ref), deps.consultations.auditTrail(ref)]);
  if (!isVisibleTo(consultation, viewer)) throw new NotFoundError('諮問が見つかりません。');
  const rows = [
    ['日時(日本時間)', '操作した人', '区分', '操作', '内容', '接続元'],
    ...audit.map((a) => [formatTokyoDateTime(a.at), a.actor.name, ACTOR_LABELS[a.actor.role], a.action, a.detail ?? '', a.sourceIp ?? '']),
  ];
  const csv = excelCsv(rows);
  const name = consultation.number ? formatConsultationNumber(consultation.number) : consultation.form.title;
  return { csv, fileName: `操作記録_${name}.csv` };
}
