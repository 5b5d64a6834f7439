import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, ClientAttributes, Mfa, OAuthScope, StringAttribute, UserPool, UserPoolClient, UserPoolEmail } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LambdaDestination, SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { HouseFunction } from './constructs/house-function.ts';
import { OperatorAlarms } from './constructs/operator-alarms.ts';
import { acceptWildcards, arnInFinding } from './nag.ts';
import { EXPORT_ASYNC, FUNCTIONS, type FunctionSpec, ROUTES, SCHEDULES } from './routes.ts';
import { type DeploymentSettings, signInUrls } from './settings.ts';
import { consultationLifecycle } from './workflow/consultation-lifecycle.ts';

/** Routes opened from links in mails, and the requests per second each may take. */
const LINK_ROUTES = Object.values(ROUTES)
  .filter((r) => r.kind === 'link')
  .map((r) => `${r.method} ${r.path}`);
export const LINK_RATE_PER_SECOND = 5;

export interface AppStackProps extends StackProps {
  /** The table from the stateful stack. */
  table: ITableV2;
  /** The attachments bucket from the stateful stack. */
  attachments: IBucket;
  /** The link-signing key from the stateful stack. */
  signingKey: ISecret;
  settings: DeploymentSettings;
}

/** Everything that can be replaced freely: the pages' functions, the API and the workflow. */
export class AppStack extends Stack {
  readonly api: HttpApi;
  readonly stateMachine: StateMachine;
  /** Every function with the handler module it runs, for the local stack and the tests. */
  readonly functions: HouseFunction[] = [];
  /** Where asynchronous invocations that failed for good are kept (the export function has its own handler for them). */
  readonly failedInvocations: Queue;
  readonly alarms: OperatorAlarms;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { table, settings } = props;
    const mailIdentity = settings.mailFrom.split('@')[1]!;

    // Staff sign in through Cognito's hosted UI. `custom:councilId` names the council whose staff registry
    // holds the person's role and department (the role and department attributes are no longer read).
    const users = new UserPool(this, 'StaffUsers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Invitations are the app's own mails from each council's sender (AdminCreateUser suppresses
      // Cognito's); what Cognito still sends (password recovery) goes through SES from the
      // deployment's verified sender, not Cognito's own mailer and its daily cap.
      email: UserPoolEmail.withSES({ fromEmail: settings.mailFrom, fromName: '個人情報保護審議会 事務局', sesVerifiedDomain: mailIdentity }),
      customAttributes: {
        role: new StringAttribute({ mutable: true }),
        councilId: new StringAttribute({ mutable: true }),
        departmentId: new StringAttribute({ mutable: true }),
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(users).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The Essentials feature plan: Plus (threat protection) is a per-city cost decision; MFA is required for every staff account.',
    });
    const domain = users.addDomain('HostedUi', { cognitoDomain: { domainPrefix: settings.authDomainPrefix } });
    const client = new UserPoolClient(this, 'WebClient', {
      userPool: users,
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        ...signInUrls(settings.appBaseUrl),
      },
      // Users may not edit their own role, council, department or the name the audit trail records.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      preventUserExistenceErrors: true,
    });

    const idTokenIssuer = `https://cognito-idp.${this.region}.${this.urlSuffix}/${users.userPoolId}`;

    const build = (spec: FunctionSpec) => {
      const fn = new HouseFunction(this, spec.id, {
        entry: spec.entry,
        description: spec.description,
        ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
        ...(spec.memorySize ? { memorySize: spec.memorySize } : {}),
        environment: { MAIL_FROM: settings.mailFrom, APP_BASE_URL: settings.appBaseUrl },
        readsSecrets: Boolean(spec.links),
      }).bindTable(table, spec.table);
      if (spec.sendsMail) fn.bindMailSender(mailIdentity);
      if (spec.attachments) fn.bindAttachments(props.attachments, spec.attachments);
      if (spec.links) fn.bindSigningKey(props.signingKey);
      if (spec.signIn) {
        fn.addEnvironment('IDP_URL', domain.baseUrl());
        fn.addEnvironment('IDP_CLIENT_ID', client.userPoolClientId);
        // The `iss` of the pool's ID tokens; sign-in verifies them with the keys at <issuer>/.well-known/jwks.json.
        fn.addEnvironment('ID_TOKEN_ISSUER', idTokenIssuer);
        // The secretariat's invitations create accounts (the app mails the invitation itself, from the council's sender).
        fn.addEnvironment('USER_POOL_ID', users.userPoolId);
        users.grant(fn, 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDisableUser');
      }
      this.functions.push(fn);
      return fn;
    };

    // Every asynchronous invocation has somewhere to go when Lambda gives up on it: the export
    // function its own handler (which marks the export failed), everything else this queue,
    // which the FailedInvocations alarm watches. EventBridge's own delivery failures land there too.
    this.failedInvocations = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedInvocations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination and dead-letter queue of the app’s asynchronous invocations; the FailedInvocations alarm reports what lands in it.',
    });
    const onFailure = new SqsDestination(this.failedInvocations);

    const exportFailures = build(FUNCTIONS.exportFailures);
    exportFailures.configureAsyncInvoke({ onFailure });
    const exports = build(FUNCTIONS.exports);
    exports.configureAsyncInvoke({
      retryAttempts: EXPORT_ASYNC.retryAttempts,
      maxEventAge: Duration.minutes(EXPORT_ASYNC.maxEventAgeMinutes),
      onFailure: new LambdaDestination(exportFailures, { responseOnly: false }),
    });
    acceptWildcards(exports.policy, {
      finding: new RegExp(`^Resource::${arnInFinding(exportFailures)}:\\*$`),
      reason: 'Versions and aliases of the export function’s own on-failure function (lambda:InvokeFunction on function:*), as Lambda destinations grant it.',
    });
    const workflow = build(FUNCTIONS.workflow);
    workflow.configureAsyncInvoke({ onFailure });
    this.stateMachine = new StateMachine(this, 'ConsultationWorkflow', {
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      definitionBody: DefinitionBody.fromChainable(consultationLifecycle(this, workflow)),
      logs: {
        destination: new LogGroup(this, 'WorkflowLogs', { retention: RetentionDays.SIX_MONTHS, removalPolicy: RemovalPolicy.DESTROY }),
        // Every event, but never the data: inputs and outputs can hold personal data.
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
      // A case waits for people in one execution at most EXECUTION_RENEWAL_DAYS; Standard executions allow a year.
      timeout: Duration.days(365),
    });
    acceptWildcards(
      this.stateMachine.role.node.findChild('DefaultPolicy'),
      {
        finding: new RegExp(`^Resource::${arnInFinding(workflow)}:\\*$`),
        reason: 'Versions and aliases of the workflow’s own task function (lambda:InvokeFunction on function:*), as LambdaInvoke grants it.',
      },
      { finding: /^Resource::\*$/, reason: 'X-Ray trace segments and CloudWatch Logs delivery of the state machine, which AWS only grants on Resource *.' },
    );

    const pages = { staff: build(FUNCTIONS.staff), links: build(FUNCTIONS.links) };
    const jobs = build(FUNCTIONS.jobs);
    jobs.configureAsyncInvoke({ onFailure });
    // The schedules invoke the dispatcher, which starts one unit of the job per council on the jobs function.
    const dispatcher = build(FUNCTIONS.dispatcher);
    dispatcher.configureAsyncInvoke({ onFailure });
    dispatcher.addEnvironment('JOBS_FUNCTION_NAME', jobs.functionName);
    jobs.grantInvoke(dispatcher);
    acceptWildcards(dispatcher.policy, {
      finding: new RegExp(`^Resource::${arnInFinding(jobs)}:\\*$`),
      reason: 'Versions and aliases of the jobs function (lambda:InvokeFunction on function:*), whose units the dispatcher starts.',
    });
    for (const [kind, fn] of [
      ['staff', pages.staff],
      ['links', pages.links],
      ['jobs', jobs],
    ] as const) {
      const spec: FunctionSpec = FUNCTIONS[kind];
      if (spec.workflow) fn.bindWorkflow(this.stateMachine, spec.workflow === 'redrive' ? 'redrive' : 'drive');
    }
    pages.staff.addEnvironment('EXPORT_FUNCTION_NAME', exports.functionName);
    exports.grantInvoke(pages.staff);
    acceptWildcards(pages.staff.policy, {
      finding: new RegExp(`^Resource::${arnInFinding(exports)}:\\*$`),
      reason: 'Versions and aliases of the export function (lambda:InvokeFunction on function:*), which the minutes page starts.',
    });

    // A step that kept failing fails the execution; the case is then marked stalled for the secretariat,
    // who redrives the execution from the failed step (or withdraws the case) on the case's page.
    new Rule(this, 'WorkflowStopped', {
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [this.stateMachine.stateMachineArn] },
      },
      targets: [new LambdaFunction(workflow, { retryAttempts: 185, deadLetterQueue: this.failedInvocations })],
    });

    for (const [job, schedule] of Object.entries(SCHEDULES)) {
      new Rule(this, `${job[0]!.toUpperCase()}${job.slice(1)}Schedule`, {
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaFunction(dispatcher, { event: RuleTargetInput.fromObject({ job }), deadLetterQueue: this.failedInvocations })],
      });
    }

    this.api = new HttpApi(this, 'Api', { description: '個人情報保護審議会 審議システム', createDefaultStage: false });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Pages authenticate in the function: a signed session cookie from the Cognito sign-in, checked on every request (functions/http/middleware.ts); mail links carry their own signed, expiring token. An API Gateway authorizer cannot answer signed-out visitors with the Japanese sign-in page.',
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.SIX_MONTHS, removalPolicy: RemovalPolicy.DESTROY }),
        ),
        // The route template, never the raw path: voting and follow-up links carry their token in the path.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            at: '$context.requestTime',
          }),
        ),
      },
    });
    // Signed-link routes face the internet without sign-in: tighter limits than the rest.
    (stage.node.defaultChild as CfnStage).addPropertyOverride(
      'RouteSettings',
      Object.fromEntries(LINK_ROUTES.map((route) => [route, { ThrottlingRateLimit: LINK_RATE_PER_SECOND, ThrottlingBurstLimit: LINK_RATE_PER_SECOND * 2 }])),
    );
    // One invoke permission per function for the whole API (`*/*/*`), not one per route: a route
    // then costs one resource, not two, and the stack keeps room for years of pages.
    const integrations = {
      staff: new HttpLambdaIntegration('StaffPagesIntegration', pages.staff, { scopePermissionToRoute: false }),
      link: new HttpLambdaIntegration('LinkPagesIntegration', pages.links, { scopePermissionToRoute: false }),
    };
    for (const route of Object.values(ROUTES)) {
      this.api.addRoutes({ path: route.path, methods: [route.method === 'GET' ? HttpMethod.GET : HttpMethod.POST], integration: integrations[route.kind] });
    }
    // Any other URL reaches the staff pages, whose router answers with the Japanese 404 page
    // (API Gateway's own answer would be a bare JSON message).
    // Its own integration: the API-wide permission's `*/*/*` does not cover the `$default` route key.
    new HttpRoute(this.api, 'UnknownUrlRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('UnknownUrlIntegration', pages.staff),
    });

    this.alarms = new OperatorAlarms(this, 'OperatorAlarms', {
      operatorEmail: settings.operatorEmail,
      stateMachine: this.stateMachine,
      jobFunctions: [dispatcher, jobs, workflow, exports],
      pageFunctions: [pages.staff, pages.links],
      exportFailures,
      failedInvocations: this.failedInvocations,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
  }
}
