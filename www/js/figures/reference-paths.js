// Figure 2: straight reference paths. Top: a few paths between their noise and data end points,
// with the two densities sideways. Bottom: 100k noise and target samples as histograms, and the
// density of 100k straight paths over t × x.

import { NOISE, TARGET } from '../colors.js';
import { paintDensity } from '../heatmap.js';
import { Frame, prepare } from '../plot.js';
import { drawSides, threePanels } from '../sides.js';

export const PATHS = { n: 100_000, steps: 100, lo: -2.5, hi: 2.5, bins: 480, histBins: 100, examples: 7 };
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

/** `data`: { pdfs: { xs, noise, target }, starts, ends, density, noiseHist, targetHist }. */
export function drawReferencePaths(canvas, data) {
  const { ctx, width, height } = prepare(canvas);
  const half = height / 2;
  const range = [PATHS.lo, PATHS.hi];
  const top = threePanels(width, half, { top: 26, bottom: 30 });
  const bottom = threePanels(width, half, { top: 26, bottom: 40 });
  for (const key of ['left', 'main', 'right']) bottom[key].top += half;

  drawSides(ctx, top, range, {
    left: { kind: 'curve', xs: data.pdfs.xs, values: data.pdfs.noise, color: NOISE, title: 'Noise π₀' },
    right: { kind: 'curve', xs: data.pdfs.xs, values: data.pdfs.target, color: TARGET, title: 'Target π₁' },
  });

  const paths = new Frame(ctx, top.main, [0, 1], range);
  paths.clip((c) => {
    data.starts.forEach((x0, i) => {
      const x1 = data.ends[i];
      c.strokeStyle = PALETTE[i % PALETTE.length];
      c.globalAlpha = 0.6;
      c.lineWidth = 2;
      c.beginPath();
      c.moveTo(paths.px(0), paths.py(x0));
      c.lineTo(paths.px(1), paths.py(x1));
      c.stroke();
      c.globalAlpha = 1;
      c.fillStyle = PALETTE[i % PALETTE.length];
      for (const [t, x] of [[0, x0], [1, x1]]) {
        c.beginPath();
        c.arc(paths.px(t), paths.py(x), 4, 0, 2 * Math.PI);
        c.fill();
      }
    });
  });
  paths.axes({ title: `${data.starts.length} straight reference paths x_t = (1 − t)·x₀ + t·x₁`, yTicks: false });

  drawSides(ctx, bottom, range, {
    left: { kind: 'hist', values: data.noiseHist, lo: PATHS.lo, hi: PATHS.hi, color: NOISE, title: 'Noise samples X₀' },
    right: { kind: 'hist', values: data.targetHist, lo: PATHS.lo, hi: PATHS.hi, color: TARGET, title: 'Target samples X₁' },
  });

  const heat = new Frame(ctx, bottom.main, [0, 1], range);
  paintDensity(heat, data.density, PATHS.steps + 1, PATHS.bins);
  heat.axes({ title: `Density of ${PATHS.n.toLocaleString('en-US')} straight paths`, xLabel: 't (flow time)', yTicks: false });
}
