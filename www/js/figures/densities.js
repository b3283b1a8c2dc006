// Figure 1: the densities of the noise π₀ and the target π₁.

import { NOISE, TARGET } from '../colors.js';
import { filledCurve, Frame, legend, prepare } from '../plot.js';

export const RANGE = [-3, 3];

/** `data`: { xs, noise, target } sampled on RANGE. */
export function drawDensities(canvas, data) {
  const { ctx, width, height } = prepare(canvas);
  const top = Math.max(...data.noise, ...data.target) * 1.1;
  const frame = new Frame(ctx, { left: 52, top: 28, width: width - 70, height: height - 74 }, RANGE, [0, top]);
  filledCurve(frame, data.xs, data.noise, NOISE);
  filledCurve(frame, data.xs, data.target, TARGET);
  frame.axes({ xLabel: 'x', yLabel: 'density', title: 'Noise π₀ and target π₁' });
  legend(ctx, frame.box.left + 8, frame.box.top + 8, [[NOISE, 'noise π₀ = N(0, 1)'], [TARGET, 'target π₁ (two Gaussians)']]);
}
