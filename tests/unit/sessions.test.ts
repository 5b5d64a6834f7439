import { describe, expect, it } from 'vitest';
import { createMemoryRepositories } from '#shared/adapters/repositories.ts';
import { purposeKey, sealLink } from '#shared/domain/links.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { csrfMatches, csrfToken, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS, SESSION_TOUCH_SECONDS, sessionCookie } from '#shared/domain/session.ts';
import { endSessions, resolveSession, startSession } from '#shared/use-cases/auth.ts';
import { reencodings, sameBytes } from '../support/tokens.ts';

const MASTER = Buffer.from('m'.repeat(64));
const SECRETARIAT: Principal = { userId: 'u-secretariat', name: '山下 潤', role: 'secretariat', councilId: 'sakura' };
const CLERK: Principal = { userId: 'u-fukushi', name: '長田 将夫', role: 'department', councilId: 'sakura', departmentId: 'fukushi' };
const START = Date.parse('2026-12-01T09:00:00+09:00');
const MINUTE = 60_000;

/** Deps with a clock the test moves, on the in-memory table. */
function world() {
  const repos = createMemoryRepositories();
  let now = START;
  const deps = { sessions: repos.sessions, signingKey: { get: async () => MASTER }, clock: { now: () => new Date(now) } };
  const sessionItems = () => repos.items.dump().filter((i) => i['_type'] === 'session');
  return {
    deps,
    sessionItems,
    at: (minutes: number) => {
      now = START + minutes * MINUTE;
    },
    state: async (token: string) => (await resolveSession(deps, token)).state,
  };
}

describe('sessions: stored, idle and absolute lifetimes, controlled clock', () => {
  it('stays signed in while used, and ends after 30 idle minutes', async () => {
    const w = world();
    const token = await startSession(w.deps, SECRETARIAT);
    expect(await w.state(token)).toBe('active');
    const resolved = await resolveSession(w.deps, token);
    expect(resolved).toMatchObject({ principal: SECRETARIAT, ref: { councilId: 'sakura', userId: 'u-secretariat' } });
    // Used every 20 minutes for two hours: each use moves the idle deadline on.
    for (let m = 20; m <= 120; m += 20) {
      w.at(m);
      expect(await w.state(token), `after ${m} minutes`).toBe('active');
    }
    // 30 minutes after the last use: idle.
    w.at(120 + SESSION_IDLE_SECONDS / 60);
    expect(await w.state(token)).toBe('idle');
    // A session that went idle does not come back by being used.
    w.at(121 + SESSION_IDLE_SECONDS / 60);
    expect(await w.state(token)).toBe('idle');
  });

  it('writes the last-seen time at most once every five minutes, however many requests', async () => {
    const w = world();
    const token = await startSession(w.deps, SECRETARIAT);
    const seen = new Set<string>();
    for (let s = 0; s <= 30 * 60; s += 10) {
      w.at(s / 60);
      expect(await w.state(token)).toBe('active');
      seen.add(w.sessionItems()[0]!['lastSeenAt'] as string);
    }
    // 181 requests over 30 minutes: the sign-in time plus one write per five minutes.
    expect(seen.size).toBe(1 + (30 * 60) / SESSION_TOUCH_SECONDS);
  });

  it('ends 12 hours after sign-in however active, and the cookie says so too', async () => {
    const w = world();
    const token = await startSession(w.deps, SECRETARIAT);
    const absoluteMinutes = SESSION_ABSOLUTE_SECONDS / 60;
    for (let m = 0; m < absoluteMinutes; m += 10) {
      w.at(m);
      expect(await w.state(token), `after ${m} minutes`).toBe('active');
    }
    w.at(absoluteMinutes);
    // The cookie's signed expiry is the absolute end: refused before the table is read.
    expect(await w.state(token)).toBe('invalid');
    expect(sessionCookie(token, true)).toContain(`Max-Age=${SESSION_ABSOLUTE_SECONDS}`);
  });

  it('checks the stored absolute end as well as the cookie’s', async () => {
    const w = world();
    const token = await startSession(w.deps, SECRETARIAT);
    const item = w.sessionItems()[0]!;
    // The same session stored with an earlier end (a cookie signed with a longer expiry than stored): the table wins.
    const repos = createMemoryRepositories();
    repos.items.load([{ ...item, expiresAt: new Date(START + 10 * MINUTE).toISOString() }]);
    const shortened = { ...w.deps, sessions: repos.sessions };
    w.at(9);
    expect((await resolveSession(shortened, token)).state).toBe('active');
    w.at(10);
    expect((await resolveSession(shortened, token)).state).toBe('expired');
  });

  it('ends every session of the person at sign-out, on every device, and no one else’s', async () => {
    const w = world();
    const [laptop, phone, colleague] = [await startSession(w.deps, SECRETARIAT), await startSession(w.deps, SECRETARIAT), await startSession(w.deps, CLERK)];
    w.at(1);
    expect(await endSessions(w.deps, SECRETARIAT)).toBe(2);
    expect(await w.state(laptop)).toBe('revoked');
    expect(await w.state(phone)).toBe('revoked');
    expect(await w.state(colleague)).toBe('active');
    // Repeating it changes nothing; a new sign-in is a new session.
    expect(await endSessions(w.deps, SECRETARIAT)).toBe(0);
    expect(await w.state(await startSession(w.deps, SECRETARIAT))).toBe('active');
  });

  it('refuses a cookie naming a session that was never stored', async () => {
    const w = world();
    const other = world();
    const token = await startSession(other.deps, SECRETARIAT);
    expect(await w.state(token)).toBe('unknown');
  });

  it('accepts none of the re-encodings of a session token (padding bits, = padding, base64 alphabet)', async () => {
    const w = world();
    let accepted = 0;
    let tried = 0;
    for (let i = 0; i < 20; i++) {
      const token = await startSession(w.deps, { ...SECRETARIAT, userId: `u-${i}` });
      expect(await w.state(token)).toBe('active');
      const variants = reencodings(token);
      // They are the same bytes to a lenient decoder: exactly what a bypass would use.
      expect(variants.filter((v) => !v.includes('=')).every((v) => sameBytes(token, v))).toBe(true);
      for (const v of variants) {
        tried++;
        if ((await w.state(v)) === 'active') accepted++;
      }
      // Nor is a CSRF token computed from a variant the session's.
      expect(csrfMatches(MASTER, { councilId: 'sakura' }, variants[0]!, csrfToken(MASTER, { councilId: 'sakura' }, token))).toBe(false);
    }
    expect(tried).toBeGreaterThan(20 * 5);
    expect(accepted).toBe(0);
  });

  it('refuses a session of council B signed with council A’s session key', async () => {
    const w = world();
    const token = await startSession(w.deps, { ...SECRETARIAT, councilId: 'other-city' });
    const [payload] = token.split('.') as [string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(await w.state(token)).toBe('active');
    const forged = sealLink(purposeKey(MASTER, 'sakura', 'session'), claims);
    expect(await w.state(forged)).toBe('invalid');
    // The CSRF tokens of two councils differ for the same cookie value.
    expect(csrfToken(MASTER, { councilId: 'sakura' }, token)).not.toBe(csrfToken(MASTER, { councilId: 'other-city' }, token));
  });

  it('reads the named session alongside the key, but a forged cookie gets no session, even when the table refuses its key', async () => {
    const w = world();
    const token = await startSession(w.deps, SECRETARIAT);
    const [payload] = token.split('.') as [string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    // Signed with another master: it names a stored, live session, and is refused.
    expect(await w.state(sealLink(purposeKey(Buffer.from('x'.repeat(64)), 'sakura', 'session'), claims))).toBe('invalid');
    // A made-up session the table cannot even look up: still a refusal, never an error page.
    const sessions: typeof w.deps.sessions = Object.create(w.deps.sessions);
    sessions.get = () => Promise.reject(new Error('ValidationException: key too long'));
    const refusing = { ...w.deps, sessions };
    const forged = sealLink(purposeKey(Buffer.from('x'.repeat(64)), 'sakura', 'session'), { ...claims, target: 's'.repeat(1400) });
    expect((await resolveSession(refusing, forged)).state).toBe('invalid');
    // The genuine cookie still works, and a failure of its read is the request's.
    expect(await w.state(token)).toBe('active');
    await expect(resolveSession(refusing, token)).rejects.toThrow('ValidationException');
  });
});
