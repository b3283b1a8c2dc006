// The page's state: everything the page knows, in one object that figures are drawn from (and that
// tests and curious readers can look at as `window.explorable`). Its parts are filled by the modules
// named beside them.

import { emptySampling } from './scheduler.js';
import { TARGET_DEFAULTS } from './figures/velocity-target.js';

/** Chapter four's part of the page: its run (in the engine's plane lane), what was measured on it. */
export function emptyPlane() {
  return {
    run: { id: 0, status: 'waiting', steps: 0, total: 0, losses: new Float32Array(0), stepsPerSecond: 0, target: null, coupling: null, round: 0 },
    snapshot: null, // { run, steps, hidden, weights, averaged, latest }
    bumps: null, // the target's bumps, flat [weight, x, y, std, …] (derived at once from the link text)
    results: {}, // snapshot results by figure (scheduler.js, into 'plane')
    metrics: { run: 0, points: [], pending: [] }, // W₂ at the run's checkpoints
    kept: {}, // by figure, then by run label ('independent', 'ot', 'reflow 1', …): finished runs' results
    error: '',
  };
}

export function createPage(figures) {
  const sampled = figures.filter((f) => f.needs.jobs?.some((j) => j.into === 'samples'));
  return {
    math: null, // the math module (math.js)
    settings: [], // the settings table (state.js), and the state it reads from the link
    state: {},
    active: null, // the figure on screen (view.js)
    backend: null, // where the engine trains (runs.js)
    run: { id: 0, status: 'starting', steps: 0, total: 0, losses: new Float32Array(0), stepsPerSecond: 0 }, // the article's run (article-run.js)
    snapshot: null, // its latest weights, as a CPU field
    target: null, // the target's components, its entropy, each figure's density curves, the exact field (derived.js)
    entropy: NaN,
    curves: {},
    exact: null,
    integration: { path: null, exact: null, k: 0 },
    computed: {}, // worker results (scheduler.js): fixed ones by figure, with the inputs they are for
    computedFor: {},
    samples: Object.fromEntries(sampled.map((f) => [f.name, emptySampling()])),
    learned: null,
    metrics: { run: 0, points: [], pending: [] },
    reflow: { series: 0, rounds: [], training: null, error: '' }, // the reflow rounds (reflow-rounds.js)
    plane: emptyPlane(), // chapter four's run, its snapshot and results (plane-run.js)
    velocityTarget: { ...TARGET_DEFAULTS }, // figure 3's own sliders
    reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
    /** The loss floor of the run's target, coupling and batch; unknown while the target is being edited. */
    get lossFloor() {
      return this.state.target === this.run.target || this.run.id === 0 ? (this.computed.loss?.floor ?? NaN) : NaN;
    },
  };
}
