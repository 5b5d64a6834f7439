import { ROUTES } from '#shared/routes.ts';

/**
 * The product's Lambda functions, by kind: a handful, each with the least privilege its kind
 * needs. The pages' routes come from `shared/routes.ts` (each route's `kind` names its function);
 * the CDK app builds the functions and API routes from here, and the local stack runs the same
 * handler modules from the same table.
 */
export interface FunctionSpec {
  /** Construct id of the function; stable, so logical ids do not churn. */
  id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  /** Table access: pages that only read would get read-only grants. */
  table: 'read' | 'write';
  /** Sends mail (ses:SendEmail as the configured identity). */
  sendsMail?: boolean;
  /** Starts and completes the workflow's steps; 'redrive' also re-runs failed executions. */
  workflow?: boolean | 'redrive';
  /** The attachments bucket: 'sign' presigns uploads and downloads, 'write' also inspects, keeps and deletes. */
  attachments?: 'sign' | 'write';
  /** Reads the signing key (sessions and links). */
  links?: boolean;
  /** Starts minutes exports (invokes the export function). */
  startsExport?: boolean;
  /** Starts the scheduled jobs' units (invokes the jobs function asynchronously, once per council). */
  startsJobs?: boolean;
  /** Takes part in sign-in (the identity provider's URL and client id). */
  signIn?: boolean;
  timeoutSeconds?: number;
  memorySize?: number;
}

export const FUNCTIONS = {
  /** Every page staff use, and sign-in. */
  staff: {
    id: 'StaffPages',
    entry: 'functions/staff.ts',
    description: 'pages: staff',
    table: 'write',
    sendsMail: true,
    workflow: 'redrive',
    attachments: 'write',
    links: true,
    startsExport: true,
    signIn: true,
    // Opening a meeting hands every case over to its workflow and mails each member: more than
    // the 10 s default with many items on a busy container, within the HTTP API's 30 s limit.
    timeoutSeconds: 28,
  },
  /** Pages opened from signed links in mails (votes, follow-up reports): no staff session, no sign-in. */
  links: {
    id: 'LinkPages',
    entry: 'functions/links.ts',
    description: 'pages: signed links',
    table: 'write',
    sendsMail: true,
    workflow: true,
    attachments: 'write',
    links: true,
    // The last ballot closes the round and hands the decision to the workflow in the same request.
    timeoutSeconds: 20,
  },
  /** The consultation workflow's tasks, and the rule on its stopped executions. */
  workflow: {
    id: 'WorkflowTasks',
    entry: 'functions/workflow.ts',
    description: 'workflow: tasks and stopped executions',
    table: 'write',
    sendsMail: true,
    links: true,
  },
  /** The schedules' target: lists the councils a page at a time and starts one unit of the job per council. */
  dispatcher: {
    id: 'JobDispatcher',
    entry: 'functions/dispatch.ts',
    description: 'jobs: one unit per council',
    table: 'read',
    startsJobs: true,
    timeoutSeconds: 60,
  },
  /** The hourly and daily jobs, one council per invocation (started by the dispatcher). */
  jobs: {
    id: 'ScheduledJobs',
    entry: 'functions/jobs.ts',
    description: 'jobs: voting clock, follow-up clock',
    table: 'write',
    sendsMail: true,
    workflow: true,
    links: true,
  },
  /** Minutes exports, run in the background (asynchronous invocations). */
  exports: {
    id: 'MinutesExports',
    entry: 'functions/exports.ts',
    description: 'job: minutes export',
    table: 'write',
    attachments: 'write',
    timeoutSeconds: 300,
    memorySize: 1024,
  },
  /** The export function's on-failure destination (same code): marks an export Lambda gave up on as failed. */
  exportFailures: { id: 'MinutesExportFailures', entry: 'functions/exports.ts', description: 'job: minutes export given up', table: 'write' },
} as const satisfies Record<string, FunctionSpec>;
export type FunctionKind = keyof typeof FUNCTIONS;

/** The function that serves each kind of page route. */
export const PAGE_FUNCTION = { staff: FUNCTIONS.staff, link: FUNCTIONS.links } as const;

/**
 * Jobs run on a schedule (EventBridge in AWS, the local scheduler in the local stack): the rule
 * passes `{ job }` to the dispatcher, which starts `{ job, councilId }` on the jobs function for
 * every council.
 */
export const SCHEDULES = {
  votingClock: { everyMinutes: 60 },
  followUpClock: { everyMinutes: 1440 },
} as const;

/** How Lambda treats the export function's asynchronous invocations. */
export const EXPORT_ASYNC = {
  /** Two retries within 15 minutes, then the on-failure destination marks the export failed (see EXPORT_SILENCE_MS). */
  retryAttempts: 2,
  maxEventAgeMinutes: 15,
} as const;

export { ROUTES };
