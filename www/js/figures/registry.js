// Every figure of the article, in reading order. A figure is one module (what it needs, how it
// draws, how it describes itself), one <section class="step" data-figure="…"> of prose in
// index.html, and one line here. Its number in the captions is its place in this list.

import densities from './densities.js';
import referencePaths from './reference-paths.js';
import velocityTarget from './velocity-target.js';
import averageField from './average-field.js';
import loss from './loss-curve.js';
import learnedField from './learned-field.js';
import pathTable from './path-table.js';
import eulerAnimation from './euler-animation.js';
import reconstructed from './reconstructed.js';
import sampledDensity from './sampled-density.js';
import fieldError from './field-error.js';
import metrics from './metrics.js';
import solvers from './solvers.js';
import yourTarget from './your-target.js';
import couplings from './couplings.js';
import reflow from './reflow.js';
import planeTarget from './plane-target.js';
import planeFlow from './plane-flow.js';
import planeCouplings from './plane-couplings.js';
import planeMeasures from './plane-measures.js';

/**
 * What a figure's `needs` may say. `jobs`: the figure-worker jobs it needs (scheduler.js says what a
 * spec holds); `uses`: other figures whose computed results it draws too; `curves(math, target)`:
 * density curves derived at once on the main thread; the rest name the page state it draws from, so
 * that it is redrawn when that changes (`plane`: chapter four's run and its results). A figure's
 * `lane` ('plane' for chapter four) names the network its section trains.
 */
export const NEEDS = ['jobs', 'uses', 'curves', 'learned', 'progress', 'integration', 'exact', 'metrics', 'reflow', 'plane'];

export const FIGURES = [
  densities,
  referencePaths,
  velocityTarget,
  averageField,
  loss,
  learnedField,
  pathTable,
  eulerAnimation,
  reconstructed,
  sampledDensity,
  fieldError,
  metrics,
  solvers,
  yourTarget,
  couplings,
  reflow,
  planeTarget,
  planeFlow,
  planeCouplings,
  planeMeasures,
];
