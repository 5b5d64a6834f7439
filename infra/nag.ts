import { type App, type CfnElement, type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NagRuleCompliance, rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions) runs on every synthesis of the app — `cdk synth` and `cdk deploy` included
 * (infra/bin/app.ts) — and any finding not acknowledged fails it. Findings this design accepts are
 * acknowledged on the one resource they are about, with the reason, where that resource is made:
 * `Validations.of(resource).acknowledge(...)` for whole rules, and `acceptWildcards(policy, ...)` for
 * the wildcard grants (AwsSolutions-IAM5) that CDK's grant helpers write into one function's policy.
 */
export function checkWithNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsWithAcceptedWildcards(app));
}

/** A wildcard that one policy may hold: the finding cdk-nag would name (`Action::…` or `Resource::…`), and why it is fine. */
export interface AcceptedWildcard {
  finding: RegExp;
  reason: string;
}

const accepted = new WeakMap<IConstruct, AcceptedWildcard[]>();

/**
 * Accepts, on this policy only (an `iam.Policy`, e.g. a role's DefaultPolicy), the AwsSolutions-IAM5
 * findings that match. Each finding is acknowledged on the policy by its exact id, with the reason of
 * the entry it matched; a wildcard no entry of this policy matches still fails the synthesis.
 */
export function acceptWildcards(policy: IConstruct, ...wildcards: AcceptedWildcard[]): void {
  accepted.set(policy, [...(accepted.get(policy) ?? []), ...wildcards]);
}

/** How cdk-nag writes a resource's ARN in a finding: `<LogicalId.Arn>`, or the export it is imported from in another stack. */
export function arnInFinding(resource: IConstruct): string {
  const id = Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement);
  return `(?:<${id}\\.Arn>|[A-Za-z0-9-]+:ExportsOutputFnGetAtt${id}Arn[A-Za-z0-9]+)`;
}

/** The finding ids cdk-nag's AwsSolutions-IAM5 gives a policy, computed by cdk-nag's own rule. */
export function wildcardFindings(policy: CfnResource): string[] {
  const result = rules.iam.IAMNoWildcardPermissions(policy);
  return Array.isArray(result) ? result : result === NagRuleCompliance.NON_COMPLIANT ? ['*'] : [];
}

/**
 * The AwsSolutions pack, which before checking a policy acknowledges on it the wildcard findings
 * accepted for that very policy. (cdk-nag names a finding after the policy's resolved text, which
 * for a table in the data stack holds the export it is imported from; so the exact ids are known
 * only here, when the checks run on the finished app.)
 */
class AwsSolutionsWithAcceptedWildcards extends AwsSolutionsChecks {
  protected override checkResource(node: CfnResource): void {
    const entries = node instanceof CfnPolicy && node.node.scope ? accepted.get(node.node.scope) : undefined;
    if (entries) {
      for (const finding of wildcardFindings(node)) {
        const entry = entries.find((e) => e.finding.test(finding));
        if (entry) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: entry.reason });
      }
    }
    super.checkResource(node);
  }
}
