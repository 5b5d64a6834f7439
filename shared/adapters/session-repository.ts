import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Session, SessionRef } from '#shared/domain/session.ts';
import { patterns } from './store/access-patterns.ts';
import { session } from './store/entities.ts';
import { and, eq, itemExists, notExists, set } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';

/** Staff sessions, in a partition per person, so that every session of one person is one query. */
export class SessionRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** Stores a new session (its id is fresh and random: a clash is a bug). */
  async create(s: Session): Promise<void> {
    await this.store.create(session, s, s);
  }

  /** The session a cookie names, if it is stored (strongly consistent: a sign-out is seen at once). */
  get(ref: SessionRef): Promise<Session | undefined> {
    return this.store.get(patterns.getSession, ref);
  }

  /** Records a request, unless another request recorded one at `lastSeenAt` or later, or the session was revoked meanwhile. */
  touch(s: Session, now: string): Promise<boolean> {
    return this.store.update(session, s, [set('lastSeenAt', now)], {
      if: and(itemExists(), notExists('revokedAt'), eq('lastSeenAt', s.lastSeenAt)),
      onConditionFailure: false,
    });
  }

  /**
   * Ends every session of a person at once (sign-out, or an administrator disabling the
   * account); returns how many were still open. Safe to repeat.
   */
  async revokeAll(councilId: string, userId: string, now: string): Promise<number> {
    const open = (await this.store.query(patterns.sessionsOfUser, { councilId, userId })).filter((s) => !s.revokedAt);
    let revoked = 0;
    for (const s of open) {
      if (await this.store.update(session, s, [set('revokedAt', now)], { if: and(itemExists(), notExists('revokedAt')), onConditionFailure: false })) revoked++;
    }
    return revoked;
  }
}
