// Figure 13: what a sampler's accuracy costs. W₁ against the number of field evaluations per
// sample, one line per solver, for the network (solid) and the exact field (dashed), from quantile
// starts so that the lines show solver and network error, not sampling noise.

import { drawLineChart } from '../linechart.js';
import { legend, prepare } from '../plot.js';
import { count, fmt, samplingText, solverName } from './caption.js';
import { SWEEP_JOB } from './jobs.js';

export const SOLVER_COLORS = { euler: '#1f77b4', midpoint: '#2ca02c', heun: '#9467bd', rk4: '#d62728' };
const FLOOR = '#888';

/** { solver: [[evaluations, w1], …] } from a sweep result. */
export function bySolver(r) {
  const out = {};
  if (!r) return out;
  r.solvers.forEach((s, i) => (out[s] ||= []).push([r.evaluations[i], r.w1[i]]));
  return out;
}

function rows(r, field) {
  return r ? r.solvers.map((s, i) => [field, s, r.steps[i], r.evaluations[i], r.w1[i]]) : [];
}

export default {
  name: 'solvers',
  needs: {
    jobs: [
      // The exact field's sweep, and the sampling floor of as many points as a sampled figure draws.
      { kind: 'sweep', into: 'computed', params: (t) => ({ exact: true, n: t.sweep.points, noiseFloorSamples: t.samples }), inputs: ['target'] },
      SWEEP_JOB,
    ],
  },

  draw(canvas, page) {
    const { ctx, width, height } = prepare(canvas);
    const exact = bySolver(page.computed.solvers);
    const learned = bySolver(page.samples.solvers.result);
    const series = [];
    for (const [solver, color] of Object.entries(SOLVER_COLORS)) {
      if (learned[solver]) series.push({ points: learned[solver], color, markers: true });
      if (exact[solver]) series.push({ points: exact[solver], color, dash: [5, 4], width: 1.3 });
    }
    const floor = page.computed.solvers?.noiseFloor;
    const frame = drawLineChart(ctx, { left: 74, top: 28, width: width - 96, height: height - 76 }, {
      title: 'W₁ against field evaluations per sample',
      xLabel: 'field evaluations per sample (log)',
      yLabel: 'W₁ to the target (log)',
      xRange: [1, 200],
      xLog: true,
      yLog: true,
      yRange: [1e-5, 2],
      series,
      refs: Number.isFinite(floor) ? [{ y: floor, color: FLOOR, dash: [2, 3] }] : [],
    });
    // Bottom left: the one corner no line reaches (few evaluations never give a small error). On a
    // phone the line styles get a row of their own, so that every row stays short.
    const narrow = frame.box.width < 300;
    const rows = narrow
      ? [['transparent', 'solid: network · dashed: exact'], ...Object.entries(SOLVER_COLORS).map(([s, c]) => [c, solverName(s)]), [FLOOR, 'noise of 100k samples']]
      : [...Object.entries(SOLVER_COLORS).map(([s, c]) => [c, `${solverName(s)}: network (solid), exact (dashed)`]), [FLOOR, 'noise of 100k random samples (median)']];
    legend(ctx, frame.box.left + 8, frame.box.top + frame.box.height - 92, rows, { within: frame.box });
  },

  data(page) {
    const all = [...rows(page.samples.solvers.result, 'network'), ...rows(page.computed.solvers, 'exact')];
    return all.length ? { columns: ['field', 'solver', 'steps', 'evaluations', 'w1'], rows: all } : null;
  },

  describe(page) {
    const exact = page.computed.solvers;
    const s = page.samples.solvers;
    const at = (r, solver, e) => {
      const i = r ? r.solvers.findIndex((x, j) => x === solver && r.evaluations[j] === e) : -1;
      return i >= 0 ? r.w1[i] : NaN;
    };
    const exactText = exact
      ? `Exact field: Euler ${[5, 10, 20, 50, 100].map((e) => fmt(at(exact, 'euler', e), 4)).join(' / ')} at 5 / 10 / 20 / 50 / 100 steps; RK4 ${fmt(at(exact, 'rk4', 20), 4)} at 20 evaluations. W₁ of 100k exact random samples (sampling noise alone, median of 5 draws): ${fmt(exact.noiseFloor, 4)}.`
      : 'Computing the exact field’s lines…';
    const learnedText = samplingText(s, (r) => `Network of step ${count(r.trainedSteps)}: Euler × 50 gives ${fmt(at(r, 'euler', 50))}, RK4 with 200 evaluations ${fmt(at(r, 'rk4', 200))}: its own error.`);
    return {
      label: `W1 against field evaluations for Euler, midpoint, Heun and RK4. ${exact ? `Exact field, Euler with 50 steps: ${fmt(at(exact, 'euler', 50), 4)}` : ''}`,
      caption: `W₁ of 4,096 noise quantiles carried to t = 1, against field evaluations per sample (1 to 200). ${exactText} ${learnedText}`,
    };
  },
};
