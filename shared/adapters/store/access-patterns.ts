/**
 * Every read the product makes, by name. Each is a GetItem or a Query on a partition that
 * begins with the council, except the registry of councils on GSI1, which is read a bounded page
 * at a time; there is no Scan on any request path or job. Patterns are data: the Store runs them, and docs/data-model.md
 * prints them.
 */

import {
  agendaItem,
  answer,
  answerCounter,
  attachment,
  auditEvent,
  businessEntry,
  consultation,
  consultationCounter,
  council,
  councilArchive,
  department,
  followUp,
  incident,
  linkGeneration,
  meeting,
  meetingCounter,
  meetingEntry,
  member,
  minutes,
  minutesExport,
  minutesVersion,
  operatorAudit,
  PARTITIONS,
  personalInfoFile,
  piaAudit,
  piaComment,
  piaReview,
  postReport,
  proceedings,
  screeningRound,
  searchBuild,
  searchDocument,
  searchYear,
  session,
  staff,
} from './entities.ts';
import type { AnyEntity, Entity, IndexSpec, Params } from './entity.ts';
import type { ItemKey } from './items.ts';
import type { Gsi } from './table.ts';
import type { Template } from './template.ts';

export interface GetPattern<T, K extends string> {
  readonly kind: 'get';
  readonly entity: Entity<T, any, any, any>;
  readonly consistent: boolean;
  readonly doc: string;
  key(params: Params<K>): ItemKey;
}

export interface QueryPattern<T, P extends string> {
  readonly kind: 'query';
  readonly entity: Entity<T, any, any, any>;
  /** A global index, or the table. */
  readonly index?: Gsi;
  readonly partition: Template<P>;
  /** begins_with on the sort key: the entity's sort-key template up to its first part. */
  readonly sortPrefix?: string;
  readonly consistent: boolean;
  readonly newestFirst: boolean;
  /**
   * How a caller bounds the read by sort key: 'below' (sort key < a bound the caller gives: what
   * is due by a day), 'after' (sort key > the last one read: the next page of a listing).
   */
  readonly bound?: 'below' | 'after';
  /** Other entities sharing the index partition, read with it (Store.sliceOwned). */
  readonly alsoReturns?: readonly AnyEntity[];
  readonly doc: string;
}

/** Several entities of one partition in one read, leaving out one entity's range (a case without its audit trail). */
export interface RecordsPattern<P extends string> {
  readonly kind: 'records';
  readonly entities: readonly AnyEntity[];
  readonly partition: Template<P>;
  /** Read as two ranges around this prefix: sort key below it, and above it. */
  readonly without: string;
  readonly consistent: boolean;
  readonly doc: string;
}

export type AccessPattern = GetPattern<any, any> | QueryPattern<any, any> | RecordsPattern<any>;

const getItem = <T, PK extends string, SK extends string>(
  entity: Entity<T, PK, SK, any>,
  doc: string,
  { consistent = false } = {},
): GetPattern<T, PK | SK> => ({
  kind: 'get',
  entity,
  consistent,
  doc,
  key: (params) => entity.key(params),
});

/** Every item of one entity in its partition: begins_with its sort key's fixed head (MEMBER#, ITEM#, …). */
function inPartition<T, PK extends string>(
  entity: Entity<T, PK, any, any>,
  doc: string,
  { consistent = false, newestFirst = false } = {},
): QueryPattern<T, PK> {
  const sortPrefix = entity.sk.prefix();
  if (!sortPrefix || sortPrefix === entity.sk.toString()) throw new Error(`${entity.type}: its sort key ${entity.sk} has no fixed head to list by`);
  return { kind: 'query', entity, partition: entity.pk, sortPrefix, consistent, newestFirst, doc };
}

type IndexPartition<S> = S extends IndexSpec<any, infer PN, any, any> ? PN : never;

/** One partition of a global index, in index order. (DynamoDB has no consistent read on a global index.) */
function onIndex<T, I extends Record<string, IndexSpec<T, any, any, any>>, N extends keyof I & string>(
  entity: Entity<T, any, any, I>,
  name: N,
  doc: string,
  { bound }: { bound?: 'below' | 'after' } = {},
): QueryPattern<T, IndexPartition<I[N]>> {
  const index = entity.indexes[name];
  return { kind: 'query', entity, index: index.gsi, partition: index.spec.pk, consistent: false, newestFirst: false, ...(bound ? { bound } : {}), doc };
}

export const patterns = {
  listCouncils: onIndex(
    council,
    'registry',
    'Councils served by this deployment (the operator’s list; never on a council’s page or the signed-out home page).',
  ),
  councilPage: onIndex(council, 'registry', 'The next page of councils after the last one read (the jobs’ dispatcher: a bounded page at a time).', {
    bound: 'after',
  }),
  getCouncil: getItem(council, "A council's profile and settings."),
  listMembers: inPartition(member, "A council's members."),
  getMember: getItem(member, 'One member.'),
  listDepartments: inPartition(department, "A council's departments."),
  listPostReports: inPartition(postReport, "A council's post-reports under its blanket approvals (包括諮問に基づく事後報告)."),
  getPostReport: getItem(postReport, 'One post-report.', { consistent: true }),
  getStaff: getItem(staff, 'One staff member (every sign-in: their council, department and role).', { consistent: true }),
  listStaff: inPartition(staff, "A council's staff registry (職員名簿)."),
  getConsultationCounter: getItem(consultationCounter, 'The consultation-number counter of a fiscal year (numbering).', { consistent: true }),
  getAnswerCounter: getItem(answerCounter, 'The answers’ document-number counter of a fiscal year (numbering).', { consistent: true }),
  getMeetingCounter: getItem(meetingCounter, 'The meeting-number counter of a fiscal year (numbering).', { consistent: true }),
  listMeetings: inPartition(meeting, "A council's meetings and written decisions."),
  getMeeting: getItem(meeting, 'One meeting.', { consistent: true }),
  getConsultation: getItem(consultation, 'One case.', { consistent: true }),
  consultationsInStatus: onIndex(consultation, 'byStatus', 'Consultations in one status (the secretariat’s queues).'),
  consultationsOfDepartment: onIndex(consultation, 'byDepartment', "A department's consultations."),
  consultationsOfBusiness: {
    ...onIndex(
      consultation,
      'byBusiness',
      "One registered business's history, a bounded slice either way from a position: the cases naming it first, and the entries (`businessEntry`) of cases naming it among others, each read with its case (BatchGetItem) and kept only while the case still names it.",
    ),
    alsoReturns: [businessEntry],
  },
  consultationRegister: onIndex(
    consultation,
    'register',
    "A bounded slice of the council's register (諮問一覧), either way from a position, within one fiscal year or across all (`gsi4sk` between, < or >).",
  ),
  caseFile: {
    kind: 'records',
    entities: [consultation, businessEntry, screeningRound, attachment, followUp, answer],
    partition: PARTITIONS.case,
    without: auditEvent.sk.prefix(),
    consistent: true,
    doc: 'A case with its rounds, attachments, follow-ups and answer, around its audit trail: the cost of reading a case does not grow with its trail.',
  } satisfies RecordsPattern<'councilId' | 'consultationId'>,
  latestAudit: inPartition(auditEvent, 'The newest audit events of a case, newest first (the case page reads a bounded page).', {
    consistent: true,
    newestFirst: true,
  }),
  auditTrail: inPartition(auditEvent, "A case's whole audit trail, oldest first (its export)."),
  getAnswer: getItem(answer, "A case's answer."),
  getAttachment: getItem(attachment, 'One attachment.'),
  getFollowUp: getItem(followUp, 'One follow-up.', { consistent: true }),
  activeFollowUps: onIndex(followUp, 'activeInCouncil', "A council's follow-ups not yet closed, by due date (the dashboard)."),
  dueFollowUps: onIndex(followUp, 'activeInCouncil', "A council's follow-ups not yet closed and due before a day (the daily job: the reminder window).", {
    bound: 'below',
  }),
  getIncident: getItem(incident, 'One incident (漏えい等事案).', { consistent: true }),
  listIncidents: inPartition(incident, "A council's incidents (the secretariat's list).", { consistent: true }),
  incidentsOfDepartment: onIndex(incident, 'byDepartment', "A department's incidents (the department's list)."),
  openIncidents: onIndex(
    incident,
    'open',
    "A council's incidents not closed (the daily job: 速報/確報 reminders and escalations; the home page: the reports still owed).",
  ),
  incidentMeasures: inPartition(followUp, "An incident's recurrence-prevention measures (follow-ups in the partition named by the incident's id).", {
    consistent: true,
  }),
  agenda: inPartition(agendaItem, "A meeting's agenda items.", { consistent: true }),
  getAgendaItem: getItem(agendaItem, 'One agenda item.', { consistent: true }),
  dueRounds: onIndex(agendaItem, 'openRound', "A council's open voting rounds the hourly job must look at before a day (the reminder window).", {
    bound: 'below',
  }),
  getMinutes: getItem(minutes, "A meeting's minutes.", { consistent: true }),
  getMinutesVersion: getItem(minutesVersion, 'A final version of the minutes as issued.', { consistent: true }),
  listExports: inPartition(minutesExport, "A meeting's exports, oldest id first.", { consistent: true }),
  getExport: getItem(minutesExport, 'One export (the page polls it).', { consistent: true }),
  getProceedings: getItem(proceedings, "A meeting's roll, presiding officer, attendees and actual times.", { consistent: true }),
  meetingEntries: inPartition(meetingEntry, "The rows typed during a meeting (Q&A, opinions, notes), every item's.", { consistent: true }),
  getSession: getItem(session, 'The session a signed cookie names (every signed-in request).', { consistent: true }),
  sessionsOfUser: inPartition(session, "A person's sessions (sign-out revokes them all).", { consistent: true }),
  listArchives: inPartition(councilArchive, "A council's archives (the operator's page: the latest, and whether one was downloaded).", { consistent: true }),
  getArchive: getItem(councilArchive, 'One archive (its progress page polls it).', { consistent: true }),
  operatorTrail: inPartition(operatorAudit, "The operator's latest actions on councils, newest first (a bounded page; under the platform's id).", {
    newestFirst: true,
  }),
  searchYears: inPartition(searchYear, 'The fiscal years a council’s search index has documents in (every search).'),
  searchDocuments: inPartition(searchDocument, 'Every search document of one fiscal year (a search reads the years it asks for, each a bounded partition).'),
  getSearchBuild: getItem(searchBuild, 'The search index marker: whether the records written before it have been indexed.', { consistent: true }),
  getLinkGeneration: getItem(linkGeneration, "The current generation of a member's or follow-up's links (every link request).", { consistent: true }),
  getPiaReview: getItem(piaReview, 'One PIA review (特定個人情報保護評価書の第三者点検).', { consistent: true }),
  piaReviewsOfCouncil: onIndex(piaReview, 'inCouncil', "A council's PIA reviews (the secretariat's list; the council's archive and deletion)."),
  piaReviewsOfDepartment: onIndex(piaReview, 'ofDepartment', "A department's PIA reviews."),
  piaReevaluationsDue: onIndex(
    piaReview,
    'reevaluation',
    "A council's PIA reviews whose re-evaluation is due before a day (the daily job: six months ahead).",
    {
      bound: 'below',
    },
  ),
  piaComments: inPartition(piaComment, "Every member's comments on one PIA review.", { consistent: true }),
  piaTrail: inPartition(piaAudit, "A PIA review's audit trail, newest first.", { consistent: true, newestFirst: true }),
  getPersonalInfoFile: getItem(personalInfoFile, 'One entry of the register of files, with its history.', { consistent: true }),
  listPersonalInfoFiles: inPartition(
    personalInfoFile,
    "Every entry of a council's register of files (the secretariat's list, the public register, the yearly report).",
  ),
  personalInfoFilesOfDepartment: onIndex(personalInfoFile, 'byDepartment', "A department's entries of the register of files (its own list)."),
} as const;
