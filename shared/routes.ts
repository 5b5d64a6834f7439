/**
 * Every page and form of the product, declared once. The API routes, the two page functions'
 * routers (staff pages and signed-link pages) and the local gateway are built from this table,
 * and every link in a page or a mail is made by `href` from it — no URL is pasted together.
 */
const CASE = '/c/{councilId}/consultations/{consultationId}';
const MEETING = '/c/{councilId}/meetings/{meetingId}';
const PIA = '/c/{councilId}/pia/{reviewId}';

/** Who reaches a route: signed-in staff, or anyone holding a signed link from a mail. */
export type RouteKind = 'staff' | 'link';

export const ROUTES = {
  Home: { method: 'GET', path: '/', kind: 'staff' },
  Help: { method: 'GET', path: '/help', kind: 'staff' },
  HelpRole: { method: 'GET', path: '/help/{role}', kind: 'staff' },
  AuthSignIn: { method: 'GET', path: '/auth/signin', kind: 'staff' },
  AuthCallback: { method: 'GET', path: '/auth/callback', kind: 'staff' },
  AuthSignOut: { method: 'GET', path: '/auth/signout', kind: 'staff' },
  AdminCouncils: { method: 'GET', path: '/admin/councils', kind: 'staff' },
  AdminCouncilCreate: { method: 'POST', path: '/admin/councils', kind: 'staff' },
  AdminCouncilSuspend: { method: 'POST', path: '/admin/councils/{councilId}/suspend', kind: 'staff' },
  AdminCouncilArchive: { method: 'POST', path: '/admin/councils/{councilId}/archives', kind: 'staff' },
  AdminCouncilArchiveStatus: { method: 'GET', path: '/admin/councils/{councilId}/archives/{archiveId}', kind: 'staff' },
  AdminCouncilArchiveDownload: { method: 'GET', path: '/admin/councils/{councilId}/archives/{archiveId}/download', kind: 'staff' },
  AdminCouncilDeleteConfirm: { method: 'GET', path: '/admin/councils/{councilId}/delete', kind: 'staff' },
  AdminCouncilDelete: { method: 'POST', path: '/admin/councils/{councilId}/delete', kind: 'staff' },
  MembersList: { method: 'GET', path: '/c/{councilId}/members', kind: 'staff' },
  MemberAdd: { method: 'POST', path: '/c/{councilId}/members', kind: 'staff' },
  MemberEdit: { method: 'GET', path: '/c/{councilId}/members/{memberId}', kind: 'staff' },
  MemberSave: { method: 'POST', path: '/c/{councilId}/members/{memberId}', kind: 'staff' },
  MemberLinksRevoke: { method: 'POST', path: '/c/{councilId}/members/{memberId}/links/revoke', kind: 'staff' },
  OfficesSave: { method: 'POST', path: '/c/{councilId}/offices', kind: 'staff' },
  DepartmentsList: { method: 'GET', path: '/c/{councilId}/departments', kind: 'staff' },
  DepartmentAdd: { method: 'POST', path: '/c/{councilId}/departments', kind: 'staff' },
  DepartmentSave: { method: 'POST', path: '/c/{councilId}/departments/{departmentId}', kind: 'staff' },
  SettingsView: { method: 'GET', path: '/c/{councilId}/settings', kind: 'staff' },
  SettingsSave: { method: 'POST', path: '/c/{councilId}/settings', kind: 'staff' },
  StaffList: { method: 'GET', path: '/c/{councilId}/staff', kind: 'staff' },
  StaffInvite: { method: 'POST', path: '/c/{councilId}/staff', kind: 'staff' },
  StaffSave: { method: 'POST', path: '/c/{councilId}/staff/{userId}', kind: 'staff' },
  StaffDisable: { method: 'POST', path: '/c/{councilId}/staff/{userId}/disable', kind: 'staff' },
  ImportView: { method: 'GET', path: '/c/{councilId}/import', kind: 'staff' },
  ImportTemplate: { method: 'GET', path: '/c/{councilId}/import/template.csv', kind: 'staff' },
  ImportUploaded: { method: 'GET', path: '/c/{councilId}/import/uploaded', kind: 'staff' },
  ImportConfirm: { method: 'POST', path: '/c/{councilId}/import', kind: 'staff' },
  ConsultationsList: { method: 'GET', path: '/c/{councilId}/consultations', kind: 'staff' },
  ConsultationNew: { method: 'GET', path: '/c/{councilId}/consultations/new', kind: 'staff' },
  ConsultationCreate: { method: 'POST', path: '/c/{councilId}/consultations', kind: 'staff' },
  ConsultationsAccept: { method: 'POST', path: '/c/{councilId}/acceptances', kind: 'staff' },
  ConsultationView: { method: 'GET', path: CASE, kind: 'staff' },
  ConsultationEdit: { method: 'GET', path: `${CASE}/edit`, kind: 'staff' },
  ConsultationSave: { method: 'POST', path: CASE, kind: 'staff' },
  ConsultationScreen: { method: 'POST', path: `${CASE}/screening`, kind: 'staff' },
  ConsultationRedrive: { method: 'POST', path: `${CASE}/redrive`, kind: 'staff' },
  ConsultationWithdraw: { method: 'POST', path: `${CASE}/withdraw`, kind: 'staff' },
  ConsultationVendorReport: { method: 'POST', path: `${CASE}/vendor`, kind: 'staff' },
  AttachmentsPage: { method: 'GET', path: `${CASE}/attachments`, kind: 'staff' },
  AttachmentUploaded: { method: 'GET', path: `${CASE}/attachments/uploaded`, kind: 'staff' },
  AttachmentDownload: { method: 'GET', path: `${CASE}/attachments/{attachmentId}`, kind: 'staff' },
  AuditExport: { method: 'GET', path: `${CASE}/audit.csv`, kind: 'staff' },
  AnswerView: { method: 'GET', path: `${CASE}/answer`, kind: 'staff' },
  AnswerApprove: { method: 'POST', path: `${CASE}/answer`, kind: 'staff' },
  AnswerDocx: { method: 'GET', path: `${CASE}/answer.docx`, kind: 'staff' },
  MeetingsList: { method: 'GET', path: '/c/{councilId}/meetings', kind: 'staff' },
  MeetingCreate: { method: 'POST', path: '/c/{councilId}/meetings', kind: 'staff' },
  MeetingView: { method: 'GET', path: MEETING, kind: 'staff' },
  AgendaDocx: { method: 'GET', path: `${MEETING}/agenda.docx`, kind: 'staff' },
  AgendaAdd: { method: 'POST', path: `${MEETING}/items`, kind: 'staff' },
  AgendaItemUpdate: { method: 'POST', path: `${MEETING}/items/{itemId}`, kind: 'staff' },
  AgendaItemRemove: { method: 'POST', path: `${MEETING}/items/{itemId}/remove`, kind: 'staff' },
  AgendaItemRequest: { method: 'POST', path: `${MEETING}/items/{itemId}/requests`, kind: 'staff' },
  AgendaNextMeeting: { method: 'POST', path: `${MEETING}/items/{itemId}/next`, kind: 'staff' },
  AgendaExplainers: { method: 'POST', path: `${MEETING}/explainers`, kind: 'staff' },
  MeetingOpen: { method: 'POST', path: `${MEETING}/open`, kind: 'staff' },
  MeetingChange: { method: 'POST', path: `${MEETING}/change`, kind: 'staff' },
  MeetingCancel: { method: 'POST', path: `${MEETING}/cancel`, kind: 'staff' },
  MeetingResume: { method: 'POST', path: `${MEETING}/resume`, kind: 'staff' },
  MeetingRoll: { method: 'POST', path: `${MEETING}/roll`, kind: 'staff' },
  MeetingAttendees: { method: 'POST', path: `${MEETING}/attendees`, kind: 'staff' },
  MeetingRecord: { method: 'GET', path: `${MEETING}/record`, kind: 'staff' },
  MeetingRecordEntry: { method: 'POST', path: `${MEETING}/record`, kind: 'staff' },
  DecisionRecord: { method: 'POST', path: `${MEETING}/items/{itemId}/decision`, kind: 'staff' },
  DecisionsAllHands: { method: 'POST', path: `${MEETING}/decisions`, kind: 'staff' },
  ConditionsView: { method: 'GET', path: `${MEETING}/items/{itemId}/conditions`, kind: 'staff' },
  ConditionsConfirm: { method: 'POST', path: `${MEETING}/items/{itemId}/conditions`, kind: 'staff' },
  AgendaMail: { method: 'POST', path: `${MEETING}/mail`, kind: 'staff' },
  MinutesEdit: { method: 'GET', path: `${MEETING}/minutes`, kind: 'staff' },
  MinutesSave: { method: 'POST', path: `${MEETING}/minutes`, kind: 'staff' },
  MinutesFinalize: { method: 'POST', path: `${MEETING}/minutes/final`, kind: 'staff' },
  MinutesExportRequest: { method: 'POST', path: `${MEETING}/minutes/exports`, kind: 'staff' },
  MinutesExportStatus: { method: 'GET', path: `${MEETING}/minutes/exports/{exportId}`, kind: 'staff' },
  FollowUpsDashboard: { method: 'GET', path: '/c/{councilId}/followups', kind: 'staff' },
  FollowUpView: { method: 'GET', path: `${CASE}/followups/{followUpId}`, kind: 'staff' },
  FollowUpAct: { method: 'POST', path: `${CASE}/followups/{followUpId}/{action}`, kind: 'staff' },
  FollowUpEvidence: { method: 'GET', path: `${CASE}/followups/{followUpId}/evidence/{answer}/{file}`, kind: 'staff' },
  BusinessHistory: { method: 'GET', path: '/c/{councilId}/businesses/{businessKey}', kind: 'staff' },
  BlanketApprovals: { method: 'GET', path: '/c/{councilId}/blanket-approvals', kind: 'staff' },
  PostReportNew: { method: 'GET', path: '/c/{councilId}/blanket-approvals/reports/new', kind: 'staff' },
  PostReportCreate: { method: 'POST', path: '/c/{councilId}/blanket-approvals/reports', kind: 'staff' },
  PostReportAccept: { method: 'POST', path: '/c/{councilId}/blanket-approvals/reports/{reportId}/accept', kind: 'staff' },
  // 特定個人情報保護評価書の第三者点検
  PiaList: { method: 'GET', path: '/c/{councilId}/pia', kind: 'staff' },
  PiaCreate: { method: 'POST', path: '/c/{councilId}/pia', kind: 'staff' },
  PiaView: { method: 'GET', path: PIA, kind: 'staff' },
  PiaSections: { method: 'POST', path: `${PIA}/sections`, kind: 'staff' },
  PiaUploaded: { method: 'GET', path: `${PIA}/uploaded`, kind: 'staff' },
  PiaVersionAdd: { method: 'POST', path: `${PIA}/versions`, kind: 'staff' },
  PiaVersionFile: { method: 'GET', path: `${PIA}/versions/{n}`, kind: 'staff' },
  PiaOpen: { method: 'POST', path: `${PIA}/review`, kind: 'staff' },
  PiaClose: { method: 'POST', path: `${PIA}/review/close`, kind: 'staff' },
  PiaOpinionSave: { method: 'POST', path: `${PIA}/opinion`, kind: 'staff' },
  PiaOpinionReopen: { method: 'POST', path: `${PIA}/opinion/reopen`, kind: 'staff' },
  PiaOpinionApprove: { method: 'POST', path: `${PIA}/opinion/approve`, kind: 'staff' },
  PiaOpinionDocx: { method: 'GET', path: `${PIA}/opinion.docx`, kind: 'staff' },
  PiaStep: { method: 'POST', path: `${PIA}/steps`, kind: 'staff' },
  FilesList: { method: 'GET', path: '/c/{councilId}/files', kind: 'staff' },
  FileCreate: { method: 'POST', path: '/c/{councilId}/files', kind: 'staff' },
  FileNew: { method: 'GET', path: '/c/{councilId}/files/new', kind: 'staff' },
  FilesPublicHtml: { method: 'GET', path: '/c/{councilId}/files/register.html', kind: 'staff' },
  FilesPublicCsv: { method: 'GET', path: '/c/{councilId}/files/register.csv', kind: 'staff' },
  FilesReport: { method: 'POST', path: '/c/{councilId}/files/report', kind: 'staff' },
  FileView: { method: 'GET', path: '/c/{councilId}/files/{fileId}', kind: 'staff' },
  FileEdit: { method: 'GET', path: '/c/{councilId}/files/{fileId}/edit', kind: 'staff' },
  FileSave: { method: 'POST', path: '/c/{councilId}/files/{fileId}', kind: 'staff' },
  FileAbolish: { method: 'POST', path: '/c/{councilId}/files/{fileId}/abolish', kind: 'staff' },
  IncidentsList: { method: 'GET', path: '/c/{councilId}/incidents', kind: 'staff' },
  IncidentNew: { method: 'GET', path: '/c/{councilId}/incidents/new', kind: 'staff' },
  IncidentCreate: { method: 'POST', path: '/c/{councilId}/incidents', kind: 'staff' },
  IncidentView: { method: 'GET', path: '/c/{councilId}/incidents/{incidentId}', kind: 'staff' },
  IncidentEdit: { method: 'GET', path: '/c/{councilId}/incidents/{incidentId}/edit', kind: 'staff' },
  IncidentAct: { method: 'POST', path: '/c/{councilId}/incidents/{incidentId}/{action}', kind: 'staff' },
  SearchView: { method: 'GET', path: '/c/{councilId}/search', kind: 'staff' },
  SearchIndexBuild: { method: 'POST', path: '/c/{councilId}/search/index', kind: 'staff' },
  VoteView: { method: 'GET', path: '/v/{token}', kind: 'link' },
  VoteCast: { method: 'POST', path: '/v/{token}', kind: 'link' },
  VoteFile: { method: 'GET', path: '/v/{token}/files/{consultationId}/{attachmentId}', kind: 'link' },
  FollowUpLinkView: { method: 'GET', path: '/f/{token}', kind: 'link' },
  FollowUpAnswer: { method: 'POST', path: '/f/{token}', kind: 'link' },
  FollowUpEvidenceUploaded: { method: 'GET', path: '/f/{token}/uploaded', kind: 'link' },
  PiaLinkView: { method: 'GET', path: '/p/{token}', kind: 'link' },
  PiaLinkSave: { method: 'POST', path: '/p/{token}', kind: 'link' },
  PiaLinkFile: { method: 'GET', path: '/p/{token}/file', kind: 'link' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string; kind: RouteKind }>;

export type RouteId = keyof typeof ROUTES;
export type RouteSpec = (typeof ROUTES)[RouteId];

/** The `{name}` parameters of a path, as an object type. */
type ParamsOf<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? { [K in Name | keyof ParamsOf<Rest>]: string } : Record<never, never>;
export type RouteParams<Id extends RouteId> = ParamsOf<(typeof ROUTES)[Id]['path']>;

/**
 * The path of a route with its parameters filled in (each encoded), and an optional query.
 * `href('ConsultationView', { councilId, consultationId })` → `/c/sakura/consultations/abc`.
 */
export function href<Id extends RouteId>(id: Id, params: RouteParams<Id>, query?: Record<string, string | number | undefined>): string {
  const values = params as Record<string, string>;
  const path = ROUTES[id].path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') throw new Error(`href(${id}): missing ${name}`);
    return encodeURIComponent(value);
  });
  const search = Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  return search.length ? `${path}?${new URLSearchParams(search.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : path;
}

/** The routes each page function serves, in the table's order (a static path before a parameter at the same place). */
export const routesOf = (kind: RouteKind) => (Object.entries(ROUTES) as [RouteId, RouteSpec][]).filter(([, r]) => r.kind === kind);
