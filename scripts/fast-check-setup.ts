import fc from 'fast-check';

// Property tests pick a fresh seed each run and print it on failure; FC_SEED=<seed> replays one.
const seed = process.env.FC_SEED;
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
