// Figure 16: reflow. Top: the paths of the first network (1-rectified, your run) and of the latest
// round, each beside the straight line one Euler step takes. Bottom: the loss of the round training
// now (or of the last one), and per round the straightness and the W₁ of one- and two-step sampling.

import { INK } from '../colors.js';
import { drawLineChart } from '../linechart.js';
import { Frame, legend, prepare } from '../plot.js';
import { TABLE } from '../table.js';
import { count, fmt } from './caption.js';
import { drawLoss } from './loss-curve.js';
import { actionButton, mountWithActions } from './mount.js';
import { ROUNDS_JOB } from './jobs.js';

const X = [-3, 3];
const SERIES = [
  ['straightness', '#9467bd', (s) => s.straightness],
  ['W₁, 1 Euler step', '#d62728', (s) => s.w1[0]],
  ['W₁, 2 Euler steps', '#ff7f0e', (s) => s.w1[1]],
];
const ordinal = (k) => `${k}-rectified`;

function pathPanel(ctx, box, round, k) {
  const frame = new Frame(ctx, box, [0, 1], X);
  const stats = round?.stats;
  if (stats) {
    const n = TABLE.rectified.starts.length;
    const steps = stats.lines.length / n - 1;
    frame.clip((c) => {
      for (let j = 0; j < n; j++) {
        c.strokeStyle = 'rgba(40,40,40,0.85)';
        c.lineWidth = 1.6;
        c.beginPath();
        for (let i = 0; i <= steps; i++) {
          const x = frame.px(i / steps);
          const y = frame.py(stats.lines[i * n + j]);
          if (i) c.lineTo(x, y);
          else c.moveTo(x, y);
        }
        c.stroke();
        c.strokeStyle = '#d62728';
        c.setLineDash([4, 4]);
        c.lineWidth = 1.2;
        c.beginPath();
        c.moveTo(frame.px(0), frame.py(stats.oneStep[j]));
        c.lineTo(frame.px(1), frame.py(stats.oneStep[n + j]));
        c.stroke();
        c.setLineDash([]);
      }
    });
  }
  const title = round ? `${ordinal(k)}${k === 1 ? ' (your run)' : ''}${stats ? `: straightness ${fmt(stats.straightness, 4)}` : ': measuring…'}` : 'Press “Rectify” for round 2';
  frame.axes({ title, xLabel: 't', yTicks: false });
}

/** The panels' boxes: the two path panels across the top half, the two charts across the bottom half. */
function layout(width, height) {
  const half = Math.round(height * 0.5);
  const gap = 24;
  const w2 = (width - 40 - gap) / 2;
  const top = { top: 24, height: half - 52 };
  const bottom = { top: half + 24, height: height - half - 74 };
  const wide = (width - 140 - gap) / 2;
  return {
    first: { left: 20, width: w2, ...top },
    latest: { left: 20 + w2 + gap, width: w2, ...top },
    loss: { left: 60, width: wide, ...bottom },
    rounds: { left: 60 + wide + gap + 60, width: wide - 20, ...bottom },
  };
}

/** On a phone: the same four panels one per row. */
function stackedLayout(width, stack) {
  const [first, latest, loss, rounds] = stack([1, 1, 1.1, 1.1]);
  const span = (box, left) => ({ ...box, left, width: width - left - 20 });
  return { first: span(first, 20), latest: span(latest, 20), loss: span(loss, 52), rounds: span(rounds, 62) };
}

export default {
  name: 'reflow',
  tall: true,
  needs: { jobs: [ROUNDS_JOB], reflow: true },

  mount(figure) {
    return mountWithActions(figure, 'reflow', [['rectify', 'Rectify']]);
  },

  draw(canvas, page) {
    const r = page.reflow;
    const button = actionButton(canvas, 'rectify');
    if (button) {
      const next = r.rounds.length + 1;
      button.disabled = !(r.rounds.length && !r.training && r.rounds.length < TABLE.reflow.maxRounds);
      button.textContent = r.training ? `Training the ${ordinal(r.training.round)} flow…` : next > TABLE.reflow.maxRounds ? `${TABLE.reflow.maxRounds} rounds done` : `Rectify: train the ${ordinal(next)} flow`;
    }
    const { ctx, width, height, stacked, stack } = prepare(canvas);
    const boxes = stacked ? stackedLayout(width, stack) : layout(width, height);
    pathPanel(ctx, boxes.first, r.rounds[0], 1);
    const last = r.rounds.length > 1 ? r.rounds.length : 0;
    pathPanel(ctx, boxes.latest, last ? r.rounds[last - 1] : null, last);
    legend(ctx, boxes.first.left + 6, boxes.first.top + 6, [
      [INK, 'paths (RK4)'],
      ['#d62728', 'one Euler step'],
    ], { within: boxes.first });

    const t = r.training;
    const shown = t || (r.rounds.length > 1 ? { losses: r.rounds.at(-1).losses, total: r.rounds.at(-1).total, round: r.rounds.length } : null);
    drawLoss(ctx, boxes.loss, shown ? shown.losses : new Float32Array(0), shown ? shown.total : TABLE.reflow.steps, NaN, {
      title: shown ? `Loss of the ${ordinal(shown.round)} flow${t && t.status === 'pairs' ? ' (sampling its pairs…)' : ''}` : 'Loss of the next round',
      minTop: 0.2,
    });
    const measured = r.rounds.map((round, i) => [i + 1, round.stats]).filter(([, s]) => s);
    const chart = drawLineChart(ctx, boxes.rounds, {
      title: 'Per round',
      xLabel: 'round (k-rectified)',
      yLabel: 'value (log)',
      xRange: [1, TABLE.reflow.maxRounds],
      yLog: true,
      yRange: [1e-4, 1],
      series: SERIES.map(([, color, get]) => ({ points: measured.map(([k, s]) => [k, get(s)]), color, markers: true })),
    });
    // Bottom left: every line starts high at round 1.
    legend(ctx, chart.box.left + 6, chart.box.top + chart.box.height - 58, SERIES.map(([label, color]) => [color, label]), { within: chart.box });
  },

  data(page) {
    const rows = page.reflow.rounds.flatMap((r, i) => (r.stats ? [[i + 1, r.stats.straightness, r.stats.w1[0], r.stats.w1[1]]] : []));
    return rows.length ? { columns: ['round', 'straightness', 'w1_1_euler_step', 'w1_2_euler_steps'], rows } : null;
  },

  describe(page) {
    const r = page.reflow;
    const rounds = r.rounds
      .map((round, i) => [i + 1, round.stats])
      .filter(([, stats]) => stats)
      .map(([k, stats]) => `${ordinal(k)}: straightness ${fmt(stats.straightness, 4)}, W₁ ${fmt(stats.w1[0])} in one Euler step and ${fmt(stats.w1[1])} in two`)
      .join('; ');
    const training = r.training ? ` Training the ${ordinal(r.training.round)} flow: ${r.training.status === 'pairs' ? `sampling ${count(TABLE.reflow.pairs)} pairs` : `step ${count(r.training.steps)} of ${count(r.training.total)}`}.` : '';
    const waiting = r.rounds.length ? '' : ' Reflow starts from a finished run: wait for training to end.';
    return {
      label: `Reflow rounds. ${rounds || 'none measured yet'}`,
      caption: `Reflow: each round trains a fresh network on ${count(TABLE.reflow.pairs)} pairs (x₀, x₁) that the previous flow made, for up to ${count(TABLE.reflow.steps)} steps (no more than your run). ${rounds ? `${rounds}.` : ''}${training}${waiting}${r.error ? ` ${r.error}` : ''}`,
    };
  },

  interact(canvas, page, { rectify }) {
    actionButton(canvas, 'rectify').addEventListener('click', () => rectify());
  },
};
