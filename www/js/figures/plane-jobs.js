// Chapter four's figure-worker jobs that several of its figures share (the scheduler runs each once).
// Sizes and seeds are Rust's page table (`plane`); scheduler.js says what a spec holds.

/** Noise seed of every particle and measure set: the network's and the exact field's flows start at the same points. */
const NOISE_SEED = 11;

/** The exact field: p_t and arrows at the frames' times, and its particles by the reader's solver. */
export const PLANE_EXACT_JOB = {
  kind: 'planeExact',
  into: 'computed',
  inputs: ['planeTarget', 'solver', 'eulerSteps'],
  params: (t) => ({ view: t.plane.view, frames: t.plane.frames, densityBins: t.plane.densityBins, arrows: t.plane.arrows, particles: t.plane.particles, seed: NOISE_SEED }),
};

/** W₂ sizes: the points of each set, the fixed target set they are measured against, the floor's second set. */
export const w2Params = (t) => ({ points: t.plane.w2Points, seed: NOISE_SEED, referenceSeed: 101, floorSeed: 202 });

/** The plane network's particles and arrows, following the run every so many steps while it trains. */
export const PLANE_FLOW_JOB = {
  kind: 'planeFlow',
  into: 'plane',
  inputs: ['planeTarget', 'solver', 'eulerSteps', 'planeSnapshot'],
  follow: 1000,
  params: (t) => ({ view: t.plane.view, frames: t.plane.frames, arrows: t.plane.arrows, particles: t.plane.particles, seed: NOISE_SEED }),
};

export const planeSeed = NOISE_SEED;
