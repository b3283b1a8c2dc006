// Figure 2: straight reference paths. Top: a few paths between their noise and data end points,
// with the two densities sideways. Bottom: 100k noise and target samples as histograms, and the
// density of 100k straight paths over t × x.

import { NOISE, TARGET } from '../colors.js';
import { paintDensity } from '../heatmap.js';
import { Frame, prepare } from '../plot.js';
import { peakOf, sideFrame, sidewaysCurve, sidewaysHistogram, threePanels } from '../sides.js';

export const PATHS = { n: 100_000, steps: 100, lo: -2.5, hi: 2.5, bins: 480, histBins: 100, examples: 7 };
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

/** `data`: { pdfXs, noisePdf, targetPdf, starts, ends, density, noiseHist, targetHist }. */
export function drawReferencePaths(canvas, data) {
  const { ctx, width, height } = prepare(canvas);
  const half = height / 2;
  const range = [PATHS.lo, PATHS.hi];
  const top = threePanels(width, half, { top: 26, bottom: 30 });
  const bottom = threePanels(width, half, { top: 26, bottom: 40 });
  for (const key of ['left', 'main', 'right']) bottom[key].top += half;

  const pdfPeak = peakOf(data.noisePdf, data.targetPdf);
  const l1 = sideFrame(ctx, top.left, range, pdfPeak, 'left');
  sidewaysCurve(l1, data.pdfXs, data.noisePdf, NOISE);
  l1.axes({ title: 'Noise π₀', xTicks: false, yLabel: 'x' });
  const r1 = sideFrame(ctx, top.right, range, pdfPeak, 'right');
  sidewaysCurve(r1, data.pdfXs, data.targetPdf, TARGET);
  r1.axes({ title: 'Target π₁', xTicks: false, yRight: true });

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

  const histPeak = peakOf(data.noiseHist, data.targetHist);
  const l2 = sideFrame(ctx, bottom.left, range, histPeak, 'left');
  sidewaysHistogram(l2, data.noiseHist, PATHS.lo, PATHS.hi, NOISE);
  l2.axes({ title: 'Noise samples X₀', xTicks: false, yLabel: 'x' });
  const r2 = sideFrame(ctx, bottom.right, range, histPeak, 'right');
  sidewaysHistogram(r2, data.targetHist, PATHS.lo, PATHS.hi, TARGET);
  r2.axes({ title: 'Target samples X₁', xTicks: false, yRight: true });

  const heat = new Frame(ctx, bottom.main, [0, 1], range);
  paintDensity(heat, data.density, PATHS.steps + 1, PATHS.bins);
  heat.axes({ title: `Density of ${PATHS.n.toLocaleString('en-US')} straight paths`, xLabel: 't (flow time)', yTicks: false });
}
