import { randomBytes } from 'node:crypto';

/** Time and ids come through here so tests can fix them; production uses the real ones. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** A random, URL-safe id that fits the key scheme's ID_PATTERN. */
export const newId = (bytes = 12) => randomBytes(bytes).toString('base64url');
