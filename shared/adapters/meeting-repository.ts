import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { compareCodes } from '#shared/domain/collation.ts';
import type { Meeting, MeetingStatus } from '#shared/domain/meeting.ts';
import type { MeetingEntry, Proceedings } from '#shared/domain/proceedings.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { claimNext } from './sequence.ts';
import { patterns } from './store/access-patterns.ts';
import { meetingCounter, meeting as meetingEntity, meetingEntry, proceedings as proceedingsEntity } from './store/entities.ts';
import { assign, eq, exists, itemAbsent, remove, set } from './store/expressions.ts';
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
    return meetings.sort((a, b) => compareCodes(b.date, a.date));
  }

  /**
   * Changes a planned meeting's date, time, place and number, if it is still the version the
   * secretariat saw; a number beyond the fiscal year's counter moves the counter on to it, so the
   * next new meeting continues after it (第N+1回), with no number given twice.
   */
  async change(councilId: string, meeting: Meeting, changes: Partial<Meeting>, seq: number): Promise<void> {
    const cleared = (['startTime', 'endTime', 'venue', 'publicObservation', 'closedReason'] as const).filter(
      (k) => changes[k] === undefined && meeting[k] !== undefined,
    );
    await this.store.update(
      meetingEntity,
      { councilId, meetingId: meeting.meetingId },
      [...assign({ ...changes, seq, version: meeting.version + 1 }), ...cleared.map((k) => remove(k))],
      {
        if: eq('version', meeting.version),
        onConditionFailure: () => new ConflictError('この会議は他の人が変更しました。最新の内容を確認してから、もう一度変更してください。'),
      },
    );
    const params = { councilId, fiscalYear: meeting.fiscalYear };
    for (let attempt = 0; attempt < 20; attempt++) {
      const counter = await this.store.get(patterns.getMeetingCounter, params);
      if ((counter?.last ?? 0) >= seq) return;
      // The counter's last claimant holds the counter's number, as claimNext expects of it.
      const moved = counter
        ? await this.store.update(meetingCounter, params, [set('last', seq), set('lastClaimant', meeting.meetingId)], {
            if: eq('last', counter.last),
            onConditionFailure: false,
          })
        : await this.store.create(meetingCounter, params, { last: seq, lastClaimant: meeting.meetingId }, { onConditionFailure: false });
      if (moved) return;
    }
    throw new ConflictError('処理が混み合っています。少し時間をおいてもう一度操作してください。');
  }

  /** The agenda's frame is now made of real items (agendaFramed); setting it again changes nothing. */
  async markAgendaFramed(councilId: string, meetingId: string): Promise<void> {
    await this.store.update(meetingEntity, { councilId, meetingId }, [set('agendaFramed', true)], {
      if: exists('meetingId'),
      onConditionFailure: () => new NotFoundError('会議が見つかりません。'),
    });
  }

  /** Cancels a planned meeting once, keeping why. */
  async cancel(councilId: string, meetingId: string, reason: string, at: string): Promise<boolean> {
    return this.store.update(meetingEntity, { councilId, meetingId }, assign({ status: 'cancelled', statusChangedAt: at, cancelledReason: reason }), {
      if: eq('status', 'planned'),
      onConditionFailure: false,
    });
  }

  /** Moves the meeting on from `from` only; `at` is kept as when it changed (the opening, the close). */
  async setStatus(councilId: string, meetingId: string, from: MeetingStatus, to: MeetingStatus, at: string): Promise<void> {
    await this.store.update(meetingEntity, { councilId, meetingId }, assign({ status: to, statusChangedAt: at }), {
      if: eq('status', from),
      onConditionFailure: () => new ConflictError('会議の状態が変わっています。最新の状態を確認してください。'),
    });
  }

  /** The meeting's roll, presiding officer, attendees and actual times, if recorded. */
  getProceedings(councilId: string, meetingId: string): Promise<Proceedings | undefined> {
    return this.store.get(patterns.getProceedings, { councilId, meetingId });
  }

  /** Saves the proceedings over the version the clerk started from (0: none saved yet). */
  async saveProceedings(councilId: string, p: Proceedings, expectedVersion: number): Promise<void> {
    await this.store.put(
      proceedingsEntity,
      { councilId, meetingId: p.meetingId },
      { ...p, version: expectedVersion + 1 },
      {
        if: expectedVersion === 0 ? itemAbsent() : eq('version', expectedVersion),
        onConditionFailure: () => new ConflictError('出欠や出席者は他の方が先に更新しました。最新の内容を確認してから、もう一度保存してください。'),
      },
    );
  }

  /** Every row typed during the meeting (taken-back rows included: the caller leaves them out). */
  listEntries(councilId: string, meetingId: string): Promise<MeetingEntry[]> {
    return this.store.query(patterns.meetingEntries, { councilId, meetingId });
  }

  /** Saves a row as typed (the last save of a row wins: one clerk types it). */
  async putEntry(councilId: string, meetingId: string, entry: MeetingEntry): Promise<void> {
    await this.store.put(meetingEntry, { councilId, meetingId, entryId: entry.entryId }, entry);
  }
}
