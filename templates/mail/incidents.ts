import type { Council } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { deadlineText, type Incident, type IncidentNoticeKind, incidentDeadlines, PPC_REPORTS, type PpcReport } from '#shared/domain/incidents.ts';
import type { Mail } from './compose.ts';
import { toContact } from './compose.ts';
import { letter } from './layout.ts';

/**
 * An incident's 速報 or 確報 to the 個人情報保護委員会: to the department two days before and on
 * the day; once overdue, to the department's manager with a copy to the secretariat.
 */
export function incidentDeadlineMail(v: {
  council: Council;
  incident: Incident;
  departmentName: string | undefined;
  report: PpcReport;
  due: string;
  kind: IncidentNoticeKind;
  to: string[];
  url: string;
}): Mail {
  const i = v.incident;
  const name = PPC_REPORTS[v.report];
  const deadline = incidentDeadlines(i)[v.report];
  const overdue = v.kind === 'overdue';
  const headline = overdue ? `期限超過:${name}が提出されていません` : v.kind === 'dayof' ? `本日が${name}の期限です` : `${name}の期限が近づいています`;
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】${headline}(漏えい等事案:${i.title}、期限 ${formatEraDate(v.due, { weekday: false })})`,
    addressee: overdue
      ? [v.departmentName ? `${v.departmentName} 所属長 様` : '所属長 様', '(写し:事務局)']
      : toContact({ organization: v.departmentName ?? '', contactName: undefined }),
    blocks: [
      {
        kind: 'paragraph',
        strong: overdue,
        text: overdue
          ? `次の漏えい等事案について、個人情報保護委員会への${name}の期限(${formatEraDate(v.due)})を過ぎても、提出の記録がありません。至急、状況を確認してください。`
          : `次の漏えい等事案について、個人情報保護委員会への${name}の期限は${formatEraDate(v.due)}です。提出したら、提出日を記録してください。`,
      },
      {
        kind: 'table',
        rows: [
          ['件名', i.title],
          ['所管課', v.departmentName ?? ''],
          ['覚知日', formatEraDate(i.foundOn)],
          [`${name}の期限`, deadlineText(deadline)],
          ['対象となった本人の数', `${i.affectedCount}人`],
        ],
      },
      { kind: 'link', label: '事案の記録はこちら(提出日の記録もここから)', url: v.url },
    ],
  });
}
