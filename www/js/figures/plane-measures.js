// Chapter four, how good: exact W₂ (an assignment of 1,000 points) to a fixed target set, with the
// floor (two fresh target sets) drawn in. Left: against training steps, for the weight average and
// the last iterate, at each checkpoint of the plane run. Right: against network evaluations per
// sample, for each solver, of this network and of the exact field from the same starts, and the
// Euler line of the runs kept under the other pairing and of reflow.

import { drawLineChart } from '../linechart.js';
import { legend, prepare } from '../plot.js';
import { TABLE } from '../table.js';
import { count, fmt, solverName } from './caption.js';
import { w2Params } from './plane-jobs.js';
import { PLANE_COUPLING_COLORS } from './plane-couplings.js';
import { SOLVER_COLORS } from './solvers.js';

const SOLVERS = ['euler', 'midpoint', 'rk4'];
const FLOOR = '#888';
const costs = (t) => Object.fromEntries(t.solvers.map((s) => [s.name, s.evaluations]));
const sweepParams = (exact) => (t) => ({ ...w2Params(t), solvers: SOLVERS, costs: costs(t), evaluations: t.plane.evaluations, exact });

/** [[evaluations, w2], …] per solver of a sweep result. */
function lines(result) {
  const out = {};
  for (const p of result?.points || []) (out[p.solver] ||= []).push([p.evaluations, p.w2]);
  return out;
}

const colorOf = (label) => PLANE_COUPLING_COLORS[label.startsWith('reflow') ? 'reflow' : label] || '#555';

export default {
  name: 'plane-measures',
  lane: 'plane',
  tall: true,
  needs: {
    jobs: [
      { kind: 'planeSweep', into: 'computed', inputs: ['planeTarget'], params: sweepParams(true) },
      { kind: 'planeSweep', into: 'plane', inputs: ['planeTarget', 'planeSnapshot'], follow: 5000, params: sweepParams(false) },
      { kind: 'planeCheckpoint', into: 'planeMetrics', inputs: ['planeTarget', 'planeCheckpoint'], params: (t) => ({ ...w2Params(t), steps: 100 }) },
    ],
    plane: true,
  },

  draw(canvas, page) {
    const { ctx, width, height, stacked } = prepare(canvas);
    const exact = page.computed['plane-measures'];
    const floor = exact?.floor;
    const refs = Number.isFinite(floor) ? [{ y: floor, color: FLOOR, dash: [2, 3] }] : [];
    const half = stacked ? null : (width - 160) / 2;
    const left = stacked ? { left: 72, top: 28, width: width - 92, height: height / 2 - 80 } : { left: 72, top: 28, width: half, height: height - 90 };
    const right = stacked ? { left: 72, top: height / 2 + 28, width: width - 92, height: height / 2 - 80 } : { left: 140 + half, top: 28, width: half, height: height - 90 };
    const m = page.plane.metrics.points;
    const total = Math.max(page.plane.run.total || TABLE.plane.steps, 1);
    drawLineChart(ctx, left, {
      title: 'W₂ against training steps',
      xLabel: 'training step (samples: 100 Euler steps)',
      yLabel: 'W₂ to the target',
      xRange: [0, total],
      series: [
        { points: m.map((p) => [p.steps, p.averaged]), color: '#d62728', markers: true },
        { points: m.map((p) => [p.steps, p.latest]), color: '#1f77b4', markers: true, dash: [4, 3] },
      ],
      refs,
    });
    legend(ctx, left.left + left.width - 170, left.top + 8, [['#d62728', 'weight average'], ['#1f77b4', 'last iterate'], [FLOOR, 'floor (two target sets)']], { within: left });
    const mine = lines(page.plane.results['plane-measures']);
    const ex = lines(exact);
    const label = page.plane.run.label;
    const kept = Object.entries(page.plane.kept['plane-measures'] || {}).filter(([l]) => l !== label);
    const series = [
      ...SOLVERS.flatMap((s) => [
        { points: ex[s] || [], color: SOLVER_COLORS[s], dash: [2, 3], markers: true },
        { points: mine[s] || [], color: SOLVER_COLORS[s], markers: true },
      ]),
      ...kept.map(([l, r]) => ({ points: lines(r).euler || [], color: colorOf(l), width: 2.5, markers: true })),
    ];
    const evaluations = TABLE.plane.evaluations;
    drawLineChart(ctx, right, {
      title: 'W₂ against evaluations per sample',
      xLabel: 'network evaluations per sample (log)',
      yLabel: 'W₂ (log)',
      xRange: [evaluations[0], evaluations.at(-1)],
      xLog: true,
      yLog: true,
      series,
      refs,
    });
    legend(ctx, right.left + right.width - 190, right.top + 8, [
      ...SOLVERS.map((s) => [SOLVER_COLORS[s], `${solverName(s)} (dashed: exact field)`]),
      ...kept.map(([l]) => [colorOf(l), `${l}, Euler (kept run)`]),
    ], { within: right });
  },

  data(page) {
    const plane = page.plane;
    if (!plane) return null;
    const rows = [
      ...plane.metrics.points.flatMap((p) => [['training', 'average', 'euler', p.steps, p.averaged], ['training', 'last', 'euler', p.steps, p.latest]]),
      ...(page.computed['plane-measures']?.points || []).map((p) => ['exact field', '', p.solver, p.evaluations, p.w2]),
      ...(plane.results['plane-measures']?.points || []).map((p) => [`network (${plane.run.label})`, '', p.solver, p.evaluations, p.w2]),
    ];
    return rows.length ? { comment: `W2 of ${TABLE.plane.w2Points} points to a fixed target set; target=${page.state.plane}`, columns: ['series', 'network', 'solver', 'steps_or_evaluations', 'w2'], rows } : null;
  },

  describe(page) {
    const exact = page.computed['plane-measures'];
    const m = page.plane.metrics.points.at(-1);
    const mine = lines(page.plane.results['plane-measures']);
    const parts = [`Exact W₂ of ${count(TABLE.plane.w2Points)} points to a fixed set of target draws.`];
    if (exact) parts.push(`Floor (two fresh target sets): ${fmt(exact.floor)}; the exact field with 32 RK4 evaluations: ${fmt(lines(exact).rk4?.at(-1)?.[1])}.`);
    if (m) parts.push(`At step ${count(m.steps)}: ${fmt(m.averaged)} for the weight average, ${fmt(m.latest)} for the last iterate.`);
    if (mine.euler) parts.push(`This network in one Euler step: ${fmt(mine.euler[0][1])}; in 32: ${fmt(mine.euler.at(-1)[1])}.`);
    return { label: `W₂ of ${count(TABLE.plane.w2Points)} points of the plane network against steps and evaluations`, caption: parts.join(' ') };
  },
};
