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

/**
 * The part of the product a route belongs to. Each area's pages of a kind are served by one
 * module (functions/http/routes/*), which a page function loads on the first request to one
 * of them: a cold container reads only the code of the page it is asked for.
 */
export type RouteArea =
  | 'home'
  | 'admin'
  | 'members'
  | 'departments'
  | 'settings'
  | 'staff'
  | 'import'
  | 'consultations'
  | 'attachments'
  | 'meetings'
  | 'proceedings'
  | 'followups'
  | 'blanket'
  | 'pia'
  | 'files'
  | 'incidents'
  | 'search'
  | 'links';

export const ROUTES = {
  Home: { method: 'GET', path: '/', kind: 'staff', area: 'home' },
  Help: { method: 'GET', path: '/help', kind: 'staff', area: 'home' },
  HelpRole: { method: 'GET', path: '/help/{role}', kind: 'staff', area: 'home' },
  AuthSignIn: { method: 'GET', path: '/auth/signin', kind: 'staff', area: 'home' },
  AuthCallback: { method: 'GET', path: '/auth/callback', kind: 'staff', area: 'home' },
  AuthSignOut: { method: 'GET', path: '/auth/signout', kind: 'staff', area: 'home' },
  AdminCouncils: { method: 'GET', path: '/admin/councils', kind: 'staff', area: 'admin' },
  AdminCouncilCreate: { method: 'POST', path: '/admin/councils', kind: 'staff', area: 'admin' },
  AdminCouncilSuspend: { method: 'POST', path: '/admin/councils/{councilId}/suspend', kind: 'staff', area: 'admin' },
  AdminCouncilArchive: { method: 'POST', path: '/admin/councils/{councilId}/archives', kind: 'staff', area: 'admin' },
  AdminCouncilArchiveStatus: { method: 'GET', path: '/admin/councils/{councilId}/archives/{archiveId}', kind: 'staff', area: 'admin' },
  AdminCouncilArchiveDownload: { method: 'GET', path: '/admin/councils/{councilId}/archives/{archiveId}/download', kind: 'staff', area: 'admin' },
  AdminCouncilDeleteConfirm: { method: 'GET', path: '/admin/councils/{councilId}/delete', kind: 'staff', area: 'admin' },
  AdminCouncilDelete: { method: 'POST', path: '/admin/councils/{councilId}/delete', kind: 'staff', area: 'admin' },
  MembersList: { method: 'GET', path: '/c/{councilId}/members', kind: 'staff', area: 'members' },
  MemberAdd: { method: 'POST', path: '/c/{councilId}/members', kind: 'staff', area: 'members' },
  MemberEdit: { method: 'GET', path: '/c/{councilId}/members/{memberId}', kind: 'staff', area: 'members' },
  MemberSave: { method: 'POST', path: '/c/{councilId}/members/{memberId}', kind: 'staff', area: 'members' },
  MemberLinksRevoke: { method: 'POST', path: '/c/{councilId}/members/{memberId}/links/revoke', kind: 'staff', area: 'members' },
  MemberLinksResend: { method: 'POST', path: '/c/{councilId}/members/{memberId}/links/resend', kind: 'staff', area: 'members' },
  OfficesSave: { method: 'POST', path: '/c/{councilId}/offices', kind: 'staff', area: 'members' },
  DepartmentsList: { method: 'GET', path: '/c/{councilId}/departments', kind: 'staff', area: 'departments' },
  DepartmentAdd: { method: 'POST', path: '/c/{councilId}/departments', kind: 'staff', area: 'departments' },
  DepartmentSave: { method: 'POST', path: '/c/{councilId}/departments/{departmentId}', kind: 'staff', area: 'departments' },
  SettingsView: { method: 'GET', path: '/c/{councilId}/settings', kind: 'staff', area: 'settings' },
  SettingsSave: { method: 'POST', path: '/c/{councilId}/settings', kind: 'staff', area: 'settings' },
  StaffList: { method: 'GET', path: '/c/{councilId}/staff', kind: 'staff', area: 'staff' },
  StaffInvite: { method: 'POST', path: '/c/{councilId}/staff', kind: 'staff', area: 'staff' },
  StaffSave: { method: 'POST', path: '/c/{councilId}/staff/{userId}', kind: 'staff', area: 'staff' },
  StaffDisable: { method: 'POST', path: '/c/{councilId}/staff/{userId}/disable', kind: 'staff', area: 'staff' },
  ImportView: { method: 'GET', path: '/c/{councilId}/import', kind: 'staff', area: 'import' },
  ImportTemplate: { method: 'GET', path: '/c/{councilId}/import/template.csv', kind: 'staff', area: 'import' },
  ImportUploaded: { method: 'GET', path: '/c/{councilId}/import/uploaded', kind: 'staff', area: 'import' },
  ImportConfirm: { method: 'POST', path: '/c/{councilId}/import', kind: 'staff', area: 'import' },
  ConsultationsList: { method: 'GET', path: '/c/{councilId}/consultations', kind: 'staff', area: 'consultations' },
  ConsultationNew: { method: 'GET', path: '/c/{councilId}/consultations/new', kind: 'staff', area: 'consultations' },
  ConsultationCreate: { method: 'POST', path: '/c/{councilId}/consultations', kind: 'staff', area: 'consultations' },
  ConsultationsAccept: { method: 'POST', path: '/c/{councilId}/acceptances', kind: 'staff', area: 'consultations' },
  ConsultationView: { method: 'GET', path: CASE, kind: 'staff', area: 'consultations' },
  ConsultationEdit: { method: 'GET', path: `${CASE}/edit`, kind: 'staff', area: 'consultations' },
  ConsultationSave: { method: 'POST', path: CASE, kind: 'staff', area: 'consultations' },
  ConsultationScreen: { method: 'POST', path: `${CASE}/screening`, kind: 'staff', area: 'consultations' },
  ConsultationRedrive: { method: 'POST', path: `${CASE}/redrive`, kind: 'staff', area: 'consultations' },
  ConsultationWithdraw: { method: 'POST', path: `${CASE}/withdraw`, kind: 'staff', area: 'consultations' },
  ConsultationVendorReport: { method: 'POST', path: `${CASE}/vendor`, kind: 'staff', area: 'consultations' },
  AttachmentsPage: { method: 'GET', path: `${CASE}/attachments`, kind: 'staff', area: 'attachments' },
  AttachmentUploaded: { method: 'GET', path: `${CASE}/attachments/uploaded`, kind: 'staff', area: 'attachments' },
  AttachmentDownload: { method: 'GET', path: `${CASE}/attachments/{attachmentId}`, kind: 'staff', area: 'attachments' },
  AuditExport: { method: 'GET', path: `${CASE}/audit.csv`, kind: 'staff', area: 'consultations' },
  AnswerView: { method: 'GET', path: `${CASE}/answer`, kind: 'staff', area: 'consultations' },
  AnswerApprove: { method: 'POST', path: `${CASE}/answer`, kind: 'staff', area: 'consultations' },
  AnswerDocx: { method: 'GET', path: `${CASE}/answer.docx`, kind: 'staff', area: 'consultations' },
  MeetingsList: { method: 'GET', path: '/c/{councilId}/meetings', kind: 'staff', area: 'meetings' },
  MeetingCreate: { method: 'POST', path: '/c/{councilId}/meetings', kind: 'staff', area: 'meetings' },
  MeetingView: { method: 'GET', path: MEETING, kind: 'staff', area: 'meetings' },
  AgendaDocx: { method: 'GET', path: `${MEETING}/agenda.docx`, kind: 'staff', area: 'meetings' },
  AgendaAdd: { method: 'POST', path: `${MEETING}/items`, kind: 'staff', area: 'meetings' },
  AgendaItemUpdate: { method: 'POST', path: `${MEETING}/items/{itemId}`, kind: 'staff', area: 'meetings' },
  AgendaItemRemove: { method: 'POST', path: `${MEETING}/items/{itemId}/remove`, kind: 'staff', area: 'meetings' },
  AgendaItemRequest: { method: 'POST', path: `${MEETING}/items/{itemId}/requests`, kind: 'staff', area: 'meetings' },
  AgendaNextMeeting: { method: 'POST', path: `${MEETING}/items/{itemId}/next`, kind: 'staff', area: 'meetings' },
  AgendaExplainers: { method: 'POST', path: `${MEETING}/explainers`, kind: 'staff', area: 'meetings' },
  MeetingOpen: { method: 'POST', path: `${MEETING}/open`, kind: 'staff', area: 'meetings' },
  MeetingChange: { method: 'POST', path: `${MEETING}/change`, kind: 'staff', area: 'meetings' },
  MeetingCancel: { method: 'POST', path: `${MEETING}/cancel`, kind: 'staff', area: 'meetings' },
  MeetingResume: { method: 'POST', path: `${MEETING}/resume`, kind: 'staff', area: 'meetings' },
  MeetingRoll: { method: 'POST', path: `${MEETING}/roll`, kind: 'staff', area: 'proceedings' },
  MeetingAttendees: { method: 'POST', path: `${MEETING}/attendees`, kind: 'staff', area: 'proceedings' },
  MeetingRecord: { method: 'GET', path: `${MEETING}/record`, kind: 'staff', area: 'proceedings' },
  MeetingRecordEntry: { method: 'POST', path: `${MEETING}/record`, kind: 'staff', area: 'proceedings' },
  DecisionRecord: { method: 'POST', path: `${MEETING}/items/{itemId}/decision`, kind: 'staff', area: 'meetings' },
  DecisionsAllHands: { method: 'POST', path: `${MEETING}/decisions`, kind: 'staff', area: 'meetings' },
  ConditionsView: { method: 'GET', path: `${MEETING}/items/{itemId}/conditions`, kind: 'staff', area: 'meetings' },
  ConditionsConfirm: { method: 'POST', path: `${MEETING}/items/{itemId}/conditions`, kind: 'staff', area: 'meetings' },
  AgendaMail: { method: 'POST', path: `${MEETING}/mail`, kind: 'staff', area: 'meetings' },
  MinutesEdit: { method: 'GET', path: `${MEETING}/minutes`, kind: 'staff', area: 'meetings' },
  MinutesSave: { method: 'POST', path: `${MEETING}/minutes`, kind: 'staff', area: 'meetings' },
  MinutesFinalize: { method: 'POST', path: `${MEETING}/minutes/final`, kind: 'staff', area: 'meetings' },
  MinutesExportRequest: { method: 'POST', path: `${MEETING}/minutes/exports`, kind: 'staff', area: 'meetings' },
  MinutesExportStatus: { method: 'GET', path: `${MEETING}/minutes/exports/{exportId}`, kind: 'staff', area: 'meetings' },
  FollowUpsDashboard: { method: 'GET', path: '/c/{councilId}/followups', kind: 'staff', area: 'followups' },
  FollowUpView: { method: 'GET', path: `${CASE}/followups/{followUpId}`, kind: 'staff', area: 'followups' },
  FollowUpAct: { method: 'POST', path: `${CASE}/followups/{followUpId}/{action}`, kind: 'staff', area: 'followups' },
  FollowUpEvidence: { method: 'GET', path: `${CASE}/followups/{followUpId}/evidence/{answer}/{file}`, kind: 'staff', area: 'followups' },
  BusinessHistory: { method: 'GET', path: '/c/{councilId}/businesses/{businessKey}', kind: 'staff', area: 'followups' },
  BlanketApprovals: { method: 'GET', path: '/c/{councilId}/blanket-approvals', kind: 'staff', area: 'blanket' },
  PostReportNew: { method: 'GET', path: '/c/{councilId}/blanket-approvals/reports/new', kind: 'staff', area: 'blanket' },
  PostReportCreate: { method: 'POST', path: '/c/{councilId}/blanket-approvals/reports', kind: 'staff', area: 'blanket' },
  PostReportAccept: { method: 'POST', path: '/c/{councilId}/blanket-approvals/reports/{reportId}/accept', kind: 'staff', area: 'blanket' },
  // 特定個人情報保護評価書の第三者点検
  PiaList: { method: 'GET', path: '/c/{councilId}/pia', kind: 'staff', area: 'pia' },
  PiaCreate: { method: 'POST', path: '/c/{councilId}/pia', kind: 'staff', area: 'pia' },
  PiaView: { method: 'GET', path: PIA, kind: 'staff', area: 'pia' },
  PiaSections: { method: 'POST', path: `${PIA}/sections`, kind: 'staff', area: 'pia' },
  PiaUploaded: { method: 'GET', path: `${PIA}/uploaded`, kind: 'staff', area: 'pia' },
  PiaVersionAdd: { method: 'POST', path: `${PIA}/versions`, kind: 'staff', area: 'pia' },
  PiaVersionFile: { method: 'GET', path: `${PIA}/versions/{n}`, kind: 'staff', area: 'pia' },
  PiaOpen: { method: 'POST', path: `${PIA}/review`, kind: 'staff', area: 'pia' },
  PiaClose: { method: 'POST', path: `${PIA}/review/close`, kind: 'staff', area: 'pia' },
  PiaLinkResend: { method: 'POST', path: `${PIA}/review/members/{memberId}/resend`, kind: 'staff', area: 'pia' },
  PiaOpinionSave: { method: 'POST', path: `${PIA}/opinion`, kind: 'staff', area: 'pia' },
  PiaOpinionReopen: { method: 'POST', path: `${PIA}/opinion/reopen`, kind: 'staff', area: 'pia' },
  PiaOpinionApprove: { method: 'POST', path: `${PIA}/opinion/approve`, kind: 'staff', area: 'pia' },
  PiaOpinionDocx: { method: 'GET', path: `${PIA}/opinion.docx`, kind: 'staff', area: 'pia' },
  PiaStep: { method: 'POST', path: `${PIA}/steps`, kind: 'staff', area: 'pia' },
  FilesList: { method: 'GET', path: '/c/{councilId}/files', kind: 'staff', area: 'files' },
  FileCreate: { method: 'POST', path: '/c/{councilId}/files', kind: 'staff', area: 'files' },
  FileNew: { method: 'GET', path: '/c/{councilId}/files/new', kind: 'staff', area: 'files' },
  FilesPublicHtml: { method: 'GET', path: '/c/{councilId}/files/register.html', kind: 'staff', area: 'files' },
  FilesPublicCsv: { method: 'GET', path: '/c/{councilId}/files/register.csv', kind: 'staff', area: 'files' },
  FilesReport: { method: 'POST', path: '/c/{councilId}/files/report', kind: 'staff', area: 'files' },
  FileView: { method: 'GET', path: '/c/{councilId}/files/{fileId}', kind: 'staff', area: 'files' },
  FileEdit: { method: 'GET', path: '/c/{councilId}/files/{fileId}/edit', kind: 'staff', area: 'files' },
  FileSave: { method: 'POST', path: '/c/{councilId}/files/{fileId}', kind: 'staff', area: 'files' },
  FileAbolish: { method: 'POST', path: '/c/{councilId}/files/{fileId}/abolish', kind: 'staff', area: 'files' },
  IncidentsList: { method: 'GET', path: '/c/{councilId}/incidents', kind: 'staff', area: 'incidents' },
  IncidentsCsv: { method: 'GET', path: '/c/{councilId}/incidents.csv', kind: 'staff', area: 'incidents' },
  IncidentNew: { method: 'GET', path: '/c/{councilId}/incidents/new', kind: 'staff', area: 'incidents' },
  IncidentCreate: { method: 'POST', path: '/c/{councilId}/incidents', kind: 'staff', area: 'incidents' },
  IncidentView: { method: 'GET', path: '/c/{councilId}/incidents/{incidentId}', kind: 'staff', area: 'incidents' },
  IncidentEdit: { method: 'GET', path: '/c/{councilId}/incidents/{incidentId}/edit', kind: 'staff', area: 'incidents' },
  IncidentAct: { method: 'POST', path: '/c/{councilId}/incidents/{incidentId}/{action}', kind: 'staff', area: 'incidents' },
  SearchView: { method: 'GET', path: '/c/{councilId}/search', kind: 'staff', area: 'search' },
  SearchIndexBuild: { method: 'POST', path: '/c/{councilId}/search/index', kind: 'staff', area: 'search' },
  VoteView: { method: 'GET', path: '/v/{token}', kind: 'link', area: 'links' },
  VoteCast: { method: 'POST', path: '/v/{token}', kind: 'link', area: 'links' },
  VoteFile: { method: 'GET', path: '/v/{token}/files/{consultationId}/{attachmentId}', kind: 'link', area: 'links' },
  FollowUpLinkView: { method: 'GET', path: '/f/{token}', kind: 'link', area: 'links' },
  FollowUpAnswer: { method: 'POST', path: '/f/{token}', kind: 'link', area: 'links' },
  FollowUpEvidenceUploaded: { method: 'GET', path: '/f/{token}/uploaded', kind: 'link', area: 'links' },
  PiaLinkView: { method: 'GET', path: '/p/{token}', kind: 'link', area: 'pia' },
  PiaLinkSave: { method: 'POST', path: '/p/{token}', kind: 'link', area: 'pia' },
  PiaLinkFile: { method: 'GET', path: '/p/{token}/file', kind: 'link', area: 'pia' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string; kind: RouteKind; area: RouteArea }>;

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
