import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { SynthesizedApp } from './synth.ts';

export const LOOPBACK = '127.0.0.1';

export function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve(`http://${LOOPBACK}:${(server.address() as AddressInfo).port}`));
  });
}

/**
 * Stops a server: no new connections, idle ones closed at once, requests in flight given up to
 * two seconds to finish (a store cut mid-request would write into a closed database), then the rest cut.
 */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections?.(), 2000);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections?.();
  });
}

/** dynalite on loopback; with `path` its data lives on disk and survives restarts. */
export async function startDynamo(port: number, dataPath?: string) {
  const server = dynalite({ path: dataPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  const url = await listen(server, port);
  return { server, url };
}

/**
 * Creates the table exactly as the stateful stack defines it, unless it already exists. A table
 * kept from an older version (a `.local/` folder) that lacks an index the code now queries is
 * refused at start, with what to do, rather than failing page by page (dynalite cannot add an index).
 */
export async function ensureTable(endpoint: string, tableName: string, table: SynthesizedApp['table']) {
  const client = new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new CreateTableCommand({ TableName: tableName, ...table }));
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  try {
    for (let i = 0; i < 50; i++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
      const missing = (table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).filter((name) => !have.has(name));
      if (missing.length) {
        throw new Error(
          `the table ${tableName} at ${endpoint} was made by an older version and lacks the index ${missing.join(', ')}: ` +
            'delete the local data folder (.local/) to start over, or point LOCAL_DYNAMODB_TABLE at a new table',
        );
      }
      if (Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    client.destroy();
  }
}
