import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FollowUp } from '#shared/domain/followups.ts';
import type { Incident, IncidentChange, IncidentFacts, PersonNotice, PpcReport, PpcSubmission } from '#shared/domain/incidents.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { incident } from './store/entities.ts';
import { type Action, and, append, assign, type Condition, contains, eq, itemExists, not, notExists, set } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

export interface IncidentRef {
  councilId: string;
  incidentId: string;
}

/** Incidents live in their council's partition; while open they are also on the daily job's index. */
export class IncidentRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** Records a new incident; recording it again (a retried request with the same id) changes nothing. */
  async create(value: Incident): Promise<boolean> {
    return this.store.create(incident, value, value, { onConditionFailure: false });
  }

  get(ref: IncidentRef): Promise<Incident> {
    return this.store.get(patterns.getIncident, ref, () => new NotFoundError('漏えい等事案が見つかりません。'));
  }

  /** Every incident of the council (the secretariat's list). */
  list(councilId: string): Promise<Incident[]> {
    return this.store.query(patterns.listIncidents, { councilId });
  }

  /** A department's incidents, oldest first. */
  listOfDepartment(councilId: string, departmentId: string): Promise<Incident[]> {
    return this.store.query(patterns.incidentsOfDepartment, { councilId, departmentId });
  }

  /** The council's incidents not closed (the daily job). */
  listOpen(councilId: string): Promise<Incident[]> {
    return this.store.query(patterns.openIncidents, { councilId });
  }

  /** The incident's recurrence-prevention measures (follow-ups in the partition named by its id). */
  measures(ref: IncidentRef): Promise<FollowUp[]> {
    return this.store.query(patterns.incidentMeasures, { councilId: ref.councilId, consultationId: ref.incidentId });
  }

  /** The department's or secretariat's edit of the facts, over the version read, while open. */
  async saveFacts(current: Incident, facts: IncidentFacts, version: number, change: IncidentChange): Promise<void> {
    const ref = { councilId: current.councilId, incidentId: current.incidentId };
    await this.change(
      ref,
      [
        ...assign({
          ...facts,
          vendor: facts.vendor,
          updatedAt: change.at,
          version: version + 1,
          ...incident.index('byDepartment').keys({ ...ref, departmentId: facts.departmentId, createdAt: current.createdAt }),
          ...incident.index('open').keys({ ...ref, foundOn: facts.foundOn }),
        }),
        append('history', [change]),
      ],
      and(eq('version', version), eq('status', 'open')),
      '他の方が先に更新したか、既に完了しています。最新の内容を確認してください。',
    );
  }

  /** The 速報 or 確報 as submitted to the 個人情報保護委員会: recorded once. */
  async recordSubmission(ref: IncidentRef, report: PpcReport, submission: PpcSubmission, change: IncidentChange): Promise<void> {
    await this.change(
      ref,
      [set(['reports', report], submission), set('updatedAt', change.at), append('history', [change])],
      notExists(['reports', report]),
      'この報告の提出日は既に記録されています。',
    );
  }

  /** 本人への通知 (or why not), recorded or corrected while open. */
  async recordNotice(ref: IncidentRef, notice: PersonNotice, change: IncidentChange): Promise<void> {
    await this.change(
      ref,
      [set('notice', notice), set('updatedAt', change.at), append('history', [change])],
      eq('status', 'open'),
      'この事案は既に完了しています。',
    );
  }

  /** Counts a new measure; `n` is its number (the count before + 1), so two adding at once do not share one. */
  async countMeasure(ref: IncidentRef, n: number, change: IncidentChange): Promise<void> {
    await this.change(
      ref,
      [set('measures', n), set('updatedAt', change.at), append('history', [change])],
      and(eq('measures', n - 1), eq('status', 'open')),
      '他の方が先に再発防止策を追加したか、事案が完了しています。最新の内容を確認してください。',
    );
  }

  /** Where the council heard it; once. */
  async markReported(ref: IncidentRef, at: { meetingId: string; itemId: string; at: string }, change: IncidentChange): Promise<void> {
    await this.change(
      ref,
      [set('council', at), set('updatedAt', change.at), append('history', [change])],
      notExists('council'),
      'この事案は既に審議会への報告の議題に入っています。',
    );
  }

  /** Notes a reminder or escalation as sent; false if it already was. */
  markNotified(ref: IncidentRef, notice: string): Promise<boolean> {
    return this.store.update(incident, ref, [append('notified', [notice])], {
      if: and(itemExists(), not(contains('notified', notice))),
      onConditionFailure: false,
    });
  }

  /** Closes the incident (its last measure closed, its 確報 submitted): it leaves the job's index. False if already closed. */
  close(ref: IncidentRef, change: IncidentChange): Promise<boolean> {
    return this.store.update(
      incident,
      ref,
      [...assign({ status: 'closed', closedAt: change.at, updatedAt: change.at }), ...incident.index('open').remove(), append('history', [change])],
      { if: and(itemExists(), eq('status', 'open')), onConditionFailure: false },
    );
  }

  private async change(ref: IncidentRef, actions: Action[], condition: Condition, conflict: string): Promise<void> {
    await this.store.update(incident, ref, actions, { if: and(itemExists(), condition), onConditionFailure: () => new ConflictError(conflict) });
  }
}
