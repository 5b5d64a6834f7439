import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildUnbundledApp } from '#infra/local/synth.ts';
import { checkWithNag } from '#infra/nag.ts';

/** Every acknowledgement in the tree: where it was made, the rule, the reason. */
function acknowledgements(root: IConstruct) {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ on: c, path: c.node.path, id, reason }))),
    );
}

/** `cdk synth` as infra/bin/app.ts runs it (minus bundling): the app with cdk-nag's AwsSolutions checks. */
function synthWithNag(change?: (built: ReturnType<typeof buildUnbundledApp>) => void) {
  const built = buildUnbundledApp();
  change?.(built);
  checkWithNag(built.app);
  let report = '';
  try {
    built.app.synth();
  } catch (e) {
    report = String((e as Error).message);
  }
  return { ...built, report };
}

describe('cdk-nag AwsSolutions checks on every synthesis (issue 17)', () => {
  const { app, report } = synthWithNag();

  it('leaves no finding unacknowledged: the synthesis that cdk synth runs passes', { timeout: 120_000 }, () => {
    expect(report).toBe('');
  });

  it('acknowledges on resources only, never on a stack or the app, each with a reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(20);
    for (const a of acks) {
      expect(a.on instanceof App || Stack.isStack(a.on), `${a.id} on ${a.path}`).toBe(false);
      expect(a.reason.length, `${a.id} on ${a.path}`).toBeGreaterThan(30);
    }
  });

  it('acknowledges each wildcard grant by its exact finding on the one policy that holds it', () => {
    const wildcards = acknowledgements(app).filter((a) => a.id.includes('AwsSolutions-IAM5'));
    expect(wildcards.length).toBeGreaterThan(10);
    for (const w of wildcards) {
      expect(CfnResource.isCfnResource(w.on) && w.on.cfnResourceType, w.path).toBe('AWS::IAM::Policy');
      expect(w.id, w.path).toMatch(/AwsSolutions-IAM5\[(Action|Resource)::.+\]$/);
    }
    // The state machine's policy may hold Resource::* (X-Ray, log delivery); no function's policy may.
    const everything = wildcards.filter((w) => w.id.endsWith('[Resource::*]')).map((w) => w.path);
    expect(everything).toEqual(['CouncilApp/ConsultationWorkflow/Role/DefaultPolicy/Resource']);
  });

  it('fails the synthesis on a wildcard no one accepted, naming it', { timeout: 120_000 }, () => {
    const { report: refused } = synthWithNag(({ service }) => {
      service.functions[0]!.addToRolePolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    });
    expect(refused).toContain('AwsSolutions-IAM5[Action::s3:*]');
    expect(refused).toContain('AwsSolutions-IAM5[Resource::*]');
  });
});
