import { html, type SafeHtml } from '../html.ts';
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
