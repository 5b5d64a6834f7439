import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkHolder } from '#shared/domain/links.ts';
import { patterns } from './store/access-patterns.ts';
import { linkGeneration, linkHits, linkView } from './store/entities.ts';
import { type Store, storeOf } from './store/store.ts';

/**
 * What the table knows about signed links beyond their signature: the generation each holder's
 * links must carry (revocation), requests per link per minute (rate limiting), and the days
 * a link's page was seen (one audit entry per link per day).
 */
export class LinkRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  /** The generation a holder's links must carry now (0 until first revoked). */
  async generation(councilId: string, holder: LinkHolder, holderId: string): Promise<number> {
    return (await this.store.get(patterns.getLinkGeneration, { councilId, holder, holderId }))?.generation ?? 0;
  }

  /** Revokes every link of a holder mailed so far; returns the new generation, which links mailed from now on carry. */
  async revoke(councilId: string, holder: LinkHolder, holderId: string, v: { at: string; by: string; reason: string }): Promise<number> {
    const written = await this.store.increment(linkGeneration, { councilId, holder, holderId }, 'generation', 1, {
      holder,
      holderId,
      revokedAt: v.at,
      revokedBy: v.by,
      reason: v.reason,
    });
    return written.generation;
  }

  /** Counts one request to a link in a minute window; returns the count so far in that window. */
  async hit(councilId: string, linkId: string, minute: string, purgeAt: number): Promise<number> {
    return (await this.store.increment(linkHits, { councilId, linkId, minute }, 'n', 1, { purgeAt })).n;
  }

  /** Marks a link's page seen on a day; true only for the first request of that day (a conditional create). */
  firstViewOfDay(councilId: string, linkId: string, day: string, at: string, purgeAt: number): Promise<boolean> {
    return this.store.create(linkView, { councilId, linkId, day }, { firstAt: at, purgeAt }, { onConditionFailure: false });
  }
}
