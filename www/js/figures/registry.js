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
];
