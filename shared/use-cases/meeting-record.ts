import type { Deps } from '#shared/adapters/deps.ts';
import type { Consultation } from '#shared/domain/consultation.ts';
import { type Meeting, orderedAgenda } from '#shared/domain/meeting.ts';

/**
 * Everything a meeting is read with — council, meeting, agenda in order, roster,
 * departments, the cases on the agenda and what the clerk recorded on the day (roll, presiding officer, attendees) — for its page, its minutes and their exports.
 */
export async function meetingRecord(
  deps: Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas'>,
  councilId: string,
  meetingId: string,
  /** The meeting's own read, when the caller started it to chain a read of its own on it. */
  meetingRead: Promise<Meeting> = deps.meetings.get(councilId, meetingId),
) {
  // The agenda's cases are read as soon as the agenda is, not after the slowest of the other reads.
  const agendaRead = deps.agendas.list(councilId, meetingId).then(orderedAgenda);
  const casesRead = agendaRead.then((agenda) =>
    deps.consultations.getMany(
      councilId,
      agenda.flatMap((i) => i.consultationIds),
    ),
  );
  const [council, meeting, agenda, members, departments, proceedings, caseList] = await Promise.all([
    deps.councils.getCouncil(councilId),
    meetingRead,
    agendaRead,
    deps.councils.listMembers(councilId),
    deps.councils.listDepartments(councilId),
    deps.meetings.getProceedings(councilId, meetingId),
    casesRead,
  ]);
  const cases = new Map<string, Consultation>(caseList.map((c) => [c.consultationId, c]));
  return { council, meeting, agenda, members, departments, cases, proceedings };
}
