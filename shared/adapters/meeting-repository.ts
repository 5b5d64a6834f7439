import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgendaItem, Decision, Meeting, MeetingStatus } from '#shared/domain/meeting.ts';
import type { Minutes, MinutesExport } from '#shared/domain/minutes.ts';
import type { Ballot, Tally, VotingRound } from '#shared/domain/voting.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { AgendaRepository, type OpenRound } from './agenda-repository.ts';
import { type ExportChanges, MinutesRepository } from './minutes-repository.ts';
import { claimNext } from './sequence.ts';
import { patterns } from './store/access-patterns.ts';
import { meetingCounter, meeting as meetingEntity } from './store/entities.ts';
import { assign, eq } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

export type { MinutesExport } from '#shared/domain/minutes.ts';

/**
 * Meetings (and written decisions) and their numbering. Agendas are AgendaRepository's and
 * minutes MinutesRepository's; the methods marked deprecated below only delegate to them, so
 * callers compile unchanged until they use those repositories directly.
 */
export class MeetingRepository {
  private readonly store: Store;
  private readonly agendas: AgendaRepository;
  private readonly minutes: MinutesRepository;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
    this.agendas = new AgendaRepository(this.store);
    this.minutes = new MinutesRepository(this.store);
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

  // ── Delegations, until callers use AgendaRepository and MinutesRepository ──────────────────

  /** @deprecated Use AgendaRepository.list. */
  agenda(councilId: string, meetingId: string): Promise<AgendaItem[]> {
    return this.agendas.list(councilId, meetingId);
  }

  /** @deprecated Use AgendaRepository.add. */
  putItem(councilId: string, meetingId: string, item: AgendaItem): Promise<void> {
    return this.agendas.add(councilId, meetingId, item);
  }

  /** @deprecated Use AgendaRepository.update. */
  updateItem(councilId: string, meetingId: string, itemId: string, changes: Partial<Pick<AgendaItem, 'order' | 'explainers' | 'title'>>): Promise<void> {
    return this.agendas.update(councilId, meetingId, itemId, changes);
  }

  /** @deprecated Use AgendaRepository.recordDecision. */
  recordDecision(councilId: string, meetingId: string, itemId: string, decision: Decision): Promise<void> {
    return this.agendas.recordDecision(councilId, meetingId, itemId, decision);
  }

  /** @deprecated Use AgendaRepository.retireRound. */
  retireRound(councilId: string, meetingId: string, itemId: string): Promise<void> {
    return this.agendas.retireRound(councilId, meetingId, itemId);
  }

  /** @deprecated Use AgendaRepository.get. */
  getItem(councilId: string, meetingId: string, itemId: string): Promise<AgendaItem> {
    return this.agendas.get(councilId, meetingId, itemId);
  }

  /** @deprecated Use AgendaRepository.openVoting. */
  openVoting(councilId: string, meetingId: string, itemId: string, round: VotingRound): Promise<void> {
    return this.agendas.openVoting(councilId, meetingId, itemId, round);
  }

  /** @deprecated Use AgendaRepository.castBallot. */
  castBallot(
    councilId: string,
    meetingId: string,
    itemId: string,
    round: number,
    ballot: Ballot,
    last?: { eligible: readonly string[]; today: string },
  ): Promise<AgendaItem> {
    return this.agendas.castBallot(councilId, meetingId, itemId, round, ballot, last);
  }

  /** @deprecated Use AgendaRepository.closeVoting. */
  closeVoting(
    councilId: string,
    meetingId: string,
    itemId: string,
    round: Pick<VotingRound, 'round' | 'ballotVersion'>,
    status: 'closed' | 'awaiting_chair',
    tally: Tally,
    now: string,
  ): Promise<boolean> {
    return this.agendas.closeVoting(councilId, meetingId, itemId, round, status, tally, now);
  }

  /** @deprecated Use AgendaRepository.finishChairReview. */
  finishChairReview(councilId: string, meetingId: string, itemId: string, now: string): Promise<void> {
    return this.agendas.finishChairReview(councilId, meetingId, itemId, now);
  }

  /** @deprecated Use AgendaRepository.markReminded. */
  markReminded(councilId: string, meetingId: string, itemId: string, milestone: string): Promise<boolean> {
    return this.agendas.markReminded(councilId, meetingId, itemId, milestone);
  }

  /** @deprecated Use AgendaRepository.dueRounds. */
  dueRounds(councilId: string, before: string): Promise<OpenRound[]> {
    return this.agendas.dueRounds(councilId, before);
  }

  /** @deprecated Use AgendaRepository.recordHands. */
  recordHands(councilId: string, meetingId: string, itemId: string, present: string[], ballots: Record<string, Ballot>): Promise<void> {
    return this.agendas.recordHands(councilId, meetingId, itemId, present, ballots);
  }

  /** @deprecated Use MinutesRepository.get. */
  getMinutes(councilId: string, meetingId: string): Promise<Minutes | undefined> {
    return this.minutes.get(councilId, meetingId);
  }

  /** @deprecated Use MinutesRepository.create. */
  createMinutes(councilId: string, minutes: Minutes): Promise<Minutes> {
    return this.minutes.create(councilId, minutes);
  }

  /** @deprecated Use MinutesRepository.save. */
  saveMinutes(councilId: string, minutes: Minutes, expectedVersion: number): Promise<void> {
    return this.minutes.save(councilId, minutes, expectedVersion);
  }

  /** @deprecated Use MinutesRepository.finalize. */
  finalizeMinutes(councilId: string, minutes: Minutes, now: string, by: string): Promise<Minutes> {
    return this.minutes.finalize(councilId, minutes, now, by);
  }

  /** @deprecated Use MinutesRepository.putExport. */
  putExport(councilId: string, meetingId: string, job: MinutesExport): Promise<void> {
    return this.minutes.putExport(councilId, meetingId, job);
  }

  /** @deprecated Use MinutesRepository.listExports. */
  listExports(councilId: string, meetingId: string): Promise<MinutesExport[]> {
    return this.minutes.listExports(councilId, meetingId);
  }

  /** @deprecated Use MinutesRepository.getExport. */
  getExport(councilId: string, meetingId: string, exportId: string): Promise<MinutesExport> {
    return this.minutes.getExport(councilId, meetingId, exportId);
  }

  /** @deprecated Use MinutesRepository.updateExport. */
  updateExport(councilId: string, meetingId: string, exportId: string, changes: ExportChanges): Promise<void> {
    return this.minutes.updateExport(councilId, meetingId, exportId, changes);
  }
}
