import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbLocalEndpoint: string;
  }
}

/**
 * globalSetup of the dynamodb-local project: one in-memory DynamoDB Local for the whole
 * run, stopped at its end. Without Java it throws, so the pass fails loudly instead of
 * being skipped (CI installs Java).
 */
export default async function setup(project: TestProject) {
  const started = performance.now();
  const ddb = await startDynamoDbLocal();
  console.log(`DynamoDB Local on ${ddb.url} (started in ${Math.round(performance.now() - started)} ms)`);
  project.provide('dynamodbLocalEndpoint', ddb.url);
  return () => ddb.stop();
}
