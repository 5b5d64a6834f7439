import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildUnbundledApp } from '#infra/local/synth.ts';
import { ACCEPTED_WILDCARDS } from '#infra/nag.ts';

describe('cdk-nag AwsSolutions checks', () => {
  it('finds nothing but the wildcard grants accepted, each with its reason', { timeout: 120_000 }, () => {
    const { app } = buildUnbundledApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let report = '';
    try {
      app.synth();
    } catch (e) {
      report = String((e as Error).message);
    }
    const findings = [...report.matchAll(/Acknowledge with 'AwsSolutions::([^']+)'/g)].map((m) => m[1]!);
    const unexplained = [...new Set(findings.filter((f) => !ACCEPTED_WILDCARDS.some((w) => w.finding.test(f))))];
    expect(unexplained).toEqual([]);
    // The report must have been produced by the checks, not by an unrelated synthesis error.
    expect(report === '' || findings.length > 0).toBe(true);
  });

  it('gives every accepted pattern a reason', () => {
    for (const w of ACCEPTED_WILDCARDS) expect(w.reason.length).toBeGreaterThan(20);
  });
});
