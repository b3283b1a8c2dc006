// Figure 10: where the sampled paths go. Many noise points integrated through the learned field by
// Euler's method; the heatmap counts path positions per (t, x) cell, viridis (figure worker).

import { NOISE, TARGET } from '../colors.js';
import { paintDensity } from '../heatmap.js';
import { Frame, prepare } from '../plot.js';
import { drawSides, threePanels } from '../sides.js';
import { count, samplingText, solverSteps } from './caption.js';
import { sampleJob } from './jobs.js';

const SAMPLE = { steps: 200, density: { lo: -2.5, hi: 2.5, bins: 480 }, hist: { lo: -2.5, hi: 2.5, bins: 100 } };
const { lo, hi, bins } = SAMPLE.density;

export default {
  name: 'sampled-density',
  tall: true,
  needs: { jobs: [sampleJob(SAMPLE)] },
  controls: 'solver',

  draw(canvas, page) {
    const s = page.samples['sampled-density'];
    const r = s.result;
    const noise = r ? r.noiseHist : s.partial && s.partial.noiseHist;
    const { ctx, width, height } = prepare(canvas);
    const layout = threePanels(width, height, { top: 28, bottom: 44 });
    const heat = new Frame(ctx, layout.main, [0, 1], [lo, hi]);
    if (r) paintDensity(heat, r.density, SAMPLE.steps + 1, bins);
    heat.axes({ title: r ? `Density of ${count(r.count)} sampled paths` : 'Density of sampled paths', xLabel: 't (flow time)', yTicks: false });
    drawSides(ctx, layout, [lo, hi], {
      left: noise && { kind: 'hist', values: noise, lo, hi, color: NOISE, title: 'Noise X₀' },
      right: r && { kind: 'hist', values: r.sampleHist, lo, hi, color: TARGET, title: 'Samples X̂₁' },
    });
  },

  data(page) {
    const r = page.samples['sampled-density'].result;
    if (!r) return null;
    const rows = [];
    const w = (hi - lo) / bins;
    for (let i = 0; i <= SAMPLE.steps; i++) {
      for (let b = 0; b < bins; b++) rows.push([i / SAMPLE.steps, lo + (b + 0.5) * w, r.density[i * bins + b]]);
    }
    return { columns: ['t', 'x_bin_centre', 'paths_in_bin'], rows };
  },

  describe(page) {
    const s = page.samples['sampled-density'];
    const r = s.result;
    return {
      label: r ? `Density of ${r.count} sampled paths, ${solverSteps(SAMPLE.steps, r.solver)}, ${bins} bins` : 'Density of sampled paths: pending',
      caption: samplingText(s, (x) => `Density of ${count(x.count)} sampled paths, ${solverSteps(SAMPLE.steps, x.solver)}, ${bins} x-bins on [${lo}, ${hi}] (network of step ${count(x.trainedSteps)}).`),
    };
  },
};
