import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { buildApp } from '../app.ts';
import { REPO_ROOT } from '../constructs/house-function.ts';
import { CFN_FUNCTION_DEFAULTS, type FunctionSettings } from './lambda-runtime.ts';

export const LOCAL_REGION = 'ap-northeast-1';
export const LOCAL_ACCOUNT = '000000000000';

/** What the local stack takes from the synthesized app, so it runs what AWS would run. */
export interface SynthesizedApp {
  /** The table as CloudFormation defines it, as a CreateTable request. */
  table: Omit<CreateTableCommandInput, 'TableName'>;
  /** The state machine's Amazon States Language, with function ARNs made local. */
  definition: Record<string, unknown>;
  /** Function name (its logical id) → its handler module (relative to the repository root), timeout and memory. */
  functions: Map<string, LocalFunction>;
  /** Function name → handler module: `functions` without the settings. */
  handlers: Map<string, string>;
  /** The environment CDK gives the functions (less what the local stack overrides). */
  environment: Record<string, string>;
}

export interface LocalFunction extends FunctionSettings {
  entry: string;
}

const cdkContext = () =>
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** The CDK app with the context `cdk synth` uses, minus asset bundling (esbuild output is not needed to read templates). */
export function buildUnbundledApp(extraContext: Record<string, unknown> = {}) {
  return buildApp(new App({ context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [], ...extraContext } }));
}

/**
 * Synthesizes the CDK app in-process with the same context as `cdk synth`, skipping
 * only asset bundling (esbuild output is not needed to run the handlers from source).
 */
export function synthesize(extraContext: Record<string, unknown> = {}): SynthesizedApp {
  const { app, data, service } = buildUnbundledApp(extraContext);
  const assembly = app.synth();
  const dataTemplate = assembly.getStackArtifact(data.artifactId).template as CfnTemplate;
  const appTemplate = assembly.getStackArtifact(service.artifactId).template as CfnTemplate;

  const settings = functionSettingsFrom(appTemplate);
  const functions = new Map<string, LocalFunction>();
  for (const fn of service.functions) {
    const name = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction);
    functions.set(name, { entry: fn.entryPath, ...settings.get(name)! });
  }
  const handlers = new Map([...functions].map(([name, fn]) => [name, fn.entry]));
  const [firstFn] = Object.values(appTemplate.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  const environment = Object.fromEntries(
    Object.entries((firstFn?.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables).filter(
      ([, v]) => typeof v === 'string',
    ),
  ) as Record<string, string>;

  return { table: tableFrom(dataTemplate), definition: definitionFrom(appTemplate), functions, handlers, environment };
}

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/** Every function's timeout and memory (name → settings), with CloudFormation's defaults where unset. */
export function functionSettingsFrom(template: CfnTemplate): Map<string, FunctionSettings> {
  const settings = new Map<string, FunctionSettings>();
  for (const [name, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    settings.set(name, {
      timeoutSeconds: Number(r.Properties['Timeout'] ?? CFN_FUNCTION_DEFAULTS.timeoutSeconds),
      memorySize: Number(r.Properties['MemorySize'] ?? CFN_FUNCTION_DEFAULTS.memorySize),
    });
  }
  return settings;
}

function single(template: CfnTemplate, type: string) {
  const found = Object.values(template.Resources).filter((r) => r.Type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!.Properties;
}

function tableFrom(template: CfnTemplate): SynthesizedApp['table'] {
  const p = single(template, 'AWS::DynamoDB::GlobalTable') as Record<string, any>;
  return {
    KeySchema: p['KeySchema'],
    AttributeDefinitions: p['AttributeDefinitions'],
    BillingMode: p['BillingMode'],
    GlobalSecondaryIndexes: (p['GlobalSecondaryIndexes'] ?? []).map((g: any) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
    })),
  };
}

/** Resolves the intrinsic functions CDK leaves in DefinitionString into local values. */
function definitionFrom(template: CfnTemplate): Record<string, unknown> {
  const raw = single(template, 'AWS::StepFunctions::StateMachine')['DefinitionString'];
  const resolve = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const p = part as Record<string, any>;
    if (p['Fn::Join']) return (p['Fn::Join'][1] as unknown[]).map(resolve).join(p['Fn::Join'][0]);
    if (p['Fn::GetAtt']) return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${p['Fn::GetAtt'][0]}`;
    if (p['Ref'] === 'AWS::Partition') return 'aws';
    if (p['Ref'] === 'AWS::Region') return LOCAL_REGION;
    if (p['Ref'] === 'AWS::AccountId') return LOCAL_ACCOUNT;
    throw new Error(`unsupported intrinsic in state machine definition: ${JSON.stringify(part)}`);
  };
  return JSON.parse(resolve(raw));
}
