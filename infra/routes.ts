/**
 * The HTTP routes and workflow tasks, declared once: the CDK app builds one Lambda
 * and one API route from each entry, and the local gateway and workflow runner load
 * the very same handler modules from the same list.
 */
export interface RouteSpec {
  /** Construct id of the function; stable, so logical ids do not churn. */
  id: string;
  method: 'GET' | 'POST';
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** Least privilege on the table: pages that only read get read-only grants. */
  table: 'read' | 'write';
  /** Whether the handler sends mail (gets ses:SendEmail). */
  sendsMail?: boolean;
  /** Whether it starts or resumes the consultation workflow ('redrive' also re-runs a failed execution). */
  workflow?: boolean | 'redrive';
  /** Access to the attachments bucket: 'sign' presigns uploads and downloads, 'write' also inspects and deletes. */
  attachments?: 'sign' | 'write';
  /** Whether it signs or checks links (reads the signing key). */
  links?: boolean;
  /** Whether it starts minutes exports (may invoke the export job). */
  startsExport?: boolean;
  /** Whether it takes part in sign-in (needs the identity provider's URL and client id). */
  signIn?: boolean;
}

const CASE = '/c/{councilId}/consultations/{consultationId}';
const MEETING = '/c/{councilId}/meetings/{meetingId}';

export const ROUTES: readonly RouteSpec[] = [
  { id: 'Home', method: 'GET', path: '/', entry: 'functions/http/home.ts', table: 'read' },
  { id: 'AuthSignIn', method: 'GET', path: '/auth/signin', entry: 'functions/http/auth-signin.ts', table: 'read', signIn: true },
  { id: 'AuthCallback', method: 'GET', path: '/auth/callback', entry: 'functions/http/auth-callback.ts', table: 'read', signIn: true },
  { id: 'AuthSignOut', method: 'GET', path: '/auth/signout', entry: 'functions/http/auth-signout.ts', table: 'read', signIn: true },
  { id: 'MembersList', method: 'GET', path: '/c/{councilId}/members', entry: 'functions/http/members-list.ts', table: 'read' },
  { id: 'MemberAdd', method: 'POST', path: '/c/{councilId}/members', entry: 'functions/http/member-add.ts', table: 'write', sendsMail: true },
  { id: 'MemberEdit', method: 'GET', path: '/c/{councilId}/members/{memberId}', entry: 'functions/http/member-edit.ts', table: 'read' },
  { id: 'MemberSave', method: 'POST', path: '/c/{councilId}/members/{memberId}', entry: 'functions/http/member-save.ts', table: 'write' },
  { id: 'OfficesSave', method: 'POST', path: '/c/{councilId}/offices', entry: 'functions/http/offices-save.ts', table: 'write' },
  { id: 'ConsultationsList', method: 'GET', path: '/c/{councilId}/consultations', entry: 'functions/http/consultations-list.ts', table: 'read' },
  { id: 'ConsultationNew', method: 'GET', path: '/c/{councilId}/consultations/new', entry: 'functions/http/consultation-new.ts', table: 'read' },
  { id: 'ConsultationCreate', method: 'POST', path: '/c/{councilId}/consultations', entry: 'functions/http/consultation-create.ts', table: 'write', sendsMail: true, workflow: true },
  { id: 'ConsultationView', method: 'GET', path: CASE, entry: 'functions/http/consultation-view.ts', table: 'write' },
  { id: 'ConsultationEdit', method: 'GET', path: `${CASE}/edit`, entry: 'functions/http/consultation-edit.ts', table: 'write' },
  { id: 'ConsultationSave', method: 'POST', path: CASE, entry: 'functions/http/consultation-save.ts', table: 'write', sendsMail: true, workflow: true },
  { id: 'ConsultationRedrive', method: 'POST', path: `${CASE}/redrive`, entry: 'functions/http/consultation-redrive.ts', table: 'write', workflow: 'redrive' },
  { id: 'ConsultationWithdraw', method: 'POST', path: `${CASE}/withdraw`, entry: 'functions/http/consultation-withdraw.ts', table: 'write', workflow: true, sendsMail: true },
  { id: 'ConsultationScreen', method: 'POST', path: `${CASE}/screening`, entry: 'functions/http/consultation-screen.ts', table: 'write', sendsMail: true, workflow: true },
  { id: 'AttachmentsPage', method: 'GET', path: `${CASE}/attachments`, entry: 'functions/http/attachments-page.ts', table: 'read', attachments: 'sign' },
  { id: 'AttachmentUploaded', method: 'GET', path: `${CASE}/attachments/uploaded`, entry: 'functions/http/attachment-uploaded.ts', table: 'write', attachments: 'write' },
  { id: 'AuditExport', method: 'GET', path: `${CASE}/audit.csv`, entry: 'functions/http/audit-export.ts', table: 'read' },
  { id: 'AnswerView', method: 'GET', path: `${CASE}/answer`, entry: 'functions/http/answer-view.ts', table: 'read' },
  { id: 'MeetingsList', method: 'GET', path: '/c/{councilId}/meetings', entry: 'functions/http/meetings-list.ts', table: 'read' },
  { id: 'MeetingCreate', method: 'POST', path: '/c/{councilId}/meetings', entry: 'functions/http/meeting-create.ts', table: 'write' },
  { id: 'MeetingView', method: 'GET', path: MEETING, entry: 'functions/http/meeting-view.ts', table: 'read' },
  { id: 'AgendaAdd', method: 'POST', path: `${MEETING}/items`, entry: 'functions/http/agenda-add.ts', table: 'write', workflow: true },
  { id: 'AgendaItemUpdate', method: 'POST', path: `${MEETING}/items/{itemId}`, entry: 'functions/http/agenda-item-update.ts', table: 'write' },
  { id: 'MeetingOpen', method: 'POST', path: `${MEETING}/open`, entry: 'functions/http/meeting-open.ts', table: 'write', workflow: true, sendsMail: true, links: true },
  { id: 'MeetingResume', method: 'POST', path: `${MEETING}/resume`, entry: 'functions/http/meeting-resume.ts', table: 'write', workflow: true, sendsMail: true, links: true },
  { id: 'DecisionRecord', method: 'POST', path: `${MEETING}/items/{itemId}/decision`, entry: 'functions/http/decision-record.ts', table: 'write', workflow: true },
  { id: 'ConditionsView', method: 'GET', path: `${MEETING}/items/{itemId}/conditions`, entry: 'functions/http/conditions-view.ts', table: 'read' },
  { id: 'ConditionsConfirm', method: 'POST', path: `${MEETING}/items/{itemId}/conditions`, entry: 'functions/http/conditions-confirm.ts', table: 'write', workflow: true },
  { id: 'VoteView', method: 'GET', path: '/v/{token}', entry: 'functions/http/vote-view.ts', table: 'write', links: true },
  { id: 'VoteCast', method: 'POST', path: '/v/{token}', entry: 'functions/http/vote-cast.ts', table: 'write', links: true, workflow: true, sendsMail: true },
  { id: 'VoteFile', method: 'GET', path: '/v/{token}/files/{consultationId}/{attachmentId}', entry: 'functions/http/vote-file.ts', table: 'read', links: true, attachments: 'sign' },
  { id: 'FollowUpsDashboard', method: 'GET', path: '/c/{councilId}/followups', entry: 'functions/http/followups-dashboard.ts', table: 'read' },
  { id: 'FollowUpView', method: 'GET', path: `${CASE}/followups/{followUpId}`, entry: 'functions/http/followup-view.ts', table: 'read' },
  { id: 'FollowUpAct', method: 'POST', path: `${CASE}/followups/{followUpId}/{action}`, entry: 'functions/http/followup-act.ts', table: 'write', workflow: true, sendsMail: true, links: true },
  { id: 'FollowUpEvidence', method: 'GET', path: `${CASE}/followups/{followUpId}/evidence/{answer}/{file}`, entry: 'functions/http/followup-evidence.ts', table: 'read', attachments: 'sign' },
  { id: 'BusinessHistory', method: 'GET', path: '/c/{councilId}/businesses/{businessKey}', entry: 'functions/http/business-history.ts', table: 'read' },
  { id: 'FollowUpLinkView', method: 'GET', path: '/f/{token}', entry: 'functions/http/followup-link-view.ts', table: 'read', links: true, attachments: 'sign' },
  { id: 'FollowUpAnswer', method: 'POST', path: '/f/{token}', entry: 'functions/http/followup-answer.ts', table: 'write', links: true, sendsMail: true, attachments: 'sign' },
  { id: 'FollowUpEvidenceUploaded', method: 'GET', path: '/f/{token}/uploaded', entry: 'functions/http/followup-evidence-uploaded.ts', table: 'write', links: true, attachments: 'write' },
  { id: 'MinutesEdit', method: 'GET', path: `${MEETING}/minutes`, entry: 'functions/http/minutes-edit.ts', table: 'write' },
  { id: 'MinutesSave', method: 'POST', path: `${MEETING}/minutes`, entry: 'functions/http/minutes-save.ts', table: 'write' },
  { id: 'MinutesFinalize', method: 'POST', path: `${MEETING}/minutes/final`, entry: 'functions/http/minutes-finalize.ts', table: 'write', sendsMail: true },
  { id: 'MinutesExportRequest', method: 'POST', path: `${MEETING}/minutes/exports`, entry: 'functions/http/minutes-export-request.ts', table: 'write', startsExport: true },
  { id: 'MinutesExportStatus', method: 'GET', path: `${MEETING}/minutes/exports/{exportId}`, entry: 'functions/http/minutes-export-status.ts', table: 'read', attachments: 'sign' },
  { id: 'AgendaMail', method: 'POST', path: `${MEETING}/mail`, entry: 'functions/http/agenda-mail.ts', table: 'read', sendsMail: true },
  { id: 'AttachmentDownload', method: 'GET', path: `${CASE}/attachments/{attachmentId}`, entry: 'functions/http/attachment-download.ts', table: 'write', attachments: 'sign' },
];

export interface TaskSpec {
  id: string;
  entry: string;
  table: 'read' | 'write';
  sendsMail?: boolean;
  /** Whether it signs or checks links (reads the signing key). */
  links?: boolean;
}

/** Jobs run on a schedule (EventBridge in AWS, the local scheduler in the local stack). */
export const SCHEDULED_JOBS = {
  votingClock: { id: 'VotingClockJob', entry: 'functions/jobs/voting-clock.ts', table: 'write', sendsMail: true, workflow: true, links: true, everyMinutes: 60 },
  followUpClock: { id: 'FollowUpClockJob', entry: 'functions/jobs/followup-clock.ts', table: 'write', sendsMail: true, links: true, workflow: true, everyMinutes: 1440 },
} as const satisfies Record<string, TaskSpec & Pick<RouteSpec, 'workflow' | 'links'> & { everyMinutes: number }>;

/** Jobs started from pages and run in the background (asynchronous Lambda invocations). */
export const BACKGROUND_JOBS = {
  minutesExport: {
    id: 'MinutesExportJob',
    entry: 'functions/jobs/minutes-export.ts',
    table: 'write',
    attachments: 'write',
    timeoutSeconds: 300,
    memorySize: 1024,
    /** Two retries within 15 minutes, then the on-failure destination marks the export failed (see EXPORT_SILENCE_MS). */
    retryAttempts: 2,
    maxEventAgeMinutes: 15,
    onFailure: { id: 'MinutesExportFailedJob', entry: 'functions/jobs/minutes-export-failed.ts', table: 'write' },
  },
} as const satisfies Record<
  string,
  TaskSpec & Pick<RouteSpec, 'attachments'> & { timeoutSeconds: number; memorySize: number; retryAttempts: number; maxEventAgeMinutes: number; onFailure: TaskSpec }
>;

/** Lambda tasks of the consultation workflow. */
export const WORKFLOW_TASKS = {
  recordStatus: { id: 'RecordStatusTask', entry: 'functions/workflow/record-status.ts', table: 'write' },
  awaitPerson: { id: 'AwaitPersonTask', entry: 'functions/workflow/await-person.ts', table: 'write' },
  issueAnswer: { id: 'IssueAnswerTask', entry: 'functions/workflow/issue-answer.ts', table: 'write', sendsMail: true, links: true },
} as const satisfies Record<string, TaskSpec>;

/** Targets of the EventBridge rule on executions that stopped without succeeding. */
export const WORKFLOW_EVENTS = {
  executionStopped: { id: 'ExecutionStoppedHandler', entry: 'functions/workflow/execution-stopped.ts', table: 'write' },
} as const satisfies Record<string, TaskSpec>;
