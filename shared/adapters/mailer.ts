import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mail } from '#templates/mail/compose.ts';

/** A rendered mail: plain text for every client, HTML for those that show it. */
export type { Mail } from '#templates/mail/compose.ts';

// An encoded-word may be 75 characters long: 45 bytes of UTF-8 make 60 of base64, plus 12.
const WORD_BYTES = 45;

/**
 * The From header's value: `address` with `name` shown as its display name. A name in plain
 * ASCII goes in a quoted string; any other (Japanese) as RFC 2047 encoded-words, which SES
 * requires for non-ASCII names and which no character of the name can break out of.
 */
export function fromHeader(address: string, name?: string): string {
  if (!name) return address;
  if (/^[\x20-\x7E]+$/.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
  const words: string[] = [];
  let chunk = '';
  for (const ch of name) {
    if (Buffer.byteLength(chunk + ch) > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  words.push(chunk);
  // Encoded-words stand unquoted (RFC 2047 §5: never inside a quoted string).
  return `${words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ')} <${address}>`;
}

export class Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  /**
   * Sends through SES with UTF-8 throughout, so Japanese subjects and bodies arrive intact.
   * Each recipient gets a copy of their own: nobody sees another's address (members,
   * vendors, managers), and the local SES stand-in keeps only the first To of a message.
   */
  async send(mail: Mail): Promise<string[]> {
    const ids: string[] = [];
    for (const to of new Set(mail.to)) {
      const out = await this.client.send(
        new SendEmailCommand({
          Source: fromHeader(this.from, mail.fromName),
          Destination: { ToAddresses: [to] },
          ...(mail.replyTo?.length ? { ReplyToAddresses: [...new Set(mail.replyTo)] } : {}),
          Message: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: mail.text, Charset: 'UTF-8' },
              Html: { Data: mail.html, Charset: 'UTF-8' },
            },
          },
        }),
      );
      if (out.MessageId) ids.push(out.MessageId);
    }
    return ids;
  }
}
