import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { App } from 'aws-cdk-lib';
import { close, ensureTable, startDynamo } from '#infra/local/services.ts';
import { LOCAL_REGION } from '#infra/local/synth.ts';
import { StatefulStack } from '#infra/stateful-stack.ts';
import { documentClient } from '#shared/adapters/document-client.ts';

/** The table as the stateful stack synthesizes it (only that stack: no functions to bundle), as a CreateTable request. */
export function synthesizedTable(): Omit<CreateTableCommandInput, 'TableName'> {
  const app = new App();
  const stack = new StatefulStack(app, 'Data', { env: { region: LOCAL_REGION } });
  const template = app.synth().getStackArtifact(stack.artifactId).template as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  const tables = Object.values(template.Resources).filter((r) => r.Type === 'AWS::DynamoDB::GlobalTable');
  if (tables.length !== 1) throw new Error(`expected one table in the stateful stack, found ${tables.length}`);
  const p = tables[0]!.Properties;
  return {
    KeySchema: p['KeySchema'],
    AttributeDefinitions: p['AttributeDefinitions'],
    BillingMode: p['BillingMode'],
    GlobalSecondaryIndexes: (p['GlobalSecondaryIndexes'] ?? []).map((g: any) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })),
  };
}

export interface TestTable {
  db: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Only the table: dynalite on a free loopback port (or the run's DynamoDB Local when
 * LOCAL_DYNAMODB_ENDPOINT is set), with the synthesized table in it, and a document client
 * configured as the functions' (shared/adapters/document-client.ts). Seconds, not the whole local stack.
 */
export async function startTable(): Promise<TestTable> {
  const external = process.env['LOCAL_DYNAMODB_ENDPOINT'];
  let server: Server | undefined;
  let endpoint = external;
  if (!endpoint) ({ server, url: endpoint } = await startDynamo(0));
  const tableName = external ? `${process.env['LOCAL_DYNAMODB_TABLE'] ?? 'council'}-${randomBytes(4).toString('hex')}` : 'council-test';
  await ensureTable(endpoint, tableName, synthesizedTable());
  const db = documentClient({ endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    db,
    tableName,
    endpoint,
    async stop() {
      db.destroy();
      if (server) await close(server);
    },
  };
}
