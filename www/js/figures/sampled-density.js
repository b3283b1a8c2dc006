// Figure 10: where the sampled paths go. Many noise points integrated through the learned field by
// Euler's method; the heatmap counts path positions per (t, x) cell, viridis.

import { NOISE, TARGET } from '../colors.js';
import { paintDensity } from '../heatmap.js';
import { Frame, prepare } from '../plot.js';
import { drawSides, threePanels } from '../sides.js';

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
  drawSides(ctx, layout, range, {
    left: { kind: 'hist', values: data.noiseHist, lo: SAMPLED.lo, hi: SAMPLED.hi, color: NOISE, title: 'Noise X₀' },
    right: { kind: 'hist', values: data.sampleHist, lo: SAMPLED.lo, hi: SAMPLED.hi, color: TARGET, title: 'Samples X̂₁' },
  });
}
