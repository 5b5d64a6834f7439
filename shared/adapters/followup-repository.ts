import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Evidence, FollowUp, FollowUpAnswer } from '#shared/domain/followups.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { followUp, LEGACY_PARTITIONS } from './store/entities.ts';
import { type Action, and, append, assign, type Condition, contains, eq, isIn, itemExists, ne, not, remove, set, sizeIs } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';
import { GSI1, TABLE_KEYS } from './store/table.ts';

export interface FollowUpRef {
  councilId: string;
  consultationId: string;
  followUpId: string;
}

const refOf = (fu: FollowUp): FollowUpRef => ({ councilId: fu.councilId, consultationId: fu.consultationId, followUpId: fu.followUpId });

/** Where a follow-up due on `due` sits on its council's dashboard (and the daily job's reads). */
const listed = (ref: FollowUpRef, due: string) => followUp.index('activeInCouncil').keys({ ...ref, due });

/** Follow-ups live in their case's partition; while not closed they are also on the dashboard and job indexes. */
export class FollowUpRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** Creates the follow-ups of an answer; creating them again (a retried task) changes nothing. */
  async createAll(followUps: FollowUp[]): Promise<number> {
    let created = 0;
    for (const fu of followUps) if (await this.store.create(followUp, refOf(fu), fu, { onConditionFailure: false })) created++;
    return created;
  }

  get(ref: FollowUpRef): Promise<FollowUp> {
    return this.store.get(patterns.getFollowUp, ref, () => new NotFoundError('条件の履行確認が見つかりません。'));
  }

  /** A council's follow-ups not yet closed, soonest due first. */
  listActive(councilId: string): Promise<FollowUp[]> {
    return this.store.query(patterns.activeFollowUps, { councilId });
  }

  /**
   * A council's follow-ups not yet closed and due before `before` (a YYYY-MM-DD day), soonest
   * first: the daily job reads up to its reminder window, never the council's whole list.
   */
  listDue(councilId: string, before: string): Promise<FollowUp[]> {
    return this.store.query(patterns.dueFollowUps, { councilId }, { bound: before });
  }

  /**
   * Empties one page (`limit` items) of the index partition shared by every council that
   * earlier versions listed open follow-ups in (nothing reads it now); returns how many were
   * taken off it. Their councils' own lists already hold them.
   */
  async migrateLegacy(limit: number): Promise<number> {
    const items = await this.store.items.query({ index: GSI1, partition: LEGACY_PARTITIONS.openFollowUps, limit });
    for (const item of items) {
      const key = { pk: item[TABLE_KEYS.partition] as string, sk: item[TABLE_KEYS.sort] as string };
      await this.store.items.update(key, [remove(GSI1.partition), remove(GSI1.sort)], eq(GSI1.partition, LEGACY_PARTITIONS.openFollowUps));
    }
    return items.length;
  }

  /** Evidence uploaded through the owner's link, kept until they send their answer. */
  async addPendingEvidence(ref: FollowUpRef, evidence: Evidence): Promise<void> {
    await this.change(ref, [append('pendingEvidence', [evidence])], eq('status', 'open'), 'この条件には今は回答できません。');
  }

  /** The owner's answer, with the evidence uploaded for it; only while the follow-up waits for one. */
  async submitAnswer(ref: FollowUpRef, answer: FollowUpAnswer): Promise<void> {
    await this.change(
      ref,
      [append('answers', [answer]), set('pendingEvidence', []), set('status', 'submitted'), remove('comment')],
      // Refused if a file was added after the answer was read, so no evidence is dropped unseen.
      and(eq('status', 'open'), sizeIs('answers', answer.n - 1), sizeIs('pendingEvidence', answer.evidence.length)),
      'この回答は既に送られています。',
    );
  }

  /**
   * The secretariat's review of the latest answer. Accepted: a one-off condition waits for
   * the council to close it; a recurring one moves to its next due date. Returned: back to
   * the owner with a comment.
   */
  async review(fu: FollowUp, outcome: 'accepted' | 'returned', comment: string | undefined, by: string, now: string, next: string | undefined): Promise<void> {
    const review = { outcome, ...(comment ? { comment } : {}), at: now, by };
    const status = outcome === 'returned' || next ? 'open' : 'accepted';
    const due = next ?? fu.due;
    await this.change(
      refOf(fu),
      [
        set(['answers', fu.answers.length - 1, 'review'], review),
        ...assign({ status, due, ...listed(refOf(fu), due), ...(outcome === 'returned' && comment ? { comment } : {}) }),
      ],
      and(eq('status', 'submitted'), sizeIs('answers', fu.answers.length)),
      'この回答は既に確認済みです。',
    );
  }

  /** The council closes the condition: it leaves the dashboard and the job's list. */
  async close(ref: FollowUpRef, now: string): Promise<void> {
    await this.change(
      ref,
      [...assign({ status: 'closed', closedAt: now }), ...followUp.index('activeInCouncil').remove()],
      ne('status', 'closed'),
      'この条件は既に完了しています。',
    );
  }

  /** The council asks for more: back to the owner, with a comment and a new due date. */
  async askMore(ref: FollowUpRef, comment: string, due: string): Promise<void> {
    await this.change(
      ref,
      assign({ status: 'open', comment, due, ...listed(ref, due) }),
      isIn('status', 'accepted', 'open'),
      'この条件は今は追加の報告を求められない状態です。',
    );
  }

  /** The secretariat's edit of owner, type, due date or recurrence, over the version it read. */
  async updatePlan(
    ref: FollowUpRef,
    plan: Pick<FollowUp, 'type' | 'owner' | 'ownerName' | 'ownerEmail' | 'evidence' | 'due'> & { everyMonths?: number | undefined },
    version: number,
  ): Promise<void> {
    await this.change(
      ref,
      assign({
        type: plan.type,
        owner: plan.owner,
        ownerName: plan.ownerName,
        ownerEmail: plan.ownerEmail,
        evidence: plan.evidence,
        due: plan.due,
        ...listed(ref, plan.due),
        version: version + 1,
        everyMonths: plan.everyMonths || undefined,
      }),
      and(eq('version', version), ne('status', 'closed')),
      '他の方が先に更新したか、既に完了しています。最新の内容を確認してください。',
    );
  }

  /** Notes a reminder or escalation as sent; false if it already was. */
  markNotified(ref: FollowUpRef, notice: string): Promise<boolean> {
    return this.store.update(followUp, ref, [append('notified', [notice])], { if: not(contains('notified', notice)), onConditionFailure: false });
  }

  /** A change of an existing follow-up, refused with `conflict` when `condition` does not hold. */
  private async change(ref: FollowUpRef, actions: Action[], condition: Condition, conflict: string): Promise<void> {
    await this.store.update(followUp, ref, actions, { if: and(itemExists(), condition), onConditionFailure: () => new ConflictError(conflict) });
  }
}
