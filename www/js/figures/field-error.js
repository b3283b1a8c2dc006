// Figure 11: the network against the truth, cell by cell: FM_θ − u on the learned field's grid, on
// its own diverging scale, with the path lines of both fields (the network's solid, u's dashed).

import { NOISE, TARGET } from '../colors.js';
import { maxAbs } from '../heatmap.js';
import { count, fmt, solverSteps } from './caption.js';
import { densityCurves } from './curves.js';
import { drawFieldFigure, FIELD, LINE_STARTS, LEARNED } from './field-figure.js';
import { LEARNED_JOB, METRICS_JOB } from './jobs.js';

let last = { learned: null, exact: null, diff: null }; // draw, describe and data share one subtraction

/** FM_θ − u per cell, or null until both grids are there. */
export function fieldDifference(page) {
  const learned = page.learned;
  const exact = page.exact;
  if (!learned || !exact) return null;
  if (last.learned !== learned || last.exact !== exact) {
    last = { learned, exact, diff: learned.grid.map((v, i) => v - exact.grid[i]) };
  }
  return last.diff;
}

/** The cell (t, x) where |FM_θ − u| is largest, and its value. */
function largest(diff) {
  let best = 0;
  for (let i = 1; i < diff.length; i++) if (Math.abs(diff[i]) > Math.abs(diff[best])) best = i;
  const column = Math.floor(best / FIELD.bins);
  const row = best % FIELD.bins;
  return { t: column / (FIELD.times - 1), x: FIELD.lo + ((row + 0.5) * (FIELD.hi - FIELD.lo)) / FIELD.bins, value: diff[best] };
}

export default {
  name: 'field-error',
  tall: true,
  needs: { jobs: [LEARNED_JOB, METRICS_JOB], learned: true, exact: true, metrics: true, curves: (math, target) => densityCurves(math, FIELD.lo, FIELD.hi, target) },
  controls: 'solver',

  draw(canvas, page) {
    const diff = fieldDifference(page);
    const pdf = page.curves['field-error'];
    drawFieldFigure(canvas, {
      grid: diff, times: FIELD.times, bins: FIELD.bins, lo: FIELD.lo, hi: FIELD.hi,
      title: page.learned ? `Network − exact field after ${count(page.learned.steps)} steps` : 'Network − exact field: waiting for the network',
      lines: page.learned && { rows: page.learned.lines, count: LINE_STARTS.length, stride: 35, offset: 7 },
      exactLines: page.exact && { rows: page.exact.lines, count: LINE_STARTS.length },
      barLabel: 'FM_θ − u (red: the network moves x up too fast)',
      left: { kind: 'curve', xs: pdf.xs, values: pdf.noise, color: NOISE, title: 'Noise π₀' },
      right: { kind: 'curve', xs: pdf.xs, values: pdf.target, color: TARGET, title: 'Target π₁' },
    });
  },

  data(page) {
    const diff = fieldDifference(page);
    if (!diff) return null;
    const rows = [];
    for (let c = 0; c < FIELD.times; c++) {
      for (let r = 0; r < FIELD.bins; r++) {
        const i = c * FIELD.bins + r;
        rows.push([c / (FIELD.times - 1), FIELD.lo + ((r + 0.5) * (FIELD.hi - FIELD.lo)) / FIELD.bins, page.learned.grid[i], page.exact.grid[i], diff[i]]);
      }
    }
    return { columns: ['t', 'x', 'network', 'exact', 'difference'], rows };
  },

  describe(page) {
    const diff = fieldDifference(page);
    if (!diff) return { label: 'Network minus exact field: waiting for the network', caption: 'The network minus the exact field: waiting for the network…' };
    const worst = largest(diff);
    const last = page.metrics.points.at(-1);
    const weighted = last ? ` Weighted by where the training paths actually go, the mean squared error at step ${count(last.steps)} is ${fmt(last.averaged.fieldError, 4)} (averaged weights).` : '';
    return {
      label: `Network minus exact field after ${page.learned.steps} steps: largest difference ${fmt(worst.value, 2)} at t = ${fmt(worst.t, 2)}, x = ${fmt(worst.x, 2)}; scale ±${fmt(maxAbs(diff), 2)}`,
      caption: `FM_θ − u on ${FIELD.times} × ${FIELD.bins} cells, on its own scale (±${fmt(maxAbs(diff), 2)}); the largest gap, ${fmt(worst.value, 2)}, is at t = ${fmt(worst.t, 2)}, x = ${fmt(worst.x, 2)}. Path lines: the network (solid) and the exact field (dashed), ${solverSteps(LEARNED.lineSteps, page.state.solver)}.${weighted}`,
    };
  },
};
