import type { Deps } from '#shared/adapters/deps.ts';
import type { Consultation } from '#shared/domain/consultation.ts';
import { orderedAgenda } from '#shared/domain/meeting.ts';

/**
 * Everything a meeting is read with — council, meeting, agenda in order, roster,
 * departments, the cases on the agenda and what the clerk recorded on the day (roll, presiding officer, attendees) — for its page, its minutes and their exports.
 */
export async function meetingRecord(deps: Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas'>, councilId: string, meetingId: string) {
  const [council, meeting, items, members, departments, proceedings] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.meetings.get(councilId, meetingId),
    deps.agendas.list(councilId, meetingId),
    deps.councils.listMembers(councilId),
    deps.councils.listDepartments(councilId),
    deps.meetings.getProceedings(councilId, meetingId),
  ]);
  const agenda = orderedAgenda(items);
  const cases = new Map<string, Consultation>(
    (
      await deps.consultations.getMany(
        councilId,
        agenda.flatMap((i) => i.consultationIds),
      )
    ).map((c) => [c.consultationId, c]),
  );
  return { council, meeting, agenda, members, departments, cases, proceedings };
}
