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

/** Creates the table exactly as the stateful stack defines it, unless it already exists. */
export async function ensureTable(endpoint: string, tableName: string, table: SynthesizedApp['table']) {
  const client = new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new CreateTableCommand({ TableName: tableName, ...table }));
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  client.destroy();
}
