// Figure 1: the densities of the noise π₀ and the target π₁.

import { NOISE, TARGET } from '../colors.js';
import { Frame, legend, prepare } from '../plot.js';

export const RANGE = [-3, 3];

/** `data`: { xs, noise, target } sampled on RANGE. */
export function drawDensities(canvas, data) {
  const { ctx, width, height } = prepare(canvas);
  const top = Math.max(...data.noise, ...data.target) * 1.1;
  const frame = new Frame(ctx, { left: 52, top: 28, width: width - 70, height: height - 74 }, RANGE, [0, top]);
  frame.clip((c) => {
    for (const [values, color] of [[data.noise, NOISE], [data.target, TARGET]]) {
      c.beginPath();
      c.moveTo(frame.px(data.xs[0]), frame.py(0));
      data.xs.forEach((x, i) => c.lineTo(frame.px(x), frame.py(values[i])));
      c.lineTo(frame.px(data.xs[data.xs.length - 1]), frame.py(0));
      c.closePath();
      c.globalAlpha = 0.35;
      c.fillStyle = color;
      c.fill();
      c.globalAlpha = 1;
      c.strokeStyle = color;
      c.lineWidth = 2;
      c.stroke();
    }
  });
  frame.axes({ xLabel: 'x', yLabel: 'density', title: 'Noise π₀ and target π₁' });
  legend(ctx, frame.box.left + 8, frame.box.top + 8, [[NOISE, 'noise π₀ = N(0, 1)'], [TARGET, 'target π₁ (two Gaussians)']]);
}
