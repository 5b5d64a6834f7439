import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../app.ts';
import { REPO_ROOT } from '../constructs/house-function.ts';
import type { EventRule } from './events.ts';
import { ASYNC_INVOKE_DEFAULTS, type AsyncInvokeConfig } from './lambda-api.ts';
import { CFN_FUNCTION_DEFAULTS, type FunctionSettings } from './lambda-runtime.ts';

export const LOCAL_REGION = 'ap-northeast-1';
export const LOCAL_ACCOUNT = '000000000000';
/** The ARN the local stack gives the app's (one) state machine. */
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:ConsultationWorkflow`;

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
  /** Function name → how Lambda handles its asynchronous invocations, for functions with an EventInvokeConfig. */
  asyncInvokeConfigs: Map<string, AsyncInvokeConfig>;
  /** EventBridge rules on Step Functions' events (source aws.states) whose targets are functions. */
  stateMachineEventRules: EventRule[];
  /** The scheduled rules: how often, which function, with what input. */
  schedules: ScheduleRule[];
  /** The environment CDK gives the functions (less what the local stack overrides). */
  environment: Record<string, string>;
}

export interface LocalFunction extends FunctionSettings {
  entry: string;
}

const cdkContext = () => (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** The CDK app with the context `cdk synth` uses, minus asset bundling (esbuild output is not needed to read templates). */
export function buildUnbundledApp(extraContext: Record<string, unknown> = {}) {
  // The templates are checked against CloudFormation's rules where they are deployed from (`cdk synth`,
  // tests/infra/synth-cli.test.ts); checking them again on every local start would cost seconds.
  return buildApp(new App({ context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [], ...extraContext }, builtinCloudFormationValidation: false }));
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
    Object.entries((firstFn!.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;

  const [machineId] = Object.entries(appTemplate.Resources).find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')!;
  const resolve = resolver(appTemplate, { [machineId]: LOCAL_STATE_MACHINE_ARN });
  return {
    table: tableFrom(dataTemplate),
    definition: definitionFrom(appTemplate),
    functions,
    handlers,
    asyncInvokeConfigs: asyncInvokeConfigsFrom(appTemplate, resolve),
    stateMachineEventRules: stateMachineEventRulesFrom(appTemplate, resolve),
    schedules: schedulesFrom(appTemplate, resolve),
    environment,
  };
}

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/**
 * Resolves the intrinsic functions CDK writes where one resource names another, to what they
 * are locally: a function's name (Ref) or ARN (GetAtt Arn), a state machine's ARN (by default
 * named by its logical id). Anything else becomes `unresolved:<type>:<id>`, for the caller to refuse.
 */
export function resolver(template: CfnTemplate, stateMachineArns: Record<string, string> = {}) {
  const typeOf = (id: string) => template.Resources[id]?.Type;
  const machineArn = (id: string) => stateMachineArns[id] ?? `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${id}`;
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const v = value as Record<string, any>;
    if (typeof v['Ref'] === 'string') {
      const id: string = v['Ref'];
      const pseudo: Record<string, string> = {
        'AWS::Region': LOCAL_REGION,
        'AWS::AccountId': LOCAL_ACCOUNT,
        'AWS::Partition': 'aws',
        'AWS::URLSuffix': 'amazonaws.com',
      };
      if (pseudo[id]) return pseudo[id];
      if (typeOf(id) === 'AWS::Lambda::Function') return id;
      if (typeOf(id) === 'AWS::StepFunctions::StateMachine') return machineArn(id);
      return `unresolved:${typeOf(id) ?? 'unknown'}:${id}`;
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [id, attribute] = v['Fn::GetAtt'] as [string, string];
      if (attribute === 'Arn' && typeOf(id) === 'AWS::Lambda::Function') return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${id}`;
      if (attribute === 'Arn' && typeOf(id) === 'AWS::StepFunctions::StateMachine') return machineArn(id);
      return `unresolved:${typeOf(id) ?? 'unknown'}:${id}.${attribute}`;
    }
    if (Array.isArray(v['Fn::Join'])) return (resolve(v['Fn::Join'][1]) as unknown[]).join(v['Fn::Join'][0]);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  };
  return resolve;
}

const functionNameOf = (nameOrArn: unknown) => {
  const text = String(nameOrArn);
  return /:function:([^:]+)/.exec(text)?.[1] ?? text.split(':')[0]!;
};

/**
 * Each function's EventInvokeConfig (name → retries, maximum event age, destinations as ARNs).
 * Only configs of $LATEST count: the local stack has no versions or aliases.
 */
export function asyncInvokeConfigsFrom(template: CfnTemplate, resolve = resolver(template)): Map<string, AsyncInvokeConfig> {
  const configs = new Map<string, AsyncInvokeConfig>();
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const p = resolve(r.Properties) as Record<string, any>;
    if (p['Qualifier'] !== undefined && p['Qualifier'] !== '$LATEST') continue;
    const destination = (kind: 'OnFailure' | 'OnSuccess') => p['DestinationConfig']?.[kind]?.['Destination'] as string | undefined;
    configs.set(functionNameOf(p['FunctionName']), {
      maximumRetryAttempts: Number(p['MaximumRetryAttempts'] ?? ASYNC_INVOKE_DEFAULTS.maximumRetryAttempts),
      maximumEventAgeSeconds: Number(p['MaximumEventAgeInSeconds'] ?? ASYNC_INVOKE_DEFAULTS.maximumEventAgeSeconds),
      onFailure: destination('OnFailure'),
      onSuccess: destination('OnSuccess'),
    });
  }
  return configs;
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

/**
 * The enabled AWS::Events::Rule resources matching events of Step Functions (EventPattern.source
 * lists aws.states), with their patterns resolved (a state machine's Ref becomes its local ARN)
 * and their function targets. A target the local stack cannot invoke (not a function, or an
 * InputTransformer) is left out with a warning.
 */
export function stateMachineEventRulesFrom(template: CfnTemplate, resolve = resolver(template)): EventRule[] {
  const rules: EventRule[] = [];
  for (const [name, r] of Object.entries(template.Resources)) {
    const pattern =
      r.Type === 'AWS::Events::Rule' && r.Properties['State'] !== 'DISABLED'
        ? (r.Properties['EventPattern'] as Record<string, unknown> | undefined)
        : undefined;
    if (!pattern || ![pattern['source']].flat().includes('aws.states')) continue;
    const targets = ((r.Properties['Targets'] ?? []) as Record<string, unknown>[]).flatMap((t) => {
      const arn = String(resolve(t['Arn']));
      const functionName = /^arn:aws:lambda:[^:]+:\d+:function:([^:]+)$/.exec(arn)?.[1];
      if (!functionName || t['InputTransformer']) {
        console.warn(`local stack: rule ${name} target ${t['Id']} (${arn}) is not run locally: only function targets without an InputTransformer are`);
        return [];
      }
      return [
        {
          functionName,
          ...(t['Input'] !== undefined && { input: JSON.parse(String(t['Input'])) }),
          ...(t['InputPath'] !== undefined && { inputPath: String(t['InputPath']) }),
        },
      ];
    });
    rules.push({ name, pattern: resolve(pattern) as Record<string, unknown>, targets });
  }
  return rules;
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

/** A rule that invokes a function on a fixed rate, with the input its target gives. */
export interface ScheduleRule {
  rule: string;
  everyMinutes: number;
  functionName: string;
  input: unknown;
}

/** The enabled `rate(...)` rules with function targets, as the local scheduler runs them. */
export function schedulesFrom(template: CfnTemplate, resolve = resolver(template)): ScheduleRule[] {
  const unit: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };
  const schedules: ScheduleRule[] = [];
  for (const [rule, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Events::Rule' || r.Properties['State'] === 'DISABLED') continue;
    const rate = /^rate\((\d+) (\w+)\)$/.exec(String(r.Properties['ScheduleExpression'] ?? ''));
    if (!rate || !unit[rate[2]!]) continue;
    for (const t of (r.Properties['Targets'] ?? []) as Record<string, unknown>[]) {
      const functionName = /^arn:aws:lambda:[^:]+:\d+:function:([^:]+)$/.exec(String(resolve(t['Arn'])))?.[1];
      if (!functionName) continue;
      schedules.push({
        rule,
        everyMinutes: Number(rate[1]) * unit[rate[2]!]!,
        functionName,
        input: typeof t['Input'] === 'string' ? JSON.parse(t['Input']) : undefined,
      });
    }
  }
  return schedules;
}
