import { html, type SafeHtml } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import type { Council } from '#shared/domain/council.ts';

/** The HTML part of every mail: simple, inline-styled, readable in any client. */
export function mailHtml(subject: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',sans-serif;line-height:1.7;color:#1d2733;max-width:40rem">
${body}
</body></html>`.value;
}

/** The secretariat's signature that closes every mail: plain text and HTML. */
export const signature = (council: Pick<Council, 'name' | 'contact'>) => `${council.name} 事務局\n${council.contact}`;
export const signatureHtml = (council: Pick<Council, 'name' | 'contact'>) => html`<p>${council.name} 事務局<br>${council.contact}</p>`;

/**
 * A mail from the secretariat: the same message as plain text and as HTML, each closed by
 * the secretariat's signature, the HTML wrapped for mail clients.
 */
export function letter(council: Pick<Council, 'name' | 'contact'>, m: { to: string[]; subject: string; text: string; html: SafeHtml }): Mail {
  return {
    to: m.to,
    subject: m.subject,
    text: `${m.text.trimEnd()}\n\n${signature(council)}\n`,
    html: mailHtml(m.subject, html`${m.html}\n${signatureHtml(council)}`),
  };
}
