import type { PostReport } from '#shared/domain/blanket.ts';
import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { type Meeting, meetingWhen } from '#shared/domain/meeting.ts';
import type { Mail } from './compose.ts';
import { TO_SECRETARIAT, toContact } from './compose.ts';
import { letter } from './layout.ts';

/** 「令和8年度諮問第3号 災害時の避難行動要支援者名簿の提供」: the approved class a report cites. */
const className = (cls: Consultation) => `${cls.number ? `${formatConsultationNumber(cls.number)} ` : ''}${cls.form.blanket?.name ?? cls.form.title}`;

/** What the department reported, as both mails show it. */
const reportRows = (report: PostReport): [string, string][] => [
  ['実施した取扱い', report.done],
  ['実施日', formatEraDate(report.doneOn, { weekday: false })],
  ['件数・対象者数', report.count.toLocaleString('ja-JP')],
  ...(report.vendor ? [['委託先', report.vendor] as [string, string]] : []),
];

/** To the secretariat: a department filed a post-report (事後報告) under an approved blanket consultation. */
export function postReportFiledMail(v: {
  council: Council;
  departmentName: string;
  /** The department's address: a reply goes to the department. */
  departmentEmail?: string | undefined;
  blanket: Consultation;
  report: PostReport;
  url: string;
}): Mail {
  return letter(v.council, {
    to: [v.council.secretariatEmail],
    replyTo: v.departmentEmail ? [v.departmentEmail] : undefined,
    subject: `【${v.council.name}】事後報告の提出:${v.blanket.form.blanket?.name ?? v.blanket.form.title}(${v.departmentName})`,
    addressee: TO_SECRETARIAT,
    blocks: [
      {
        kind: 'paragraph',
        text: `${v.departmentName || '所管課'}から、包括諮問に基づく事後報告が提出されました。受け付けると、次の会議の報告事項に入ります。`,
      },
      { kind: 'table', rows: [['包括諮問', className(v.blanket)], ...reportRows(v.report)] },
      { kind: 'link', label: '事後報告の確認と受付はこちらから', url: v.url },
    ],
  });
}

/** To the department: the secretariat accepted its post-report, to be heard at the next meeting. */
export function postReportAcceptedMail(v: {
  council: Council;
  to: string[];
  departmentName: string;
  blanket: Consultation;
  report: PostReport;
  meeting: Meeting;
  meetingName: string;
  url: string;
}): Mail {
  const written = v.meeting.kind === 'written';
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】事後報告の受付:${v.blanket.form.blanket?.name ?? v.blanket.form.title}`,
    addressee: toContact({ organization: v.departmentName }),
    blocks: [
      {
        kind: 'paragraph',
        text: `提出いただいた事後報告を受け付けました。次の${written ? '書面審議' : '会議'}で、報告事項として審議会に報告します。`,
      },
      {
        kind: 'table',
        rows: [
          ['包括諮問', className(v.blanket)],
          ...reportRows(v.report),
          [written ? '審議' : '会議', v.meetingName],
          [written ? '表決期限' : '日時', meetingWhen(v.meeting)],
        ],
      },
      { kind: 'link', label: '包括諮問と事後報告の一覧はこちらから', url: v.url },
    ],
  });
}
