// Figure 2: straight reference paths. Top: a few paths between their noise and data end points,
// with the two densities sideways. Bottom: noise and target samples as histograms, and the density
// of many straight paths over t × x (computed in the figure worker).

import { NOISE, TARGET } from '../colors.js';
import { paintDensity } from '../heatmap.js';
import { Frame, prepare } from '../plot.js';
import { drawSides, threePanels } from '../sides.js';
import { count } from './caption.js';
import { densityCurves } from './curves.js';

const PATHS = { n: 100_000, steps: 100, lo: -2.5, hi: 2.5, bins: 480, histBins: 100, examples: 7, seed: 1 };
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

/** How the paths' ends are paired: as training pairs them (figure 15). */
export const pairing = (state) => (state.coupling === 'ot' ? `, each batch of ${state.batch} paired by minibatch OT as training pairs them` : '');

export default {
  name: 'reference-paths',
  tall: true,
  needs: { curves: (math, target) => densityCurves(math, PATHS.lo, PATHS.hi, target), jobs: [{ kind: 'referencePaths', into: 'computed', params: PATHS, inputs: ['target', 'coupling', 'batch'] }] },

  draw(canvas, page) {
    const pdfs = page.curves['reference-paths'];
    const data = page.computed['reference-paths'];
    const { ctx, width, height } = prepare(canvas);
    const half = height / 2;
    const range = [PATHS.lo, PATHS.hi];
    const top = threePanels(width, half, { top: 26, bottom: 30 });
    const bottom = threePanels(width, half, { top: 26, bottom: 40 });
    for (const key of ['left', 'main', 'right']) bottom[key].top += half;

    drawSides(ctx, top, range, {
      left: { kind: 'curve', xs: pdfs.xs, values: pdfs.noise, color: NOISE, title: 'Noise π₀' },
      right: { kind: 'curve', xs: pdfs.xs, values: pdfs.target, color: TARGET, title: 'Target π₁' },
    });
    const paths = new Frame(ctx, top.main, [0, 1], range);
    if (data) {
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
    }
    paths.axes({ title: `${PATHS.examples} straight paths x_t = (1 − t)·x₀ + t·x₁`, yTicks: false });

    drawSides(ctx, bottom, range, data && {
      left: { kind: 'hist', values: data.noiseHist, lo: PATHS.lo, hi: PATHS.hi, color: NOISE, title: 'Noise X₀' },
      right: { kind: 'hist', values: data.targetHist, lo: PATHS.lo, hi: PATHS.hi, color: TARGET, title: 'Target X₁' },
    });
    const heat = new Frame(ctx, bottom.main, [0, 1], range);
    if (data) paintDensity(heat, data.density, PATHS.steps + 1, PATHS.bins);
    heat.axes({ title: `Density of ${count(PATHS.n)} straight paths`, xLabel: 't (flow time)', yTicks: false });
  },

  data(page) {
    const data = page.computed['reference-paths'];
    if (!data) return null;
    const rows = [];
    const w = (PATHS.hi - PATHS.lo) / PATHS.bins;
    for (let i = 0; i <= PATHS.steps; i++) {
      for (let b = 0; b < PATHS.bins; b++) rows.push([i / PATHS.steps, PATHS.lo + (b + 0.5) * w, data.density[i * PATHS.bins + b]]);
    }
    return { columns: ['t', 'x_bin_centre', 'paths_in_bin'], rows };
  },

  describe(page) {
    const ready = Boolean(page.computed['reference-paths']);
    const grid = `${PATHS.steps + 1} times × ${PATHS.bins} x-bins on [${PATHS.lo}, ${PATHS.hi}]`;
    return {
      label: `${PATHS.examples} straight paths and the density of ${count(PATHS.n)} paths on ${grid}${ready ? '' : ' (computing)'}`,
      caption: `${PATHS.examples} straight paths (top) and the density of ${count(PATHS.n)} of them (bottom, ${grid})${pairing(page.state)}.${ready ? '' : ' Computing the paths…'}`,
    };
  },
};
