import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CouncilArchive, OperatorAuditEvent } from '#shared/domain/council-archive.ts';
import { PLATFORM_ID } from '#shared/domain/principal.ts';
import { NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { consultation, councilArchive, operatorAudit, PARTITIONS, searchDocument, searchYear } from './store/entities.ts';
import { assign, itemExists } from './store/expressions.ts';
import type { Item, ItemKey } from './store/items.ts';
import { type Store, storeOf } from './store/store.ts';
import { GSI2, GSI4, TABLE_KEYS } from './store/table.ts';

/**
 * A council as a whole, for the operator: finding every partition it owns, reading them raw
 * (its archive) and deleting them (its deletion), its archives' records, and the operator's own
 * trail under the platform's id. Every partition of a council starts with the council, but
 * DynamoDB has no query by key prefix across partitions, so they are found from what lists them:
 *  - the council's own partition (its record, members, departments, staff, counters, meetings,
 *    link generations, archives);
 *  - each case's partition, from the register (every submitted case) and from each
 *    department's list of cases (drafts too); and the partition of each incident's measures
 *    (follow-ups under the incident's id), from the incidents in the council's partition;
 *  - each meeting's partition, from the meetings in the council's partition;
 *  - each person's session partition, from the staff registry (a member's under their roster id too);
 *  - the search index's partition of each fiscal year, from the years it lists, then that list's own partition.
 *  - each PIA review's partition (特定個人情報保護評価書の第三者点検), from the council's list of them.
 * Not found this way: the per-link partitions (a link's request counter and its day's view mark),
 * which are named by a hash of the token and expire by TTL within three days; they hold no record
 * of the council's work, so the archive leaves them out and a deletion leaves them to TTL. No Scan.
 */
export class CouncilDataRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** Every partition of the council that holds its records, the council's own partition first. */
  async partitions(councilId: string): Promise<string[]> {
    const own = PARTITIONS.council.build({ councilId });
    const [meetings, people, departments, register, incidents, searchYears, piaReviews] = await Promise.all([
      this.store.query(patterns.listMeetings, { councilId }),
      this.store.query(patterns.listStaff, { councilId }),
      this.store.query(patterns.listDepartments, { councilId }),
      this.store.items.query({ index: GSI4, partition: consultation.index('register').spec.pk.build({ councilId }) }),
      this.store.query(patterns.listIncidents, { councilId }),
      this.store.query(patterns.searchYears, { councilId }),
      this.store.query(patterns.piaReviewsOfCouncil, { councilId }),
    ]);
    const cases = new Set(register.map((i) => String(i[TABLE_KEYS.partition])));
    // An incident's recurrence-prevention measures are follow-ups in the partition named by its id.
    for (const i of incidents) cases.add(PARTITIONS.case.build({ councilId, consultationId: i.incidentId }));
    for (const d of departments) {
      const partition = consultation.index('byDepartment').spec.pk.build({ councilId, departmentId: d.departmentId });
      for (const i of await this.store.items.query({ index: GSI2, partition })) cases.add(String(i[TABLE_KEYS.partition]));
    }
    const users = new Set(people.flatMap((s) => [s.userId, ...(s.memberId ? [s.memberId] : [])]));
    return [
      own,
      ...[...cases].filter((pk) => pk.startsWith(`${own}#CASE#`)).sort(),
      ...meetings.map((m) => PARTITIONS.meeting.build({ councilId, meetingId: m.meetingId })),
      ...[...users].sort().map((userId) => PARTITIONS.user.build({ councilId, userId })),
      // The years' documents before the list of years: a deletion cut short finds them again.
      ...piaReviews.map((r) => PARTITIONS.pia.build({ councilId, reviewId: r.reviewId })),
      ...searchYears.map((y) => searchDocument.pk.build({ councilId, fiscalYear: y.fiscalYear })),
      searchYear.pk.build({ councilId }),
    ];
  }

  /** Every item of one partition, as stored (the query follows every page). */
  readPartition(partition: string): Promise<Item[]> {
    return this.store.items.query({ partition, consistent: true });
  }

  /** Deletes these items (batches of 25). */
  deleteItems(keys: readonly ItemKey[]): Promise<void> {
    return this.store.items.deleteMany(keys);
  }

  // ── Archives ───────────────────────────────────────────────────────────────────────────────

  async putArchive(councilId: string, a: CouncilArchive): Promise<void> {
    await this.store.create(councilArchive, { councilId, archiveId: a.archiveId }, a);
  }

  getArchive(councilId: string, archiveId: string): Promise<CouncilArchive> {
    return this.store.get(patterns.getArchive, { councilId, archiveId }, () => new NotFoundError('書き出しが見つかりません。'));
  }

  listArchives(councilId: string): Promise<CouncilArchive[]> {
    return this.store.query(patterns.listArchives, { councilId });
  }

  async updateArchive(councilId: string, archiveId: string, changes: Partial<Omit<CouncilArchive, 'archiveId'>>): Promise<void> {
    await this.store.update(councilArchive, { councilId, archiveId }, assign(changes), {
      if: itemExists(),
      onConditionFailure: () => new NotFoundError('書き出しが見つかりません。'),
    });
  }

  // ── The operator's trail (under the platform, never deleted with a council) ────────────────

  async audit(event: OperatorAuditEvent): Promise<void> {
    await this.store.create(operatorAudit, { councilId: PLATFORM_ID, at: event.at, eventId: event.eventId }, event);
  }

  /** The operator's latest actions, newest first. */
  operatorTrail(limit = 50): Promise<OperatorAuditEvent[]> {
    return this.store.query(patterns.operatorTrail, { councilId: PLATFORM_ID }, { limit });
  }
}
