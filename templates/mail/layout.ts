import type { Council } from '#shared/domain/council.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Mail } from './compose.ts';
import { bodyText, headerText, type MailDoc, renderHtml, renderText } from './compose.ts';

/** The HTML part of every mail: simple, inline-styled, readable in any client. */
export function mailHtml(subject: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',sans-serif;line-height:1.7;color:#1d2733;max-width:40rem">
${body}
</body></html>`.value;
}

type Sender = Pick<Council, 'name' | 'contact' | 'secretariatEmail'> & Partial<Pick<Council, 'mailSignature' | 'senderName' | 'senderAddress' | 'replyTo'>>;

/** The secretariat's signature that closes every mail, as lines. */
const signature = (council: Sender) => bodyText(council.mailSignature ?? `${council.name} 事務局\n${council.contact}`).split('\n');

// Addresses come from validated records; anything that could end a header is refused outright.
function checkedAddress(address: string): string {
  if (!/^[^\s\p{Cc}<>()[\],;:\\"@]+@[^\s\p{Cc}<>()[\],;:\\"@]+$/u.test(address)) throw new Error(`not a mail address: ${JSON.stringify(address)}`);
  return address;
}

/**
 * A mail from the secretariat: the document rendered as plain text and as HTML, each
 * closed by the secretariat's signature. Headers are made here and only here: the subject
 * is one clean line, the sender shows the council's name (or the sender name its settings give,
 * from its own address if set), and replies go to the council's Reply-To or secretariat unless
 * the document says otherwise; the signature is the council's own when set.
 */
export function letter(council: Sender, doc: MailDoc): Mail {
  const subject = headerText(doc.subject);
  const sign = signature(council);
  return {
    to: doc.to.map(checkedAddress),
    subject,
    text: `${renderText(doc)}\n\n${sign.join('\n')}\n`,
    html: mailHtml(subject, html`${renderHtml(doc)}<p>${sign.map((line, i) => html`${i ? html`<br>` : ''}${line}`)}</p>`),
    replyTo: (doc.replyTo ?? [council.replyTo ?? council.secretariatEmail]).filter(Boolean).map(checkedAddress),
    fromName: headerText(council.senderName ?? council.name),
    ...(council.senderAddress ? { fromAddress: checkedAddress(council.senderAddress) } : {}),
  };
}
