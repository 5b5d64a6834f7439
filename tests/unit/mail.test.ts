import type { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHeader, type Mail, Mailer } from '#shared/adapters/mailer.ts';
import type { Answer } from '#shared/domain/answer.ts';
import type { PostReport } from '#shared/domain/blanket.ts';
import type { Consultation } from '#shared/domain/consultation.ts';
import type { ConsultationForm } from '#shared/domain/consultation-form.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import type { Incident } from '#shared/domain/incidents.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import type { PiaReview } from '#shared/domain/pia.ts';
import { agendaMail } from '#templates/mail/agenda.ts';
import { answerIssuedMail } from '#templates/mail/answer.ts';
import { bodyText, columns, headerText, TO_MEMBERS, TO_SECRETARIAT } from '#templates/mail/compose.ts';
import {
  caseWithdrawnMail,
  consultationAcceptedMail,
  consultationReturnedMail,
  consultationSubmittedMail,
  vendorReportedMail,
} from '#templates/mail/consultation.ts';
import { followUpAnsweredMail, followUpEscalationMail, followUpRequestMail, followUpReturnedMail } from '#templates/mail/followups.ts';
import { incidentDeadlineMail } from '#templates/mail/incidents.ts';
import { letter } from '#templates/mail/layout.ts';
import { memberRegisteredMail } from '#templates/mail/member-registered.ts';
import { minutesFinalMail } from '#templates/mail/minutes.ts';
import { piaChairMail, piaOpinionMail, piaReminderMail, piaReviewRequestMail } from '#templates/mail/pia.ts';
import { postReportAcceptedMail, postReportFiledMail } from '#templates/mail/post-reports.ts';
import { chairReviewMail, voteInvitationMail, voteReminderMail } from '#templates/mail/voting.ts';

// ── Fixtures: every mail, with every shown string field taken from `f` ─────────────────

const BASE = 'https://privacy.city.example.jp/c/sakura';
const SECRETARIAT = 'joho-koukai@city.sakura.example.jp';
const DEPARTMENT = 'fukushi@city.sakura.example.jp';

const council = (name = 'さくら市個人情報保護審議会', contact = '総務部 総務課 情報公開係'): Council => ({
  councilId: 'sakura',
  name,
  municipality: 'さくら市',
  contact,
  secretariatEmail: SECRETARIAT,
  rules: { quorum: 'majority', chairBreaksTie: true },
  chairMemberId: 'm-kobayashi',
  viceChairMemberId: 'm-tanabe',
  version: 1,
});

const member = (memberId: string, name: string): Member => ({
  memberId,
  name,
  kana: 'いいん',
  affiliation: undefined,
  category: 'scholar',
  email: `${memberId}@example.jp`,
  version: 1,
  createdAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-01T00:00:00.000Z',
});

const consultation = (consultationId: string, title: string, purpose: string, n?: number): Consultation => ({
  councilId: 'sakura',
  consultationId,
  departmentId: 'fukushi',
  form: { title, purpose },
  status: 'scheduled',
  ...(n ? { number: { fiscalYear: 2026, n } } : {}),
  returns: 0,
  createdBy: 'u',
  createdAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-01T00:00:00.000Z',
  version: 1,
});

const item = (title: string, consultationIds: string[]): AgendaItem => ({ itemId: 'i1', kind: 'deliberation', order: 1, title, consultationIds });

const meeting = (kind: Meeting['kind'], venue: string): Meeting => ({
  meetingId: 'mt1',
  kind,
  date: '2026-12-14',
  startTime: '10:00',
  endTime: '11:30',
  venue,
  fiscalYear: 2026,
  seq: 3,
  status: 'planned',
  createdAt: '2026-04-01T00:00:00.000Z',
  version: 1,
});

const followUp = (f: (i: number) => string): FollowUp => ({
  followUpId: 'fu1',
  councilId: 'sakura',
  consultationId: 'c1',
  title: f(1),
  businessKey: 'b',
  conditionIndex: 0,
  condition: f(2),
  type: 'erasure_certificate',
  owner: 'vendor',
  ownerName: f(3),
  departmentId: 'fukushi',
  ownerEmail: DEPARTMENT,
  evidence: f(4),
  due: '2027-01-10',
  everyMonths: 6,
  status: 'open',
  answers: [],
  pendingEvidence: [],
  notified: [],
  createdAt: '2026-04-01T00:00:00.000Z',
  version: 1,
});

const form = (f: (i: number) => string): ConsultationForm =>
  ({ title: f(1), contactName: f(2), contactPhone: f(3), triggers: ['outsourcing'], plannedStart: '2026-10-01', purpose: f(4) }) as ConsultationForm;

const answer = (f: (i: number) => string): Answer => ({
  consultationId: 'c1',
  title: f(1),
  number: { fiscalYear: 2026, n: 4 },
  outcome: 'approved_with_conditions',
  conditions: [f(2), f(3)],
  meetingName: f(4),
  councilName: 'さくら市個人情報保護審議会',
  addressee: 'さくら市長',
  issuedOn: '2026-12-20',
});

const piaReview = (f: (i: number) => string): PiaReview => ({
  reviewId: 'r1',
  councilId: 'sakura',
  departmentId: 'fukushi',
  businessName: f(1),
  evaluationType: 'full',
  threshold: { subjects: 150000, handlers: 600, seriousIncident: false, required: 'full' },
  status: 'issued',
  sections: [f(2), f(3)],
  versions: [
    { n: 1, date: '2026-11-01', note: '初版', fileName: 'a.pdf', contentType: 'application/pdf', size: 1, objectKey: 'k', uploadedAt: '', uploadedBy: '' },
  ],
  review: { openedAt: '2026-11-02T00:00:00Z', openedBy: 'u', deadline: '2026-11-30', memberIds: ['m-maeda'] },
  opinion: { verdict: 'conditional', summary: f(4), findings: [f(5), 'x'], documentNumber: 'さくら市個審第3号', issuedOn: '2026-12-01' },
  submittedOn: '2026-12-10',
  majorChange: { on: '2028-04-01', note: f(7), reportedAt: '' },
  reevaluationDue: '2028-04-01',
  reminders: [],
  createdAt: '',
  createdBy: '',
  version: 1,
});
const department = (name: string) => ({ departmentId: 'fukushi', name, email: DEPARTMENT, managerEmail: DEPARTMENT });

/** A link whose path carries a field, so escaping inside href is exercised too. */
const url = (path: string, f: (i: number) => string, i: number) => `${BASE}/${path}/${encodeURIComponent(f(i).replace(/[\uD800-\uDFFF]/g, ''))}`;

const incident = (f: (i: number) => string): Incident => ({
  councilId: 'sakura',
  incidentId: 'inc1',
  title: f(1),
  overview: f(3),
  occurredOn: '2026-12-01',
  foundOn: '2026-12-02',
  departmentId: 'shimin',
  affectedCount: 12,
  dataItems: f(4),
  sensitive: false,
  kind: 'loss',
  unlawfulPurpose: false,
  cause: f(6),
  secondaryDamage: 'none',
  status: 'open',
  reports: {},
  measures: 0,
  notified: [],
  history: [],
  createdAt: '2026-12-02T00:00:00.000Z',
  createdBy: 'u',
  updatedAt: '2026-12-02T00:00:00.000Z',
  version: 1,
});

const postReport = (f: (i: number) => string): PostReport => ({
  reportId: 'r1',
  classId: 'c1',
  departmentId: 'fukushi',
  done: f(4),
  doneOn: '2026-11-20',
  count: 214,
  vendor: f(5),
  status: 'filed',
  filedBy: 'u-fukushi',
  filedAt: '2026-11-21T00:00:00.000Z',
});

interface Case {
  name: string;
  render: (f: (i: number) => string) => Mail;
  /** The fields (by index) the mail shows in its body. */
  shown: number[];
  /** Links it must carry. */
  urls: (f: (i: number) => string) => string[];
}

const CASES: Case[] = [
  {
    name: 'agendaMail (meeting)',
    render: (f) =>
      agendaMail({
        council: council(f(0), f(7)),
        to: ['m-maeda@example.jp'],
        member: member('m-maeda', f(6)),
        meeting: meeting('meeting', f(5)),
        name: f(1),
        agenda: [item(f(2), ['c1', 'c2'])],
        cases: new Map([
          ['c1', consultation('c1', f(3), '', 1)],
          ['c2', consultation('c2', f(4), '')],
        ]),
        meetingUrl: url('meetings', f, 1),
        caseUrl: (id) => url(`consultations/${id}`, f, 3),
      }),
    shown: [0, 1, 2, 3, 4, 5, 6, 7],
    urls: (f) => [url('meetings', f, 1), url('consultations/c1', f, 3), url('consultations/c2', f, 3)],
  },
  {
    name: 'agendaMail (written)',
    render: (f) =>
      agendaMail({
        council: council(f(0)),
        to: ['m-maeda@example.jp', 'm-tanabe@example.jp'],
        meeting: meeting('written', ''),
        name: f(1),
        agenda: [item(f(2), ['c1'])],
        cases: new Map([['c1', consultation('c1', f(3), '', 1)]]),
        meetingUrl: url('meetings', f, 1),
        caseUrl: (id) => url(`consultations/${id}`, f, 3),
      }),
    shown: [0, 1, 2, 3],
    urls: (f) => [url('meetings', f, 1), url('consultations/c1', f, 3)],
  },
  {
    name: 'answerIssuedMail',
    render: (f) =>
      answerIssuedMail({ council: council(f(0)), to: [DEPARTMENT], answer: answer(f), url: url('answer', f, 5), departmentName: f(6), contactName: f(7) }),
    shown: [0, 1, 2, 3, 4, 6, 7],
    urls: (f) => [url('answer', f, 5)],
  },
  {
    name: 'consultationSubmittedMail',
    render: (f) =>
      consultationSubmittedMail({
        council: council(f(0)),
        departmentName: f(5),
        form: form(f),
        url: url('c', f, 6),
        resubmission: true,
        response: f(7),
        departmentEmail: DEPARTMENT,
      }),
    shown: [0, 1, 2, 3, 5, 7],
    urls: (f) => [url('c', f, 6)],
  },
  {
    name: 'consultationReturnedMail',
    render: (f) =>
      consultationReturnedMail({
        council: council(f(0)),
        to: [DEPARTMENT],
        title: f(1),
        comment: f(2),
        round: 2,
        url: url('c', f, 3),
        departmentName: f(4),
        contactName: f(5),
      }),
    shown: [0, 1, 2, 4, 5],
    urls: (f) => [url('c', f, 3)],
  },
  {
    name: 'vendorReportedMail',
    render: (f) =>
      vendorReportedMail({
        council: council(f(0)),
        departmentName: f(1),
        consultation: { ...consultation('c1', f(2), '', 3), form: { title: f(2), businesses: [{ name: f(3) }, { name: 'x' }] } },
        report: { name: f(4), address: f(5), chosenOn: '2027-01-10', reportedAt: '2027-01-11T00:00:00.000Z', reportedBy: 'u' },
        url: url('c', f, 6),
      }),
    shown: [0, 1, 2, 3, 4, 5],
    urls: (f) => [url('c', f, 6)],
  },
  {
    name: 'postReportFiledMail',
    render: (f) =>
      postReportFiledMail({
        council: council(f(0)),
        departmentName: f(1),
        blanket: { ...consultation('c1', f(2), '', 3), form: { title: f(2), blanket: { name: f(3) } } as ConsultationForm },
        report: postReport(f),
        url: url('c', f, 6),
      }),
    shown: [0, 1, 3, 4, 5],
    urls: (f) => [url('c', f, 6)],
  },
  {
    name: 'postReportAcceptedMail',
    render: (f) =>
      postReportAcceptedMail({
        council: council(f(0)),
        to: [DEPARTMENT],
        departmentName: f(1),
        blanket: { ...consultation('c1', f(2), '', 3), form: { title: f(2), blanket: { name: f(3) } } as ConsultationForm },
        report: postReport(f),
        meeting: meeting('meeting', '会議室'),
        meetingName: f(6),
        url: url('c', f, 7),
      }),
    shown: [0, 1, 3, 4, 5, 6],
    urls: (f) => [url('c', f, 7)],
  },
  {
    name: 'consultationAcceptedMail',
    render: (f) =>
      consultationAcceptedMail({
        council: council(f(0)),
        to: [DEPARTMENT],
        title: f(1),
        number: { fiscalYear: 2026, n: 7 },
        url: url('c', f, 2),
        departmentName: f(3),
        contactName: f(4),
      }),
    shown: [0, 1, 3, 4],
    urls: (f) => [url('c', f, 2)],
  },
  {
    name: 'caseWithdrawnMail',
    render: (f) =>
      caseWithdrawnMail({
        council: council(f(0)),
        to: [SECRETARIAT, DEPARTMENT],
        title: f(1),
        departmentName: f(2),
        reason: f(3),
        by: f(4),
        url: url('c', f, 5),
      }),
    shown: [0, 1, 2, 3, 4],
    urls: (f) => [url('c', f, 5)],
  },
  {
    name: 'followUpRequestMail',
    render: (f) =>
      followUpRequestMail({ council: council(f(0)), followUp: followUp(f), url: url('f', f, 5), forward: true, reminder: true, contactName: f(6) }),
    shown: [0, 1, 2, 3, 4, 6],
    urls: (f) => [url('f', f, 5)],
  },
  {
    name: 'followUpAnsweredMail',
    render: (f) => followUpAnsweredMail({ council: council(f(0)), followUp: followUp(f), answeredBy: f(5), url: url('fu', f, 6) }),
    shown: [0, 1, 2, 3, 5],
    urls: (f) => [url('fu', f, 6)],
  },
  {
    name: 'followUpReturnedMail',
    render: (f) => followUpReturnedMail({ council: council(f(0)), followUp: followUp(f), comment: f(5), url: url('f', f, 6), contactName: f(7) }),
    shown: [0, 1, 2, 3, 5, 7],
    urls: (f) => [url('f', f, 6)],
  },
  {
    name: 'followUpEscalationMail',
    render: (f) =>
      followUpEscalationMail({
        council: council(f(0)),
        followUp: followUp(f),
        to: ['kacho@example.jp', SECRETARIAT],
        url: url('fu', f, 5),
        departmentName: f(6),
      }),
    shown: [0, 1, 2, 3, 6],
    urls: (f) => [url('fu', f, 5)],
  },
  {
    name: 'incidentDeadlineMail',
    render: (f) =>
      incidentDeadlineMail({
        council: council(f(0)),
        incident: incident(f),
        departmentName: f(2),
        report: 'final',
        due: '2027-01-01',
        kind: 'overdue',
        to: ['kacho@example.jp', SECRETARIAT],
        url: url('incidents', f, 5),
      }),
    shown: [0, 1, 2],
    urls: (f) => [url('incidents', f, 5)],
  },
  {
    name: 'memberRegisteredMail',
    render: (f) => memberRegisteredMail({ council: council(f(0), f(2)), member: member('m-yamada', f(1)), rosterUrl: url('members', f, 3) }),
    shown: [0, 1, 2],
    urls: (f) => [url('members', f, 3)],
  },
  {
    name: 'minutesFinalMail',
    render: (f) =>
      minutesFinalMail({ council: council(f(0)), name: f(1), to: ['m-maeda@example.jp'], url: url('minutes', f, 2), member: member('m-maeda', f(3)) }),
    shown: [0, 1, 3],
    urls: (f) => [url('minutes', f, 2)],
  },
  {
    name: 'voteInvitationMail',
    render: (f) =>
      voteInvitationMail({
        council: council(f(0)),
        member: member('m-maeda', f(1)),
        meetingName: f(2),
        deadline: '2026-12-20',
        item: item(f(3), ['c1', 'c2']),
        cases: [consultation('c1', f(4), f(5), 2), consultation('c2', f(6), f(7))],
        url: url('v', f, 4),
      }),
    shown: [0, 1, 2, 3, 4, 5, 6, 7],
    urls: (f) => [url('v', f, 4)],
  },
  {
    name: 'voteInvitationMail (sent again)',
    render: (f) =>
      voteInvitationMail({
        council: council(f(0)),
        member: member('m-maeda', f(1)),
        meetingName: f(2),
        deadline: '2026-12-20',
        item: item(f(3), ['c1']),
        cases: [consultation('c1', f(4), f(5), 2)],
        url: url('v', f, 6),
        again: true,
      }),
    shown: [0, 1, 2, 3, 4, 5],
    urls: (f) => [url('v', f, 6)],
  },
  {
    name: 'voteReminderMail',
    render: (f) =>
      voteReminderMail({
        council: council(f(0)),
        member: member('m-maeda', f(1)),
        meetingName: f(2),
        deadline: '2026-12-20',
        item: item(f(3), ['c1']),
        milestone: '2days',
        url: url('v', f, 4),
      }),
    shown: [0, 1, 2, 3],
    urls: (f) => [url('v', f, 4)],
  },
  {
    name: 'chairReviewMail',
    render: (f) =>
      chairReviewMail({
        council: council(f(0)),
        chair: member('m-kobayashi', f(1)),
        meetingName: f(2),
        item: item(f(3), ['c1']),
        proposed: [f(4), f(5)],
        url: url('conditions', f, 6),
      }),
    shown: [0, 1, 2, 3, 4, 5],
    urls: (f) => [url('conditions', f, 6)],
  },
  {
    name: 'piaReviewRequestMail',
    render: (f) => piaReviewRequestMail({ council: council(f(0)), member: member('m-maeda', f(6)), review: piaReview(f), url: url('p', f, 1) }),
    shown: [0, 1, 6],
    urls: (f) => [url('p', f, 1)],
  },
  {
    name: 'piaReviewRequestMail (sent again)',
    render: (f) => piaReviewRequestMail({ council: council(f(0)), member: member('m-maeda', f(6)), review: piaReview(f), url: url('p', f, 1), again: true }),
    shown: [0, 1, 6],
    urls: (f) => [url('p', f, 1)],
  },
  {
    name: 'piaChairMail',
    render: (f) => piaChairMail({ council: council(f(0)), chair: member('m-kobayashi', f(6)), review: piaReview(f), url: url('pia', f, 1) }),
    shown: [0, 1, 6],
    urls: (f) => [url('pia', f, 1)],
  },
  {
    name: 'piaOpinionMail',
    render: (f) => piaOpinionMail({ council: council(f(0)), department: department(f(6)), review: piaReview(f), url: url('pia', f, 1) }),
    // f(2) is a section without findings when f(5) is blank: listed only with a finding, as f(3) always is.
    shown: [0, 1, 3, 4, 5, 6],
    urls: (f) => [url('pia', f, 1)],
  },
  {
    name: 'piaReminderMail',
    render: (f) => piaReminderMail({ council: council(f(0)), department: department(f(6)), review: piaReview(f), milestone: '6m', url: url('pia', f, 1) }),
    shown: [0, 1, 6, 7],
    urls: (f) => [url('pia', f, 1)],
  },
];

// ── Reading a rendered mail back ──────────────────────────────────────────────────────

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };
const unescapeHtml = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ENTITIES[e]!);
const bodyOf = (mail: Mail) => mail.html.slice(mail.html.indexOf('<body'));
/** The HTML part's text, one piece per text node. */
const htmlTextNodes = (mail: Mail) =>
  bodyOf(mail)
    .split(/<[^>]*>/)
    .map((s) => unescapeHtml(s).trim())
    .filter(Boolean);
const hrefs = (mail: Mail) => [...mail.html.matchAll(/ href="([^"]*)"/g)].map((m) => unescapeHtml(m[1]!));
/** Whitespace made single spaces, so layout (indents, line breaks, padding) does not count. */
const squeeze = (s: string) => s.replace(/[\p{White_Space}]+/gu, ' ');

const TAGS = 'html|head|meta|title|body|p|br|table|tr|th|td|blockquote|ul|ol|li|a|strong|small';
const ALLOWED_TAG = new RegExp(`^(?:<!doctype html>|</(?:${TAGS})>|<(?:${TAGS})(?: (?:lang|charset|style|href)="[^"<>]*")*>)$`);

// Strings a typed field could hold to attack a mail: markup, header breaks, formulas, controls.
const HOSTILE = [
  '<script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '=HYPERLINK("https://evil.example.jp","開く")',
  'x\r\nBcc: evil@example.jp',
  'x\nSubject: 偽',
  'a\rb\u2028c\u0085d\te',
  '\u0000\u0007\u001b[31m\u007f',
  '\u202Eevil\u202C',
  '&amp;&lt;b&gt;',
  '\uD800',
  '前田 久美子',
];
const piece = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 12 }));
const field = fc.array(piece, { maxLength: 3 }).map((parts) => parts.join(''));
const fields = fc.array(field, { minLength: 8, maxLength: 8 }).map((values) => (i: number) => values[i]!);

describe('mails: one source, two parts', () => {
  it.each(CASES)('$name: the text part says everything the HTML part says, and every field reaches both', ({ render, shown, urls }) => {
    fc.assert(
      fc.property(fields, (f) => {
        const mail = render(f);
        const text = squeeze(mail.text);
        for (const node of htmlTextNodes(mail)) expect(text).toContain(squeeze(node));
        const htmlText = squeeze(
          bodyOf(mail)
            .split(/<[^>]*>/)
            .map(unescapeHtml)
            .join(' '),
        );
        for (const i of shown) {
          for (const line of bodyText(f(i)).split('\n')) {
            const words = squeeze(line).trim();
            if (!words) continue;
            expect(text).toContain(words);
            expect(htmlText).toContain(words);
          }
        }
        expect(new Set(hrefs(mail))).toEqual(new Set(urls(f)));
        for (const link of urls(f)) expect(mail.text.split('\n').map((l) => l.trim())).toContain(link);
      }),
      { numRuns: 40 },
    );
  });

  it.each(CASES)('$name: no field adds markup to the HTML part', ({ render }) => {
    fc.assert(
      fc.property(fields, (f) => {
        const mail = render(f);
        for (const [tag] of mail.html.matchAll(/<[^>]*>/g)) expect(tag).toMatch(ALLOWED_TAG);
        expect(mail.html.replace(/<[^>]*>/g, '')).not.toMatch(/[<>"']/);
      }),
      { numRuns: 40 },
    );
  });

  it.each(CASES)('$name: no field adds a header', async ({ render }) => {
    await fc.assert(
      fc.asyncProperty(fields, async (f) => {
        const mail = render(f);
        for (const header of [mail.subject, mail.fromName ?? '']) expect(header).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
        expect(mail.fromName).toBe(headerText(f(0)));
        expect(mail.to.every((a) => /^[\w.-]+@[\w.-]+$/.test(a))).toBe(true);
        const sent = await sendThrough(mail);
        for (const input of sent) {
          expect(input.Source).not.toMatch(/[\r\n]/);
          expect(input.Source).toMatch(/<no-reply@example\.jp>$|^no-reply@example\.jp$/);
          expect(input.Message!.Subject!.Data).not.toMatch(/[\r\n]/);
          expect(input.Destination!.ToAddresses).toHaveLength(1);
        }
      }),
      { numRuns: 30 },
    );
  });
});

// ── Headers and the Mailer ────────────────────────────────────────────────────────────

/** Sends through the real Mailer into a client that records each SendEmail input. */
async function sendThrough(mail: Mail) {
  const inputs: SendEmailCommand['input'][] = [];
  const record = (input: SendEmailCommand['input'] | SendRawEmailCommand['input']) =>
    inputs.push('RawMessage' in input ? fromRaw(input as SendRawEmailCommand['input']) : (input as SendEmailCommand['input']));
  const client = { send: async (command: SendEmailCommand) => (record(command.input), { MessageId: `id-${inputs.length}` }) } as unknown as SESClient;
  await new Mailer(client, 'no-reply@example.jp').send(mail);
  return inputs;
}

/**
 * A SendRawEmail (a mail with files) read back as the SendEmail it stands for: the headers of its
 * MIME message, each one line ending in CRLF, the subject decoded from its encoded-words.
 */
function fromRaw(input: SendRawEmailCommand['input']): SendEmailCommand['input'] {
  const raw = Buffer.from(input.RawMessage!.Data!).toString('utf8');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  expect(head.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const header = (name: string) =>
    head
      .split('\r\n')
      .find((l) => l.startsWith(`${name}: `))
      ?.slice(name.length + 2);
  expect(input.Destinations).toEqual([header('To')]);
  const subject = header('Subject')!;
  return {
    Source: header('From')!,
    Destination: { ToAddresses: [header('To')!] },
    ...(header('Reply-To') ? { ReplyToAddresses: header('Reply-To')!.split(', ') } : {}),
    Message: { Subject: { Data: decodeWords(subject) }, Body: {} },
  };
}

const decodeWords = (header: string) =>
  header
    .replace(/ <[^>]*>$/, '')
    .split(' ')
    .map((w) => Buffer.from(/^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(w)![1]!, 'base64'))
    .reduce((all, b) => Buffer.concat([all, b]), Buffer.alloc(0))
    .toString('utf8');

describe('mail headers', () => {
  it('puts a subject on one line, whatever the case title holds', () => {
    const mail = consultationReturnedMail({
      council: council(),
      to: [DEPARTMENT],
      title: '介護保険\r\nBcc: evil@example.jp\u0007',
      comment: 'c',
      round: 1,
      url: `${BASE}/c/1`,
    });
    expect(mail.subject).toBe('【さくら市個人情報保護審議会】諮問の差し戻し:介護保険 Bcc: evil@example.jp');
    expect(mail.text).toContain('介護保険\nBcc: evil@example.jp」');
  });

  it('sends from the council by name, with replies to the secretariat', async () => {
    const mail = consultationAcceptedMail({ council: council(), to: [DEPARTMENT], title: 't', number: { fiscalYear: 2026, n: 1 }, url: `${BASE}/c/1` });
    expect(mail).toMatchObject({ fromName: 'さくら市個人情報保護審議会', replyTo: [SECRETARIAT] });
    const [input] = await sendThrough(mail);
    expect(input!.ReplyToAddresses).toEqual([SECRETARIAT]);
    expect(input!.Source).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <no-reply@example\.jp>$/);
    expect(decodeWords(input!.Source!)).toBe('さくら市個人情報保護審議会');
  });

  it('sends replies to the party who acted, in notices to the secretariat', () => {
    const f = (i: number) => `値${i}`;
    expect(
      consultationSubmittedMail({
        council: council(),
        departmentName: '福祉部 生活福祉課',
        form: form(f),
        url: `${BASE}/c/1`,
        resubmission: false,
        departmentEmail: DEPARTMENT,
      }).replyTo,
    ).toEqual([DEPARTMENT]);
    expect(
      followUpAnsweredMail({ council: council(), followUp: { ...followUp(f), ownerEmail: 'vendor@example.jp' }, answeredBy: 'x', url: `${BASE}/f/1` }).replyTo,
    ).toEqual(['vendor@example.jp']);
  });

  it('encodes display names as RFC 2047 words of at most 75 characters', () => {
    expect(fromHeader('a@example.jp')).toBe('a@example.jp');
    expect(fromHeader('a@example.jp', 'Sakura "Council"')).toBe('"Sakura \\"Council\\"" <a@example.jp>');
    const long = '東京都千代田区個人情報保護審議会 事務局 😀 '.repeat(4).trim();
    const header = fromHeader('a@example.jp', long);
    for (const word of header.replace(/ <[^>]*>$/, '').split(' ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(header)).toBe(long);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (name) => {
        expect(fromHeader('a@example.jp', name)).not.toMatch(/[\r\n]/);
      }),
    );
  });

  it('leaves Reply-To out when a mail has none', async () => {
    const [input] = await sendThrough({ to: ['a@example.jp'], subject: 's', text: 't', html: 'h' });
    expect(input).not.toHaveProperty('ReplyToAddresses');
    expect(input!.Source).toBe('no-reply@example.jp');
  });

  it('refuses an address or a link that could break out of its place', () => {
    const doc = { to: [DEPARTMENT], subject: 's', addressee: 'x', blocks: [] };
    expect(() => letter(council(), { ...doc, to: ['a@example.jp\r\nBcc: b@example.jp'] })).toThrow(/not a mail address/);
    expect(() => letter(council(), { ...doc, replyTo: ['a@example.jp>, b@example.jp'] })).toThrow(/not a mail address/);
    expect(() => letter(council(), { ...doc, blocks: [{ kind: 'link', label: 'x', url: 'javascript:alert(1)' }] })).toThrow(/not a link/);
    expect(() => letter(council(), { ...doc, blocks: [{ kind: 'link', label: 'x', url: `${BASE}/c/1\nSubject: x` }] })).toThrow(/not a link/);
  });
});

// ── Addressing ────────────────────────────────────────────────────────────────────────

const firstLines = (mail: Mail, n = 1) => mail.text.split('\n').slice(0, n);
const plain = (i: number) =>
  [
    'さくら市個人情報保護審議会',
    '介護保険関係事務',
    '受託者に必要な情報のみを提供すること。',
    '社会福祉法人さくら会',
    '証明書',
    '田中',
    '福祉部 生活福祉課',
    '長田 将夫',
  ][i]!;

describe('who a mail is addressed to', () => {
  const maeda = member('m-maeda', '前田 久美子');
  const kobayashi = member('m-kobayashi', '小林 正');
  const tanabe = member('m-tanabe', '田辺 和子');
  const vote = (m: Member) =>
    voteInvitationMail({
      council: council(),
      member: m,
      meetingName: '令和8年度第3回さくら市個人情報保護審議会(書面審議)',
      deadline: '2026-12-20',
      item: item('議題', ['c1']),
      cases: [consultation('c1', '件名', '目的', 1)],
      url: `${BASE}/v/t`,
    });

  it('addresses a member by name and office: 委員, 会長, 副会長', () => {
    expect(firstLines(vote(maeda))).toEqual(['前田 久美子 委員']);
    expect(firstLines(vote(kobayashi))).toEqual(['小林 正 会長']);
    expect(firstLines(vote(tanabe))).toEqual(['田辺 和子 副会長']);
    expect(
      firstLines(
        voteReminderMail({
          council: council(),
          member: maeda,
          meetingName: 'm',
          deadline: '2026-12-20',
          item: item('議題', []),
          milestone: 'dayof',
          url: `${BASE}/v/t`,
        }),
      ),
    ).toEqual(['前田 久美子 委員']);
    expect(firstLines(memberRegisteredMail({ council: council(), member: member('m-yamada', '山田 花子'), rosterUrl: `${BASE}/members` }))).toEqual([
      '山田 花子 委員',
    ]);
    expect(
      firstLines(
        chairReviewMail({
          council: { ...council(), chairMemberId: undefined },
          chair: kobayashi,
          meetingName: 'm',
          item: item('議題', []),
          proposed: ['c'],
          url: `${BASE}/x`,
        }),
      ),
    ).toEqual(['小林 正 会長']);
  });

  it('says 委員各位 only to the council as a whole; a member’s own copy names them', () => {
    const agenda = (m?: Member) =>
      agendaMail({
        council: council(),
        to: ['m@example.jp'],
        meeting: meeting('meeting', '特別会議室'),
        name: '第3回',
        agenda: [],
        cases: new Map(),
        meetingUrl: `${BASE}/m`,
        caseUrl: (id) => `${BASE}/${id}`,
        member: m,
      });
    expect(firstLines(agenda())).toEqual([TO_MEMBERS]);
    expect(firstLines(agenda(maeda))).toEqual(['前田 久美子 委員']);
    expect(firstLines(agenda(kobayashi))).toEqual(['小林 正 会長']);
    expect(firstLines(minutesFinalMail({ council: council(), name: '第3回', to: ['m@example.jp'], url: `${BASE}/m` }))).toEqual([TO_MEMBERS]);
    expect(firstLines(minutesFinalMail({ council: council(), name: '第3回', to: [maeda.email], url: `${BASE}/m`, member: maeda }))).toEqual([
      '前田 久美子 委員',
    ]);
  });

  it('never has the secretariat write 御中 to itself', () => {
    for (const { render } of CASES) expect(render(plain).text).not.toContain('御中');
    const submitted = consultationSubmittedMail({
      council: council(),
      departmentName: '福祉部 生活福祉課',
      form: form(plain),
      url: `${BASE}/c/1`,
      resubmission: false,
    });
    expect(firstLines(submitted)).toEqual([TO_SECRETARIAT]);
    expect(submitted.to).toEqual([SECRETARIAT]);
    expect(firstLines(followUpAnsweredMail({ council: council(), followUp: followUp(plain), answeredBy: '田中', url: `${BASE}/f/1` }))).toEqual([
      TO_SECRETARIAT,
    ]);
    const escalation = (departmentName?: string) =>
      followUpEscalationMail({ council: council(), followUp: followUp(plain), to: ['kacho@example.jp', SECRETARIAT], url: `${BASE}/f/1`, departmentName });
    expect(firstLines(escalation('福祉部 生活福祉課'), 2)).toEqual(['福祉部 生活福祉課 所属長 様', '(写し:事務局)']);
    expect(firstLines(escalation(), 2)).toEqual(['所属長 様', '(写し:事務局)']);
  });

  it('addresses a department’s mail to the form’s contact by name, else to its ご担当者', () => {
    const returned = (v: { departmentName?: string; contactName?: string }) =>
      consultationReturnedMail({ council: council(), to: [DEPARTMENT], title: 't', comment: 'c', round: 1, url: `${BASE}/c/1`, ...v });
    expect(firstLines(returned({ departmentName: '福祉部 生活福祉課', contactName: '長田 将夫' }))).toEqual(['福祉部 生活福祉課 長田 将夫 様']);
    expect(firstLines(returned({ contactName: '長田 将夫' }))).toEqual(['長田 将夫 様']);
    expect(firstLines(returned({ departmentName: '福祉部 生活福祉課', contactName: ' ' }))).toEqual(['福祉部 生活福祉課 ご担当者 様']);
    expect(firstLines(returned({}))).toEqual(['ご担当者 様']);
    const accepted = consultationAcceptedMail({
      council: council(),
      to: [DEPARTMENT],
      title: 't',
      number: { fiscalYear: 2026, n: 1 },
      url: `${BASE}/c/1`,
      departmentName: '福祉部 生活福祉課',
      contactName: '長田 将夫',
    });
    expect(firstLines(accepted)).toEqual(['福祉部 生活福祉課 長田 将夫 様']);
    expect(
      firstLines(answerIssuedMail({ council: council(), to: [DEPARTMENT], answer: answer(plain), url: `${BASE}/a`, departmentName: '福祉部 生活福祉課' })),
    ).toEqual(['福祉部 生活福祉課 ご担当者 様']);
    expect(
      firstLines(followUpRequestMail({ council: council(), followUp: followUp(plain), url: `${BASE}/f/1`, forward: false, contactName: '田中 一郎' })),
    ).toEqual(['社会福祉法人さくら会 田中 一郎 様']);
    expect(firstLines(followUpReturnedMail({ council: council(), followUp: followUp(plain), comment: 'c', url: `${BASE}/f/1` }))).toEqual([
      '社会福祉法人さくら会 ご担当者 様',
    ]);
  });
});

// ── The plain-text layout ─────────────────────────────────────────────────────────────

describe('the plain-text part', () => {
  it('has no markup, puts every URL alone on its line, and closes with the signature', () => {
    for (const { name, render } of CASES) {
      const mail = render(plain);
      expect(mail.text.replace(/^> /gm, ''), name).not.toMatch(/[<>]/);
      for (const line of mail.text.split('\n')) if (line.includes('://')) expect(line.trim(), name).toMatch(/^https:\/\/\S+$/);
      expect(mail.text, name).toMatch(/\n\nさくら市個人情報保護審議会 事務局\n[^\n]+\n$/);
    }
  });

  it('lines up the colons of a table, however long each label', () => {
    const mail = consultationSubmittedMail({
      council: council(),
      departmentName: '福祉部 生活福祉課',
      form: form(plain),
      url: `${BASE}/c/1`,
      resubmission: false,
    });
    const rows = mail.text.split('\n').filter((l) => /^(件名|個人情報取扱事務|諮問の区分|開始予定日|担当者|電話番号)/.test(l));
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => columns(r.slice(0, r.indexOf(':')))))).toEqual(new Set([16]));
    expect(rows).toContain('担当者\u3000\u3000\u3000\u3000\u3000:受託者に必要な情報のみを提供すること。');
  });

  it('keeps a quotation line for line, and indents a value’s further lines under the first', () => {
    const mail = consultationReturnedMail({ council: council(), to: [DEPARTMENT], title: 't', comment: '一行目\r\n二行目', round: 1, url: `${BASE}/c/1` });
    expect(mail.text).toContain('■事務局からのコメント\n> 一行目\n> 二行目\n');
    expect(mail.html).toContain('一行目<br>二行目</blockquote>');
    const withdrawn = caseWithdrawnMail({
      council: council(),
      to: [DEPARTMENT],
      title: '件名\n続き',
      departmentName: '市民課',
      reason: 'r',
      by: '事務局',
      url: `${BASE}/c/1`,
    });
    expect(withdrawn.text).toContain('件名\u3000:件名\n\u3000\u3000\u3000 続き\n所管課:市民課');
  });
});

describe('the meeting notice’s calendar entry', () => {
  // One pass, as a calendar reads it: an escaped backslash followed by 'n' is a backslash and an 'n', not a line break.
  const unescapeIcs = (v: string) => v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
  const property = (lines: string, name: string) => unescapeIcs(new RegExp(`\r\n${name}:([^\r]*)\r\n`).exec(lines.replace(/\r\n /g, ''))![1]!);

  it('folds every line at 75 octets and keeps any name and venue whole', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
        fc
          .constantFrom('\r', '\r\n', '\n', ';', ',', '\\', '\u0007', '会議室')
          .chain((x) => fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => `${s}${x}${s}`)),
        (name, venue) => {
          const mail = agendaMail({
            council: council(),
            to: ['m-maeda@example.jp'],
            meeting: meeting('meeting', venue),
            name,
            agenda: [],
            cases: new Map(),
            meetingUrl: `${BASE}/m`,
            caseUrl: () => `${BASE}/c`,
          });
          const ics = mail.attachments![0]!.content;
          expect(ics.split('\r\n').every((l) => !/[\r\n]/.test(l) && Buffer.byteLength(l) <= 75)).toBe(true);
          const plain = (v: string) => v.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\n]/gu, '');
          expect(property(ics, 'SUMMARY')).toBe(plain(name));
          if (plain(venue)) expect(property(ics, 'LOCATION')).toBe(plain(venue));
          expect(property(ics, 'DTSTART')).toBe('20261214T010000Z');
          expect(property(ics, 'DTEND')).toBe('20261214T023000Z');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('goes with a meeting’s notice only: a written decision has no time for a calendar', () => {
    const written = agendaMail({
      council: council(),
      to: ['m-maeda@example.jp'],
      meeting: meeting('written', ''),
      name: '書面',
      agenda: [],
      cases: new Map(),
      meetingUrl: `${BASE}/m`,
      caseUrl: () => `${BASE}/c`,
    });
    expect(written.attachments).toBeUndefined();
  });
});
