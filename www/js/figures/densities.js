// Figure 1: the densities of the noise π₀ and the target π₁.

import { NOISE, TARGET } from '../colors.js';
import { filledCurve, Frame, legend, prepare } from '../plot.js';
import { fmt } from './caption.js';
import { densityCurves } from './curves.js';

const RANGE = [-3, 3];

export default {
  name: 'densities',
  needs: { curves: (math, target) => densityCurves(math, ...RANGE, target) },

  draw(canvas, page) {
    const d = page.curves.densities;
    const { ctx, width, height } = prepare(canvas);
    const top = Math.max(...d.noise, ...d.target) * 1.1;
    const frame = new Frame(ctx, { left: 52, top: 28, width: width - 70, height: height - 74 }, RANGE, [0, top]);
    filledCurve(frame, d.xs, d.noise, NOISE);
    filledCurve(frame, d.xs, d.target, TARGET);
    frame.axes({ xLabel: 'x', yLabel: 'density', title: 'Noise π₀ and target π₁' });
    legend(ctx, frame.box.left + 8, frame.box.top + 8, [[NOISE, 'noise π₀ = N(0, 1)'], [TARGET, 'target π₁ (two Gaussians)']]);
  },

  data(page) {
    const d = page.curves.densities;
    return { columns: ['x', 'noise_pdf', 'target_pdf'], rows: d.xs.map((x, i) => [x, d.noise[i], d.target[i]]) };
  },

  describe(page) {
    const d = page.curves.densities;
    return {
      label: `Densities on x from ${RANGE[0]} to ${RANGE[1]}: noise peaks at ${fmt(Math.max(...d.noise))}, target at ${fmt(Math.max(...d.target))}`,
      caption: `Densities of the noise π₀ (orange) and the target π₁ (blue) on [${RANGE[0]}, ${RANGE[1]}].`,
    };
  },
};
