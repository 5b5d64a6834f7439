import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, type CfnElement, DockerImage, Duration, type ILocalBundling, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct, IConstruct } from 'constructs';
import { buildSync } from 'esbuild';
import { acceptWildcards, arnInFinding } from '../nag.ts';
import { readSettings } from '../settings.ts';
import { BUNDLE_ENTRY_FILE, bundleOptions } from './bundle.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The Lambda runtime for every function; tests and the local stack run on the same Node major. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

export interface HouseFunctionProps {
  /** Handler module relative to the repository root; it must export `handler`. */
  entry: string;
  description?: string;
  /** @default 10 seconds — pages and workflow steps are short; exports set their own. */
  timeout?: Duration;
  /** @default 512 MB — enough CPU for a fast cold start without paying for idle memory. */
  memorySize?: number;
  /** Settings every function parses at cold start (see shared/config.ts). */
  environment: Record<string, string>;
  /** @default one month */
  logRetention?: RetentionDays;
  /**
   * Reads secrets (the link-signing key, see bindSigningKey) through the AWS Parameters and
   * Secrets Lambda Extension, a layer: a local HTTP call instead of a Secrets Manager client in
   * the function. @default false
   */
  readsSecrets?: boolean;
}

/**
 * The extension as the functions use it: its cache off, so the function's own five-minute age
 * (shared/adapters/signing-key.ts) is the only one and a rotated key arrives as before.
 */
const SECRETS_EXTENSION = ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
  cacheEnabled: false,
  logLevel: ParamsAndSecretsLogLevel.WARN,
});

/**
 * Every function of the product: one runtime, arm64, ESM bundles split by module with source
 * maps (infra/constructs/bundle.ts, the bench bundles the same way; Node reads them only with
 * `council:sourceMaps`, see infra/settings.ts), JSON logs with a retention
 * (no X-Ray: no SDK client is instrumented, so traces would show nothing). Access is granted only
 * through the bind helpers, which set the setting and the permission together so they cannot drift.
 */
export class HouseFunction extends LambdaFunction {
  /** The handler module, as the local stack needs it to run the same code. */
  readonly entryPath: string;
  private readonly readsSecrets: boolean;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      code: bundledCode(props.entry),
      handler: `${path.basename(BUNDLE_ENTRY_FILE, '.mjs')}.handler`,
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: { ...(readSettings(scope).sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...props.environment },
      ...(props.readsSecrets ? { paramsAndSecrets: SECRETS_EXTENSION } : {}),
    });
    this.entryPath = props.entry;
    this.readsSecrets = props.readsSecrets ?? false;
    Validations.of(this.role!).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only allows writing the function’s own CloudWatch logs.',
    });
  }

  /** The role's policy, where the grants below land and where the wildcards they write are accepted (infra/nag.ts). */
  get policy(): IConstruct {
    const policy = this.role?.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error(`${this.node.path} has no policy yet: grant something first`);
    return policy;
  }

  /** Table access and its setting in one call: read-only, or read and write. */
  bindTable(table: ITableV2, access: 'read' | 'write'): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    acceptWildcards(
      this.policy,
      {
        finding: new RegExp(`^Resource::${arnInFinding(table)}/index/\\*$`),
        reason: 'The table’s own indexes (table/index/*), which the access patterns query.',
      },
      {
        finding: /^Action::kms:(GenerateDataKey|ReEncrypt)\*$/,
        reason: 'KMS data-key actions on the table’s own key (its only resource), as DynamoDB needs them for encrypted items.',
      },
    );
    return this;
  }

  /** Starting executions of the workflow and completing its human steps; 'redrive' also re-runs failed executions. */
  bindWorkflow(stateMachine: IStateMachine, access: 'drive' | 'redrive' = 'drive'): this {
    this.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this);
    stateMachine.grantTaskResponse(this);
    if (access === 'redrive') {
      stateMachine.grantRedriveExecution(this);
      const id = Stack.of(stateMachine).getLogicalId(stateMachine.node.defaultChild as CfnElement);
      acceptWildcards(this.policy, {
        finding: new RegExp(`^Resource::arn:<AWS::Partition>:states:[a-z0-9-]+:<AWS::AccountId>:execution:.*"Ref":"${id}".*:\\*$`),
        reason: 'RedriveExecution on the executions of this app’s own state machine (execution:<machine>:*), for the secretariat’s re-run of a stalled case.',
      });
    }
    return this;
  }

  /**
   * The attachments bucket. 'sign' may presign uploads (a presigned POST carries the
   * signer's s3:PutObject right) and downloads; 'write' also reads and deletes objects.
   */
  bindAttachments(bucket: IBucket, access: 'sign' | 'write'): this {
    this.addEnvironment('ATTACHMENTS_BUCKET', bucket.bucketName);
    bucket.grantPut(this);
    bucket.grantRead(this);
    if (access === 'write') bucket.grantDelete(this);
    acceptWildcards(
      this.policy,
      {
        finding: new RegExp(`^Resource::${arnInFinding(bucket)}/\\*$`),
        reason: 'The objects of the attachments bucket (bucket/*): uploads, kept files and exports, whose keys are made at run time.',
      },
      {
        finding: /^Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*$/,
        reason:
          'S3 grant helpers on the attachments bucket only: read (GetObject*, GetBucket*, List*), upload (Abort*), and for "write" deleting every version of an object (DeleteObject*).',
      },
      {
        finding: /^Action::kms:(GenerateDataKey|ReEncrypt)\*$/,
        reason: 'KMS data-key actions on the bucket’s own key (its only resource), for encrypted objects.',
      },
    );
    return this;
  }

  /** Reading the link-signing key (to sign links in mails, or check links that come back). */
  bindSigningKey(secret: ISecret): this {
    if (!this.readsSecrets) throw new Error(`${this.node.path} reads the signing key but was built without readsSecrets (the extension it reads through)`);
    this.addEnvironment('SIGNING_SECRET_ARN', secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /** Permission to send as the configured SES identity only. */
  bindMailSender(identity: string): this {
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })],
      }),
    );
    return this;
  }
}

/**
 * The handler module bundled at synth by esbuild in this process (a dependency of the repository,
 * so no Docker is needed or tried: a failed build fails the synth). The asset is named by the
 * bundle's content, so two functions of one module share it and an unchanged bundle is not uploaded again.
 */
function bundledCode(entry: string): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API, never run: local bundling below either succeeds or throws.
      image: DockerImage.fromRegistry('local-bundling-only'),
      local: new LocalBundling(entry),
    },
  });
}

/**
 * esbuild in the synth's process. The entry is a property, not only a closure: CDK keys its
 * within-synth cache of bundles on the bundling options as JSON, so the entry must show there.
 */
class LocalBundling implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    buildSync(bundleOptions(REPO_ROOT, this.entry, outputDir));
    return true;
  }
}
