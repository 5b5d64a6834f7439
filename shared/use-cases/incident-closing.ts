import type { Deps } from '#shared/adapters/deps.ts';

/**
 * Closes an incident once it has nothing left to do: its 確報 is submitted and it has measures,
 * every one closed by the secretariat. Called when a measure closes and when the 確報 is recorded;
 * closing twice changes nothing. Returns whether it is closed now.
 */
export async function closeIncidentWhenDone(deps: Pick<Deps, 'incidents' | 'clock'>, councilId: string, incidentId: string): Promise<boolean> {
  const ref = { councilId, incidentId };
  const [incident, measures] = await Promise.all([deps.incidents.get(ref), deps.incidents.measures(ref)]);
  if (incident.status === 'closed') return true;
  if (!incident.reports.final || measures.length === 0 || measures.some((m) => m.status !== 'closed')) return false;
  await deps.incidents.close(ref, {
    at: deps.clock.now().toISOString(),
    by: 'システム',
    what: `完了(確報の提出と再発防止策 ${measures.length}件の完了を確認)`,
  });
  return true;
}
