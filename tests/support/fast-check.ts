import fc from 'fast-check';

// FC_SEED replays a failing run: every fc.assert in the run starts from that seed. A failure
// prints its seed (and path) in fast-check's report, so `FC_SEED=<seed> npx vitest run <file>`
// reproduces it.
const seed = process.env['FC_SEED'];
if (seed !== undefined && seed !== '') {
  if (!/^-?\d+$/.test(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(seed)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) });
}
