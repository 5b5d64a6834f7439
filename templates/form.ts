import { html, type SafeHtml } from './html.ts';

/** What a form page shows: the values to put back and the error beside each field. */
export interface FormState {
  values: Record<string, string | string[] | undefined>;
  errors: Record<string, string>;
}
export const emptyForm = (values: FormState['values'] = {}): FormState => ({ values, errors: {} });

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'date';
  hint?: string;
  required?: boolean;
  autocomplete?: string;
}

/** A labelled input whose error sits right under it and is announced with it. */
export function textField(state: FormState, o: FieldOptions): SafeHtml {
  const id = `f-${o.name}`;
  const error = state.errors[o.name];
  return html`<label for="${id}">${o.label}${o.required ? html` <span class="hint">(必須)</span>` : ''}${
    o.hint ? html` <span class="hint">${o.hint}</span>` : ''
  }</label>
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${str(state.values[o.name])}"${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}`;
}

export function selectField(
  state: FormState,
  o: { name: string; label: string; options: readonly (readonly [string, string])[]; required?: boolean; blank?: string },
): SafeHtml {
  const id = `f-${o.name}`;
  const error = state.errors[o.name];
  const current = str(state.values[o.name]);
  return html`<label for="${id}">${o.label}${o.required ? html` <span class="hint">(必須)</span>` : ''}</label>
<select id="${id}" name="${o.name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${o.blank !== undefined ? html`<option value="">${o.blank}</option>` : ''}
${o.options.map(([value, label]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`)}
</select>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}`;
}

/** The summary at the top of a form that failed, so nobody misses an error further down. */
export function errorSummary(state: FormState): SafeHtml {
  const count = Object.keys(state.errors).length;
  if (count === 0) return html``;
  const general = state.errors['_form'];
  return html`<div class="notice error" role="alert">入力内容を確認してください(${count}件)。${general ? html`<br>${general}` : ''}</div>`;
}
