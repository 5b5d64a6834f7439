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
  type?: 'text' | 'email' | 'date' | 'number' | 'tel';
  hint?: string;
  required?: boolean;
  autocomplete?: string;
}

/** A labelled input whose error sits right under it and is announced with it. */
export function textField(state: FormState, o: FieldOptions): SafeHtml {
  const id = `f-${o.name.replaceAll('.', '-')}`;
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
  const id = `f-${o.name.replaceAll('.', '-')}`;
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

export function textArea(state: FormState, o: { name: string; label: string; hint?: string; required?: boolean; rows?: number }): SafeHtml {
  const id = `f-${o.name.replaceAll('.', '-')}`;
  const error = state.errors[o.name];
  return html`<label for="${id}">${o.label}${o.required ? html` <span class="hint">(必須)</span>` : ''}${o.hint ? html` <span class="hint">${o.hint}</span>` : ''}</label>
<textarea id="${id}" name="${o.name}" rows="${o.rows ?? 4}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${str(state.values[o.name])}</textarea>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}`;
}

/** A group of checkboxes sharing one name; its error sits under the group. */
export function checkboxGroup(
  state: FormState,
  o: { name: string; legend: string; options: readonly (readonly [string, string])[]; required?: boolean },
): SafeHtml {
  const chosen = new Set(([] as string[]).concat(state.values[o.name] ?? []));
  const error = state.errors[o.name];
  const id = `f-${o.name}`;
  return html`<fieldset id="${id}" class="choices"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
<legend>${o.legend}${o.required ? html` <span class="hint">(必須・複数選択可)</span>` : ''}</legend>
${o.options.map(
  ([value, label]) =>
    html`<label class="choice"><input type="checkbox" name="${o.name}" value="${value}"${chosen.has(value) ? html` checked` : ''}> ${label}</label>`,
)}
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}
</fieldset>`;
}

/** An error for a field drawn by hand (table cells), with the same markup as the others. */
export function fieldError(state: FormState, name: string): SafeHtml {
  const error = state.errors[name];
  return error ? html`<p class="field-error" id="f-${name.replaceAll('.', '-')}-error">${error}</p>` : html``;
}
