// What the main thread derives from the settings itself, with the small math module, in a few ms:
// the target's components and entropy, each figure's density curves, the exact field on the learned
// field's grid, and the one integration path the timeline scrubs. Everything heavier is a job
// (scheduler.js).

import { FIELD, LINE_STARTS, LEARNED } from './figures/field-figure.js';

/** The target changed (or the page started): what follows from it at once, also while a bump is dragged. */
export function deriveTarget(page, figures) {
  const target = page.state.target;
  page.target = page.math.targetComponents(target);
  page.entropy = page.math.targetEntropy(target);
  for (const fig of figures) if (fig.needs.curves) page.curves[fig.name] = fig.needs.curves(page.math, target);
  page.exact = null;
}

/** The exact field on the learned field's grid, and its path lines by the current solver (when a figure on screen draws it). */
export function deriveExact(page, wanted) {
  if (!wanted) return;
  const { solver, target } = page.state;
  if (page.exact && page.exact.solver === solver && page.exact.target === target) return;
  const sameTarget = page.exact && page.exact.target === target;
  page.exact = {
    solver,
    target,
    grid: sameTarget ? page.exact.grid : page.math.exactVelocityGrid(target, FIELD.times, FIELD.lo, FIELD.hi, FIELD.bins),
    lines: page.math.exactPaths(target, Float64Array.from(LINE_STARTS), LEARNED.lineSteps, solver),
  };
}

/** The timeline's path from x₀, by the network of the latest snapshot and by the exact field. */
export function deriveIntegration(page) {
  const snap = page.snapshot;
  const { eulerSteps, x0, t, solver, target } = page.state;
  page.integration = snap
    ? {
        solver,
        path: Array.from(snap.field.paths(Float64Array.of(x0), eulerSteps, solver)),
        exact: Array.from(page.math.exactPaths(target, Float64Array.of(x0), eulerSteps, solver)),
        k: Math.round(t * eulerSteps),
      }
    : { path: null, exact: null, k: 0 };
}
