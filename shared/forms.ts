import type * as z from 'zod/mini';

/** A form that failed validation: the first message per field, and exactly what was typed. */
export interface FormProblem {
  ok: false;
  errors: Record<string, string>;
  values: Record<string, string | string[]>;
}
export type FormOutcome<T> = { ok: true; value: T } | FormProblem;

/**
 * Validates a submitted form with its schema without throwing, keeping the raw values
 * for redisplay. `shape` turns flat form fields into the object the schema reads;
 * error paths come back joined with dots, which is how the fields are named.
 */
export function checkForm<S extends z.ZodMiniType>(
  schema: S,
  form: Record<string, string | string[]>,
  shape: (form: Record<string, string | string[]>) => unknown = (f) => f,
  /** Maps an error path on the shaped input back to the field name as posted. */
  fieldOf: (form: Record<string, string | string[]>, path: string) => string = (_f, p) => p,
): FormOutcome<z.output<S>> {
  const parsed = schema.safeParse(shape(form));
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOf(form, issue.path.map(String).join('.')) || '_form';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: form };
}
