// Density curves of the noise and the target on a view, from the math module (shared by the
// figures that draw them beside a panel or under a histogram).

import { linspace } from '../plot.js';

/** `target`: the target's link text (the page's `state.target`). */
export function densityCurves(math, lo, hi, target, n = 400) {
  const xs = Float64Array.from(linspace(lo, hi, n));
  return { xs: Array.from(xs), noise: math.noisePdf(xs), target: math.targetPdf(target, xs) };
}
