import { expect, it } from 'vitest';
import { runSimulation, simulationBase } from '../../test/sync-simulation.ts';

/*
 * Seeded simulations of devices going on and offline: SIM_SEEDS=<n> runs that many (1,000 by
 * default), SIM_SEED=<seed> replays one. A failure prints its seed and what went wrong.
 */
const only = process.env.SIM_SEED;
const count = Number(process.env.SIM_SEEDS ?? 1000);
const first = Number(process.env.SIM_FIRST_SEED ?? Math.floor(Math.random() * 1_000_000));
const seeds =
  only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, index) => first + index);

it(`converges with every rule kept, over ${seeds.length} seeded runs (SIM_SEED=<seed> replays one)`, async () => {
  const base = simulationBase();
  let decided = 0;
  for (const seed of seeds) {
    const result = await runSimulation(base, seed);
    decided += result.decided;
    expect(result.problems, `SIM_SEED=${seed} failed:\n${result.problems.join('\n')}`).toEqual([]);
  }
  // The runs did decide things: the checks above were not about an idle world.
  expect(decided).toBeGreaterThan(seeds.length);
}, 600_000);
