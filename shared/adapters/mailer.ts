import { randomUUID } from 'node:crypto';
import type { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { Mail } from '#templates/mail/compose.ts';
import { clientOf, type LazyClient } from './lazy-client.ts';

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
  // Encoded-words stand unquoted (RFC 2047 §5: never inside a quoted string).
  return `${encodedWords(name)} <${address}>`;
}

/** Text as RFC 2047 encoded-words (UTF-8, base64), each at most 75 characters, no character split. */
export function encodedWords(value: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch) > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

/** Base64 in lines of 76 characters, as MIME bodies are sent. */
const base64Lines = (content: string) =>
  (
    Buffer.from(content, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

/**
 * A mail with attachments as one MIME message (RFC 2045–2049) for SendRawEmail: multipart/mixed
 * of the text and HTML (multipart/alternative) and each file, every part UTF-8 in base64, so no
 * line is too long and no character of the mail can end a header or a part. The addresses come
 * from `letter`, which has checked them.
 */
export function rawMessage(mail: Mail, from: string, to: string): string {
  const mixed = `mixed-${randomUUID()}`;
  const alternative = `alt-${randomUUID()}`;
  const part = (type: string, content: string, extra: string[] = []) =>
    [`Content-Type: ${type}`, ...extra, 'Content-Transfer-Encoding: base64', '', base64Lines(content)].join('\r\n');
  const ascii = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');
  return [
    `From: ${fromHeader(from, mail.fromName)}`,
    `To: ${to}`,
    ...(mail.replyTo?.length ? [`Reply-To: ${[...new Set(mail.replyTo)].join(', ')}`] : []),
    `Subject: ${encodedWords(mail.subject)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alternative}"`,
    '',
    `--${alternative}`,
    part('text/plain; charset=UTF-8', mail.text),
    `--${alternative}`,
    part('text/html; charset=UTF-8', mail.html),
    `--${alternative}--`,
    ...(mail.attachments ?? []).flatMap((a) => [
      `--${mixed}`,
      part(`${a.contentType}; charset=UTF-8; name="${ascii(a.fileName)}"`, a.content, [`Content-Disposition: attachment; filename="${ascii(a.fileName)}"`]),
    ]),
    `--${mixed}--`,
    '',
  ].join('\r\n');
}

/**
 * Spaces calls at most `perSecond` a second (a token bucket of one second's burst), for this
 * container: the mailer waits its turn rather than be refused by SES's sending rate.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = perSecond;
    this.last = now();
  }

  /** Resolves when the next call may go: at once while the bucket holds a token, else after its deficit at the rate. */
  async take(): Promise<void> {
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens < 0) await this.sleep((-this.tokens / this.perSecond) * 1000);
  }
}

/** SES refusing for the sending rate (not the daily quota, which no wait within a run cures). */
export function isThrottled(e: unknown): boolean {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (/daily message quota/i.test(err.message ?? '')) return false;
  return err.name === 'Throttling' || err.name === 'ThrottlingException' || err.name === 'TooManyRequestsException' || err.$metadata?.httpStatusCode === 429;
}

export interface MailerOptions {
  /** Mails a second this container sends at most (SES's sending rate for the account, shared by the functions running at once). */
  perSecond?: number;
  /** Waits before each new try of a mail SES throttled (full jitter: a random wait up to each). */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** SES's sending rate of a new production account; MAIL_RATE_PER_SECOND sets the deployment's. */
export const DEFAULT_MAIL_RATE = 14;

export class Mailer {
  private readonly limiter: RateLimiter;
  private readonly retryDelaysMs: readonly number[];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: SESClient | LazyClient<SESClient>,
    private readonly from: string,
    options: MailerOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.limiter = new RateLimiter(options.perSecond ?? DEFAULT_MAIL_RATE, Date.now, this.sleep);
    this.retryDelaysMs = options.retryDelaysMs ?? [250, 500, 1000, 2000, 4000, 8000];
  }

  /** One SendEmail (or SendRawEmail) at the sending rate, tried again (with jittered backoff) while SES throttles. */
  private async sendOne(command: SendEmailCommand | SendRawEmailCommand) {
    const client = await clientOf(this.client);
    for (let attempt = 0; ; attempt++) {
      await this.limiter.take();
      try {
        return await client.send(command as SendEmailCommand);
      } catch (e) {
        if (!isThrottled(e) || attempt >= this.retryDelaysMs.length) throw e;
        await this.sleep(Math.random() * this.retryDelaysMs[attempt]!);
      }
    }
  }

  /**
   * Sends through SES with UTF-8 throughout, so Japanese subjects and bodies arrive intact.
   * Each recipient gets a copy of their own: nobody sees another's address (members,
   * vendors, managers), and the local SES stand-in keeps only the first To of a message.
   */
  async send(mail: Mail): Promise<string[]> {
    const ids: string[] = [];
    const { SendEmailCommand, SendRawEmailCommand } = await import('@aws-sdk/client-ses');
    for (const to of new Set(mail.to)) {
      if (mail.attachments?.length) {
        // With files, the whole message is composed here and sent as it is.
        const raw = await this.sendOne(
          new SendRawEmailCommand({ Source: this.from, Destinations: [to], RawMessage: { Data: Buffer.from(rawMessage(mail, this.from, to), 'utf8') } }),
        );
        if (raw.MessageId) ids.push(raw.MessageId);
        continue;
      }
      const out = await this.sendOne(
        new SendEmailCommand({
          Source: fromHeader(mail.fromAddress ?? this.from, mail.fromName),
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
