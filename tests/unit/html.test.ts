import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { html } from '#templates/html.ts';

describe('html templates', () => {
  it('shows any typed text as text, never as markup', () => {
    const unescapeHtml = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (typed) => {
        const shown = html`${typed}`.value;
        expect(shown).not.toMatch(/[<>"']/);
        expect(unescapeHtml(shown)).toBe(typed);
      }),
    );
  });

  it('keeps nested templates and lists as markup', () => {
    const rows = ['<i>a</i>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${rows}</ul>`.value).toBe('<ul><li>&lt;i&gt;a&lt;/i&gt;</li><li>b</li></ul>');
  });

  it('renders nothing for absent values and false', () => {
    expect(html`[${undefined}${null}${false}${0}]`.value).toBe('[0]');
  });
});
