import type { Meeting } from '#shared/domain/meeting.ts';

/** A file a mail carries besides its text and HTML. */
export interface MailAttachment {
  fileName: string;
  /** The media type with its parameters, e.g. `text/calendar; method=PUBLISH`. */
  contentType: string;
  content: string;
}

/** TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped, other control characters dropped. */
const text = (value: string) =>
  value
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n]/gu, '')
    .replace(/[\\;,]/g, '\\$&')
    .replace(/\n/g, '\\n');

/**
 * A content line folded at 75 octets (RFC 5545 §3.1): each continuation starts with a space, and
 * no UTF-8 character is split between lines.
 */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  for (const ch of line) {
    const limit = out.length ? 74 : 75; // a continuation's leading space counts
    if (Buffer.byteLength(current + ch) > limit) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** 'YYYY-MM-DD' and 'HH:MM' in Tokyo (UTC+9, no daylight saving) as an iCalendar UTC time. */
function utc(date: string, time: string): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo - 1, d, h - 9, mi))
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const dateOnly = (date: string) => date.replace(/-/g, '');
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');

/**
 * The meeting as a calendar entry (one VEVENT) for the members' calendars: its UID is the
 * meeting's own, so a notice mailed again updates the entry instead of adding one (SEQUENCE is
 * the meeting's version). Times in UTC; a meeting without a start time is a whole-day entry;
 * without an end time it lasts two hours. CRLF line endings, lines folded at 75 octets.
 */
export function meetingCalendar(v: {
  councilId: string;
  meeting: Pick<Meeting, 'meetingId' | 'date' | 'startTime' | 'endTime' | 'venue' | 'createdAt' | 'version'>;
  name: string;
  description: string;
  url: string;
}): string {
  const m = v.meeting;
  const start = m.startTime;
  let end = m.endTime;
  if (start && !end) {
    const [h, mi] = start.split(':').map(Number) as [number, number];
    end = `${String(Math.min(h + 2, 23)).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
  }
  const when = start
    ? [`DTSTART:${utc(m.date, start)}`, `DTEND:${utc(m.date, end!)}`]
    : [`DTSTART;VALUE=DATE:${dateOnly(m.date)}`, `DTEND;VALUE=DATE:${nextDay(m.date)}`];
  const stamp = Date.parse(m.createdAt);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//council-review//meeting notice//JA',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:meeting-${m.meetingId}@${v.councilId}.council-review`,
    `SEQUENCE:${m.version}`,
    `DTSTAMP:${(Number.isNaN(stamp) ? new Date(0) : new Date(stamp))
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '')}`,
    ...when,
    `SUMMARY:${text(v.name)}`,
    ...(m.venue ? [`LOCATION:${text(m.venue)}`] : []),
    `DESCRIPTION:${text(v.description)}`,
    `URL:${v.url}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
