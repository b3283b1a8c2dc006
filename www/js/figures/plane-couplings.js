// Chapter four, crossing or not: one batch of noise and target draws paired independently (their
// straight paths cross everywhere) and by exact minibatch OT (an assignment: no two paths ever meet),
// then the plane network's own paths and what one Euler step of it samples, for this run and for the
// last finished run under the other pairing or of reflow. Buttons train under the other pairing, and
// a reflow round on the finished network's own pairs.

import { NOISE, TARGET } from '../colors.js';
import { crossingCounts } from '../plane-crossings.js';
import { drawPaths, drawPoints, planeAxes, squareFrame } from '../plane-plot.js';
import { prepare } from '../plot.js';
import { TABLE } from '../table.js';
import { count, fmt } from './caption.js';
import { actionButton, mountWithActions } from './mount.js';
import { planeSeed } from './plane-jobs.js';

export const PLANE_COUPLING_COLORS = { independent: '#1f77b4', ot: '#d62728', reflow: '#2ca02c' };
const NAMES = { independent: 'independent pairs', ot: 'minibatch OT' };
const other = (c) => (c === 'ot' ? 'independent' : 'ot');
const colorOf = (label) => PLANE_COUPLING_COLORS[label.startsWith('reflow') ? 'reflow' : label];

const RECTIFIED = { lines: 48, lineSteps: 24, points: 1000, seed: planeSeed };

/** Crossing counts of the batch under each pairing, computed once per batch. */
function counts(pairs) {
  pairs.counts ||= Object.fromEntries(['independent', 'ot'].map((c) => [c, crossingCounts(pairs[c].x0, pairs[c].x1)]));
  return pairs.counts;
}

function pairPanel(frame, { x0, x1 }, color) {
  frame.clip((c) => {
    c.strokeStyle = color;
    c.globalAlpha = 0.45;
    c.lineWidth = 1;
    for (let i = 0; i < x0.length / 2; i++) {
      c.beginPath();
      c.moveTo(frame.px(x0[2 * i]), frame.py(x0[2 * i + 1]));
      c.lineTo(frame.px(x1[2 * i]), frame.py(x1[2 * i + 1]));
      c.stroke();
    }
  });
  drawPoints(frame, x0, { color: NOISE, radius: 1.5 });
  drawPoints(frame, x1, { color: TARGET, radius: 1.5 });
}

function networkPanel(frame, r, color) {
  drawPaths(frame, r.lines, RECTIFIED.lines, { color });
  drawPoints(frame, r.oneStep, { color: '#444', radius: 0.9, alpha: 0.5 });
}

/** The runs to set side by side: this one's result, and the latest kept run of another label. */
function runs(page) {
  const mine = page.plane.results['plane-couplings'];
  const label = page.plane.run.label;
  const kept = Object.entries(page.plane.kept['plane-couplings'] || {}).filter(([l]) => l !== label);
  const prefer = kept.find(([l]) => l === other(page.plane.run.coupling)) || kept.at(-1);
  return [mine && { label, result: mine, current: true }, prefer && { label: prefer[0], result: prefer[1] }].filter(Boolean);
}

function boxes(width, height) {
  if (width < 520) {
    const side = Math.min(width - 40, (height - 40) / 4 - 56);
    return [0, 1, 2, 3].map((i) => ({ left: 30, top: 24 + i * (side + 60), width: width - 50, height: side }));
  }
  const w = (width - 70) / 2;
  const h = (height - 140) / 2;
  return [
    { left: 30, top: 24, width: w, height: h },
    { left: 60 + w, top: 24, width: w, height: h },
    { left: 30, top: 84 + h, width: w, height: h },
    { left: 60 + w, top: 84 + h, width: w, height: h },
  ];
}

export default {
  name: 'plane-couplings',
  lane: 'plane',
  tall: true,
  needs: {
    jobs: [
      { kind: 'planePairs', into: 'computed', inputs: ['planeTarget'], params: (t) => ({ pairs: t.plane.pairs, seed: 5 }) },
      { kind: 'planeRectified', into: 'plane', inputs: ['planeTarget', 'planeSnapshot'], follow: 4000, params: RECTIFIED },
    ],
    plane: true,
  },

  mount(figure) {
    return mountWithActions(figure, 'plane-couplings', [['switch', 'Train with minibatch OT'], ['reflow', 'Reflow this flow']]);
  },

  interact(canvas, page, { planeTrain, planeReflow }) {
    actionButton(canvas, 'switch')?.addEventListener('click', () => planeTrain({ planeCoupling: other(page.state.planeCoupling) }));
    actionButton(canvas, 'reflow')?.addEventListener('click', () => planeReflow());
  },

  draw(canvas, page) {
    const sw = actionButton(canvas, 'switch');
    if (sw) sw.textContent = `Train with ${NAMES[other(page.state.planeCoupling)]}`;
    const rf = actionButton(canvas, 'reflow');
    if (rf) {
      rf.disabled = page.plane.run.status !== 'finished';
      rf.title = rf.disabled ? 'Reflow trains on the pairs a finished network makes: wait until the run ends' : '';
    }
    const { ctx, width, height } = prepare(canvas);
    const frames = boxes(width, height).map((b) => squareFrame(ctx, b, TABLE.plane.view));
    const pairs = page.computed['plane-couplings'];
    if (pairs) {
      const c = counts(pairs);
      pairPanel(frames[0], pairs.independent, PLANE_COUPLING_COLORS.independent);
      pairPanel(frames[1], pairs.ot, PLANE_COUPLING_COLORS.ot);
      planeAxes(frames[0], `Independent: ${count(c.independent.reversed)} reverse`);
      planeAxes(frames[1], `Exact OT: ${count(c.ot.reversed)} reverse`);
    }
    const shown = runs(page);
    if (!shown.length) planeAxes(frames[2], 'The network: waiting for it');
    shown.forEach((r, i) => {
      networkPanel(frames[2 + i], r.result, colorOf(r.label));
      planeAxes(frames[2 + i], `${r.current ? 'This run' : 'Kept'}: ${r.label}`);
    });
  },

  data(page) {
    const pairs = page.computed?.['plane-couplings'];
    if (!pairs) return null;
    const rows = ['independent', 'ot'].flatMap((c) => {
      const { x0, x1 } = pairs[c];
      return Array.from({ length: x0.length / 2 }, (_, i) => [c, x0[2 * i], x0[2 * i + 1], x1[2 * i], x1[2 * i + 1]]);
    });
    return { columns: ['pairing', 'x0', 'y0', 'x1', 'y1'], rows };
  },

  describe(page) {
    const pairs = page.computed['plane-couplings'];
    const parts = [];
    if (pairs) {
      const c = counts(pairs);
      parts.push(`One batch of ${count(TABLE.plane.pairs)} draws. Paired independently, ${count(c.independent.crossings)} pairs of segments cross and in ${count(c.independent.reversed)} of ${count(c.independent.pairs)} pairs of paths the one ahead falls behind (their relative position turns by more than a right angle); paired by exact assignment, ${count(c.ot.reversed)} pairs do, so no two paths are ever at one place at one time (${count(c.ot.crossings)} segments still cross as drawn, at different times).`);
    } else parts.push('Pairing one batch…');
    for (const r of runs(page)) parts.push(`${r.current ? 'This run' : 'Kept run'} (${r.label}, step ${count(r.result.steps)}): straightness ${fmt(r.result.straightness, 4)}.`);
    if (page.plane.run.status === 'pairs') parts.push(`Reflow round ${page.plane.run.round}: drawing its pairs from the finished network…`);
    return { label: `One batch of ${count(TABLE.plane.pairs)} draws paired independently and by exact optimal transport`, caption: parts.join(' ') };
  },
};
