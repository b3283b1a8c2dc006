// Figure-worker jobs that several figures declare (the scheduler runs each once, for all of them).
// A figure's own jobs are declared in its module; scheduler.js says what a spec holds.

import { LEARNED } from './field-figure.js';

/** The learned field on the tutorial's grid and its path lines, from the latest snapshot. */
export const LEARNED_JOB = { kind: 'learnedField', into: 'learned', inputs: ['snapshot', 'solver'], params: LEARNED };

/** Field error, W₁, KS and NLL of both networks at each checkpoint of the run. */
export const METRICS_JOB = { kind: 'metrics', into: 'metrics', inputs: ['checkpoint', 'target'] };

/** How straight each reflow round's flow is, and what one and two Euler steps sample. */
export const ROUNDS_JOB = { kind: 'rectified', into: 'rounds', inputs: ['round', 'target'], params: (t) => t.rectified };

/** While a run trains, a sampled figure on screen follows the network this often (in steps). */
const FOLLOW_STEPS = 2000;

/** Samples from fresh noise carried by the network with the reader's solver: histograms, W₁, KS. */
export const sampleJob = ({ steps, hist, density = null }) => ({
  kind: 'sample',
  into: 'samples',
  inputs: ['snapshot', 'target', 'solver'],
  follow: FOLLOW_STEPS,
  params: (t) => ({ n: t.samples, seed: 1, steps, hist, density }),
});

/** W₁ against field evaluations for every solver, for the network (quantile starts). */
export const SWEEP_JOB = { kind: 'sweep', into: 'samples', inputs: ['snapshot', 'target'], follow: FOLLOW_STEPS, params: (t) => ({ n: t.sweep.points }) };
