import { AsyncLocalStorage } from 'node:async_hooks';
import { html, type SafeHtml } from './html.ts';

/**
 * What every page is rendered with besides its own props: the request's CSRF token. The HTTP
 * layer runs each request inside `renderContext.run(...)`; the form helpers below write the
 * token into every same-origin form, so no page forgets it and no markup is rewritten afterwards.
 */
export interface RenderContext {
  csrf?: string | undefined;
}
export const renderContext = new AsyncLocalStorage<RenderContext>();

/** The hidden CSRF field of the signed-in request being rendered (nothing for signed-out pages). */
export function csrfField(): SafeHtml {
  const csrf = renderContext.getStore()?.csrf;
  return csrf ? html`<input type="hidden" name="_csrf" value="${csrf}">` : html``;
}
