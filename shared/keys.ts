/**
 * The single-table key scheme, defined once. Every partition key starts with the
 * council (tenant), so one deployment can serve many councils without their data
 * ever sharing a partition, and every query names its council. See docs/data-model.md.
 *
 * Item attributes are generic: pk/sk on the table, gsi1pk/gsi1sk on GSI1.
 */

export const TABLE_KEYS = { partition: 'pk', sort: 'sk' } as const;
export const GSI1 = { name: 'gsi1', partition: 'gsi1pk', sort: 'gsi1sk' } as const;
export const GSI2 = { name: 'gsi2', partition: 'gsi2pk', sort: 'gsi2sk' } as const;
export const GSI3 = { name: 'gsi3', partition: 'gsi3pk', sort: 'gsi3sk' } as const;

/** Partition of everything that belongs to a council as a whole. */
const council = (councilId: string) => `C#${councilId}`;
/** Partition of one consultation (case) and its audit trail. */
const consultation = (councilId: string, consultationId: string) => `C#${councilId}#CASE#${consultationId}`;

export const keys = {
  council: (councilId: string) => ({ pk: council(councilId), sk: 'COUNCIL' }),
  /** Registry entry, so the home page can list councils through GSI1 (never a Scan). */
  councilRegistry: (councilId: string, name: string) => ({ gsi1pk: 'COUNCILS', gsi1sk: `${name}#${councilId}` }),
  member: (councilId: string, memberId: string) => ({ pk: council(councilId), sk: `MEMBER#${memberId}` }),
  department: (councilId: string, departmentId: string) => ({ pk: council(councilId), sk: `DEPT#${departmentId}` }),
  staff: (councilId: string, userId: string) => ({ pk: council(councilId), sk: `STAFF#${userId}` }),
  consultation: (councilId: string, consultationId: string) => ({
    pk: consultation(councilId, consultationId),
    sk: 'CASE',
  }),
  /** Where a consultation shows up in its department's list, oldest first. */
  consultationByDepartment: (councilId: string, departmentId: string, createdAt: string) => ({
    gsi2pk: `${council(councilId)}#DEPT#${departmentId}`,
    gsi2sk: createdAt,
  }),
  /** One screening round: the secretariat's return comment and the department's answer. */
  screeningRound: (councilId: string, consultationId: string, round: number) => ({
    pk: consultation(councilId, consultationId),
    sk: `ROUND#${String(round).padStart(3, '0')}`,
  }),
  attachment: (councilId: string, consultationId: string, attachmentId: string) => ({
    pk: consultation(councilId, consultationId),
    sk: `ATT#${attachmentId}`,
  }),
  /** The last consultation number given in a fiscal year, and to which case (see ConsultationRepository.assignNumber). */
  consultationCounter: (councilId: string, fiscalYear: number) => ({ pk: council(councilId), sk: `COUNTER#CASE#${fiscalYear}` }),
  meeting: (councilId: string, meetingId: string) => ({ pk: council(councilId), sk: `MEETING#${meetingId}` }),
  /** Agenda items live in their meeting's own partition. */
  agendaItem: (councilId: string, meetingId: string, itemId: string) => ({ pk: `${council(councilId)}#MEETING#${meetingId}`, sk: `ITEM#${itemId}` }),
  minutes: (councilId: string, meetingId: string) => ({ pk: `${council(councilId)}#MEETING#${meetingId}`, sk: 'MINUTES' }),
  /** A final version of the minutes, kept as it was issued. */
  minutesVersion: (councilId: string, meetingId: string, version: number) => ({ pk: `${council(councilId)}#MEETING#${meetingId}`, sk: `MINUTES#V${String(version).padStart(4, '0')}` }),
  minutesExport: (councilId: string, meetingId: string, exportId: string) => ({ pk: `${council(councilId)}#MEETING#${meetingId}`, sk: `EXPORT#${exportId}` }),
  meetingCounter: (councilId: string, fiscalYear: number) => ({ pk: council(councilId), sk: `COUNTER#MEETING#${fiscalYear}` }),
  /** Open voting rounds of every council, by deadline, for the scheduled job that reminds and closes. */
  openRound: (deadline: string, councilId: string, meetingId: string, itemId: string) => ({
    gsi1pk: 'OPEN_ROUNDS',
    gsi1sk: `${deadline}#${councilId}#${meetingId}#${itemId}`,
  }),
  /** Where a consultation shows up in the history of its registered personal-data business. */
  consultationByBusiness: (councilId: string, businessKey: string, createdAt: string) => ({
    gsi3pk: `${council(councilId)}#BIZ#${businessKey}`,
    gsi3sk: createdAt,
  }),
  followUp: (councilId: string, consultationId: string, followUpId: string) => ({ pk: consultation(councilId, consultationId), sk: `FU#${followUpId}` }),
  /** A follow-up not yet closed: on its council's dashboard (by due date) and in the reminder job's list. */
  activeFollowUp: (councilId: string, consultationId: string, followUpId: string, due: string) => ({
    gsi1pk: 'OPEN_FOLLOWUPS',
    gsi1sk: `${due}#${councilId}#${consultationId}#${followUpId}`,
    gsi2pk: `${council(councilId)}#FOLLOWUPS`,
    gsi2sk: `${due}#${consultationId}#${followUpId}`,
  }),
  /** The council's answer (答申) on a consultation, kept with the case. */
  answer: (councilId: string, consultationId: string) => ({ pk: consultation(councilId, consultationId), sk: 'ANSWER' }),
  /** Where a consultation shows up in its council's queue of a given status, newest change last. */
  consultationByStatus: (councilId: string, status: string, updatedAt: string) => ({
    gsi1pk: `${council(councilId)}#STATUS#${status}`,
    gsi1sk: updatedAt,
  }),
  audit: (councilId: string, consultationId: string, at: string, eventId: string) => ({
    pk: consultation(councilId, consultationId),
    sk: `AUDIT#${at}#${eventId}`,
  }),
} as const;

/**
 * Every read the product makes, by name. Each is a GetItem or a Query on a
 * partition that begins with the council; there is no Scan on any request path.
 */
export const accessPatterns = {
  /** Councils served by this deployment (home page). Query GSI1 by a fixed partition. */
  listCouncils: () => ({ index: GSI1.name, partition: { name: GSI1.partition, value: 'COUNCILS' } }),
  /** A council's profile and settings. GetItem. */
  getCouncil: (councilId: string) => ({ key: keys.council(councilId) }),
  /** A council's members. Query on the council partition, sort key prefix MEMBER#. */
  listMembers: (councilId: string) => ({ partition: council(councilId), sortPrefix: 'MEMBER#' }),
  /** A council's departments. Query on the council partition, sort key prefix DEPT#. */
  listDepartments: (councilId: string) => ({ partition: council(councilId), sortPrefix: 'DEPT#' }),
  /** Consultations in one status (e.g. the secretariat's screening queue). Query GSI1. */
  consultationsInStatus: (councilId: string, status: string) => ({
    index: GSI1.name,
    partition: { name: GSI1.partition, value: `${council(councilId)}#STATUS#${status}` },
  }),
  /** A department's consultations. Query GSI2. */
  consultationsOfDepartment: (councilId: string, departmentId: string) => ({
    index: GSI2.name,
    partition: { name: GSI2.partition, value: `${council(councilId)}#DEPT#${departmentId}` },
  }),
  /** Everything about one case in one Query: the case, its rounds, attachments and audit trail. */
  consultationBundle: (councilId: string, consultationId: string) => ({ partition: consultation(councilId, consultationId) }),
  /** A council's meetings and written decisions. Query on the council partition, prefix MEETING#. */
  listMeetings: (councilId: string) => ({ partition: council(councilId), sortPrefix: 'MEETING#' }),
  /** A meeting's agenda items. Query on the meeting partition, prefix ITEM#. */
  agenda: (councilId: string, meetingId: string) => ({ partition: `${council(councilId)}#MEETING#${meetingId}`, sortPrefix: 'ITEM#' }),
  /** Voting rounds still open, across councils (the reminder job only). Query GSI1. */
  openRounds: () => ({ index: GSI1.name, partition: { name: GSI1.partition, value: 'OPEN_ROUNDS' } }),
  /** Consultations of one registered business, oldest first. Query GSI3. */
  consultationsOfBusiness: (councilId: string, businessKey: string) => ({
    index: GSI3.name,
    partition: { name: GSI3.partition, value: `${council(councilId)}#BIZ#${businessKey}` },
  }),
  /** A council's follow-ups not yet closed, by due date (the dashboard). Query GSI2. */
  activeFollowUps: (councilId: string) => ({ index: GSI2.name, partition: { name: GSI2.partition, value: `${council(councilId)}#FOLLOWUPS` } }),
  /** Follow-ups not yet closed in every council (the reminder job only). Query GSI1. */
  openFollowUps: () => ({ index: GSI1.name, partition: { name: GSI1.partition, value: 'OPEN_FOLLOWUPS' } }),
  /** A consultation's audit trail, oldest first. Query on the case partition, prefix AUDIT#. */
  auditTrail: (councilId: string, consultationId: string) => ({
    partition: consultation(councilId, consultationId),
    sortPrefix: 'AUDIT#',
  }),
} as const;

export { ID_PATTERN } from './domain/ids.ts';
