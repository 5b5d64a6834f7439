/**
 * The single-table key scheme. Every partition key starts with the council (tenant), so one
 * deployment can serve many councils without their data ever sharing a partition, and every
 * query names its council. See docs/data-model.md.
 *
 * The scheme itself is defined once, per entity, in shared/adapters/store/entities.ts (key
 * templates, indexes, type, version, schema) with the named reads in access-patterns.ts. This
 * module keeps the table's attribute names, ID_PATTERN, and the key builders and read shapes
 * that scripts, benchmarks and tests have always used — all derived from those definitions.
 */
import { patterns } from './adapters/store/access-patterns.ts';
import * as entities from './adapters/store/entities.ts';

export { GSI1, GSI2, GSI3, GSI4, GSIS, PURGE_ATTRIBUTE, TABLE_KEYS } from './adapters/store/table.ts';

const { consultation, followUp, agendaItem } = entities;

export const keys = {
  council: (councilId: string) => entities.council.key({ councilId }),
  /** Registry entry, so the home page can list councils through GSI1 (never a Scan). */
  councilRegistry: (councilId: string, name: string) => entities.council.index('registry').keys({ councilId, name }),
  member: (councilId: string, memberId: string) => entities.member.key({ councilId, memberId }),
  department: (councilId: string, departmentId: string) => entities.department.key({ councilId, departmentId }),
  staff: (councilId: string, userId: string) => entities.staff.key({ councilId, userId }),
  consultation: (councilId: string, consultationId: string) => consultation.key({ councilId, consultationId }),
  /** Where a consultation shows up in its department's list, oldest first. */
  consultationByDepartment: (councilId: string, departmentId: string, createdAt: string) =>
    consultation.index('byDepartment').keys({ councilId, departmentId, createdAt }),
  /** One screening round: the secretariat's return comment and the department's answer. */
  screeningRound: (councilId: string, consultationId: string, round: number) => entities.screeningRound.key({ councilId, consultationId, round }),
  attachment: (councilId: string, consultationId: string, attachmentId: string) => entities.attachment.key({ councilId, consultationId, attachmentId }),
  /** The last consultation number given in a fiscal year, and to which case (see ConsultationRepository.assignNumber). */
  consultationCounter: (councilId: string, fiscalYear: number) => entities.consultationCounter.key({ councilId, fiscalYear }),
  meeting: (councilId: string, meetingId: string) => entities.meeting.key({ councilId, meetingId }),
  /** Agenda items live in their meeting's own partition. */
  agendaItem: (councilId: string, meetingId: string, itemId: string) => agendaItem.key({ councilId, meetingId, itemId }),
  minutes: (councilId: string, meetingId: string) => entities.minutes.key({ councilId, meetingId }),
  /** A final version of the minutes, kept as it was issued. */
  minutesVersion: (councilId: string, meetingId: string, version: number) => entities.minutesVersion.key({ councilId, meetingId, version }),
  minutesExport: (councilId: string, meetingId: string, exportId: string) => entities.minutesExport.key({ councilId, meetingId, exportId }),
  meetingCounter: (councilId: string, fiscalYear: number) => entities.meetingCounter.key({ councilId, fiscalYear }),
  /** A council's open voting rounds, by the day the hourly job must look at them (the deadline while open). */
  openRound: (due: string, councilId: string, meetingId: string, itemId: string) => agendaItem.index('openRound').keys({ due, councilId, meetingId, itemId }),
  /** Where a consultation shows up in the history of its registered personal-data business. */
  consultationByBusiness: (councilId: string, businessKey: string, createdAt: string) =>
    consultation.index('byBusiness').keys({ councilId, businessKey, createdAt }),
  followUp: (councilId: string, consultationId: string, followUpId: string) => followUp.key({ councilId, consultationId, followUpId }),
  /** A follow-up not yet closed: on its council's dashboard, by due date (the daily job reads it up to its reminder window). */
  activeFollowUp: (councilId: string, consultationId: string, followUpId: string, due: string) =>
    followUp.index('activeInCouncil').keys({ councilId, consultationId, followUpId, due }),
  /** The council's answer (答申) on a consultation, kept with the case. */
  answer: (councilId: string, consultationId: string) => entities.answer.key({ councilId, consultationId }),
  /** Where a consultation shows up in its council's queue of a given status, newest change last. */
  consultationByStatus: (councilId: string, status: string, updatedAt: string) => consultation.index('byStatus').keys({ councilId, status, updatedAt }),
  audit: (councilId: string, consultationId: string, at: string, eventId: string) => entities.auditEvent.key({ councilId, consultationId, at, eventId }),
} as const;

/** A table query as the pattern names it: the partition, and the sort-key prefix it lists. */
const onTable = (p: { partition: { build(v: object): string }; sortPrefix?: string }, params: object) => ({
  partition: p.partition.build(params),
  sortPrefix: p.sortPrefix!,
});
/** A global-index query: the index, and the partition attribute and value. */
const onIndex = (p: { index?: { name: string; partition: string }; partition: { build(v: object): string } }, params: object) => ({
  index: p.index!.name,
  partition: { name: p.index!.partition, value: p.partition.build(params) },
});

/**
 * The read shapes of the named access patterns (shared/adapters/store/access-patterns.ts), as
 * scripts and tests have used them. Each is a GetItem or a Query on a partition that begins
 * with the council; there is no Scan on any request path.
 */
export const accessPatterns = {
  listCouncils: () => onIndex(patterns.listCouncils, {}),
  getCouncil: (councilId: string) => ({ key: patterns.getCouncil.key({ councilId }) }),
  listMembers: (councilId: string) => onTable(patterns.listMembers, { councilId }),
  listDepartments: (councilId: string) => onTable(patterns.listDepartments, { councilId }),
  consultationsInStatus: (councilId: string, status: string) => onIndex(patterns.consultationsInStatus, { councilId, status }),
  consultationsOfDepartment: (councilId: string, departmentId: string) => onIndex(patterns.consultationsOfDepartment, { councilId, departmentId }),
  consultationBundle: (councilId: string, consultationId: string) => ({ partition: patterns.caseFile.partition.build({ councilId, consultationId }) }),
  listMeetings: (councilId: string) => onTable(patterns.listMeetings, { councilId }),
  agenda: (councilId: string, meetingId: string) => onTable(patterns.agenda, { councilId, meetingId }),
  dueRounds: (councilId: string) => onIndex(patterns.dueRounds, { councilId }),
  consultationsOfBusiness: (councilId: string, businessKey: string) => onIndex(patterns.consultationsOfBusiness, { councilId, businessKey }),
  activeFollowUps: (councilId: string) => onIndex(patterns.activeFollowUps, { councilId }),
  dueFollowUps: (councilId: string) => onIndex(patterns.dueFollowUps, { councilId }),
  auditTrail: (councilId: string, consultationId: string) => onTable(patterns.auditTrail, { councilId, consultationId }),
} as const;

export { ID_PATTERN } from './domain/ids.ts';
