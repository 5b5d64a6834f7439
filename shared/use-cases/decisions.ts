import type { Deps } from '#shared/adapters/deps.ts';
import { DECISION_OUTCOMES } from '#shared/domain/consultation.ts';
import type { AgendaItem, Decision } from '#shared/domain/meeting.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { actorOfPrincipal, recordAudit, SYSTEM_ACTOR } from './audit.ts';
import { handOver } from './hand-over.ts';

type DecisionDeps = Pick<Deps, 'consultations' | 'meetings' | 'agendas' | 'workflow' | 'clock'>;

/**
 * The council's decision on one item — recorded once, for every consultation in it — moves
 * each case's workflow on: to its answer, or (継続審議) back to scheduling. When the last
 * item is decided the meeting ends. `decidedBy` is the person who recorded it (their name goes in
 * each case's audit trail), or a user id when only that is known (a resumed step, the system).
 */
export async function applyDecision(
  deps: DecisionDeps,
  councilId: string,
  meetingId: string,
  item: AgendaItem,
  decision: Pick<Decision, 'outcome' | 'conditions' | 'opinions'>,
  by: string | Principal,
): Promise<void> {
  const decidedBy = typeof by === 'string' ? by : by.userId;
  const cases = await deps.consultations.getMany(councilId, item.consultationIds);
  await deps.agendas.recordDecision(councilId, meetingId, item.itemId, { ...decision, decidedAt: deps.clock.now().toISOString(), decidedBy });
  for (const c of cases) {
    const ref = { councilId, consultationId: c.consultationId };
    if (decision.outcome === 'carried_over') await deps.consultations.unschedule(ref);
    await recordAudit(
      deps,
      ref,
      typeof by !== 'string' ? actorOfPrincipal(by) : decidedBy === 'system' ? SYSTEM_ACTOR : { userId: decidedBy, name: decidedBy, role: 'secretariat' },
      `審議の結果:${DECISION_OUTCOMES[decision.outcome]}`,
      { detail: [...decision.conditions, ...(decision.opinions ?? []).map((o) => `(意見)${o}`)].join('\n') },
    );
    // A retry finds cases this decision already moved on: nothing left to do for them.
    await handOver(deps, ref, 'in_deliberation', {
      outcome: decision.outcome,
      conditions: decision.conditions,
      opinions: decision.opinions ?? [],
      meetingId,
      itemId: item.itemId,
    });
  }
  await deps.agendas.retireRound(councilId, meetingId, item.itemId);
  const items = await deps.agendas.list(councilId, meetingId);
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.status === 'in_session' && items.every((i) => i.kind !== 'deliberation' || i.decision))
    await deps.meetings.setStatus(councilId, meetingId, 'in_session', 'closed', deps.clock.now().toISOString());
}
