import type { Server } from 'node:http';
import path from 'node:path';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../constructs/house-function.ts';
import { FUNCTIONS, PAGE_FUNCTION, ROUTES } from '../routes.ts';
import { signInUrls } from '../settings.ts';
import { DEMO_ACT2023_IDENTITIES, DEMO_IDENTITIES, DEMO_OPERATOR, seedDemo } from './demo-data.ts';
import { localEventBus } from './events.ts';
import { localGateway } from './gateway.ts';
import { localIdentityProvider } from './idp.ts';
import { lambdaApi } from './lambda-api.ts';
import { startS3 } from './s3.ts';
import { secretsApi } from './secrets.ts';
import { close, ensureTable, listen, startDynamo } from './services.ts';
import { startSes } from './ses.ts';
import { sfnApi } from './sfn-api.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, LOCAL_STATE_MACHINE_ARN, synthesize } from './synth.ts';
import { WorkflowRunner } from './workflow-runner.ts';

export interface LocalStackOptions {
  /** Folder for DynamoDB data, the workflow journal, stored objects and sent mails; in memory when omitted. */
  dataDir?: string | undefined;
  /** 0 picks a free port. */
  ports?: Partial<Record<'http' | 'dynamodb' | 'ses' | 'sfn' | 's3' | 'secrets' | 'lambda' | 'idp', number>>;
  /** Load the demo council. @default true */
  seed?: boolean;
  /** Retry failed workflow steps after this many ms instead of the deployed backoff (tests). */
  retryIntervalMs?: number;
  /** Waits before the retries of failed asynchronous invocations, instead of Lambda's 1 and 2 minutes (tests). */
  asyncRetryDelaysMs?: readonly number[];
  /**
   * An external DynamoDB (e.g. DynamoDB Local) instead of the embedded dynalite; the table is
   * created there if missing. Defaults to LOCAL_DYNAMODB_ENDPOINT and LOCAL_DYNAMODB_TABLE
   * when set, so a test run can point every stack at one DynamoDB Local.
   */
  dynamodb?: { endpoint: string; tableName?: string | undefined } | undefined;
  /** Asynchronous invocations running at once (Lambda's concurrency limit); unlimited when omitted. */
  lambdaConcurrency?: number | undefined;
  /** Told of every function invocation's end (the bench times the jobs' units with it). */
  onInvocation?: ((record: { name: string; ms: number; error?: string }) => void) | undefined;
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;

export const LOCAL_TABLE_NAME = 'council-local';
export const LOCAL_ATTACHMENTS_BUCKET = 'council-attachments-local';
export const LOCAL_SIGNING_SECRET = 'council-link-signing-key';
const LOCAL_IDP_CLIENT = 'local-council-app';
const LOCAL_USER_POOL = 'ap-northeast-1_local';
const STATE_MACHINE_ARN = LOCAL_STATE_MACHINE_ARN;

/** Handler modules are imported once, like a warm Lambda container. */
const modules = new Map<string, Promise<{ handler: (...args: any[]) => Promise<any> }>>();
const loadHandler = (entry: string) => {
  if (!modules.has(entry)) modules.set(entry, import(path.join(REPO_ROOT, entry)));
  return modules.get(entry)!.then((m) => m.handler);
};

/**
 * Starts the whole system on loopback: dynalite, the SES stand-in, the Step Functions
 * stand-in running the synthesized definition, and the HTTP gateway — all driving the
 * same handler modules CDK deploys, found through the SDK's standard endpoint variables.
 */
export async function startLocalStack(options: LocalStackOptions = {}) {
  const ports = { http: 0, dynamodb: 0, ses: 0, sfn: 0, s3: 0, secrets: 0, lambda: 0, idp: 0, ...options.ports };
  const synth = synthesize();

  /** A deployed function's name (its logical id) → the handler module it runs. */
  const handlerOf = (functionName: string) => {
    const fn = synth.functions.get(functionName);
    if (!fn) throw new Error(`no handler for function ${functionName}`);
    return loadHandler(fn.entry);
  };
  const settingsOf = (functionName: string) => synth.functions.get(functionName);

  const external = options.dynamodb ?? externalDynamoFromEnv();
  const tableName = external?.tableName ?? LOCAL_TABLE_NAME;
  const dynamo = external
    ? { server: undefined, url: external.endpoint }
    : await startDynamo(ports.dynamodb, options.dataDir && path.join(options.dataDir, 'dynamodb'));
  const ses = await startSes(ports.ses, options.dataDir && path.join(options.dataDir, 'ses'));
  const s3 = await startS3({ port: ports.s3, dataDir: options.dataDir && path.join(options.dataDir, 's3') });
  const lambdas = lambdaApi({
    loadHandler: handlerOf,
    settingsOf,
    asyncConfigOf: (fn) => synth.asyncInvokeConfigs.get(fn),
    retryDelaysMs: options.asyncRetryDelaysMs,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    journalPath: options.dataDir && path.join(options.dataDir, 'lambda', 'queued.json'),
    concurrency: options.lambdaConcurrency,
    onInvocation: options.onInvocation,
  });
  // Execution status changes reach the functions of the app's EventBridge rules, as in AWS.
  const events = localEventBus(synth.stateMachineEventRules, lambdas.invokeAsync);
  const runner = new WorkflowRunner({
    definition: synth.definition,
    stateMachineArn: STATE_MACHINE_ARN,
    loadHandler: handlerOf,
    functionSettings: settingsOf,
    journalPath: options.dataDir && path.join(options.dataDir, 'workflow', 'executions.json'),
    retryIntervalMs: options.retryIntervalMs,
    onStatusChange: events.publish,
  });
  const secretsServer = secretsApi({ names: [LOCAL_SIGNING_SECRET], dataDir: options.dataDir });
  const secretsUrl = await listen(secretsServer, ports.secrets);
  const lambdaUrl = await listen(lambdas.server, ports.lambda);
  const exportFunction = exportFunctionOf(synth);
  const sfnServer = sfnApi(runner);
  const sfnUrl = await listen(sfnServer, ports.sfn);
  // Every API route, integrated as in AWS with the page function of its kind.
  const routes = Object.entries(ROUTES).map(([id, r]) => ({ id, method: r.method, path: r.path, entry: PAGE_FUNCTION[r.kind].entry }));
  const gateway = localGateway({ routes, loadHandler });
  const httpUrl = await listen(gateway, ports.http);
  // The app's address is its origin (APP_BASE_URL below): the identity provider sends browsers back there only.
  const { callbackUrls, logoutUrls } = signInUrls(httpUrl);
  const idp = localIdentityProvider({
    users: [...DEMO_IDENTITIES, ...DEMO_ACT2023_IDENTITIES, DEMO_OPERATOR],
    clientId: LOCAL_IDP_CLIENT,
    redirectUris: callbackUrls,
    logoutUris: logoutUrls,
    dataDir: options.dataDir,
  });
  const idpUrl = await listen(idp, ports.idp);

  // The same settings CDK gives the functions, with the local endpoints in the SDK's standard variables.
  Object.assign(
    process.env,
    localEnvironment(
      synth.environment,
      { http: httpUrl, dynamodb: dynamo.url, ses: ses.url, sfn: sfnUrl, s3: s3.url, secrets: secretsUrl, lambda: lambdaUrl, idp: idpUrl },
      { exports: exportFunction, jobs: jobsFunctionOf(synth) },
      tableName,
    ),
  );

  await ensureTable(dynamo.url, tableName, synth.table);
  await ensureBucket(s3.url, LOCAL_ATTACHMENTS_BUCKET);
  let seeded = 0;
  if (options.seed ?? true) {
    const { dynamo: db } = await import('#shared/adapters/aws.ts');
    const { CouncilRepository } = await import('#shared/adapters/council-repository.ts');
    const { StaffRepository } = await import('#shared/adapters/staff-repository.ts');
    seeded = (await seedDemo({ councils: new CouncilRepository(db, tableName), staff: new StaffRepository(db, tableName) })).created;
  }
  const resumed = runner.resumeWaiting() + lambdas.resumeQueued();

  // The local scheduler: the synthesized schedule rules, invoking their functions with their input as EventBridge
  // does (asynchronously, with Lambda's retries), at the same rate; runJob runs one at once and waits for it
  // and for every unit it started (the dispatcher starts one per council, asynchronously).
  const scheduledEvent = (input: unknown) => input ?? { 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString() };
  const runJob = (job: string) => {
    const schedule = synth.schedules.find((s) => (s.input as { job?: string } | undefined)?.job === job);
    if (!schedule) throw new Error(`no schedule runs the job ${job}`);
    return lambdas.invoke(schedule.functionName, scheduledEvent(schedule.input)).then(async (result) => {
      await lambdas.idle();
      return result;
    });
  };
  const timers = synth.schedules.map((s) => setInterval(() => lambdas.invokeAsync(s.functionName, scheduledEvent(s.input)), s.everyMinutes * 60_000));

  // The gateway closes first (no new work), then the runner lets running tasks finish, then the services go.
  // An external DynamoDB is not ours to stop (its table stays, so a restarted stack finds its data).
  const services: Server[] = [idp, lambdas.server, sfnServer, secretsServer, ses.server, s3.server, ...(dynamo.server ? [dynamo.server] : [])];
  return {
    urls: { http: httpUrl, dynamodb: dynamo.url, ses: ses.url, sfn: sfnUrl, s3: s3.url, secrets: secretsUrl, lambda: lambdaUrl, idp: idpUrl },
    tableName,
    stateMachineArn: STATE_MACHINE_ARN,
    /** The Secrets Manager stand-in (and the secrets extension's), where the bench counts the key's reads. */
    secretsServer,
    runner,
    seeded,
    resumed,
    runJob,
    /** The synthesized functions: name (logical id) → handler module, timeout and memory. */
    functions: synth.functions,
    async stop() {
      for (const t of timers) clearInterval(t);
      await close(gateway);
      await Promise.all([runner.stop(), lambdas.drain()]);
      for (const s of services) await close(s);
    },
  };
}

/**
 * What a function (or a test client) of the local stack finds in its environment: the settings
 * CDK gives the functions, with the local services in the SDK's standard endpoint variables.
 */
export function localEnvironment(
  functionSettings: Record<string, string>,
  urls: LocalStack['urls'],
  functions: { exports: string; jobs: string },
  tableName = LOCAL_TABLE_NAME,
): Record<string, string> {
  return {
    ...functionSettings,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SES: urls.ses,
    AWS_ENDPOINT_URL_SFN: urls.sfn,
    AWS_ENDPOINT_URL_S3: urls.s3,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.secrets,
    // The functions read the signing key as from the Parameters and Secrets extension, which the stand-in also serves.
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: new URL(urls.secrets).port,
    SIGNING_SECRET_ARN: LOCAL_SIGNING_SECRET,
    AWS_ENDPOINT_URL_LAMBDA: urls.lambda,
    IDP_URL: urls.idp,
    IDP_CLIENT_ID: LOCAL_IDP_CLIENT,
    // The local provider signs its ID tokens as issuer at its own address, keys at /.well-known/jwks.json.
    ID_TOKEN_ISSUER: urls.idp,
    // Invitations create accounts at the local provider through Cognito's own API (AdminCreateUser).
    USER_POOL_ID: LOCAL_USER_POOL,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: urls.idp,
    EXPORT_FUNCTION_NAME: functions.exports,
    JOBS_FUNCTION_NAME: functions.jobs,
    TABLE_NAME: tableName,
    ATTACHMENTS_BUCKET: LOCAL_ATTACHMENTS_BUCKET,
    APP_BASE_URL: urls.http,
    STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN,
    // The SES stand-in has no sending rate: the mailer's own limit only needs to stay out of the way.
    MAIL_RATE_PER_SECOND: '500',
    // One process is every container here, and the tests and bench drive one council hard (the bench at 50 connections): each council's fair share is lifted out of the way.
    COUNCIL_REQUESTS_PER_SECOND: '100000',
  };
}

function externalDynamoFromEnv(): LocalStackOptions['dynamodb'] {
  const endpoint = process.env['LOCAL_DYNAMODB_ENDPOINT'];
  return endpoint ? { endpoint, tableName: process.env['LOCAL_DYNAMODB_TABLE'] || undefined } : undefined;
}

/** The attachments bucket, versioned as the deployed one is (so deleting an upload for good is tested as it runs in AWS). */
async function ensureBucket(endpoint: string, bucket: string) {
  const client = new S3Client({ endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((e as Error).name)) throw e;
  }
  await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  client.destroy();
}

/** The function the minutes pages start exports on (its name is the logical id CDK gives it). */
export function exportFunctionOf(synth: ReturnType<typeof synthesize>): string {
  const found = [...synth.functions].find(
    ([name, fn]) => fn.entry === FUNCTIONS.exports.entry && name.startsWith(FUNCTIONS.exports.id) && !name.startsWith(FUNCTIONS.exportFailures.id),
  );
  if (!found) throw new Error('no export function in the synthesized app');
  return found[0];
}

/** The jobs function, whose units the dispatcher starts (its name is the logical id CDK gives it). */
export function jobsFunctionOf(synth: ReturnType<typeof synthesize>): string {
  const found = [...synth.functions].find(([name, fn]) => fn.entry === FUNCTIONS.jobs.entry && name.startsWith(FUNCTIONS.jobs.id));
  if (!found) throw new Error('no jobs function in the synthesized app');
  return found[0];
}
