import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildUnbundledApp, synthesize } from '#infra/local/synth.ts';
import { FUNCTIONS, type FunctionSpec } from '#infra/routes.ts';
import { ROUTES } from '#shared/routes.ts';

const { data, service } = buildUnbundledApp();
const dataTemplate = Template.fromStack(data);
const appTemplate = Template.fromStack(service);
const resources = appTemplate.toJSON().Resources as Record<string, { Type: string; Properties: any }>;

/** Every IAM action granted to a function's role (the function named by its description). */
function actionsOf(description: string): string[] {
  const fn = service.functions.find((f) => resources[Stack.of(f).getLogicalId(f.node.defaultChild as CfnFunction)]!.Properties.Description === description)!;
  const fnId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction);
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
}

/** What the local stack runs, synthesized once for the tests that read it. */
let localApp: ReturnType<typeof synthesize> | undefined;
const synthesized = () => (localApp ??= synthesize());

const DYNAMO_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

describe('stateful stack', () => {
  it('encrypts the table with its own rotating KMS key and keeps it safe from deletion', () => {
    dataTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dataTemplate.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          }),
        ],
      }),
    });
  });

  it('has the generic keys and the GSI the access patterns query', () => {
    dataTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: ['gsi1', 'gsi2', 'gsi3', 'gsi4'].map((name) => Match.objectLike({ IndexName: name })),
    });
  });

  it('lets TTL delete sessions, link counters and view marks by their purge time', () => {
    dataTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TimeToLiveSpecification: { AttributeName: 'purgeAt', Enabled: true } });
  });

  it('keeps attachments private, encrypted with the same key, and reachable only over TLS', () => {
    dataTemplate.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
    dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('stateless stack', () => {
  it('runs a handful of functions, all on Node.js 24, arm64, with JSON logs kept for a bounded time, well within the resource limit', () => {
    const fns = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(fns.length).toBe(Object.keys(FUNCTIONS).length);
    expect(fns.length).toBeLessThanOrEqual(8);
    for (const f of fns) {
      expect(f.Properties.Runtime).toBe('nodejs24.x');
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.LoggingConfig.LogFormat).toBe('JSON');
    }
    for (const g of Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup')) {
      expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
    }
    // CloudFormation allows 500 resources per stack; years of new pages should fit: a new route
    // adds its route only, the gateway's invoke permission being one per page function (and one for $default).
    // 196 here (197 from `cdk synth` with cdk.json's context) with the work under the 2023 Act: a route is one resource.
    expect(Object.keys(resources).length).toBe(Object.keys(ROUTES).length + 67);
    expect(Object.keys(resources).length).toBeLessThan(300);
    const gatewayPermissions = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(gatewayPermissions).toHaveLength(3);
    expect(Object.keys(dataTemplate.toJSON().Resources).length).toBeLessThan(200);
  });

  it('reads the signing key through the Parameters and Secrets extension, its cache off, in exactly the functions that hold the key', () => {
    const fns = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const withKey = fns.filter((f) => f.Properties.Environment.Variables.SIGNING_SECRET_ARN);
    expect(withKey.length).toBeGreaterThanOrEqual(3);
    for (const f of fns) {
      const layers: unknown[] = f.Properties.Layers ?? [];
      if (!f.Properties.Environment.Variables.SIGNING_SECRET_ARN) {
        expect(layers).toEqual([]);
        continue;
      }
      expect(layers).toHaveLength(1);
      expect(JSON.stringify(layers[0])).toMatch(/layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:/);
      // The function's own five-minute age is the only cache, so a rotated key arrives as before.
      expect(f.Properties.Environment.Variables.PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED).toBe('false');
    }
  });

  it('runs the functions without --enable-source-maps unless council:sourceMaps asks for it, on every function alike', () => {
    const functionsOf = (app: ReturnType<typeof buildUnbundledApp>) => {
      const all = app.service.node.findAll().map((c) => c.node.defaultChild ?? c);
      return all
        .filter((c): c is CfnFunction => c instanceof CfnFunction)
        .map((f) => Stack.of(f).resolve(f.environment) as { variables: Record<string, unknown> });
    };
    const plain = functionsOf(buildUnbundledApp());
    expect(plain.length).toBeGreaterThan(5);
    for (const env of plain) expect(env.variables['NODE_OPTIONS']).toBeUndefined();
    const withMaps = functionsOf(buildUnbundledApp({ 'council:sourceMaps': 'true' }));
    expect(withMaps.length).toBe(plain.length);
    for (const env of withMaps) expect(env.variables['NODE_OPTIONS']).toBe('--enable-source-maps');
    expect(() => buildUnbundledApp({ 'council:sourceMaps': 'yes' })).toThrow(/council:sourceMaps must be true or false/);
  });

  it('serves every route of the route table from the page function of its kind', () => {
    const routes = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual([...Object.values(ROUTES).map((r) => `${r.method} ${r.path}`), '$default'].sort());
    const integrationOf = (routeKey: string) => routes.find((r) => r.Properties.RouteKey === routeKey)!.Properties.Target['Fn::Join'][1][1].Ref as string;
    const functionBehind = (integrationId: string) => resources[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
    expect(resources[functionBehind(integrationOf('GET /v/{token}'))]!.Properties.Description).toBe(FUNCTIONS.links.description);
    expect(resources[functionBehind(integrationOf('GET /c/{councilId}/consultations'))]!.Properties.Description).toBe(FUNCTIONS.staff.description);
    // An unknown URL gets the staff pages' Japanese 404 page, not API Gateway's JSON.
    expect(resources[functionBehind(integrationOf('$default'))]!.Properties.Description).toBe(FUNCTIONS.staff.description);
  });

  it('grants each kind of function exactly what its kind needs, and no wildcard action', () => {
    for (const [kind, spec] of Object.entries(FUNCTIONS) as [string, FunctionSpec][]) {
      const actions = actionsOf(spec.description);
      expect(actions, kind).toContain('dynamodb:GetItem');
      if (spec.table === 'read')
        expect(
          actions.filter((a) => DYNAMO_WRITES.includes(a)),
          kind,
        ).toEqual([]);
      else expect(actions, kind).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
      expect(actions.includes('ses:SendEmail'), kind).toBe(Boolean(spec.sendsMail));
      expect(actions.includes('states:SendTaskSuccess'), kind).toBe(Boolean(spec.workflow));
      expect(actions.includes('states:StartExecution'), kind).toBe(Boolean(spec.workflow));
      expect(actions.includes('states:RedriveExecution'), kind).toBe(spec.workflow === 'redrive');
      expect(
        actions.some((a) => a.startsWith('s3:PutObject')),
        kind,
      ).toBe(Boolean(spec.attachments));
      expect(actions.includes('s3:DeleteObject*'), kind).toBe(spec.attachments === 'write');
      expect(actions.includes('secretsmanager:GetSecretValue'), kind).toBe(Boolean(spec.links));
      // The export function hands what it gave up on to its on-failure function.
      expect(actions.includes('lambda:InvokeFunction'), kind).toBe(Boolean(spec.startsExport || spec.startsJobs) || kind === 'exports');
      expect(
        actions.some((a) => a === '*' || a.endsWith(':*')),
        kind,
      ).toBe(false);
    }
  });

  it('marks a case stalled through a rule on the workflow’s stopped executions', () => {
    const rule = Object.values(resources).find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern?.source?.[0] === 'aws.states')!;
    expect(rule.Properties.EventPattern).toMatchObject({
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: expect.stringMatching(/^ConsultationWorkflow/) }] },
    });
    const target = rule.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
    expect(resources[target]!.Properties.Description).toBe(FUNCTIONS.workflow.description);
  });

  it('runs the voting clock every hour and the follow-up clock every day through the dispatcher, each rule naming its job', () => {
    const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression);
    expect(schedules.map((r) => [r.Properties.ScheduleExpression, JSON.parse(r.Properties.Targets[0].Input)]).sort()).toEqual([
      ['rate(1 day)', { job: 'followUpClock' }],
      ['rate(1 hour)', { job: 'votingClock' }],
    ]);
    for (const r of schedules) expect(resources[r.Properties.Targets[0].Arn['Fn::GetAtt'][0]]!.Properties.Description).toBe(FUNCTIONS.dispatcher.description);
  });

  it('lets the dispatcher read the table, invoke the jobs function and nothing else', () => {
    const idOf = (spec: FunctionSpec) =>
      Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === spec.description)![0];
    const dispatcher = idOf(FUNCTIONS.dispatcher);
    const jobs = idOf(FUNCTIONS.jobs);
    const roleId = resources[dispatcher]!.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const actions = statements.flatMap((st) => [st.Action].flat() as string[]);
    // Reads only; invokes; the on-failure queue of its own asynchronous invocations; nothing that mails, signs or moves a workflow.
    expect(actions.filter((a) => a.startsWith('dynamodb:') && DYNAMO_WRITES.includes(a))).toEqual([]);
    expect(actions.filter((a) => /^(ses|states|secretsmanager|s3):/.test(a))).toEqual([]);
    const invoke = statements.filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    const targets = JSON.stringify(invoke[0].Resource);
    expect(targets).toContain(jobs);
    for (const [id, r] of Object.entries(resources)) if (r.Type === 'AWS::Lambda::Function' && id !== jobs) expect(targets).not.toContain(`"${id}"`);
    expect(resources[dispatcher]!.Properties.Environment.Variables.JOBS_FUNCTION_NAME).toEqual({ Ref: jobs });
    expect(resources[dispatcher]!.Properties.Timeout).toBe(FUNCTIONS.dispatcher.timeoutSeconds);
  });

  it('sends an export Lambda gave up on to its on-failure function', () => {
    appTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 900,
      DestinationConfig: { OnFailure: Match.anyValue() },
    });
  });

  it('logs API access by route template (never a link’s token) and throttles link routes harder', () => {
    appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { Format: Match.stringLikeRegexp('routeKey'), DestinationArn: Match.anyValue() },
      RouteSettings: Match.objectLike({ 'GET /v/{token}': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }, 'POST /f/{token}': Match.anyValue() }),
    });
    const stage = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
    expect(stage.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });

  it('requires MFA and strong passwords for staff, and lets no one edit their own role', () => {
    appTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    const client = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPoolClient')!;
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.WriteAttributes).not.toContain('custom:role');
  });

  it('has Cognito mail through SES from the configured sender, not its own capped mailer', () => {
    appTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: Match.stringLikeRegexp('<no-reply@example\\.jp>$') }),
    });
  });

  it('gives the sign-in function, and only it, the user pool as the ID tokens’ issuer', () => {
    const poolId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')![0];
    for (const spec of Object.values(FUNCTIONS) as FunctionSpec[]) {
      const fn = service.functions.find(
        (f) => resources[Stack.of(f).getLogicalId(f.node.defaultChild as CfnFunction)]!.Properties.Description === spec.description,
      )!;
      const env = resources[Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction)]!.Properties.Environment.Variables;
      if (!spec.signIn) {
        expect(env.ID_TOKEN_ISSUER, spec.id).toBeUndefined();
        continue;
      }
      // https://cognito-idp.<region>.amazonaws.com/<poolId>, the `iss` of the pool's tokens.
      expect(JSON.stringify(env.ID_TOKEN_ISSUER), spec.id).toMatch(/https:\/\/cognito-idp\./);
      expect(JSON.stringify(env.ID_TOKEN_ISSUER), spec.id).toContain(`{"Ref":"${poolId}"}`);
    }
  });

  it('scopes mail sending to the configured identity', () => {
    const sesStatements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes('ses:SendEmail'));
    expect(sesStatements.length).toBeGreaterThan(0);
    for (const s of sesStatements) expect(JSON.stringify(s.Resource)).toContain(':identity/example.jp');
  });

  it('runs the consultation workflow as a Standard state machine with logging and tracing', () => {
    appTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('gives the local stack the very definition it deploys, ARNs aside', () => {
    const parts = Object.values(resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!.Properties.DefinitionString['Fn::Join'][1] as any[];
    const deployed = JSON.parse(
      parts.map((p) => (typeof p === 'string' ? p : p['Fn::GetAtt'] ? `<${p['Fn::GetAtt'][0]}>` : p.Ref === 'AWS::Partition' ? 'aws' : '?')).join(''),
    );
    const local = JSON.parse(JSON.stringify(synthesized().definition).replace(/arn:aws:lambda:[^:]+:\d+:function:(\w+)/g, '<$1>'));
    expect(local).toEqual(deployed);
    const waits = Object.entries(local.States as Record<string, any>).filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'));
    expect(waits.map(([n]) => n).sort()).toEqual([
      'AwaitAnswerApproval',
      'AwaitDecision',
      'AwaitDeliberation',
      'AwaitRevision',
      'AwaitScheduling',
      'AwaitScreening',
    ]);
  });

  it('gives the local stack each function’s handler module with its synthesized timeout and memory', () => {
    const { functions, handlers } = synthesized();
    expect(functions.size).toBe(service.functions.length);
    expect(handlers.size).toBe(functions.size);
    const byId = (id: string) => [...functions].find(([name]) => name.startsWith(id) && !name.startsWith(`${id}Failures`))?.[1];
    expect(byId(FUNCTIONS.exports.id)).toMatchObject({ entry: FUNCTIONS.exports.entry, timeoutSeconds: 300, memorySize: 1024 });
    expect(byId(FUNCTIONS.workflow.id)).toMatchObject({ entry: FUNCTIONS.workflow.entry, timeoutSeconds: 10, memorySize: 512 });
  });
});

describe('alarms to the operator, and somewhere for every failed asynchronous invocation (issue 17)', () => {
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
  const [topicId] = ofType('AWS::SNS::Topic').map(([id]) => id);
  const fnId = (spec: FunctionSpec) => ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Description === spec.description)![0];
  /** [namespace, metric, the logical id the metric's dimension names] of each metric an alarm reads. */
  const metricsOf = (a: any): [string, string, string][] =>
    (a.Metrics ? a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric) : [a]).map((m: any) => {
      const value = m.Dimensions[0].Value;
      return [m.Namespace, m.MetricName, value.Ref ?? value['Fn::GetAtt']?.[0]];
    });
  const alarmReading = (namespace: string, metric: string) => alarms.filter((a) => metricsOf(a).some(([ns, name]) => ns === namespace && name === metric));

  it('mails every alarm, at the first occurrence, to the operator address of the settings', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(6);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(a).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      expect(a.AlarmDescription).toMatch(/[ぁ-んァ-ン一-龥]/);
    }
    appTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'operator@example.jp', TopicArn: { Ref: topicId } });
    const custom = buildUnbundledApp({ 'council:operatorEmail': 'joho-system@city.sakura.example.jp' });
    Template.fromStack(custom.service).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'joho-system@city.sakura.example.jp' });
    expect(() => buildUnbundledApp({ 'council:operatorEmail': 'not an address' })).toThrow(/council:operatorEmail/);
  });

  it('watches the workflow: executions that failed, timed out or were aborted', () => {
    const [machineId] = ofType('AWS::StepFunctions::StateMachine').map(([id]) => id);
    const workflow = alarmReading('AWS/States', 'ExecutionsFailed');
    expect(workflow).toHaveLength(1);
    expect(metricsOf(workflow[0]).sort()).toEqual([
      ['AWS/States', 'ExecutionsAborted', machineId],
      ['AWS/States', 'ExecutionsFailed', machineId],
      ['AWS/States', 'ExecutionsTimedOut', machineId],
    ]);
  });

  it('watches exports given up (each invocation of their on-failure function) and the errors of every job function', () => {
    expect(alarmReading('AWS/Lambda', 'Invocations').flatMap(metricsOf)).toEqual([['AWS/Lambda', 'Invocations', fnId(FUNCTIONS.exportFailures)]]);
    const errors = alarmReading('AWS/Lambda', 'Errors')
      .flatMap(metricsOf)
      .map(([, , id]) => id);
    for (const spec of [
      FUNCTIONS.dispatcher,
      FUNCTIONS.jobs,
      FUNCTIONS.workflow,
      FUNCTIONS.exports,
      FUNCTIONS.exportFailures,
      FUNCTIONS.staff,
      FUNCTIONS.links,
    ])
      expect(errors, spec.id).toContain(fnId(spec));
  });

  it('watches throttling of every function', () => {
    const throttled = alarmReading('AWS/Lambda', 'Throttles')
      .flatMap(metricsOf)
      .map(([, , id]) => id);
    expect(throttled.sort()).toEqual(
      ofType('AWS::Lambda::Function')
        .map(([id]) => id)
        .sort(),
    );
  });

  it('gives every asynchronous invocation an on-failure destination, every rule target a dead-letter queue, and watches the queue', () => {
    const [queueId] = ofType('AWS::SQS::Queue').map(([id]) => id);
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    const rules = ofType('AWS::Events::Rule').flatMap(([, r]) => r.Properties.Targets as any[]);
    // Invoked asynchronously: every rule's target, the export function (started with InvocationType Event), and its destination.
    const asyncInvoked = new Set([
      ...rules.map((t) => t.Arn['Fn::GetAtt'][0] as string),
      fnId(FUNCTIONS.exports),
      ...configs
        .map((c) => c.DestinationConfig.OnFailure.Destination['Fn::GetAtt']?.[0] as string)
        .filter((id) => resources[id]?.Type === 'AWS::Lambda::Function'),
    ]);
    // …and the jobs function, whose units the dispatcher starts with InvocationType Event.
    asyncInvoked.add(fnId(FUNCTIONS.jobs));
    expect(asyncInvoked.size).toBe(5);
    for (const id of asyncInvoked) {
      const config = configs.find((c) => c.FunctionName.Ref === id);
      expect(config?.DestinationConfig?.OnFailure?.Destination, id).toBeDefined();
    }
    for (const t of rules) expect(t.DeadLetterConfig, t.Id).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(alarmReading('AWS/SQS', 'ApproximateNumberOfMessagesVisible').flatMap(metricsOf)).toEqual([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', queueId],
    ]);
    appTemplate.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('sends the alarms over an encrypted-in-transit topic only', () => {
    appTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});
