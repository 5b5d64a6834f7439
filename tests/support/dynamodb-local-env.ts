import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, inject } from 'vitest';

// setupFiles of the dynamodb-local project, run before each test file: every local stack the
// file starts uses the run's DynamoDB Local, in a table of its own, so files stay independent.
// The name is kept for the whole file, so a stack restarted within it finds its data again.
const file = path.basename(expect.getState().testPath ?? 'test', '.test.ts').replace(/[^A-Za-z0-9_.-]/g, '-');
process.env['LOCAL_DYNAMODB_ENDPOINT'] = inject('dynamodbLocalEndpoint');
process.env['LOCAL_DYNAMODB_TABLE'] = `council-${file}-${randomBytes(4).toString('hex')}`;
