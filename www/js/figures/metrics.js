// Figure 12: the network measured against the truth while it trains, at every checkpoint: the loss
// above its floor, the field error, W₁ and KS of the noise's quantiles carried to t = 1, and the NLL
// of the target against its entropy — each for the weight average (solid) and the last Adam iterate (dashed).

import { RECONSTRUCTED, TARGET } from '../colors.js';
import { drawLineChart } from '../linechart.js';
import { legend, prepare } from '../plot.js';
import { count, fmt } from './caption.js';
import { METRICS_JOB } from './jobs.js';

const WINDOW = 100; // the loss panel's moving average
const FLOOR = '#c0392b';
const NETWORKS = [
  ['averaged', TARGET, []],
  ['latest', RECONSTRUCTED, [5, 4]],
];
const METRICS = [
  ['fieldError', 'Field error (log)', true, 'field err'],
  ['w1', 'W₁ (log)', true, 'W1'],
  ['ks', 'KS', false, 'KS'],
  ['nll', 'NLL (nats)', false, 'NLL'],
];

/** The loss's moving average, thinned to at most `n` points: [[step, value], …]. */
function lossCurve(losses, n = 300) {
  const out = [];
  const stride = Math.max(1, Math.floor(losses.length / n));
  let sum = 0;
  for (let i = 0; i < losses.length; i++) {
    sum += losses[i] - (i >= WINDOW ? losses[i - WINDOW] : 0);
    if (i >= WINDOW - 1 && ((i + 1) % stride === 0 || i === losses.length - 1)) out.push([i + 1, sum / WINDOW]);
  }
  return out;
}

/** The exact field's own W₁ with 50 Euler steps (from the solver sweep), the floor of the W₁ panel. */
function eulerFloor(page) {
  const sweep = page.computed.solvers;
  if (!sweep) return NaN;
  const i = sweep.solvers.findIndex((s, j) => s === 'euler' && sweep.steps[j] === 50);
  return i >= 0 ? sweep.w1[i] : NaN;
}

export default {
  name: 'metrics',
  tall: true,
  needs: { jobs: [METRICS_JOB], progress: true, metrics: true },

  draw(canvas, page) {
    const { ctx, width, height, stacked, stack } = prepare(canvas);
    const points = page.metrics.points;
    const total = Math.max(page.run.total, 1);
    // Two rows of three panels, the last one the legend and the numbers; on a phone, one panel per
    // row with the legend and the numbers under them.
    const cols = 3;
    const w = (width - 20) / cols;
    const h = (height - 10) / 2;
    const rows = stacked ? stack([1, 1, 1, 1, 1], { left: 50, reserve: 190 }) : null;
    const box = (i) => (stacked ? rows[i] : { left: 10 + (i % cols) * w + 48, top: Math.floor(i / cols) * h + 26, width: w - 62, height: h - 70 });
    const notes = stacked ? { left: 12, top: rows.end + 4 } : { left: 10 + 2 * w + 12, top: h + 30 };
    const floor = page.lossFloor;
    const loss = lossCurve(page.run.losses);
    const tail = loss.slice(Math.floor(loss.length / 5)).map((p) => p[1]);
    drawLineChart(ctx, box(0), {
      title: `Loss, ${WINDOW}-step mean`,
      xLabel: 'training step',
      xRange: [0, total],
      yRange: tail.length ? [Math.min(floor, ...tail) - 0.02, Math.max(floor + 0.05, ...tail) + 0.02] : undefined,
      series: [{ points: loss, color: TARGET }],
      refs: [{ y: floor, color: FLOOR }],
    });
    const references = { w1: eulerFloor(page), nll: page.entropy };
    METRICS.forEach(([key, title, log], i) => {
      const ref = references[key];
      drawLineChart(ctx, box(i + 1), {
        title,
        xLabel: 'training step',
        xRange: [0, total],
        yLog: log,
        series: NETWORKS.map(([net, color, dash]) => ({ points: points.map((p) => [p.steps, p[net][key]]), color, dash, markers: true })),
        refs: Number.isFinite(ref) ? [{ y: ref, color: FLOOR }] : [],
      });
    });
    legend(ctx, notes.left, notes.top, [
      [TARGET, 'weight average (EMA 0.999)'],
      [RECONSTRUCTED, 'last Adam iterate (dashed)'],
      [FLOOR, 'exact reference (dashed red)'],
    ]);
    const last = points.at(-1);
    ctx.save();
    ctx.font = '12px ui-monospace, monospace';
    ctx.fillStyle = '#222';
    ctx.textBaseline = 'top';
    const lines = last
      ? [
          `step ${count(last.steps)}`,
          `           avg    last`,
          ...METRICS.map(([key, , , short]) => `${short.padEnd(9)}${fmt(last.averaged[key], 4).padStart(7)} ${fmt(last.latest[key], 4).padStart(7)}`),
          `entropy  ${fmt(page.entropy, 4).padStart(7)}`,
        ]
      : ['The first measurement comes', 'after 500 training steps.'];
    lines.forEach((line, i) => ctx.fillText(line, notes.left, notes.top + 70 + i * 16));
    ctx.restore();
  },

  data(page) {
    const points = page.metrics.points;
    if (!points.length) return null;
    const losses = page.run.losses;
    const mean = (steps) => {
      const k = Math.min(WINDOW, steps);
      let s = 0;
      for (let i = steps - k; i < steps; i++) s += losses[i];
      return k ? s / k : NaN;
    };
    const keys = METRICS.map((m) => m[0]);
    return {
      columns: ['step', `loss_mean_${WINDOW}`, ...keys.map((k) => `${k}_average`), ...keys.map((k) => `${k}_last_iterate`)],
      rows: points.map((p) => [p.steps, mean(p.steps), ...keys.map((k) => p.averaged[k]), ...keys.map((k) => p.latest[k])]),
    };
  },

  describe(page) {
    const last = page.metrics.points.at(-1);
    if (!last) {
      return {
        label: 'Metrics against training steps: waiting for the first measurement',
        caption: 'Measured every 500 training steps against the exact references. Waiting for the first measurement…',
      };
    }
    const a = last.averaged;
    const l = last.latest;
    return {
      label: `Metrics at step ${last.steps}: field error ${fmt(a.fieldError, 4)}, W1 ${fmt(a.w1)} (last iterate ${fmt(l.w1)}), KS ${fmt(a.ks)}, NLL ${fmt(a.nll)} against entropy ${fmt(page.entropy)}`,
      caption: `Measured at ${page.metrics.points.length} checkpoints (every 500 steps, fewer when the training outruns the measuring) against exact references: at step ${count(last.steps)} the weight average has field error ${fmt(a.fieldError, 4)}, W₁ ${fmt(a.w1)}, KS ${fmt(a.ks)} and NLL ${fmt(a.nll)} nats (floor: the target's entropy, ${fmt(page.entropy)}); the last iterate has W₁ ${fmt(l.w1)}.`,
    };
  },
};
