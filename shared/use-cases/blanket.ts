import { createHash } from 'node:crypto';
import type { Deps } from '#shared/adapters/deps.ts';
import { type BlanketClass, isApprovedClass, type PostReport, type PostReportInput, postReportItemTitle } from '#shared/domain/blanket.ts';
import { compareCodes } from '#shared/domain/collation.ts';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import { calendarDate, formatEraDate } from '#shared/domain/era.ts';
import { takesPostReports } from '#shared/domain/legal-basis.ts';
import { meetingName } from '#shared/domain/meeting.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { DomainError, InvalidInputError } from '#shared/errors.ts';
import { addFreeItem } from './agenda.ts';
import { actorOfPrincipal, recordAudit } from './audit.ts';

type BlanketDeps = Pick<Deps, 'councils' | 'consultations' | 'postReports' | 'clock'>;
type FilingDeps = BlanketDeps & Pick<Deps, 'notifier'>;

/** The council's approved blanket consultations (包括諮問), oldest number first. */
export async function approvedClasses(deps: Pick<Deps, 'consultations'>, councilId: string): Promise<BlanketClass[]> {
  const decided = (await Promise.all((['answered', 'followups_open', 'closed'] as const).map((s) => deps.consultations.listByStatus(councilId, s)))).flat();
  const blankets = decided.filter((c) => c.form.kind === 'blanket');
  const bundles = await Promise.all(blankets.map((c) => deps.consultations.bundle(c, 0)));
  return bundles
    .flatMap((b) => (isApprovedClass(b.consultation, b.answer) ? [{ consultation: b.consultation, answer: b.answer }] : []))
    .sort(
      (a, b) =>
        (a.consultation.number?.fiscalYear ?? 0) - (b.consultation.number?.fiscalYear ?? 0) ||
        (a.consultation.number?.n ?? 0) - (b.consultation.number?.n ?? 0),
    );
}

/**
 * 包括諮問の一覧: each approved class with the post-reports filed under it. Everyone of the
 * council reads it; a department sees its own post-reports, the others every one.
 */
export async function listBlanketApprovals(deps: BlanketDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'department', 'secretariat', 'member', 'chair');
  const [council, departments, classes, reports] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.councils.listDepartments(councilId),
    approvedClasses(deps, councilId),
    deps.postReports.list(councilId),
  ]);
  const visible = reports
    .filter((r) => viewer.role !== 'department' || r.departmentId === viewer.departmentId)
    .sort((a, b) => compareCodes(a.filedAt, b.filedAt));
  return {
    viewer,
    council,
    departments,
    takesPostReports: takesPostReports(council),
    classes: classes.map((c) => ({ ...c, reports: visible.filter((r) => r.classId === c.consultation.consultationId) })),
    /** Filed and not yet accepted, for the secretariat. */
    waiting: viewer.role === 'secretariat' ? visible.filter((r) => r.status === 'filed') : [],
  };
}

/** What the post-report form is drawn with: the council's approved classes; refused where the council takes no post-reports. */
export async function postReportForm(deps: BlanketDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'department');
  const council = await deps.councils.getCouncil(councilId);
  if (!takesPostReports(council)) throw new DomainError('この審議会は包括諮問に基づく事後報告を受け付けていません。');
  return { viewer, council, classes: await approvedClasses(deps, councilId) };
}

/** The report's id, minted from the form's request id: the same form sent twice files one report. */
const reportIdFor = (councilId: string, userId: string, requestId: string) =>
  createHash('sha256').update(`post-report\n${councilId}\n${userId}\n${requestId}`).digest('base64url').slice(0, 22);

/** A department files a post-report citing one of the council's approved classes; the secretariat is told, once. */
export async function filePostReport(deps: FilingDeps, principal: Principal | undefined, councilId: string, input: PostReportInput): Promise<PostReport> {
  const { viewer, council, classes } = await postReportForm(deps, principal, councilId);
  const cls = classes.find((c) => c.consultation.consultationId === input.classId);
  if (!cls) throw new InvalidInputError({ classId: '承認された包括諮問から選んでください。' });
  const report: PostReport = {
    reportId: reportIdFor(councilId, viewer.userId, input.requestId),
    classId: input.classId,
    departmentId: viewer.departmentId ?? '',
    done: input.done,
    doneOn: input.doneOn,
    count: input.count,
    ...(input.vendor ? { vendor: input.vendor } : {}),
    status: 'filed',
    filedBy: viewer.userId,
    filedAt: deps.clock.now().toISOString(),
  };
  // The same form sent again files nothing, and tells nobody again.
  if (await deps.postReports.add(councilId, report)) {
    await recordAudit(deps, cls.consultation, actorOfPrincipal(viewer), '事後報告を提出', { detail: input.done.slice(0, 200) });
    const department = (await deps.councils.listDepartments(councilId)).find((d) => d.departmentId === report.departmentId);
    await deps.notifier.notify({ type: 'post_report.filed', council, department, blanket: cls.consultation, report });
  }
  return report;
}

const isoDay = (now: Date) => {
  const d = calendarDate(now);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
};

/**
 * The secretariat accepts a post-report: it is not voted on, but heard as a report item (報告) on
 * the council's next planned meeting (the earliest planned on or after today). Without one the
 * acceptance is refused, saying so; the report stays filed.
 */
export async function acceptPostReport(deps: Deps, principal: Principal | undefined, councilId: string, reportId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const report = await deps.postReports.get(councilId, reportId);
  if (report.status !== 'filed') throw new DomainError('この事後報告は既に受け付けられています。');
  const today = isoDay(deps.clock.now());
  const next = (await deps.meetings.list(councilId))
    .filter((m) => m.status === 'planned' && m.date >= today)
    .sort((a, b) => compareCodes(a.date, b.date) || compareCodes(a.startTime ?? '', b.startTime ?? ''))[0];
  if (!next) throw new DomainError('予定されている会議がありません。先に次の会議を登録してから受け付けてください。');
  const [council, cls, department] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.consultations.get({ councilId, consultationId: report.classId }),
    deps.councils.listDepartments(councilId).then((all) => all.find((d) => d.departmentId === report.departmentId)),
  ]);
  await deps.postReports.accept(councilId, reportId, { meetingId: next.meetingId, acceptedBy: viewer.userId, acceptedAt: deps.clock.now().toISOString() });
  const itemId = await addFreeItem(deps, viewer, councilId, next.meetingId, {
    kind: 'report',
    title: postReportItemTitle(cls, cls.number ? formatConsultationNumber(cls.number) : ''),
    text: [
      `報告課:${department?.name ?? ''}`,
      `実施した取扱い:${report.done}`,
      `実施日:${formatEraDate(report.doneOn, { weekday: false })}`,
      `件数・対象者数:${report.count.toLocaleString('ja-JP')}`,
      ...(report.vendor ? [`委託先:${report.vendor}`] : []),
    ].join('\n'),
    explainers: undefined,
    outsideAgenda: undefined,
  });
  await deps.postReports.placeOnItem(councilId, reportId, itemId);
  await recordAudit(deps, cls, actorOfPrincipal(viewer), '事後報告を受付(会議の報告事項へ)', { detail: report.done.slice(0, 200) });
  if (department) {
    await deps.notifier.notify({
      type: 'post_report.accepted',
      council,
      department,
      blanket: cls,
      report,
      meeting: next,
      meetingName: meetingName(council, next),
    });
  }
  return { meeting: next, itemId };
}
