import * as z from 'zod/mini';

/**
 * Schemas built on first use instead of when their module loads. Building a zod schema is
 * work (every field is an object with its own checks), and the forms are many: a cold page
 * function used to build all of them (≈ 7,100 constructor steps for the staff pages, ≈ 20 ms)
 * before its first request, which reads none of them.
 *
 * A form's schema is exported as `z.lazy(() => z.object({ … }))`; an entity's stored shape is a
 * builder the entity calls on its first read (store/entity.ts). A module whose schemas share
 * parts (the consultation form) puts them in one builder and exports each as
 * `deferred(builder, 'name')`: the module's schemas are built on the first parse of any of them,
 * once per container. A schema other schemas extend (`z.extend`, `.shape`) stays eager.
 */
export function schemasOf<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/** One schema of a module's builder, standing for it until first parsed (see {@link schemasOf}). */
export function deferred<T, K extends keyof T>(schemas: () => T, name: K): z.ZodMiniLazy<T[K] & z.core.SomeType> {
  return z.lazy(() => schemas()[name] as T[K] & z.core.SomeType);
}
