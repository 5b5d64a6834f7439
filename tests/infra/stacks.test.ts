import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_JOBS, ROUTES, SCHEDULED_JOBS, WORKFLOW_EVENTS, WORKFLOW_TASKS } from '#infra/routes.ts';
import { buildUnbundledApp, synthesize } from '#infra/local/synth.ts';

const { data, service } = buildUnbundledApp();
const dataTemplate = Template.fromStack(data);
const appTemplate = Template.fromStack(service);
const resources = appTemplate.toJSON().Resources as Record<string, { Type: string; Properties: any }>;

/** Every IAM action granted to a function's role. */
function actionsOf(entry: string): string[] {
  const fn = service.functions.find((f) => f.entryPath === entry)!;
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
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' }), Match.objectLike({ IndexName: 'gsi2' }), Match.objectLike({ IndexName: 'gsi3' })],
    });
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
  it('runs every function on Node.js 24, arm64, with JSON logs kept for a bounded time', () => {
    const fns = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(fns.length).toBe(ROUTES.length + Object.keys(WORKFLOW_TASKS).length + Object.keys(WORKFLOW_EVENTS).length + Object.keys(SCHEDULED_JOBS).length + Object.keys(BACKGROUND_JOBS).length * 2);
    for (const f of fns) {
      expect(f.Properties.Runtime).toBe('nodejs24.x');
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.LoggingConfig.LogFormat).toBe('JSON');
    }
    for (const g of Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup')) {
      expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('grants read-only pages no write on the table, and mail only to those that send it', () => {
    for (const route of ROUTES) {
      const actions = actionsOf(route.entry);
      expect(actions, route.id).toContain('dynamodb:GetItem');
      if (route.table === 'read') expect(actions.filter((a) => DYNAMO_WRITES.includes(a)), route.id).toEqual([]);
      else expect(actions, route.id).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
      expect(actions.includes('ses:SendEmail'), route.id).toBe(Boolean(route.sendsMail));
      expect(actions.includes('states:SendTaskSuccess'), route.id).toBe(Boolean(route.workflow));
      expect(actions.includes('states:StartExecution'), route.id).toBe(Boolean(route.workflow));
      expect(actions.some((a) => a.startsWith('s3:PutObject')), route.id).toBe(Boolean(route.attachments));
      expect(actions.includes('s3:DeleteObject*'), route.id).toBe(route.attachments === 'write');
      expect(actions.includes('secretsmanager:GetSecretValue'), route.id).toBe(true);
      expect(actions.includes('lambda:InvokeFunction'), route.id).toBe(Boolean(route.startsExport));
      expect(actions.includes('states:RedriveExecution'), route.id).toBe(route.workflow === 'redrive');
      expect(actions.some((a) => a === '*' || a.endsWith(':*')), route.id).toBe(false);
    }
  });

  it('marks a case stalled through a rule on the workflow’s stopped executions', () => {
    const rule = Object.values(resources).find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern?.source?.[0] === 'aws.states')!;
    expect(rule.Properties.EventPattern).toMatchObject({
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: expect.stringMatching(/^ConsultationWorkflow/) }] },
    });
    const target = rule.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
    expect(resources[target]!.Properties.Description).toBe('workflow: execution stopped');
    expect(actionsOf(WORKFLOW_EVENTS.executionStopped.entry)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem']));
  });

  it('runs the voting clock every hour on a schedule', () => {
    appTemplate.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
    expect(actionsOf(SCHEDULED_JOBS.votingClock.entry)).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'ses:SendEmail', 'states:SendTaskSuccess']));
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

  it('gives the sign-in routes, and only them, the user pool as the ID tokens’ issuer', () => {
    const poolId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')![0];
    for (const route of ROUTES) {
      const fn = service.functions.find((f) => f.entryPath === route.entry)!;
      const env = resources[Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction)]!.Properties.Environment.Variables;
      if (!route.signIn) {
        expect(env.ID_TOKEN_ISSUER, route.id).toBeUndefined();
        continue;
      }
      // https://cognito-idp.<region>.amazonaws.com/<poolId>, the `iss` of the pool's tokens.
      expect(JSON.stringify(env.ID_TOKEN_ISSUER), route.id).toMatch(/https:\/\/cognito-idp\./);
      expect(JSON.stringify(env.ID_TOKEN_ISSUER), route.id).toContain(`{"Ref":"${poolId}"}`);
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
    expect(waits.map(([n]) => n).sort()).toEqual(['AwaitDecision', 'AwaitDeliberation', 'AwaitRevision', 'AwaitScheduling', 'AwaitScreening']);
  });

  it('gives the local stack each function’s handler module with its synthesized timeout and memory', () => {
    const { functions, handlers } = synthesized();
    expect(functions.size).toBe(service.functions.length);
    expect(handlers.size).toBe(functions.size);
    const byEntry = (entry: string) => [...functions.values()].find((fn) => fn.entry === entry);
    expect(byEntry(BACKGROUND_JOBS.minutesExport.entry)).toMatchObject({ timeoutSeconds: 300, memorySize: 1024 });
    expect(byEntry(WORKFLOW_TASKS.recordStatus.entry)).toMatchObject({ timeoutSeconds: 10, memorySize: 512 });
  });
});
