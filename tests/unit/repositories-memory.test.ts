import { createMemoryRepositories } from '#shared/adapters/repositories.ts';
import { repositoryContract } from '../support/repository-contract.ts';

/** The repository contract on the in-memory store: the same suite as against dynalite, in milliseconds. */
repositoryContract('in memory', async () => {
  const { items, ...repos } = createMemoryRepositories();
  return {
    repos,
    raw: {
      put: async (item) => items.load([item]),
      get: async (key) => items.dump().find((i) => i['pk'] === key.pk && i['sk'] === key.sk),
    },
  };
});
