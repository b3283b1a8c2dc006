// Figure 10: where the sampled paths go. Many noise points integrated through the learned field by
// Euler's method; the heatmap counts path positions per (t, x) cell, viridis.

import { NOISE, TARGET } from '../colors.js';
import { paintDensity } from '../heatmap.js';
import { Frame, prepare } from '../plot.js';
import { peakOf, sideFrame, sidewaysHistogram, threePanels } from '../sides.js';

export const SAMPLED = { steps: 200, bins: 480, lo: -2.5, hi: 2.5, histBins: 100 };

/** `data`: { density ((steps + 1) × bins counts), noiseHist, sampleHist, count } */
export function drawSampledDensity(canvas, data) {
  const { ctx, width, height } = prepare(canvas);
  const layout = threePanels(width, height, { top: 28, bottom: 44 });
  const range = [SAMPLED.lo, SAMPLED.hi];
  const heat = new Frame(ctx, layout.main, [0, 1], range);
  paintDensity(heat, data.density, SAMPLED.steps + 1, SAMPLED.bins);
  heat.axes({
    title: `Density of ${data.count.toLocaleString('en-US')} sampled paths`,
    xLabel: 't (flow time)',
    yTicks: false,
  });
  const peak = peakOf(data.noiseHist, data.sampleHist);
  const left = sideFrame(ctx, layout.left, range, peak, 'left');
  sidewaysHistogram(left, data.noiseHist, SAMPLED.lo, SAMPLED.hi, NOISE);
  left.axes({ title: 'Noise X₀', xTicks: false, yLabel: 'x' });
  const right = sideFrame(ctx, layout.right, range, peak, 'right');
  sidewaysHistogram(right, data.sampleHist, SAMPLED.lo, SAMPLED.hi, TARGET);
  right.axes({ title: 'Samples X̂₁', xTicks: false, yRight: true });
}
