import type { Deps } from '#shared/adapters/deps.ts';
import type { Council } from '#shared/domain/council.ts';
import { tokyoDate } from '#shared/domain/followups.ts';
import { generationOf, LINK_REQUESTS_PER_MINUTE, type LinkCheck, type LinkClaims, type LinkHolder, linkIdOf, verifyLink } from '#shared/domain/links.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { LinkError, NotFoundError, TooManyRequestsError } from '#shared/errors.ts';

type LinkDeps = Pick<Deps, 'signingKey' | 'clock' | 'links' | 'councils'>;

/** A link of a council the operator suspended (or deleted) opens nothing, whatever its purpose. */
export const COUNCIL_SUSPENDED_LINK = 'この審議会のシステムの利用は停止されているため、このリンクは使えません。審議会の事務局にお問い合わせください。';
export const COUNCIL_GONE_LINK = 'このリンクの審議会はこのシステムを利用していません。審議会の事務局にお問い合わせください。';

/** Whose generation a link carries: a vote link its member's, a follow-up link its follow-up's. */
const holderOf = (claims: LinkClaims): { holder: LinkHolder; holderId: string } =>
  claims.purpose === 'vote' ? { holder: 'member', holderId: claims.subject } : { holder: 'followUp', holderId: claims.subject };

export interface LinkMessages {
  refused: Record<Exclude<LinkCheck, { ok: true }>['reason'], string>;
  revoked: string;
}

/**
 * Admits a signed link's request, or refuses it with a page-ready LinkError:
 *  1. the token: its one spelling, its council's key for the purpose, not expired (no I/O for junk);
 *  2. the rate: at most LINK_REQUESTS_PER_MINUTE requests per link per minute (a 429 page);
 *  3. the council: a suspended (or deleted) council's links open nothing (a page saying so);
 *  4. the generation: links mailed before their holder's links were revoked are refused.
 * `viewer` is called between 3 and 4, to refuse a link under someone else's session.
 */
export async function admitLink(
  deps: LinkDeps,
  token: string,
  purpose: 'vote' | 'followup',
  messages: LinkMessages,
  viewer?: (claims: LinkClaims) => void,
): Promise<LinkClaims> {
  return (await admitLinkOf(deps, token, purpose, messages, viewer)).claims;
}

/**
 * {@link admitLink}, with the council it read (so the page need not read it again), and with what
 * `alongside` reads for the page: started once the token's signature holds, in the same round trip
 * as the admission's own reads, and handed over (or its failure thrown) only once the link is
 * admitted. A refused link shows nothing of it, and a read that failed for a refused link is
 * never seen: the refusal is.
 */
export async function admitLinkOf<T = undefined>(
  deps: LinkDeps,
  token: string,
  purpose: 'vote' | 'followup',
  messages: LinkMessages,
  viewer?: (claims: LinkClaims) => void,
  alongside?: (claims: LinkClaims) => Promise<T>,
): Promise<{ claims: LinkClaims; council: Council; read: T }> {
  const now = deps.clock.now();
  const check = verifyLink(await deps.signingKey.get(), token, purpose, now);
  if (!check.ok) throw new LinkError(check.reason, messages.refused[check.reason], check.reason === 'expired' ? 410 : 403);
  const { claims } = check;
  const seconds = Math.floor(now.getTime() / 1000);
  const { holder, holderId } = holderOf(claims);
  const read = alongside?.(claims);
  // Settled here so that a refusal below leaves no unhandled rejection behind; awaited only once admitted.
  read?.catch(() => undefined);
  // The rate count, the council and the holder's link generation in one round trip; checked in the order above.
  const [hits, council, generation] = await Promise.all([
    deps.links.hit(claims.councilId, linkIdOf(claims), now.toISOString().slice(0, 16), seconds + 3600),
    deps.councils.getCouncil(claims.councilId).catch((e: unknown) => {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }),
    deps.links.generation(claims.councilId, holder, holderId),
  ]);
  if (hits > LINK_REQUESTS_PER_MINUTE) throw new TooManyRequestsError(60 - (seconds % 60));
  if (!council) throw new LinkError('council_gone', COUNCIL_GONE_LINK, 410);
  if (council.suspendedAt) throw new LinkError('council_suspended', COUNCIL_SUSPENDED_LINK, 403);
  viewer?.(claims);
  if (generationOf(claims) !== generation) throw new LinkError('revoked', messages.revoked, 410);
  return { claims, council, read: (await read) as T };
}

/**
 * Whether this is the first request of the day (Tokyo) to a link's page: the one that is
 * written to the audit trail. A conditional create per link and day, so scanners and reloads
 * add nothing after it.
 */
export function firstViewToday(deps: Pick<Deps, 'clock' | 'links'>, claims: LinkClaims): Promise<boolean> {
  const now = deps.clock.now();
  return deps.links.firstViewOfDay(claims.councilId, linkIdOf(claims), tokyoDate(now), now.toISOString(), Math.floor(now.getTime() / 1000) + 3 * 86_400);
}

/** The `data` a newly minted link carries: its holder's current generation. */
export async function generationData(deps: Pick<Deps, 'links'>, councilId: string, holder: LinkHolder, holderId: string): Promise<{ g: string }> {
  return { g: String(await deps.links.generation(councilId, holder, holderId)) };
}

/**
 * The secretariat revokes every link mailed to a member so far (the member has left, or a link
 * was forwarded): opening one shows that it was revoked. Reminders mailed afterwards carry new links.
 */
export async function revokeMemberLinks(
  deps: Pick<Deps, 'clock' | 'links' | 'councils'>,
  principal: Principal | undefined,
  councilId: string,
  memberId: string,
): Promise<number> {
  const actor = requireRole(principal, councilId, 'secretariat');
  await deps.councils.getMember(councilId, memberId);
  return deps.links.revoke(councilId, 'member', memberId, { at: deps.clock.now().toISOString(), by: actor.userId, reason: 'revoked by the secretariat' });
}
