/**
 * An SDK client made on first use (see aws.ts): its package is loaded by a dynamic import
 * then, not at a cold start. Adapters take either a client or such a loader (tests hand them
 * a client of their own).
 */
export type LazyClient<C> = () => Promise<C>;

/** A client loaded and made on first call, once per container (a failed load is tried again next time). */
export function lazy<C>(load: () => Promise<C>): LazyClient<C> {
  let made: Promise<C> | undefined;
  return () => {
    made ??= load().catch((e: unknown) => {
      made = undefined;
      throw e;
    });
    return made;
  };
}

/** The client itself, loading it first if it is lazy. */
export const clientOf = <C extends object>(client: C | LazyClient<C>): Promise<C> =>
  typeof client === 'function' ? (client as LazyClient<C>)() : Promise.resolve(client);
