import { type Council, type Member, OFFICE_LABELS, type Office, officeOf } from '#shared/domain/council.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MailAttachment } from './calendar.ts';

/**
 * The mail document model: a mail is written once, as an addressee and a list of typed
 * blocks, and rendered twice — `renderText` for the plain-text part, `renderHtml` for the
 * HTML part — so the two parts cannot drift apart. Every string is content: the HTML
 * renderer escapes it (through `html`), the text renderer lays it out; neither lets it
 * become markup or a header.
 */
export type Block =
  | { kind: 'paragraph'; text: string; strong?: boolean }
  /** Label/value rows (件名:…): labels aligned in the text part, a table in the HTML part. */
  | { kind: 'table'; rows: readonly (TableRow | false | null | undefined)[] }
  /** Someone's own words (a comment, a reason), kept line for line. */
  | { kind: 'quote'; label?: string; text: string }
  | { kind: 'list'; label?: string; ordered?: boolean; items: readonly (string | ListItem)[] }
  /** A link: in the text part, the label and then the URL alone on its line. */
  | { kind: 'link'; label: string; url: string }
  /** A remark set apart (※…); `strong` for one the reader must not miss. */
  | { kind: 'note'; text: string; strong?: boolean };

export type TableRow = readonly [label: string, value: string];

export interface ListItem {
  text: string;
  /** A second, smaller line under the item (e.g. the purpose of a case). */
  detail?: string;
  /** Makes the item a link; the text part puts the URL on its own line under it. */
  url?: string;
  items?: readonly (string | ListItem)[];
}

/** One mail, written once. `letter()` (layout.ts) turns it into a `Mail`. */
export interface MailDoc {
  to: readonly string[];
  subject: string;
  /** The opening line(s): who the mail is for (see the `to…` helpers below). */
  addressee: string | readonly string[];
  /** `false`, `null` and `undefined` are skipped, so optional blocks can be written inline. */
  blocks: readonly (Block | false | null | undefined)[];
  /** Where replies go; `letter()` defaults it to the secretariat. */
  replyTo?: readonly string[];
}

// ── Addressees ────────────────────────────────────────────────────────────────────────
// A mail names the one person it goes to; 各位 is for a mail that really goes to a group.

/** 「前田 久美子 委員」, 「小林 正 会長」, 「田辺 和子 副会長」: a member, by name and office. */
export function toMember(council: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>, member: Pick<Member, 'memberId' | 'name'>, office?: Office): string {
  return `${member.name} ${OFFICE_LABELS[office ?? officeOf(council, member.memberId)]}`;
}

/** Every member at once (one mail read by the whole council). */
export const TO_MEMBERS = '委員各位';

/**
 * Mails the system sends to the secretariat are signed by the secretariat itself, so they
 * do not address it as 御中 (that is how an outsider writes to it).
 */
export const TO_SECRETARIAT = '事務局の皆様へ(システムからのお知らせ)';

/** A department (or a vendor): its contact by name when the form gives one, else ご担当者. */
export function toContact(v: { organization?: string | undefined; contactName?: string | undefined }): string {
  const org = v.organization?.trim();
  const contact = v.contactName?.trim();
  if (contact) return org ? `${org} ${contact} 様` : `${contact} 様`;
  return org ? `${org} ご担当者 様` : 'ご担当者 様';
}

// ── Cleaning: one place for what content may carry ────────────────────────────────────

// Unpaired surrogates cannot be encoded in UTF-8; they would arrive as U+FFFD anyway.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Bidirectional overrides can make shown text read differently from what it is.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Text for a mail body: line breaks made LF, tabs kept, every other control character dropped. */
export function bodyText(value: string): string {
  return value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(BIDI_CONTROLS, '')
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '');
}

/**
 * Text for a header (the subject, a display name) or a one-line label: the body's cleaning,
 * then line breaks and tabs made spaces, so no field can end the header and start another.
 */
export function headerText(value: string): string {
  return bodyText(value)
    .replace(/[\n\t]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

const lines = (value: string) => bodyText(value).split('\n');
const oneLine = (value: string) => headerText(value);

/** Links go to the app only: a field can never turn one into `javascript:` or split it. */
function checkedUrl(url: string): string {
  if (!/^https?:\/\/[^\s\p{Cc}]+$/u.test(url)) throw new Error(`not a link a mail may carry: ${JSON.stringify(url)}`);
  return url;
}

// ── Plain text ────────────────────────────────────────────────────────────────────────

// East Asian wide and fullwidth characters take two columns in the monospaced fonts of
// Japanese mail clients; labels are padded with ideographic spaces so colons line up.
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
export const columns = (s: string) => [...s].reduce((n, c) => n + (WIDE.test(c) ? 2 : 1), 0);
const blank = (width: number) => '\u3000'.repeat(Math.floor(width / 2)) + ' '.repeat(width % 2);
const SEPARATOR = ':';

const heading = (label: string) => `■${oneLine(label)}`;
const asItem = (item: string | ListItem): ListItem => (typeof item === 'string' ? { text: item } : item);

function tableText(rows: readonly TableRow[]): string[] {
  const width = Math.max(...rows.map(([label]) => columns(oneLine(label))));
  const indent = blank(width + columns(SEPARATOR));
  return rows.flatMap(([label, value]) => {
    const l = oneLine(label);
    const [first = '', ...rest] = lines(value);
    return [`${l}${blank(width - columns(l))}${SEPARATOR}${first}`, ...rest.map((line) => indent + line)];
  });
}

function listText(items: readonly (string | ListItem)[], ordered: boolean, depth: number): string[] {
  const base = '    '.repeat(depth);
  return items.map(asItem).flatMap((item, k) => {
    const [first = '', ...rest] = lines(item.text);
    const under = `${base}    `;
    return [
      `${base}${ordered ? `(${k + 1}) ` : '・'}${first}`,
      ...rest.map((line) => under + line),
      ...(item.detail ? lines(item.detail).map((line) => under + line) : []),
      ...(item.url ? [under + checkedUrl(item.url)] : []),
      ...(item.items ? listText(item.items, false, depth + 1) : []),
    ];
  });
}

function blockText(block: Block): string[] {
  switch (block.kind) {
    case 'paragraph':
      return lines(block.text);
    case 'table': {
      const rows = block.rows.filter((r): r is TableRow => Boolean(r));
      return rows.length ? tableText(rows) : [];
    }
    case 'quote':
      return [...(block.label ? [heading(block.label)] : []), ...lines(block.text).map((line) => `> ${line}`)];
    case 'list':
      return [...(block.label ? [heading(block.label)] : []), ...listText(block.items, block.ordered ?? false, 0)];
    case 'link':
      // The URL alone on its line: clients link it whole, and it can be copied without the label.
      return [`${oneLine(block.label)}${SEPARATOR}`, checkedUrl(block.url)];
    case 'note':
      return lines(block.text).map((line, i) => (i === 0 ? `※${line}` : `  ${line}`));
  }
}

const present = (blocks: MailDoc['blocks']) => blocks.filter((b): b is Block => Boolean(b));
const addresseeLines = (a: MailDoc['addressee']) => (typeof a === 'string' ? [a] : a).map(oneLine);

/** The plain-text part: no markup, one blank line between blocks, LF line ends. */
export function renderText(doc: Pick<MailDoc, 'addressee' | 'blocks'>): string {
  const parts = [addresseeLines(doc.addressee), ...present(doc.blocks).map(blockText)].filter((p) => p.length);
  return parts.map((p) => p.map((line) => line.trimEnd()).join('\n')).join('\n\n');
}

// ── HTML ──────────────────────────────────────────────────────────────────────────────

const br = (value: string) => lines(value).map((line, i) => html`${i ? html`<br>` : ''}${line}`);
const TH = 'text-align:left;vertical-align:top;padding:0 1em 0 0;white-space:nowrap;font-weight:bold';
const QUOTE = 'white-space:pre-wrap;border-left:3px solid #c9d1db;margin:0;padding-left:1em';

function itemHtml(item: ListItem): SafeHtml {
  const text = item.url ? html`<a href="${checkedUrl(item.url)}">${br(item.text)}</a>` : br(item.text);
  return html`<li>${text}${item.detail ? html`<br><small>${br(item.detail)}</small>` : ''}${
    item.items?.length ? html`<ul>${item.items.map((i) => itemHtml(asItem(i)))}</ul>` : ''
  }</li>`;
}

function blockHtml(block: Block): SafeHtml {
  switch (block.kind) {
    case 'paragraph':
      return block.strong ? html`<p><strong>${br(block.text)}</strong></p>` : html`<p>${br(block.text)}</p>`;
    case 'table': {
      const rows = block.rows.filter((r): r is TableRow => Boolean(r));
      return rows.length
        ? html`<table style="border-collapse:collapse">${rows.map(([label, value]) => html`<tr><th style="${TH}">${oneLine(label)}</th><td>${br(value)}</td></tr>`)}</table>`
        : html``;
    }
    case 'quote':
      return html`${block.label ? html`<p><strong>${oneLine(block.label)}</strong></p>` : ''}<blockquote style="${QUOTE}">${br(block.text)}</blockquote>`;
    case 'list': {
      const items = block.items.map((i) => itemHtml(asItem(i)));
      return html`${block.label ? html`<p><strong>${oneLine(block.label)}</strong></p>` : ''}${block.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`}`;
    }
    case 'link':
      return html`<p><a href="${checkedUrl(block.url)}">${oneLine(block.label)}</a></p>`;
    case 'note':
      return block.strong ? html`<p><strong>※${br(block.text)}</strong></p>` : html`<p><small>※${br(block.text)}</small></p>`;
  }
}

/** The HTML part's body: the same blocks, escaped by `html`, inline-styled for mail clients. */
export function renderHtml(doc: Pick<MailDoc, 'addressee' | 'blocks'>): SafeHtml {
  return html`<p>${addresseeLines(doc.addressee).map((line, i) => html`${i ? html`<br>` : ''}${line}`)}</p>
${present(doc.blocks).map((b) => html`${blockHtml(b)}\n`)}`;
}

/** A mail ready to send: both parts rendered from one source, and the headers it may set. */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Where replies go (Reply-To), e.g. the secretariat: the sender address takes none. */
  replyTo?: string[];
  /** The sender's display name, e.g. the council's name, shown instead of the bare address. */
  fromName?: string;
  /** The council's own sender address (a verified SES identity), instead of the deployment's MAIL_FROM. */
  fromAddress?: string;
  /** Files sent with it (the meeting notice's calendar entry): the mail goes as MIME multipart. */
  attachments?: MailAttachment[];
}
