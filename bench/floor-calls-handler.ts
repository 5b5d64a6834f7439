/**
 * A second floor, for one function kind's first request: the floor's clients (floor-handler.ts)
 * making the very calls that request made — same commands, same inputs, each started as soon as
 * the calls that had ended before it in the real run are done (bench/cold-trace-child.mjs records
 * them). Calls the real function made while it was being imported are started at import here too.
 * What a function costs above this is its own code: parsing, checking, rendering, and waiting
 * between calls; what it shares with this is the SDK's and the database's.
 *
 * The plan is a JSON file named by BENCH_CALLS_PLAN. A call that fails is not retried: the time
 * it took is what counts (a replayed conditional write may find its condition already spent).
 */
import { readFileSync } from 'node:fs';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as s3 from '@aws-sdk/client-s3';
import * as secrets from '@aws-sdk/client-secrets-manager';
import * as ses from '@aws-sdk/client-ses';
import * as sfn from '@aws-sdk/client-sfn';
import * as documents from '@aws-sdk/lib-dynamodb';
import { clients } from './floor-handler.ts';

export interface PlannedCall {
  client: string;
  command: string;
  input: unknown;
  /** Indexes of the calls that had ended before this one started. */
  after: number[];
  /** Started while the function was being imported. */
  atImport: boolean;
  /** Ended before the function returned (a call it left running is started, not awaited). */
  awaited: boolean;
}

type Sender = { send(command: unknown): Promise<unknown> };
type Commands = Record<string, unknown>;

const plan = JSON.parse(readFileSync(process.env['BENCH_CALLS_PLAN'] ?? '', 'utf8')) as PlannedCall[];

/** The client a call went through, and where its command classes live. */
async function target(name: string): Promise<[Sender, Commands]> {
  switch (name) {
    case 'DynamoDBDocumentClient':
      return [clients.dynamo as unknown as Sender, documents];
    case 'DynamoDBClient':
      // A plain DynamoDB command goes through the DocumentClient, which shares its client's config and middleware.
      return [clients.dynamo as unknown as Sender, dynamodb];
    case 'SecretsManagerClient':
      return [clients.secrets as unknown as Sender, secrets];
    case 'SESClient':
      return [clients.ses as unknown as Sender, ses];
    case 'SFNClient':
      return [clients.sfn as unknown as Sender, sfn];
    case 'S3Client':
      return [clients.s3 as unknown as Sender, s3];
    case 'LambdaClient': {
      // The functions load this client on first use; so does the floor.
      const lambda = await import('@aws-sdk/client-lambda');
      lambdaClient ??= new lambda.LambdaClient({}) as unknown as Sender;
      return [lambdaClient, lambda];
    }
    default:
      throw new Error(`the replay knows no client ${name}`);
  }
}
let lambdaClient: Sender | undefined;

/** The inverse of the trace's encoding: tagged bytes and sets back to what the SDK takes. */
const decodeInput = (input: unknown): unknown =>
  JSON.parse(JSON.stringify(input), (_k, v) => {
    if (v && typeof v === 'object' && '$bytes' in v) return Buffer.from(v.$bytes as string, 'base64');
    if (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data as number[]);
    if (v && typeof v === 'object' && '$set' in v) return new Set(v.$set as unknown[]);
    return v;
  });

const started: Promise<unknown>[] = [];
function start(i: number): Promise<unknown> {
  const call = plan[i]!;
  started[i] ??= Promise.all(call.after.map(start)).then(async () => {
    const [client, commands] = await target(call.client);
    const Command = commands[call.command] as new (input: unknown) => unknown;
    if (typeof Command !== 'function') throw new Error(`the replay knows no command ${call.command}`);
    return client.send(new Command(decodeInput(call.input))).catch(() => undefined);
  });
  return started[i];
}

plan.forEach((c, i) => {
  if (c.atImport) start(i).catch(() => undefined);
});

export async function handler(): Promise<{ statusCode: number; body: string }> {
  await Promise.all(plan.flatMap((c, i) => (c.awaited ? [start(i)] : [])));
  return { statusCode: 200, body: '' };
}
