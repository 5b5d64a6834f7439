import { html, type SafeHtml } from './html.ts';

/** What a form page shows: the values to put back and the error beside each field. */
export interface FormState {
  values: Record<string, string | string[] | undefined>;
  errors: Record<string, string>;
}
export const emptyForm = (values: FormState['values'] = {}): FormState => ({ values, errors: {} });

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/**
 * The id of a field's control: `f-` and its name (dots as dashes). A page with the same form
 * several times (the meeting page's form per agenda item) gives each a `scope`, so every id on
 * the page is unique and each label names its own control.
 */
export const fieldId = (name: string, scope?: string) => `f-${scope ? `${scope}-` : ''}${name.replaceAll('.', '-')}`;

/** What every field helper takes besides its own options. */
interface Common {
  name: string;
  label: string;
  hint?: string | undefined;
  required?: boolean | undefined;
  /** Makes the ids unique when the form is drawn more than once on a page. */
  scope?: string | undefined;
}

interface FieldOptions extends Common {
  type?: 'text' | 'email' | 'date' | 'number' | 'tel';
  autocomplete?: string;
}

const labelFor = (id: string, o: Common) =>
  html`<label for="${id}">${o.label}${o.required ? html` <span class="hint">(必須)</span>` : ''}${o.hint ? html` <span class="hint">${o.hint}</span>` : ''}</label>`;

/**
 * What a control says about itself: required (forms post with `novalidate`, so the server's
 * messages are the ones people see, but assistive technology announces it), and invalid with its message.
 */
const states = (id: string, o: Common, error: string | undefined) =>
  html`${o.required ? html` required aria-required="true"` : ''}${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}`;

const errorLine = (id: string, error: string | undefined) => (error ? html`<p class="field-error" id="${id}-error">${error}</p>` : '');

/** A labelled input whose error sits right under it and is announced with it. */
export function textField(state: FormState, o: FieldOptions): SafeHtml {
  const id = fieldId(o.name, o.scope);
  const error = state.errors[o.name];
  return html`${labelFor(id, o)}
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${str(state.values[o.name])}"${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${states(id, o, error)}>
${errorLine(id, error)}`;
}

export function selectField(state: FormState, o: Common & { options: readonly (readonly [string, string])[]; blank?: string }): SafeHtml {
  const id = fieldId(o.name, o.scope);
  const error = state.errors[o.name];
  const current = str(state.values[o.name]);
  return html`${labelFor(id, o)}
<select id="${id}" name="${o.name}"${states(id, o, error)}>
${o.blank !== undefined ? html`<option value="">${o.blank}</option>` : ''}
${o.options.map(([value, label]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`)}
</select>
${errorLine(id, error)}`;
}

/**
 * The summary at the top of a form that failed, so nobody misses an error further down: each
 * problem a link to its field. It takes the focus when the page loads (`autofocus` on an element
 * made focusable with tabindex=-1: no script, which the pages' CSP forbids), so a screen reader
 * reads it and the keyboard starts from it; the first summary of a page wins, and a page shows
 * one failed form at a time.
 */
export function errorSummary(state: FormState, options: { scope?: string | undefined } = {}): SafeHtml {
  const entries = Object.entries(state.errors);
  if (entries.length === 0) return html``;
  const general = state.errors['_form'];
  const fields = entries.filter(([name]) => name !== '_form');
  return html`<div class="notice error error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="${fieldId('summary', options.scope)}">
<p id="${fieldId('summary', options.scope)}"><strong>入力内容を確認してください(${entries.length}件)。</strong></p>
${general ? html`<p>${general}</p>` : ''}
${fields.length ? html`<ul>${fields.map(([name, message]) => html`<li><a href="#${fieldId(name, options.scope)}">${message}</a></li>`)}</ul>` : ''}
</div>`;
}

export function textArea(state: FormState, o: Common & { rows?: number }): SafeHtml {
  const id = fieldId(o.name, o.scope);
  const error = state.errors[o.name];
  return html`${labelFor(id, o)}
<textarea id="${id}" name="${o.name}" rows="${o.rows ?? 4}"${states(id, o, error)}>${str(state.values[o.name])}</textarea>
${errorLine(id, error)}`;
}

/** A group of checkboxes sharing one name; its error sits under the group. */
export function checkboxGroup(
  state: FormState,
  o: {
    name: string;
    legend: string;
    options: readonly (readonly [string, string])[];
    required?: boolean;
    scope?: string;
    /** Read with the group (e.g. that ticking some options adds fields below: the pages reveal them without script, so nothing else announces it). */
    hint?: string;
  },
): SafeHtml {
  const chosen = new Set(([] as string[]).concat(state.values[o.name] ?? []));
  const error = state.errors[o.name];
  const id = fieldId(o.name, o.scope);
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<fieldset id="${id}" class="choices"${error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}>
<legend>${o.legend}${o.required ? html` <span class="hint">(必須・複数選択可)</span>` : ''}</legend>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${o.options.map(
  ([value, label]) =>
    html`<label class="choice"><input type="checkbox" name="${o.name}" value="${value}"${chosen.has(value) ? html` checked` : ''}> ${label}</label>`,
)}
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}
</fieldset>`;
}

/** An error for a field drawn by hand (table cells, fieldsets), with the same markup as the others. */
export function fieldError(state: FormState, name: string, scope?: string): SafeHtml {
  const error = state.errors[name];
  return error ? html`<p class="field-error" id="${fieldId(name, scope)}-error">${error}</p>` : html``;
}
