import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Answer } from '#shared/domain/answer.ts';
import type {
  Attachment,
  AuditEvent,
  Consultation,
  ConsultationBundle,
  ConsultationNumber,
  ConsultationStatus,
  ScreeningRound,
  StallRecord,
  VendorReport,
} from '#shared/domain/consultation.ts';
import type { ConsultationDraft } from '#shared/domain/consultation-form.ts';
import { type Numbering, RUNNING_SERIES } from '#shared/domain/council.ts';
import { businessKeyOf, businessKeysOf } from '#shared/domain/followups.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { claimNext } from './sequence.ts';
import { patterns, type QueryPattern } from './store/access-patterns.ts';
import {
  answer,
  answerCounter,
  attachment,
  auditEvent,
  businessEntry,
  consultation,
  consultationCounter,
  followUp,
  registerPlace,
  screeningRound,
} from './store/entities.ts';
import type { Params } from './store/entity.ts';
import { type Action, and, assign, eq, isIn, itemExists, lt, notExists, or, remove, set, setIfMissing } from './store/expressions.ts';
import type { SortRange } from './store/items.ts';
import { type Store, storeOf } from './store/store.ts';

export interface ConsultationRef {
  councilId: string;
  consultationId: string;
}

export type { ConsultationBundle } from '#shared/domain/consultation.ts';

/** How many of the latest audit events a case page shows (the export has them all). */
export const AUDIT_ON_PAGE = 50;

/** Longer than any page's function may run (10 s): an acceptance marked before this is not running any more. */
const ACCEPTANCE_LEASE_MS = 60_000;

const ALREADY_HANDLED = 'この諮問は既に他の方が処理しました。最新の状態を確認してください。';

/**
 * Consultations and everything in their partition (rounds, attachments, audit, answer).
 * Invariants hold through single-item conditions — the local DynamoDB stand-in has no
 * transactions, and none of these rules needs one. A case's entries in the histories of its
 * second and later 事務 (businessEntry) are written before its form and read only together with
 * it: an entry whose case does not (or no longer) name that 事務 is passed over, so the history
 * is right at every moment without a transaction.
 */
export class ConsultationRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** Creates a draft; false if that id exists already (the same form sent twice). */
  async create(c: Consultation): Promise<boolean> {
    const ref = { councilId: c.councilId, consultationId: c.consultationId };
    await this.enterHistories(ref, c.form, c.createdAt);
    return this.store.create(consultation, ref, c, { onConditionFailure: false });
  }

  /** Puts the case in the history of each 事務 it names after the first (the first holds the case item itself). */
  private async enterHistories(ref: ConsultationRef, form: ConsultationDraft, createdAt: string): Promise<void> {
    const [, ...others] = businessKeysOf(form);
    await Promise.all(
      others.map((businessKey) => this.store.put(businessEntry, { ...ref, businessKey }, { consultationId: ref.consultationId, businessKey, createdAt })),
    );
  }

  /** Takes the case out of the histories of the 事務 it no longer names after its first (the entries stay in its partition, off the index). */
  private async leaveHistories(ref: ConsultationRef, before: ConsultationDraft, after: ConsultationDraft): Promise<void> {
    const [, ...kept] = businessKeysOf(after);
    const gone = businessKeysOf(before).filter((k) => !kept.includes(k));
    await Promise.all(
      gone.map((businessKey) =>
        this.store.update(businessEntry, { ...ref, businessKey }, businessEntry.index('inHistory').remove(), { if: itemExists(), onConditionFailure: false }),
      ),
    );
  }

  get(ref: ConsultationRef): Promise<Consultation> {
    return this.store.get(patterns.getConsultation, ref, () => new NotFoundError('諮問が見つかりません。'));
  }

  /** Several cases of one council in one round trip (a meeting's agenda), in the order asked; NotFoundError if one is missing. */
  async getMany(councilId: string, consultationIds: readonly string[]): Promise<Consultation[]> {
    const unique = [...new Set(consultationIds)];
    const found = await this.store.getMany(
      patterns.getConsultation,
      unique.map((consultationId) => ({ councilId, consultationId })),
    );
    if (found.length !== unique.length) throw new NotFoundError('諮問が見つかりません。');
    const byId = new Map(found.map((c) => [c.consultationId, c]));
    return consultationIds.map((id) => byId.get(id)!);
  }

  /**
   * The case with its rounds, attachments, follow-ups, answer and the latest audit events.
   * The audit trail grows with every look at the case, so it is read apart and bounded:
   * the rest of the partition comes in two range queries around it, the newest events in a
   * third. Reading a case therefore costs the same however often it has been read. A reader
   * that shows no audit trail (a vote page, a report form, a job) asks for `latestAudit` 0 and
   * makes no third query.
   */
  async bundle(ref: ConsultationRef, latestAudit = AUDIT_ON_PAGE): Promise<ConsultationBundle> {
    const [file, recent] = await Promise.all([
      this.store.records(patterns.caseFile, ref),
      latestAudit > 0 ? this.store.query(patterns.latestAudit, ref, { limit: latestAudit }) : Promise.resolve([]),
    ]);
    const main = file.one(consultation);
    if (!main) throw new NotFoundError('諮問が見つかりません。');
    const given = file.one(answer);
    return {
      consultation: main,
      rounds: file.all(screeningRound),
      attachments: file.all(attachment),
      audit: recent.reverse(),
      followUps: file.all(followUp),
      ...(given ? { answer: given } : {}),
    };
  }

  /** The whole audit trail of a case, oldest first (for its export). */
  auditTrail(ref: ConsultationRef): Promise<AuditEvent[]> {
    return this.store.query(patterns.auditTrail, ref);
  }

  listByDepartment(councilId: string, departmentId: string): Promise<Consultation[]> {
    return this.store.query(patterns.consultationsOfDepartment, { councilId, departmentId });
  }

  /** Every consultation about one registered business (naming it first or among others), oldest first. */
  async listByBusiness(councilId: string, businessKey: string): Promise<Consultation[]> {
    const found: Consultation[] = [];
    let after: string | undefined;
    for (;;) {
      const slice = await this.businessSlice(councilId, businessKey, { order: 'oldest', after, limit: 100 });
      for (const e of slice) if (e.consultation) found.push(e.consultation);
      if (slice.length < 100) return found;
      after = slice.at(-1)!.position;
    }
  }

  /**
   * Up to `limit` of a department's cases (drafts too) beyond `after` — a position a previous
   * slice gave: the case's createdAt, the index's sort key — newest or oldest first. One Query
   * of at most `limit` items, whatever the department's history.
   */
  departmentSlice(
    councilId: string,
    departmentId: string,
    options: { order: 'newest' | 'oldest'; after?: string | undefined; limit: number },
  ): Promise<{ consultation: Consultation; position: string }[]> {
    return this.indexSlice(patterns.consultationsOfDepartment, { councilId, departmentId }, options);
  }

  /**
   * The same over one registered business's history: the cases naming it first, and the entries of
   * cases naming it among others, each entry read with its case. One position per item read; an
   * entry whose case does not (or no longer) name the business — or that repeats a case of the
   * slice — comes back without a case, so a slice shorter than `limit` still means the end.
   */
  async businessSlice(
    councilId: string,
    businessKey: string,
    options: { order: 'newest' | 'oldest'; after?: string | undefined; limit: number },
  ): Promise<{ consultation?: Consultation; position: string }[]> {
    const newest = options.order === 'newest';
    const range: SortRange | undefined = options.after === undefined ? undefined : newest ? { lessThan: options.after } : { greaterThan: options.after };
    const slice = await this.store.sliceOwned(
      patterns.consultationsOfBusiness,
      [consultation, businessEntry],
      { councilId, businessKey },
      { range, descending: newest, limit: options.limit },
    );
    const entries = slice.flatMap((e) => (e.entity === businessEntry ? [(e.value as { consultationId: string }).consultationId] : []));
    const named = entries.length
      ? await this.store.getMany(
          patterns.getConsultation,
          [...new Set(entries)].map((consultationId) => ({ councilId, consultationId })),
        )
      : [];
    const byId = new Map(named.map((c) => [c.consultationId, c]));
    const seen = new Set<string>();
    return slice.map((e) => {
      const c = e.entity === consultation ? (e.value as Consultation) : byId.get((e.value as { consultationId: string }).consultationId);
      const stands = c !== undefined && !seen.has(c.consultationId) && businessKeysOf(c.form).includes(businessKey);
      if (!stands) return { position: e.sortKey };
      seen.add(c.consultationId);
      return { consultation: c, position: e.sortKey };
    });
  }

  private async indexSlice<P extends string>(
    pattern: QueryPattern<Consultation, P>,
    params: Params<P>,
    options: { order: 'newest' | 'oldest'; after?: string | undefined; limit: number },
  ): Promise<{ consultation: Consultation; position: string }[]> {
    const newest = options.order === 'newest';
    const range: SortRange | undefined = options.after === undefined ? undefined : newest ? { lessThan: options.after } : { greaterThan: options.after };
    const slice = await this.store.slice(pattern, params, { range, descending: newest, limit: options.limit });
    return slice.map((e) => ({ consultation: e.value, position: e.sortKey }));
  }

  listByStatus(councilId: string, status: ConsultationStatus): Promise<Consultation[]> {
    return this.store.query(patterns.consultationsInStatus, { councilId, status });
  }

  /**
   * Saves the form of a case its department may still edit, only over the version the
   * editor started from. `submitted` also stamps the submission time.
   */
  async saveForm(ref: ConsultationRef, form: ConsultationDraft, expectedVersion: number, now: string, submitted = false): Promise<Consultation> {
    const before = await this.get(ref);
    // The histories of its later 事務 first: a save refused below leaves entries its case does not name, which no read counts.
    await this.enterHistories(ref, form, before.createdAt);
    const saved = await this.store.updateAndRead(
      consultation,
      ref,
      assign({
        form,
        updatedAt: now,
        version: expectedVersion + 1,
        // The business may have changed: the case moves to its history, keeping its place (createdAt).
        ...consultation.index('byBusiness').partitionKey({ councilId: ref.councilId, businessKey: businessKeyOf(form) }),
        // Submitted: on the council's register from now on (a draft is its department's alone).
        ...(submitted ? { submittedAt: now, ...this.registered(ref, registerPlace.submitted(ref.consultationId, now)) } : {}),
      }),
      {
        if: and(eq('version', expectedVersion), isIn('status', 'draft', 'returned')),
        onConditionFailure: () => new ConflictError('この諮問は、開いた後に他の方が更新したか、編集できない状態になっています。最新の内容を確認してください。'),
      },
    );
    await this.leaveHistories(ref, before.form, saved.form);
    return saved;
  }

  /**
   * Records the vendor chosen after the decision, once: only for a case decided, whose form said
   * 「選定中」, and with none reported yet.
   */
  async reportVendor(ref: ConsultationRef, report: VendorReport): Promise<Consultation> {
    return this.store.updateAndRead(consultation, ref, [set('vendorReport', report)], {
      if: and(eq(['form', 'vendor', 'selecting'], true), notExists('vendorReport'), isIn('status', 'answered', 'followups_open', 'closed')),
      onConditionFailure: () => new ConflictError('委託先は既に報告されているか、今は報告できない状態です。最新の内容を確認してください。'),
    });
  }

  /**
   * Records the status the workflow has just entered, and the token (and execution) if it now
   * waits for a person. Replaying the same step (a retried task) writes the same values. A step
   * that gets this far means the workflow runs: any stall or takeover in progress is over.
   */
  async recordStep(
    ref: ConsultationRef,
    status: ConsultationStatus,
    now: string,
    waiting?: { taskToken: string; execution?: Consultation['execution'] },
  ): Promise<void> {
    const actions: Action[] = [
      ...this.queued(ref, status, now),
      waiting ? set('taskToken', waiting.taskToken) : remove('taskToken'),
      remove('stalled'),
      // A return in progress is over once the workflow records a step.
      remove('returningAt'),
      ...(waiting?.execution ? [set('execution', waiting.execution), remove('renewal')] : []),
    ];
    await this.store.update(consultation, ref, actions, { if: itemExists(), onConditionFailure: () => new NotFoundError('諮問が見つかりません。') });
  }

  /**
   * A move no workflow step makes (a draft withdrawn, a stalled case withdrawn, the last
   * follow-up closed): only from `from`, so two people cannot both make it.
   */
  async moveStatus(ref: ConsultationRef, from: ConsultationStatus, to: ConsultationStatus, now: string): Promise<void> {
    await this.store.update(consultation, ref, [...this.queued(ref, to, now), remove('taskToken'), remove('stalled')], {
      if: eq('status', from),
      onConditionFailure: () => new ConflictError(ALREADY_HANDLED),
    });
  }

  /**
   * The workflow stopped on a step that kept failing. Only the execution that carries the case
   * can stall it: an older one, superseded by a newer execution, ends without a word. False if ignored.
   */
  async markStalled(ref: ConsultationRef, executionName: string, stall: Omit<StallRecord, 'previousStatus'>): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.get(ref);
      const carrier = !current.execution || current.execution.name === executionName || current.renewal?.name === executionName;
      if (!carrier || current.status === 'withdrawn' || current.status === 'closed') return false;
      const previousStatus = current.status === 'stalled' ? (current.stalled?.previousStatus ?? 'submitted') : current.status;
      const record: StallRecord = { ...stall, previousStatus };
      const stalled = await this.store.update(consultation, ref, [...this.queued(ref, 'stalled', stall.at), set('stalled', record), remove('taskToken')], {
        // Over exactly what was read: a step recorded in between is read again.
        if: and(eq('status', current.status), eq('updatedAt', current.updatedAt)),
        onConditionFailure: false,
      });
      if (stalled) return true;
    }
    throw new ConflictError('諮問の状態を記録できませんでした。');
  }

  /** The secretariat asked for the stopped step to run again. */
  async markRedriven(ref: ConsultationRef, now: string): Promise<void> {
    await this.store.update(consultation, ref, [set(['stalled', 'redrivenAt'], now)], {
      if: and(eq('status', 'stalled'), notExists(['stalled', 'redrivenAt'])),
      onConditionFailure: () => new ConflictError('この諮問は既に再実行を始めたか、止まっていません。最新の状態を確認してください。'),
    });
  }

  /** A newer execution takes the case over from the one holding `taskToken`; false if the step moved on meanwhile. */
  beginRenewal(ref: ConsultationRef, taskToken: string, renewal: NonNullable<Consultation['renewal']>): Promise<boolean> {
    return this.store.update(consultation, ref, [set('renewal', renewal)], { if: eq('taskToken', taskToken), onConditionFailure: false });
  }

  /**
   * Opens return round `round` (差し戻し) — only from screening, only once per round,
   * and not while an acceptance is in progress — and keeps the comment.
   */
  async addReturn(ref: ConsultationRef, round: ScreeningRound): Promise<void> {
    // An acceptance older than any function may run was cut off (a crash): it no longer blocks a return.
    const lapsed = new Date(Date.parse(round.returnedAt) - ACCEPTANCE_LEASE_MS).toISOString();
    // Marked as returning: until the workflow records the return, the case still reads 'screening',
    // and no acceptance may number it meanwhile (see beginAcceptance).
    await this.store.update(consultation, ref, [set('returns', round.round), set('returningAt', round.returnedAt)], {
      if: and(eq('status', 'screening'), eq('returns', round.round - 1), notExists('number'), or(notExists('acceptance'), lt('acceptanceAt', lapsed))),
      onConditionFailure: () => new ConflictError(ALREADY_HANDLED),
    });
    await this.store.put(screeningRound, { ...ref, round: round.round }, round);
  }

  /** The department's answer to the latest return, kept with that round. */
  async answerRound(ref: ConsultationRef, round: number, response: string, by: string, now: string): Promise<void> {
    await this.store.update(screeningRound, { ...ref, round }, assign({ response, respondedAt: now, respondedBy: by }), { if: itemExists() });
  }

  /**
   * Marks an acceptance in progress (so a return cannot cross it) and returns the number if the
   * case has one already. Any acceptance may take over an unnumbered case — a second click, or a
   * click after a crash left an earlier acceptance unfinished — because numbering is idempotent
   * per case (see claimNext); never for a case that is not in screening.
   */
  async beginAcceptance(ref: ConsultationRef, requestId: string, now: string): Promise<ConsultationNumber | undefined> {
    // A return the workflow has not recorded yet blocks it — unless older than any function may run (a crash cut it off).
    const lapsed = new Date(Date.parse(now) - ACCEPTANCE_LEASE_MS).toISOString();
    const marked = await this.store.update(consultation, ref, assign({ acceptance: requestId, acceptanceAt: now }), {
      if: and(eq('status', 'screening'), notExists('number'), or(notExists('returningAt'), lt('returningAt', lapsed))),
      onConditionFailure: false,
    });
    if (marked) return undefined;
    const current = await this.get(ref);
    // Numbered but still in screening: an acceptance stopped before the workflow moved on; let any retry finish it.
    if (current.number && current.status === 'screening') return current.number;
    throw new ConflictError(ALREADY_HANDLED);
  }

  /**
   * The next 諮問番号 of the case's council and fiscal year (see claimNext for why it has no
   * gaps) — or of the council's running series (`numbering: 'running'`: the counter of
   * RUNNING_SERIES, which no 1 April resets; the number still records the year it was given in).
   */
  assignNumber(ref: ConsultationRef, fiscalYear: number, numbering: Numbering = 'fiscal_year'): Promise<ConsultationNumber> {
    const running = numbering === 'running';
    return claimNext(this.store, {
      counter: {
        entity: consultationCounter,
        read: patterns.getConsultationCounter,
        params: { councilId: ref.councilId, fiscalYear: running ? RUNNING_SERIES : fiscalYear },
      },
      claimant: ref.consultationId,
      item: { entity: consultation, read: patterns.getConsultation, paramsOf: (id) => ({ councilId: ref.councilId, consultationId: id }) },
      attribute: 'number',
      valueOf: (n): ConsultationNumber => (running ? { fiscalYear, n, running: true } : { fiscalYear, n }),
      // Numbered: the case takes its number's place on the register in the same write.
      with: (number) => assign(this.registered(ref, registerPlace.numbered(number))),
    });
  }

  /**
   * Up to `limit` cases of the council's register (諮問一覧) beyond `after` — a position a
   * previous slice gave — newest or oldest first, within one fiscal year if given. Positions are
   * the register's sort keys, unique per case, so a list pages on from the last case it showed.
   */
  async registerSlice(
    councilId: string,
    options: { order: 'newest' | 'oldest'; fiscalYear?: number | undefined; after?: string | undefined; limit: number },
  ): Promise<{ consultation: Consultation; position: string }[]> {
    const { order, after } = options;
    const newest = order === 'newest';
    let range: SortRange | undefined;
    if (options.fiscalYear !== undefined) {
      const year = consultation.index('register').spec.sk.prefix({ fiscalYear: options.fiscalYear });
      // The year's keys run from "YYYY#" up to, not including, "YYYY$"; a position narrows one end.
      let [lo, hi] = [year, `${year.slice(0, -1)}$`];
      if (after !== undefined && newest && after < hi) hi = after;
      if (after !== undefined && !newest && after > lo) lo = after;
      if (lo > hi) return [];
      range = { between: [lo, hi] };
    } else if (after !== undefined) {
      range = newest ? { lessThan: after } : { greaterThan: after };
    }
    // BETWEEN includes its ends: the case at `after` was on the page before.
    const slice = await this.store.slice(patterns.consultationRegister, { councilId }, { range, descending: newest, limit: options.limit + 1 });
    return slice
      .filter((e) => e.sortKey !== after)
      .slice(0, options.limit)
      .map((e) => ({ consultation: e.value, position: e.sortKey }));
  }

  /** The register's key attributes for a case at `place`. */
  private registered(ref: ConsultationRef, place: { fiscalYear: number; place: string }) {
    return consultation.index('register').keys({ councilId: ref.councilId, ...place });
  }

  /** Puts an accepted, unscheduled case on an agenda item; refused if it is already on one. */
  async schedule(ref: ConsultationRef, meetingId: string, itemId: string): Promise<void> {
    await this.store.update(consultation, ref, assign({ meetingId, itemId }), {
      if: and(eq('status', 'accepted'), notExists('meetingId')),
      onConditionFailure: () => new ConflictError('この諮問は既に議題に入っているか、日程調整待ちではありません。'),
    });
  }

  /** Takes a carried-over case off its meeting so it can be scheduled again. */
  async unschedule(ref: ConsultationRef): Promise<void> {
    await this.store.update(consultation, ref, [remove('meetingId'), remove('itemId')], { if: itemExists() });
  }

  /** Keeps the answer; issuing it again (a retried task) writes the same record once. */
  putAnswer(ref: ConsultationRef, a: Answer): Promise<boolean> {
    return this.store.create(answer, ref, a, { onConditionFailure: false });
  }

  /** The next 文書番号 of the council's answers in a fiscal year, given once to this case's answer (see claimNext). */
  assignAnswerNumber(ref: ConsultationRef, fiscalYear: number): Promise<number> {
    return claimNext(this.store, {
      counter: { entity: answerCounter, read: patterns.getAnswerCounter, params: { councilId: ref.councilId, fiscalYear } },
      claimant: ref.consultationId,
      item: { entity: answer, read: patterns.getAnswer, paramsOf: (id) => ({ councilId: ref.councilId, consultationId: id }) },
      attribute: 'documentNo',
      valueOf: (n) => n,
    });
  }

  /**
   * Approves the draft once: its date, document number and approver — and, when an acting chair
   * approves it, their name and office as its signature; false when it was approved already.
   */
  approveAnswer(
    ref: ConsultationRef,
    v: Required<Pick<Answer, 'issuedOn' | 'documentNumber' | 'approvedBy' | 'approvedAs' | 'approvedAt'>> & {
      signer?: Required<Pick<Answer, 'chairName' | 'signedAs'>>;
    },
  ): Promise<boolean> {
    return this.store.update(
      answer,
      ref,
      [
        set('state', 'approved'),
        set('issuedOn', v.issuedOn),
        set('documentNumber', v.documentNumber),
        set('approvedBy', v.approvedBy),
        set('approvedAs', v.approvedAs),
        set('approvedAt', v.approvedAt),
        ...(v.signer ? [set('chairName', v.signer.chairName), set('signedAs', v.signer.signedAs)] : []),
      ],
      { if: eq('state', 'draft'), onConditionFailure: false },
    );
  }

  async markReviewRequested(ref: ConsultationRef, at: string): Promise<void> {
    await this.store.update(answer, ref, [setIfMissing('reviewRequestedAt', at)]);
  }

  async markAnswerMailed(ref: ConsultationRef, at: string): Promise<void> {
    await this.store.update(answer, ref, [setIfMissing('mailedAt', at)]);
  }

  getAnswer(ref: ConsultationRef): Promise<Answer> {
    return this.store.get(patterns.getAnswer, ref, () => new NotFoundError('答申はまだありません。'));
  }

  putAttachment(ref: ConsultationRef, a: Attachment): Promise<boolean> {
    return this.store.create(attachment, { ...ref, attachmentId: a.attachmentId }, a, { onConditionFailure: false });
  }

  getAttachment(ref: ConsultationRef, attachmentId: string): Promise<Attachment> {
    return this.store.get(patterns.getAttachment, { ...ref, attachmentId }, () => new NotFoundError('添付資料が見つかりません。'));
  }

  /** Appends to the case's audit trail; events are never updated or deleted. */
  async appendAudit(ref: ConsultationRef, event: AuditEvent): Promise<void> {
    await this.store.create(auditEvent, { ...ref, at: event.at, eventId: event.eventId }, event);
  }

  /** The status with the case's place in that status's queue. */
  private queued(ref: ConsultationRef, status: ConsultationStatus, now: string): Action[] {
    return assign({ status, updatedAt: now, ...consultation.index('byStatus').keys({ councilId: ref.councilId, status, updatedAt: now }) });
  }
}
