import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Meeting, MeetingStatus } from '#shared/domain/meeting.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { claimNext } from './sequence.ts';
import { patterns } from './store/access-patterns.ts';
import { meetingCounter, meeting as meetingEntity } from './store/entities.ts';
import { assign, eq } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

/** Meetings (and written decisions) and their numbering. Agendas are AgendaRepository's, minutes MinutesRepository's. */
export class MeetingRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** Creates the meeting once per form and gives it its 第N回 within the fiscal year. */
  async create(councilId: string, meeting: Meeting): Promise<Meeting> {
    const created = await this.store.create(meetingEntity, { councilId, meetingId: meeting.meetingId }, meeting, { onConditionFailure: false });
    if (!created) {
      const existing = await this.get(councilId, meeting.meetingId);
      if (existing.seq) return existing;
    }
    const seq = await claimNext(this.store, {
      counter: { entity: meetingCounter, read: patterns.getMeetingCounter, params: { councilId, fiscalYear: meeting.fiscalYear } },
      claimant: meeting.meetingId,
      item: { entity: meetingEntity, read: patterns.getMeeting, paramsOf: (id) => ({ councilId, meetingId: id }) },
      attribute: 'seq',
      valueOf: (n) => n,
    });
    return { ...meeting, seq };
  }

  get(councilId: string, meetingId: string): Promise<Meeting> {
    return this.store.get(patterns.getMeeting, { councilId, meetingId }, () => new NotFoundError('会議が見つかりません。'));
  }

  /** A council's meetings, latest date first. */
  async list(councilId: string): Promise<Meeting[]> {
    const meetings = await this.store.query(patterns.listMeetings, { councilId });
    return meetings.sort((a, b) => b.date.localeCompare(a.date));
  }

  /** Moves the meeting on from `from` only; `at` is kept as when it changed (the opening, the close). */
  async setStatus(councilId: string, meetingId: string, from: MeetingStatus, to: MeetingStatus, at: string): Promise<void> {
    await this.store.update(meetingEntity, { councilId, meetingId }, assign({ status: to, statusChangedAt: at }), {
      if: eq('status', from),
      onConditionFailure: () => new ConflictError('会議の状態が変わっています。最新の状態を確認してください。'),
    });
  }
}
