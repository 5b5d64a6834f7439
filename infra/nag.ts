import { type Stack, Validations } from 'aws-cdk-lib';

/**
 * The AwsSolutions (cdk-nag) findings this design accepts, each with its reason, in one place.
 * Findings on single resources are acknowledged where the resource is made.
 */
export function acknowledgeDesignFindings(service: Stack): void {
  const ack = (id: string, reason: string) => Validations.of(service).acknowledge({ id, reason });
  ack(
    'AwsSolutions-APIG4',
    'Pages authenticate in the function: a signed session cookie from the Cognito sign-in, checked on every request (shared/adapters/http.ts); mail links carry their own signed, expiring token. An API Gateway authorizer cannot answer signed-out visitors with the Japanese sign-in page.',
  );
  ack('AwsSolutions-COG8', 'The Essentials feature plan: Plus (threat protection) is a per-city cost decision; MFA is required for every staff account.');
  ack(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AWSLambdaBasicExecutionRole only allows writing the function’s own CloudWatch logs.',
  );
}

/**
 * Wildcard permissions (AwsSolutions-IAM5) that CDK's grant helpers produce, by pattern:
 * cdk-nag names each finding after the exact resource, so they are matched here rather than
 * listed one by one. Anything else fails tests/infra/nag.test.ts.
 */
export const ACCEPTED_WILDCARDS: { finding: RegExp; reason: string }[] = [
  {
    finding: /^AwsSolutions-IAM5\[Action::kms:(GenerateDataKey|ReEncrypt)\*\]$/,
    reason: 'KMS data-key actions on the table’s and bucket’s own key, as the DynamoDB and S3 grants need them.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*\]$/,
    reason: 'S3 grant helpers on the attachments bucket only (read, upload, delete of its objects).',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::CouncilData:[A-Za-z0-9]+\/(index\/)?\*\]$/,
    reason: 'The table’s own indexes (table/index/*) and the attachments bucket’s own objects (bucket/*).',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>:\*\]$/,
    reason: 'Versions and aliases of this app’s own functions (the state machine and the export starter invoke them).',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:[a-z0-9-]+:<AWS::AccountId>:execution:.*:\*\]$/,
    reason: 'RedriveExecution on the executions of this app’s own state machine (only the secretariat’s re-run page has it).',
  },
  { finding: /^AwsSolutions-IAM5\[Resource::\*\]$/, reason: 'X-Ray trace segments and CloudWatch Logs delivery, which AWS only grants on Resource *.' },
];
