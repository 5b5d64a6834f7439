/**
 * Every entity stored in the table, each defined once: type and version, key templates,
 * indexes, and the schema its reads are checked against. docs/data-model.md is generated from
 * these definitions (tests/unit/data-model.test.ts), so it cannot go stale.
 *
 * Schemas describe what is stored, not what a form accepts: no trimming or defaults, only types.
 * Enums of the domain modules that import #shared/keys.ts (consultation, meeting, minutes) are
 * listed here rather than imported — keys.ts re-exports this module, so importing them would
 * close an import cycle — and `literals` makes the compiler check each list is the domain's union.
 */
import * as z from 'zod/mini';
import type { Answer } from '#shared/domain/answer.ts';
import { POST_REPORT_STATUSES, type PostReport } from '#shared/domain/blanket.ts';
import type { Attachment, AuditEvent, Consultation, ConsultationStatus, DecisionOutcome, ScreeningRound } from '#shared/domain/consultation.ts';
import type { ConsultationDraft } from '#shared/domain/consultation-form.ts';
import { type Council, type Department, MEMBER_CATEGORIES, type Member, type MemberCategory } from '#shared/domain/council.ts';
import type { CouncilArchive, OperatorAuditEvent } from '#shared/domain/council-archive.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import { businessKeyOf, FOLLOW_UP_TYPES, type FollowUp, type FollowUpType } from '#shared/domain/followups.ts';
import { INCIDENT_KINDS, type Incident, type IncidentKind, SECONDARY_DAMAGE, type SecondaryDamage } from '#shared/domain/incidents.ts';
import { CONSULTATION_KINDS, type ConsultationKind, LEGAL_BASES, type LegalBasis, REPORT_KINDS, type ReportKind } from '#shared/domain/legal-basis.ts';
import { LINK_HOLDERS, type LinkGeneration, type LinkHits, type LinkViewMark } from '#shared/domain/links.ts';
import type { AgendaItem, AgendaItemKind, Meeting, MeetingKind, MeetingStatus } from '#shared/domain/meeting.ts';
import type { Minutes, MinutesExport, NonPublicReason } from '#shared/domain/minutes.ts';
import type { FileContent, FileHistoryEntry, PersonalInfoFile, RegisterVariant } from '#shared/domain/personal-info-files.ts';
import { PIA_TYPES, PIA_VERDICTS, type PiaAuditEvent, type PiaComment, type PiaReview } from '#shared/domain/pia.ts';
import { ROLES, type Role } from '#shared/domain/principal.ts';
import type { Attendance, AttendeeRole, MeetingEntry, Proceedings } from '#shared/domain/proceedings.ts';
import { SEARCH_KINDS, type SearchDocument } from '#shared/domain/search.ts';
import type { Session } from '#shared/domain/session.ts';
import { REGISTRY_ROLES, type RegistryRole, type StaffMember } from '#shared/domain/staff.ts';
import { CHOICES, type Choice } from '#shared/domain/voting.ts';
import { defineEntity } from './entity.ts';
import { GSI1, GSI2, GSI3, GSI4 } from './table.ts';
import { key, padded } from './template.ts';

/** A zod enum of a domain union; the compiler refuses a list that misses a member. */
const literals =
  <U extends string>() =>
  <const V extends readonly [U, ...U[]]>(values: V & ([Exclude<U, V[number]>] extends [never] ? unknown : { missing: Exclude<U, V[number]> })) =>
    z.enum(values);
const keysOf = <K extends string>(record: Record<K, unknown>) => Object.keys(record) as [K, ...K[]];

const text = z.string();
const count = z.number();
const texts = z.array(z.string());

const consultationStatus = literals<ConsultationStatus>()([
  'draft',
  'submitted',
  'screening',
  'returned',
  'accepted',
  'scheduled',
  'in_deliberation',
  'answer_review',
  'answered',
  'followups_open',
  'closed',
  'withdrawn',
  'stalled',
]);
const decisionOutcome = literals<DecisionOutcome>()(['approved', 'approved_with_opinions', 'approved_with_conditions', 'rejected', 'carried_over']);
const answerOutcome = literals<Answer['outcome']>()(['approved', 'approved_with_opinions', 'approved_with_conditions', 'rejected']);
const nonPublicReason = literals<NonPublicReason>()(['personal', 'security', 'contract']);
const consultationNumber = z.object({ fiscalYear: count, n: count, running: z.optional(z.literal(true)) });

// ── The key scheme: every partition starts with its council (see "Tenancy"). ────────────────
const councilPartition = key`C#${'councilId'}`;
const casePartition = key`${councilPartition}#CASE#${'consultationId'}`;
const meetingPartition = key`${councilPartition}#MEETING#${'meetingId'}`;
const userPartition = key`${councilPartition}#USER#${'userId'}`;
const linkPartition = key`${councilPartition}#LINK#${'linkId'}`;

// ── A council and what belongs to it as a whole ─────────────────────────────────────────────

export const council = defineEntity<Council>()({
  type: 'council',
  version: 1,
  doc: 'A council (tenant): profile, voting rules, chair and vice-chair.',
  schema: () =>
    z.looseObject({
      councilId: text,
      name: text,
      municipality: text,
      contact: text,
      secretariatEmail: text,
      rules: z.object({
        quorum: literals<Council['rules']['quorum']>()(['majority', 'two_thirds']),
        chairBreaksTie: z.boolean(),
        majority: z.optional(literals<NonNullable<Council['rules']['majority']>>()(['cast', 'present', 'all'])),
      }),
      chairMemberId: z.optional(text),
      viceChairMemberId: z.optional(text),
      conditionLibrary: z.optional(texts),
      answerNumberPattern: z.optional(text),
      // The domain type has the keys, possibly undefined; stored, they are absent.
      mailSignature: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      senderName: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      senderAddress: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      replyTo: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      suspendedAt: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      deletingAt: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      numbering: z.optional(z.enum(['fiscal_year', 'running'])),
      legalBasis: z.optional(z.enum(keysOf(LEGAL_BASES))) as unknown as z.ZodMiniType<LegalBasis | undefined>,
      consultationKinds: z.optional(z.array(z.enum(keysOf(CONSULTATION_KINDS)))) as unknown as z.ZodMiniType<ConsultationKind[] | undefined>,
      reportKinds: z.optional(z.array(z.enum(keysOf(REPORT_KINDS)))) as unknown as z.ZodMiniType<ReportKind[] | undefined>,
      version: count,
    }),
  pk: councilPartition,
  sk: key`COUNCIL`,
  indexes: {
    registry: {
      gsi: GSI1,
      pk: key`COUNCILS`,
      sk: key`${'name'}#${'councilId'}`,
      doc: 'the councils this deployment serves, by name (the operator’s list and the jobs’ dispatcher; never a Scan)',
    },
  },
});

export const member = defineEntity<Member>()({
  type: 'member',
  version: 1,
  doc: 'A council member (委員).',
  schema: () =>
    z.looseObject({
      memberId: text,
      name: text,
      kana: text,
      category: literals<MemberCategory>()(keysOf(MEMBER_CATEGORIES)),
      // The domain type (the form's output) has the key, possibly undefined; stored, it is absent.
      affiliation: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      email: text,
      version: count,
      createdAt: text,
      updatedAt: text,
    }),
  pk: councilPartition,
  sk: key`MEMBER#${'memberId'}`,
});

export const department = defineEntity<Department>()({
  type: 'department',
  version: 1,
  doc: 'A submitting department (所管課), or the 部 above its 課 (`parentId`).',
  schema: () =>
    z.looseObject({
      departmentId: text,
      name: text,
      email: text,
      managerEmail: text,
      // The domain type has the keys, possibly undefined; stored, they are absent.
      managerName: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      parentId: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      version: z.optional(count) as unknown as z.ZodMiniType<number | undefined>,
    }),
  pk: councilPartition,
  sk: key`DEPT#${'departmentId'}`,
});

export const staff = defineEntity<StaffMember>()({
  type: 'staff',
  version: 1,
  doc: 'A staff member (職員名簿): the source of truth for their council, department and role at sign-in.',
  schema: () =>
    z.looseObject({
      councilId: text,
      userId: text,
      name: text,
      kana: text,
      email: text,
      role: literals<RegistryRole>()([...REGISTRY_ROLES]),
      // The domain type has the keys, possibly undefined; stored, they are absent.
      departmentId: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      title: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      memberId: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      disabled: z.boolean(),
      version: count,
      createdAt: text,
      updatedAt: text,
    }),
  pk: councilPartition,
  sk: key`STAFF#${'userId'}`,
});

/** The last number of a sequence given, and to whom (see sequence.ts). */
export interface Counter {
  last: number;
  lastClaimant?: string;
}
const counterSchema = () => z.looseObject({ last: count, lastClaimant: z.optional(text) });

export const consultationCounter = defineEntity<Counter>()({
  type: 'consultationCounter',
  version: 1,
  doc: 'The last consultation number (諮問第N号) given in a fiscal year, and to which case.',
  schema: counterSchema,
  pk: councilPartition,
  sk: key`COUNTER#CASE#${'fiscalYear'}`,
});

export const meetingCounter = defineEntity<Counter>()({
  type: 'meetingCounter',
  version: 1,
  doc: 'The last meeting number (第N回) given in a fiscal year, and to which meeting.',
  schema: counterSchema,
  pk: councilPartition,
  sk: key`COUNTER#MEETING#${'fiscalYear'}`,
});

export const answerCounter = defineEntity<Counter>()({
  type: 'answerCounter',
  version: 1,
  doc: 'The last document number (文書番号) given to an answer in a fiscal year, and to which case.',
  schema: counterSchema,
  pk: councilPartition,
  sk: key`COUNTER#ANSWER#${'fiscalYear'}`,
});

export const meeting = defineEntity<Meeting>()({
  type: 'meeting',
  version: 1,
  doc: 'A meeting (会議) or a decision in writing (書面審議).',
  schema: () =>
    z.looseObject({
      meetingId: text,
      kind: literals<MeetingKind>()(['meeting', 'written']),
      date: text,
      startTime: z.optional(text),
      endTime: z.optional(text),
      venue: z.optional(text),
      publicObservation: z.optional(z.boolean()),
      closedReason: z.optional(text),
      fiscalYear: count,
      seq: z.optional(count),
      status: literals<MeetingStatus>()(['planned', 'in_session', 'closed', 'cancelled']),
      statusChangedAt: z.optional(text),
      cancelledReason: z.optional(text),
      agendaFramed: z.optional(z.boolean()),
      createdAt: text,
      version: count,
    }),
  pk: councilPartition,
  sk: key`MEETING#${'meetingId'}`,
});

// ── A consultation (case) and its partition ────────────────────────────────────────────────

/**
 * Where a case sits in its council's register (諮問一覧): its fiscal year, then — numbered —
 * its 諮問番号, or — submitted, not yet numbered — when it was submitted. 'N' sorts before 'U',
 * so newest first reads a year's unnumbered cases (newest submission first), then its numbers
 * from the highest down. A draft is not on the register.
 */
export const registerPlace = {
  numbered: (n: ConsultationNumber) => ({ fiscalYear: n.fiscalYear, place: `N${String(n.n).padStart(5, '0')}` }),
  submitted: (consultationId: string, submittedAt: string) => ({
    fiscalYear: fiscalYear(new Date(submittedAt)),
    place: `U${submittedAt}#${consultationId}`,
  }),
  of(c: Pick<Consultation, 'consultationId' | 'number' | 'submittedAt'>): { fiscalYear?: number; place?: string } {
    if (c.number) return registerPlace.numbered(c.number);
    return c.submittedAt ? registerPlace.submitted(c.consultationId, c.submittedAt) : {};
  },
};
type ConsultationNumber = NonNullable<Consultation['number']>;

/**
 * Version 2: a case names one or more 事務 (`form.businesses`); a version-1 form's one 事務
 * (`businessName`, `businessRegistration`) becomes the first row. Idempotent, as an item saved
 * by this code keeps `_v` 1 until it is put again whole.
 */
function formWithBusinesses(item: Record<string, unknown>): Record<string, unknown> {
  const form = item['form'] as Record<string, unknown> | undefined;
  if (!form || form['businesses'] !== undefined || (form['businessName'] === undefined && form['businessRegistration'] === undefined)) return item;
  const { businessName, businessRegistration, ...rest } = form;
  const first = {
    ...(businessName !== undefined ? { name: businessName } : {}),
    ...(businessRegistration !== undefined ? { registration: businessRegistration } : {}),
  };
  return { ...item, form: { ...rest, businesses: [first] } };
}

/**
 * Version 3: a case says its kind (`form.kind`, 諮問の種類). A version-2 form that ticked the
 * ordinance's triggers was the ordinance's form; any other reads as its council's usual kind
 * (caseKind in legal-basis.ts), so it is left without one.
 */
function formWithKind(item: Record<string, unknown>): Record<string, unknown> {
  const form = item['form'] as Record<string, unknown> | undefined;
  if (!form || form['kind'] !== undefined || !Array.isArray(form['triggers']) || form['triggers'].length === 0) return item;
  return { ...item, form: { ...form, kind: 'ordinance_trigger' } };
}

export const consultation = defineEntity<Consultation>()({
  type: 'consultation',
  version: 3,
  upgrade: { 1: formWithBusinesses, 2: formWithKind },
  doc: 'A consultation (諮問): the form (v2: one or more 事務; v3: its kind, 諮問の種類), where the workflow is, its number once accepted, the vendor reported after a 「選定中」.',
  schema: () =>
    z.looseObject({
      councilId: text,
      consultationId: text,
      departmentId: text,
      // The department's draft as saved: partial until submitted, so only its shape is checked here.
      form: z.looseObject({ title: text }) as unknown as z.ZodMiniType<ConsultationDraft>,
      status: consultationStatus,
      number: z.optional(consultationNumber),
      returns: count,
      acceptance: z.optional(text),
      acceptanceAt: z.optional(text),
      returningAt: z.optional(text),
      taskToken: z.optional(text),
      execution: z.optional(z.object({ name: text, startedAt: text })),
      renewal: z.optional(z.object({ name: text, at: text })),
      stalled: z.optional(
        z.object({ executionArn: text, previousStatus: consultationStatus, error: text, cause: text, at: text, redrivenAt: z.optional(text) }),
      ),
      meetingId: z.optional(text),
      itemId: z.optional(text),
      imported: z.optional(z.object({ outcome: decisionOutcome, decidedOn: text, answeredOn: z.optional(text), importedAt: text, importedBy: text })),
      vendorReport: z.optional(z.object({ name: text, address: text, chosenOn: text, reportedAt: text, reportedBy: text })),
      createdBy: text,
      createdAt: text,
      submittedAt: z.optional(text),
      updatedAt: text,
      version: count,
    }),
  pk: casePartition,
  sk: key`CASE`,
  indexes: {
    byStatus: {
      gsi: GSI1,
      pk: key`${councilPartition}#STATUS#${'status'}`,
      sk: key`${'updatedAt'}`,
      doc: "the council's queue of one status, newest change last (the secretariat's queues)",
    },
    byDepartment: { gsi: GSI2, pk: key`${councilPartition}#DEPT#${'departmentId'}`, sk: key`${'createdAt'}`, doc: "a department's cases, oldest first" },
    byBusiness: {
      gsi: GSI3,
      pk: key`${councilPartition}#BIZ#${'businessKey'}`,
      sk: key`${'createdAt'}`,
      doc: 'the history of one registered personal-data business, oldest first: each case under the first 事務 it names (the others: `businessEntry`)',
      derive: (c: Consultation) => ({ businessKey: businessKeyOf(c.form) }),
    },
    register: {
      gsi: GSI4,
      pk: key`${councilPartition}#REGISTER`,
      sk: key`${padded('fiscalYear', 4)}#${'place'}`,
      doc: "the council's register of every submitted case (諮問一覧), by fiscal year, then by 諮問番号 (unnumbered: by submission); joined at submission, placed by number when numbered",
      derive: (c: Consultation) => registerPlace.of(c),
    },
  },
});

/** A case's place in the history of a business it names after its first (see businessEntry). */
export interface BusinessEntry {
  consultationId: string;
  businessKey: string;
  /** The case's createdAt: its place in the history, as the case's own item has under its first 事務. */
  createdAt: string;
}

export const businessEntry = defineEntity<BusinessEntry>()({
  type: 'businessEntry',
  version: 1,
  doc: "A case's entry in the history (事務の履歴) of a 事務 it names after its first; written before the case's form, taken off the index when the 事務 is no longer named. A read counts it only while the case still names that 事務.",
  schema: () => z.looseObject({ consultationId: text, businessKey: text, createdAt: text }),
  pk: casePartition,
  sk: key`BIZ#${'businessKey'}`,
  indexes: {
    inHistory: {
      gsi: GSI3,
      pk: key`${councilPartition}#BIZ#${'businessKey'}`,
      sk: key`${'createdAt'}`,
      doc: 'beside the cases whose first 事務 it is, the cases naming one registered business among others (one partition per business: the history reads both)',
    },
  },
});

export const screeningRound = defineEntity<ScreeningRound>()({
  type: 'screeningRound',
  version: 1,
  doc: "One return (差し戻し): the secretariat's comment and the department's answer.",
  schema: () =>
    z.looseObject({
      round: count,
      comment: text,
      returnedAt: text,
      returnedBy: text,
      response: z.optional(text),
      respondedAt: z.optional(text),
      respondedBy: z.optional(text),
    }),
  pk: casePartition,
  sk: key`ROUND#${padded('round', 3)}`,
});

export const attachment = defineEntity<Attachment>()({
  type: 'attachment',
  version: 1,
  doc: 'A document attached to a case (資料); the file itself is in the attachments bucket.',
  schema: () =>
    z.looseObject({
      attachmentId: text,
      label: text,
      fileName: text,
      contentType: text,
      size: count,
      objectKey: text,
      uploadedAt: text,
      uploadedBy: text,
    }),
  pk: casePartition,
  sk: key`ATT#${'attachmentId'}`,
});

export const auditEvent = defineEntity<AuditEvent>()({
  type: 'auditEvent',
  version: 1,
  doc: 'One entry of a case’s audit trail; never updated or deleted.',
  schema: () =>
    z.looseObject({
      at: text,
      eventId: text,
      actor: z.object({ userId: text, name: text, role: literals<AuditEvent['actor']['role']>()([...ROLES, 'link', 'system']) }),
      action: text,
      detail: z.optional(text),
      sourceIp: z.optional(text),
    }),
  pk: casePartition,
  sk: key`AUDIT#${'at'}#${'eventId'}`,
});

export const answer = defineEntity<Answer>()({
  type: 'answer',
  version: 1,
  doc: "The council's answer (答申書) on a case: drafted once from the decision, approved (dated, numbered) once, then sent.",
  schema: () =>
    z.looseObject({
      consultationId: text,
      title: text,
      number: z.optional(consultationNumber),
      outcome: answerOutcome,
      conditions: texts,
      opinions: z.optional(texts),
      consulted: z.optional(texts),
      kind: z.optional(z.enum(keysOf(CONSULTATION_KINDS))),
      state: z.optional(z.enum(['draft', 'approved'])),
      decidedOn: z.optional(text),
      documentNumber: z.optional(text),
      documentNo: z.optional(count),
      approvedBy: z.optional(text),
      approvedAs: z.optional(text),
      approvedAt: z.optional(text),
      reviewRequestedAt: z.optional(text),
      meetingName: z.optional(text),
      meetingDate: z.optional(text),
      councilName: text,
      addressee: text,
      chairName: z.optional(text),
      signedAs: z.optional(text),
      issuedOn: text,
      submittedAt: z.optional(text),
      mailedAt: z.optional(text),
    }),
  pk: casePartition,
  sk: key`ANSWER`,
});

const evidence = z.object({ fileName: text, objectKey: text, size: count, contentType: text });

export const followUp = defineEntity<FollowUp>()({
  type: 'followUp',
  version: 1,
  doc: 'A condition of an answer followed up until the council closes it (履行確認).',
  schema: () =>
    z.looseObject({
      followUpId: text,
      councilId: text,
      consultationId: text,
      source: z.optional(z.object({ meetingId: text, itemId: text })),
      incidentId: z.optional(text),
      title: text,
      businessKey: text,
      conditionIndex: count,
      condition: text,
      binding: z.optional(z.boolean()),
      type: literals<FollowUpType>()(keysOf(FOLLOW_UP_TYPES)),
      owner: z.enum(['department', 'vendor']),
      ownerName: text,
      departmentId: text,
      ownerEmail: text,
      evidence: text,
      due: text,
      everyMonths: z.optional(count),
      status: z.enum(['open', 'submitted', 'accepted', 'closed']),
      answers: z.array(
        z.object({
          n: count,
          forDue: text,
          answeredBy: text,
          text,
          count: z.optional(count),
          evidence: z.array(evidence),
          submittedAt: text,
          review: z.optional(z.object({ outcome: z.enum(['accepted', 'returned']), comment: z.optional(text), at: text, by: text })),
        }),
      ),
      pendingEvidence: z.array(evidence),
      comment: z.optional(text),
      notified: texts,
      createdAt: text,
      closedAt: z.optional(text),
      version: count,
    }),
  pk: casePartition,
  sk: key`FU#${'followUpId'}`,
  indexes: {
    // Sparse: a follow-up leaves it when it is closed. The daily job reads it too, up to the
    // reminder window (due ≤ today + 7), so a council's run reads what is due and nothing else.
    activeInCouncil: {
      gsi: GSI2,
      pk: key`${councilPartition}#FOLLOWUPS`,
      sk: key`${'due'}#${'consultationId'}#${'followUpId'}`,
      doc: "a council's follow-ups not closed, by due date (the dashboard; the daily job up to the reminder window); left when closed",
    },
  },
});

// ── 漏えい等事案 (incidents), in the council's partition; their measures are follow-ups ────────

const ppcSubmission = z.optional(z.object({ submittedOn: text, at: text, by: text }));

export const incident = defineEntity<Incident>()({
  type: 'incident',
  version: 1,
  doc: 'An incident (漏えい等事案): what happened, the 速報/確報 to the 個人情報保護委員会, the notice to the people concerned, where the council heard it, its history; its recurrence-prevention measures are follow-ups in the partition named by its id.',
  schema: () =>
    z.looseObject({
      councilId: text,
      incidentId: text,
      title: text,
      overview: text,
      occurredOn: text,
      foundOn: text,
      departmentId: text,
      affectedCount: count,
      dataItems: text,
      sensitive: z.boolean(),
      vendor: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      kind: literals<IncidentKind>()(keysOf(INCIDENT_KINDS)),
      unlawfulPurpose: z.boolean(),
      cause: text,
      secondaryDamage: literals<SecondaryDamage>()(keysOf(SECONDARY_DAMAGE)),
      status: z.enum(['open', 'closed']),
      reports: z.object({ preliminary: ppcSubmission, final: ppcSubmission }) as unknown as z.ZodMiniType<Incident['reports']>,
      notice: z.optional(
        z.union([
          z.object({ notified: z.literal(true), notifiedOn: text, method: text, count, at: text, by: text }),
          z.object({ notified: z.literal(false), reason: text, at: text, by: text }),
        ]),
      ) as unknown as z.ZodMiniType<Incident['notice']>,
      council: z.optional(z.object({ meetingId: text, itemId: text, at: text })) as unknown as z.ZodMiniType<Incident['council']>,
      measures: count,
      notified: texts,
      history: z.array(z.object({ at: text, by: text, what: text })),
      createdAt: text,
      createdBy: text,
      updatedAt: text,
      closedAt: z.optional(text) as unknown as z.ZodMiniType<string | undefined>,
      version: count,
    }),
  pk: councilPartition,
  sk: key`INCIDENT#${'incidentId'}`,
  indexes: {
    byDepartment: {
      gsi: GSI2,
      pk: key`${councilPartition}#INCIDENTS#DEPT#${'departmentId'}`,
      sk: key`${'createdAt'}`,
      doc: "a department's incidents, oldest first (the department's list)",
    },
    // Sparse: an incident leaves it when it closes, so the daily job reads only what may be due.
    open: {
      gsi: GSI1,
      pk: key`${councilPartition}#INCIDENTS#OPEN`,
      sk: key`${'foundOn'}#${'incidentId'}`,
      doc: "a council's incidents not closed, by the day the city knew (the daily job's 速報/確報 reminders); left when closed",
    },
  },
});

// ── A meeting's partition: its agenda, minutes and exports ─────────────────────────────────

const ballot = z.object({
  memberId: text,
  choice: literals<Choice>()(keysOf(CHOICES)),
  conditions: texts,
  reason: z.optional(text),
  castAt: text,
  source: z.enum(['link', 'meeting']),
});

const tally = z.object({
  outcome: decisionOutcome,
  quorumMet: z.boolean(),
  participants: count,
  base: count,
  for: count,
  against: count,
  abstained: count,
  recused: count,
  chairDecided: z.boolean(),
  proposedConditions: texts,
});

export const agendaItem = defineEntity<AgendaItem>()({
  type: 'agendaItem',
  version: 1,
  doc: 'One line of a meeting’s agenda (議題): its cases, a vote by signed links, ballots, the decision.',
  schema: () =>
    z.looseObject({
      itemId: text,
      kind: literals<AgendaItemKind>()(['opening', 'greeting', 'handover', 'deliberation', 'report', 'explanation', 'other', 'next_meeting', 'closing']),
      order: count,
      title: text,
      consultationIds: texts,
      addedAt: z.optional(text),
      text: z.optional(text),
      outsideAgenda: z.optional(z.boolean()),
      requests: z.optional(z.array(z.object({ text, departmentId: text, due: text, followUpId: text, at: text }))),
      next: z.optional(z.object({ date: text, startTime: text, venue: text, meetingId: text })),
      removedAt: z.optional(text),
      removedBy: z.optional(text),
      explainers: z.optional(text),
      decision: z.optional(z.object({ outcome: decisionOutcome, conditions: texts, opinions: z.optional(texts), decidedAt: text, decidedBy: text })),
      voting: z.optional(
        z.object({
          round: count,
          status: z.enum(['open', 'awaiting_chair', 'closed']),
          deadline: text,
          eligible: texts,
          openedAt: text,
          closedAt: z.optional(text),
          tally: z.optional(tally),
          reminded: texts,
          ballotVersion: z.optional(count),
        }),
      ),
      ballots: z.optional(z.record(z.string(), ballot)),
      present: z.optional(texts),
      handsMode: z.optional(z.enum(['all', 'each'])),
      chairWording: z.optional(
        z.object({ status: z.enum(['awaiting', 'settled']), conditions: texts, opinions: texts, proposedAt: text, settledAt: z.optional(text) }),
      ),
      /** Where an open round belongs, for the reminder job that reads it off the index. */
      roundOf: z.optional(z.object({ councilId: text, meetingId: text })),
    }),
  pk: meetingPartition,
  sk: key`ITEM#${'itemId'}`,
  indexes: {
    // Sparse: joined when a vote opens, left once its decision has reached every case. `due` is
    // the day the hourly job must next look at the round: its deadline while it is open, or the
    // day the last ballot came in or it closed (a close or hand-over to finish) — so a council's
    // run reads only rounds up to the reminder window (due ≤ today + 2).
    openRound: {
      gsi: GSI1,
      pk: key`${councilPartition}#OPEN_ROUNDS`,
      sk: key`${'due'}#${'meetingId'}#${'itemId'}`,
      doc: "a council's voting rounds still open, by the day the job must next look at them (deadline, or when the last ballot came or it closed); joined when voting opens, left once decided",
    },
  },
});

const minutesSchema = () =>
  z.looseObject({
    meetingId: text,
    status: z.enum(['draft', 'final']),
    version: count,
    memberNaming: z.enum(['names', 'letters']),
    explainers: text,
    secretariat: text,
    present: texts,
    opening: text,
    items: z.array(
      z.object({
        itemId: text,
        explanation: text,
        explanationNonPublic: z.optional(nonPublicReason),
        qa: z.array(z.object({ asker: text, question: text, answerer: text, answer: text, nonPublic: z.optional(nonPublicReason) })),
        decision: text,
      }),
    ),
    reports: text,
    other: text,
    nextMeeting: text,
    closing: text,
    updatedAt: text,
    updatedBy: text,
    finalVersion: z.optional(count),
    attendance: z.optional(z.array(z.object({ memberId: text, status: z.enum(['present', 'absent', 'late', 'left_early']), time: z.optional(text) }))),
    presidingMemberId: z.optional(text),
    materialsNote: z.optional(text),
    fromRecord: z.optional(z.boolean()),
  });

export const minutes = defineEntity<Minutes>()({
  type: 'minutes',
  version: 1,
  doc: 'A meeting’s minutes (会議録), draft or final.',
  schema: minutesSchema,
  pk: meetingPartition,
  sk: key`MINUTES`,
});

export const minutesVersion = defineEntity<Minutes>()({
  type: 'minutesVersion',
  version: 1,
  doc: 'A final version of the minutes, kept as it was issued.',
  schema: minutesSchema,
  pk: meetingPartition,
  sk: key`MINUTES#V${padded('version', 4)}`,
});

export const minutesExport = defineEntity<MinutesExport>()({
  type: 'minutesExport',
  version: 1,
  doc: 'One export of the minutes (Word, HTML, CSV), made in the background; the page polls it.',
  schema: () =>
    z.looseObject({
      exportId: text,
      format: z.enum(['docx', 'html', 'csv']),
      edition: z.enum(['internal', 'published']),
      status: z.enum(['pending', 'running', 'done', 'failed']),
      progress: text,
      percent: count,
      objectKey: z.optional(text),
      fileName: z.optional(text),
      error: z.optional(text),
      requestedBy: text,
      requestedAt: text,
      updatedAt: z.optional(text),
      finishedAt: z.optional(text),
    }),
  pk: meetingPartition,
  sk: key`EXPORT#${'exportId'}`,
});

export const proceedings = defineEntity<Proceedings>()({
  type: 'proceedings',
  version: 1,
  doc: 'What happened at a meeting as the clerk records it: the roll (出欠), who presided (議長), the secretariat and explainers who attended, the actual opening and closing times.',
  schema: () =>
    z.looseObject({
      meetingId: text,
      roll: z.array(z.object({ memberId: text, status: literals<Attendance>()(['present', 'absent', 'late', 'left_early']), time: z.optional(text) })),
      presidingMemberId: z.optional(text),
      attendees: z.array(
        z.object({
          attendeeId: text,
          role: literals<AttendeeRole>()(['secretariat', 'explainer']),
          name: text,
          title: text,
          departmentId: z.optional(text),
          userId: z.optional(text),
        }),
      ),
      openedAt: z.optional(text),
      closedAt: z.optional(text),
      version: count,
      updatedAt: text,
      updatedBy: text,
    }),
  pk: meetingPartition,
  sk: key`PROCEEDINGS`,
});

export const meetingEntry = defineEntity<MeetingEntry>()({
  type: 'meetingEntry',
  version: 1,
  doc: 'One row typed during the meeting under an agenda item: a question (or an opinion) and its answer, or a note; feeds the minutes draft.',
  schema: () =>
    z.looseObject({
      entryId: text,
      itemId: text,
      kind: z.enum(['qa', 'note']),
      asker: text,
      question: text,
      answerer: text,
      answer: text,
      note: text,
      createdAt: text,
      updatedAt: text,
      by: text,
      deleted: z.optional(z.boolean()),
    }),
  pk: meetingPartition,
  sk: key`ENTRY#${'entryId'}`,
});

export const councilArchive = defineEntity<CouncilArchive>()({
  type: 'councilArchive',
  version: 1,
  doc: 'One archive of the whole council (JSON, CSV and attachments in a zip), made in the background for the operator; the page polls it.',
  schema: () =>
    z.looseObject({
      archiveId: text,
      status: z.enum(['pending', 'running', 'done', 'failed']),
      progress: text,
      partitionsDone: count,
      partitionsTotal: count,
      items: count,
      files: count,
      objectKey: z.optional(text),
      fileName: z.optional(text),
      size: z.optional(count),
      error: z.optional(text),
      requestedBy: text,
      requestedAt: text,
      updatedAt: z.optional(text),
      finishedAt: z.optional(text),
      downloadedAt: z.optional(text),
    }),
  pk: councilPartition,
  sk: key`ARCHIVE#${'archiveId'}`,
});

/** The operator's own trail, under the platform's id (no council's partition), so it outlives a deleted council. */
export const operatorAudit = defineEntity<OperatorAuditEvent>()({
  type: 'operatorAudit',
  version: 1,
  doc: 'One action of the platform operator on a council (archive, download, deletion); kept under the platform, never deleted with the council.',
  schema: () =>
    z.looseObject({
      at: text,
      eventId: text,
      actor: z.object({ userId: text, name: text }),
      action: z.enum(['council.archive', 'council.archive.download', 'council.delete.start', 'council.delete.done', 'council.suspend', 'council.create']),
      councilId: text,
      councilName: text,
      detail: z.optional(text),
    }),
  pk: key`${councilPartition}#OPS`,
  sk: key`AUDIT#${'at'}#${'eventId'}`,
});

// ── Sessions and links: who is signed in, which links still work, how often they are used ──

export const session = defineEntity<Session>()({
  type: 'session',
  version: 1,
  doc: "A staff member's session: created at sign-in, named by the signed cookie, revoked at sign-out; purged by TTL (`purgeAt`).",
  schema: () =>
    z.looseObject({
      sessionId: text,
      councilId: text,
      userId: text,
      name: text,
      role: literals<Role>()([...ROLES]),
      departmentId: z.optional(text),
      createdAt: text,
      lastSeenAt: text,
      expiresAt: text,
      revokedAt: z.optional(text),
      purgeAt: count,
    }),
  pk: userPartition,
  sk: key`SESSION#${'sessionId'}`,
});

export const linkGeneration = defineEntity<LinkGeneration>()({
  type: 'linkGeneration',
  version: 1,
  doc: "The generation of a member's vote links or a follow-up's answer links; revoking bumps it and older links are refused (none stored: 0).",
  schema: () =>
    z.looseObject({
      holder: z.enum(LINK_HOLDERS),
      holderId: text,
      generation: count,
      revokedAt: z.optional(text),
      revokedBy: z.optional(text),
      reason: z.optional(text),
    }),
  pk: councilPartition,
  sk: key`LINKGEN#${'holder'}#${'holderId'}`,
});

export const linkHits = defineEntity<LinkHits>()({
  type: 'linkHits',
  version: 1,
  doc: "Requests to one link's pages in one minute (its rate limit); purged by TTL (`purgeAt`).",
  schema: () => z.looseObject({ n: count, purgeAt: count }),
  pk: linkPartition,
  sk: key`HITS#${'minute'}`,
});

export const linkView = defineEntity<LinkViewMark>()({
  type: 'linkView',
  version: 1,
  doc: "That one link's page was seen on a day (Tokyo time): its one 「閲覧」 audit entry that day was written; purged by TTL (`purgeAt`).",
  schema: () => z.looseObject({ firstAt: text, purgeAt: count }),
  pk: linkPartition,
  sk: key`VIEW#${'day'}`,
});

// ── 包括諮問に基づく事後報告 (post-reports under a blanket approval), in the council's partition ──
export const postReport = defineEntity<PostReport>()({
  type: 'postReport',
  version: 1,
  doc: 'A post-report (事後報告) a department filed under an approved blanket consultation (包括諮問); accepted onto the next meeting as a report item.',
  schema: () =>
    z.looseObject({
      reportId: text,
      classId: text,
      departmentId: text,
      done: text,
      doneOn: text,
      count,
      vendor: z.optional(text),
      status: z.enum(keysOf(POST_REPORT_STATUSES)),
      meetingId: z.optional(text),
      itemId: z.optional(text),
      filedBy: text,
      filedAt: text,
      acceptedBy: z.optional(text),
      acceptedAt: z.optional(text),
    }),
  pk: councilPartition,
  sk: key`POSTREPORT#${'reportId'}`,
});

// ── 特定個人情報保護評価書の第三者点検: a review's own partition (the record, members' comments, its trail) ──

const piaPartition = key`${councilPartition}#PIA#${'reviewId'}`;
const piaFile = z.object({ fileName: text, contentType: text, size: count, objectKey: text, uploadedAt: text, uploadedBy: text });
const optionalText = z.optional(text) as unknown as z.ZodMiniType<string | undefined>;

export const piaReview = defineEntity<PiaReview>()({
  type: 'piaReview',
  version: 1,
  doc: 'A third-party review (第三者点検) of a 特定個人情報保護評価書: threshold judgement, versions, member review, the council’s opinion, the steps after it and the re-evaluation due date.',
  schema: () =>
    z.looseObject({
      reviewId: text,
      councilId: text,
      departmentId: text,
      businessName: text,
      evaluationType: z.enum(keysOf(PIA_TYPES)),
      threshold: z.object({ subjects: count, handlers: count, seriousIncident: z.boolean(), required: z.enum([...keysOf(PIA_TYPES), 'none']) }),
      status: literals<PiaReview['status']>()(['preparing', 'reviewing', 'drafting', 'awaiting_chair', 'issued']),
      sections: texts,
      versions: z.array(z.extend(piaFile, { n: count, date: text, note: text })),
      pendingFile: z.optional(piaFile) as unknown as z.ZodMiniType<PiaReview['pendingFile']>,
      review: z.optional(z.object({ openedAt: text, openedBy: text, deadline: text, memberIds: texts, closedAt: optionalText })) as unknown as z.ZodMiniType<
        PiaReview['review']
      >,
      opinion: z.optional(
        z.object({
          verdict: z.enum(keysOf(PIA_VERDICTS)),
          findings: texts,
          summary: text,
          documentNumber: optionalText,
          issuedOn: optionalText,
          approvedBy: optionalText,
          approvedAs: optionalText,
          approvedAt: optionalText,
          mailedAt: optionalText,
        }),
      ) as unknown as z.ZodMiniType<PiaReview['opinion']>,
      publicComment: z.optional(z.object({ from: text, to: text })) as unknown as z.ZodMiniType<PiaReview['publicComment']>,
      submittedOn: optionalText,
      publishedOn: optionalText,
      majorChange: z.optional(z.object({ on: text, note: text, reportedAt: text })) as unknown as z.ZodMiniType<PiaReview['majorChange']>,
      reevaluationDue: optionalText,
      documentNo: z.optional(count) as unknown as z.ZodMiniType<number | undefined>,
      reminders: texts,
      createdAt: text,
      createdBy: text,
      version: count,
    }),
  pk: piaPartition,
  sk: key`REVIEW`,
  indexes: {
    inCouncil: {
      gsi: GSI1,
      pk: key`${councilPartition}#PIAS`,
      sk: key`${'createdAt'}#${'reviewId'}`,
      doc: "a council's PIA reviews, oldest first (the secretariat's list; the council's archive and deletion find their partitions here)",
    },
    ofDepartment: {
      gsi: GSI2,
      pk: key`${councilPartition}#PIA#DEPT#${'departmentId'}`,
      sk: key`${'createdAt'}#${'reviewId'}`,
      doc: "a department's PIA reviews (its list)",
    },
    // Sparse: only a review with a re-evaluation due date is on it; the daily job reads it up to six months ahead.
    reevaluation: {
      gsi: GSI3,
      pk: key`${councilPartition}#PIA#DUE`,
      sk: key`${'reevaluationDue'}#${'reviewId'}`,
      doc: "a council's PIA reviews by re-evaluation due date (the daily job: reminders 6 months and 1 month before)",
    },
  },
});

// ── 個人情報ファイル簿 / 業務届出: each department's entries, with their history ──────────────

export const personalInfoFile = defineEntity<PersonalInfoFile>()({
  type: 'personalInfoFile',
  version: 1,
  doc: 'An entry of the council’s register of files (個人情報ファイル簿, or 業務届出 under an old ordinance), kept by its department; its history (every creation, change and abolition: who, when, the day it took effect, what changed) is kept in the item, written with the change itself.',
  schema: () =>
    z.looseObject({
      councilId: text,
      fileId: text,
      departmentId: text,
      variant: literals<RegisterVariant>()(['file_register', 'business_register']),
      // The variant's content as its schema parsed it; only its shape is checked here.
      content: z.looseObject({ name: text }) as unknown as z.ZodMiniType<FileContent>,
      startedOn: text,
      abolished: z.optional(z.object({ on: text, reason: text })) as unknown as z.ZodMiniType<PersonalInfoFile['abolished']>,
      history: z.array(
        z.object({
          version: count,
          at: text,
          by: z.object({ userId: text, name: text }),
          action: literals<FileHistoryEntry['action']>()(['created', 'changed', 'abolished']),
          on: text,
          changes: z.optional(z.array(z.object({ field: text, label: text, before: text, after: text }))),
          reason: z.optional(text),
        }),
      ),
      createdAt: text,
      updatedAt: text,
      version: count,
    }),
  pk: councilPartition,
  sk: key`PFILE#${'fileId'}`,
  indexes: {
    byDepartment: {
      gsi: GSI2,
      pk: key`${councilPartition}#PFILES#${'departmentId'}`,
      sk: key`${'fileId'}`,
      doc: "a department's entries of the register of files (its own list)",
    },
  },
});

// ── 先例検索: the search index, per council and fiscal year (shared/use-cases/search.ts) ─────────

const searchPartition = key`${councilPartition}#SEARCH`;

export const searchDocument = defineEntity<SearchDocument>()({
  type: 'searchDocument',
  version: 1,
  doc: 'One record as the precedent search reads it (a case, an answer, a condition, minutes): its title, department, vendor and normalised text, kept beside the record by the use case that writes it; a search reads one partition per fiscal year.',
  schema: () =>
    z.looseObject({
      kind: z.enum(keysOf(SEARCH_KINDS)),
      recordId: text,
      fiscalYear: count,
      title: text,
      label: optionalText,
      departmentId: optionalText,
      vendor: optionalText,
      text,
      at: text,
      consultationId: optionalText,
      followUpId: optionalText,
      meetingId: optionalText,
      fileId: optionalText,
    }),
  pk: key`${searchPartition}#${padded('fiscalYear', 4)}`,
  sk: key`DOC#${'kind'}#${'recordId'}`,
});

/** A fiscal year the search index has documents in. */
export interface SearchYear {
  fiscalYear: number;
}

export const searchYear = defineEntity<SearchYear>()({
  type: 'searchYear',
  version: 1,
  doc: 'A fiscal year the council’s search index has documents in (put with every document): the partitions a search reads.',
  schema: () => z.looseObject({ fiscalYear: count }),
  pk: searchPartition,
  sk: key`YEAR#${padded('fiscalYear', 4)}`,
});

/** How far the one-off indexing of records written before the index (or since it was last rebuilt) has come. */
export interface SearchBuild {
  startedAt: string;
  startedBy: string;
  /** The register position the next press goes on after (none: the cases are done). */
  position?: string | undefined;
  indexed: number;
  doneAt?: string | undefined;
}

export const searchBuild = defineEntity<SearchBuild>()({
  type: 'searchBuild',
  version: 1,
  doc: 'The index marker: whether the council’s records written before the search index have been indexed (and where the build goes on).',
  schema: () =>
    z.looseObject({
      startedAt: text,
      startedBy: text,
      position: optionalText,
      indexed: count,
      doneAt: optionalText,
    }),
  pk: searchPartition,
  sk: key`BUILD`,
});

export const piaComment = defineEntity<PiaComment>()({
  type: 'piaComment',
  version: 1,
  doc: "One member's comments on a 評価書, one per section, saved through their mailed link until the review closes.",
  schema: () => z.looseObject({ reviewId: text, memberId: text, memberName: text, comments: texts, savedAt: text }),
  pk: piaPartition,
  sk: key`COMMENT#${'memberId'}`,
});

export const piaAudit = defineEntity<PiaAuditEvent>()({
  type: 'piaAudit',
  version: 1,
  doc: 'One entry of a PIA review’s audit trail; never updated or deleted.',
  schema: () =>
    z.looseObject({
      at: text,
      eventId: text,
      actor: z.object({ userId: text, name: text, role: text }),
      action: text,
      detail: optionalText,
    }),
  pk: piaPartition,
  sk: key`AUDIT#${'at'}#${'eventId'}`,
});

/** Every entity, in the order the docs list them. */
export const ENTITIES = [
  council,
  member,
  department,
  staff,
  consultationCounter,
  meetingCounter,
  answerCounter,
  meeting,
  consultation,
  businessEntry,
  screeningRound,
  attachment,
  auditEvent,
  answer,
  followUp,
  incident,
  agendaItem,
  minutes,
  minutesVersion,
  minutesExport,
  proceedings,
  meetingEntry,
  councilArchive,
  operatorAudit,
  session,
  linkGeneration,
  linkHits,
  linkView,
  postReport,
  piaReview,
  piaComment,
  piaAudit,
  personalInfoFile,
  searchDocument,
  searchYear,
  searchBuild,
] as const;

/**
 * Index partitions of earlier versions, shared by every council (open rounds and open follow-ups
 * of all councils). Nothing reads them any more except the migration that empties them, a
 * bounded page at a time (AgendaRepository.migrateLegacyRounds, FollowUpRepository.migrateLegacy).
 */
export const LEGACY_PARTITIONS = { openRounds: 'OPEN_ROUNDS', openFollowUps: 'OPEN_FOLLOWUPS' } as const;

/** The partitions entities share, named for the docs. */
export const PARTITIONS = {
  council: councilPartition,
  case: casePartition,
  meeting: meetingPartition,
  user: userPartition,
  link: linkPartition,
  pia: piaPartition,
} as const;
