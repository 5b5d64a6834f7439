import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { GSIS, PURGE_ATTRIBUTE, TABLE_KEYS } from '#shared/keys.ts';

/**
 * What must outlive every deployment: the one table and its key. Kept apart from
 * the functions so a stateless change can never replace or drop data.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  /** Consultation attachments (資料), uploaded by browsers through presigned POSTs. */
  readonly attachments: Bucket;
  /** The master secret each council's keys (sessions, voting links, answer links) are derived from. */
  readonly signingKey: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const key = new Key(this, 'TableKey', {
      description: 'Encrypts the council review table (personal data of cases, members and vendors).',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partition, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sort, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Sessions, link hit counters and view marks are deleted once no check can need them.
      timeToLiveAttribute: PURGE_ATTRIBUTE,
      globalSecondaryIndexes: [
        ...GSIS.map((gsi) => ({
          indexName: gsi.name,
          partitionKey: { name: gsi.partition, type: AttributeType.STRING },
          sortKey: { name: gsi.sort, type: AttributeType.STRING },
        })),
      ],
    });
    this.signingKey = new Secret(this, 'LinkSigningKey', {
      description: 'Master secret of the per-council keys of sessions and signed links (HKDF). Rotating it invalidates links already sent and every session.',
      // The AWS managed key: a customer key here would put the app's roles into this stack's key policy (a cross-stack cycle).
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.signingKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing key invalidates every voting and follow-up link already mailed; it is rotated by hand between voting rounds (see docs/threat-model.md).',
    });
    const accessLogs = new Bucket(this, 'AttachmentAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(400) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the attachments bucket; logging it to itself would loop.',
    });
    this.attachments = new Bucket(this, 'Attachments', {
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'attachments/',
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1), noncurrentVersionExpiration: Duration.days(90) }],
    });
  }
}
