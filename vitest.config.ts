import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // FC_SEED=<seed> replays a property-based test's failing run (see README, Tests).
    setupFiles: ['tests/support/fast-check.ts'],
    // Integration and browser tests start local services on loopback; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
