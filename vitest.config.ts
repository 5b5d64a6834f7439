import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Integration and workflow test files that start the local stack, so they use a DynamoDB. */
const stackTests = ['tests/integration', 'tests/workflow'].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && /\b(useLocalStack|startLocalStack)\(/.test(readFileSync(`${dir}/${f}`, 'utf8')))
    .map((f) => `${dir}/${f}`),
);

export default defineConfig({
  test: {
    // Integration and browser tests start local services on loopback; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // FC_SEED=<seed> replays a property-based test's failing run (see README, Tests).
    setupFiles: ['tests/support/fast-check.ts'],
    projects: [
      // Everything, with the local stack on its embedded dynalite (as `npm start`).
      { extends: true, test: { name: 'dynalite', include: ['tests/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      // The stack's tests again against DynamoDB Local, which refuses what DynamoDB refuses. They run
      // after the first pass, so its CPU-bound infra and browser tests keep both cores as before.
      {
        extends: true,
        test: {
          name: 'dynamodb-local',
          include: stackTests,
          sequence: { groupOrder: 1 },
          globalSetup: ['tests/support/dynamodb-local.ts'],
          setupFiles: ['tests/support/dynamodb-local-env.ts'],
        },
      },
    ],
  },
});
