// Figure 15: couplings. Top: one batch of noise and target draws paired independently (paths cross)
// and by minibatch OT (they don't), and the same pairs as points (x₀, x₁) beside the monotone map
// F₁⁻¹(Φ(x₀)) that both approach. Bottom: the loss floor against batch size under OT, and W₁ against
// Euler steps for the networks trained under each coupling, beside the exact (independent) field.

import { INK, NOISE, TARGET } from '../colors.js';
import { drawLineChart } from '../linechart.js';
import { Frame, legend, prepare } from '../plot.js';
import { count, fmt } from './caption.js';
import { recentMean } from './loss-curve.js';
import { bySolver } from './solvers.js';
import { actionButton, mountWithActions } from './mount.js';
import { SWEEP_JOB } from './jobs.js';

// The OT floor's batch sizes (and its pairs and seed) are Rust's: the page table's `otFloor`.
const PARAMS = { examples: 24, seed: 3, lo: -3, hi: 3, mapPoints: 121 };
export const COUPLING_COLORS = { independent: '#1f77b4', ot: '#d62728' };
const COUPLING_NAMES = { independent: 'independent pairs', ot: 'minibatch OT' };
const EXACT = '#555';
const X = [PARAMS.lo, PARAMS.hi];

/** [[steps, w1], …] of the Euler points of a sweep result (one evaluation per Euler step). */
const eulerLine = (r) => bySolver(r).euler || [];

const other = (coupling) => (coupling === 'ot' ? 'independent' : 'ot');

/** The network sweeps to draw: this run's, and the last finished run under the other coupling. */
function networks(page) {
  const s = page.samples.couplings;
  const mine = page.state.coupling;
  const kept = s.kept[`${other(mine)}|${page.state.target}`];
  return [
    { coupling: mine, result: s.result, current: true },
    { coupling: other(mine), result: kept, current: false },
  ].filter((n) => n.result);
}

function pathPanel(ctx, box, pairs, title, color) {
  const frame = new Frame(ctx, box, [0, 1], X);
  frame.clip((c) => {
    c.strokeStyle = color;
    c.globalAlpha = 0.7;
    c.lineWidth = 1.4;
    pairs.starts.forEach((x0, i) => {
      c.beginPath();
      c.moveTo(frame.px(0), frame.py(x0));
      c.lineTo(frame.px(1), frame.py(pairs.ends[i]));
      c.stroke();
    });
    c.globalAlpha = 1;
    for (const [t, xs, dot] of [[0, pairs.starts, NOISE], [1, pairs.ends, TARGET]]) {
      c.fillStyle = dot;
      for (const x of xs) {
        c.beginPath();
        c.arc(frame.px(t), frame.py(x), 3, 0, 2 * Math.PI);
        c.fill();
      }
    }
  });
  frame.axes({ title, xLabel: 't', yTicks: false });
}

/** The panels' boxes: three across the top half, two charts across the bottom half. */
function layout(width, height) {
  const half = Math.round(height * 0.5);
  const gap = 16;
  const w3 = (width - 40 - 2 * gap) / 3;
  const top = { top: 24, height: half - 52 };
  const bottom = { top: half + 24, height: height - half - 74 };
  const wide = (width - 60 - 2 * gap - 60) / 2;
  return {
    independent: { left: 20, width: w3, ...top },
    ot: { left: 20 + w3 + gap, width: w3, ...top },
    map: { left: 20 + 2 * (w3 + gap) + 18, width: w3 - 18, ...top },
    floor: { left: 70, width: wide, ...bottom },
    w1: { left: 70 + wide + 70, width: wide, ...bottom },
  };
}

/** On a phone: the same five panels one per row (the paths without a y axis, the charts with a label). */
function stackedLayout(width, stack) {
  const [independent, ot, map, floor, w1] = stack([0.8, 0.8, 1.15, 1.1, 1.1]);
  const span = (box, left) => ({ ...box, left, width: width - left - 20 });
  return { independent: span(independent, 20), ot: span(ot, 20), map: span(map, 44), floor: span(floor, 66), w1: span(w1, 66) };
}

export default {
  name: 'couplings',
  tall: true,
  // `uses`: figure 13's fixed result (the exact field's sweep) is drawn here too.
  needs: {
    jobs: [{ kind: 'couplings', into: 'computed', params: (t) => ({ ...PARAMS, batchSizes: t.otFloor.batchSizes }), inputs: ['target'] }, SWEEP_JOB],
    progress: true,
    uses: ['solvers'],
  },

  mount(figure) {
    return mountWithActions(figure, 'couplings', [['switch', 'Train with minibatch OT']]);
  },

  draw(canvas, page) {
    const button = actionButton(canvas, 'switch');
    if (button) button.textContent = `Train with ${COUPLING_NAMES[other(page.state.coupling)]}`;
    const { ctx, width, height, stacked, stack } = prepare(canvas);
    const data = page.computed.couplings;
    const boxes = stacked ? stackedLayout(width, stack) : layout(width, height);
    if (data) {
      pathPanel(ctx, boxes.independent, data.pairs.independent, `Independent: ${PARAMS.examples} pairs`, COUPLING_COLORS.independent);
      pathPanel(ctx, boxes.ot, data.pairs.ot, 'Minibatch OT: the same draws, by rank', COUPLING_COLORS.ot);
    }
    const map = new Frame(ctx, boxes.map, X, X);
    if (data) {
      map.clip((c) => {
        c.strokeStyle = INK;
        c.lineWidth = 2;
        c.beginPath();
        data.mapXs.forEach((x, i) => (i ? c.lineTo(map.px(x), map.py(data.map[i])) : c.moveTo(map.px(x), map.py(data.map[i]))));
        c.stroke();
        for (const [coupling, radius] of [['independent', 3], ['ot', 3]]) {
          const pairs = data.pairs[coupling];
          c.fillStyle = COUPLING_COLORS[coupling];
          pairs.starts.forEach((x0, i) => {
            c.beginPath();
            c.arc(map.px(x0), map.py(pairs.ends[i]), radius, 0, 2 * Math.PI);
            c.fill();
          });
        }
      });
    }
    map.axes({ title: 'x₁ against x₀; line: F₁⁻¹(Φ(x₀))', xLabel: 'x₀' });

    // Bottom left: what a network can reach under each coupling.
    const floorRefs = data ? [{ y: data.independentFloor, color: COUPLING_COLORS.independent, dash: [6, 4] }] : [];
    const floorFrame = drawLineChart(ctx, boxes.floor, {
      title: 'Loss floor against batch size',
      xLabel: 'batch size (log)',
      yLabel: 'loss floor',
      xRange: [1, 2048],
      xLog: true,
      yRange: [0, 2],
      series: data ? [{ points: Array.from(data.batchSizes, (b, i) => [b, data.otFloors[i]]), color: COUPLING_COLORS.ot, markers: true }] : [],
      refs: floorRefs,
    });
    // This run: its recent loss at its batch size.
    const mean = recentMean(page.run.losses);
    if (Number.isFinite(mean) && page.run.target === page.state.target) {
      ctx.fillStyle = COUPLING_COLORS[page.state.coupling];
      ctx.strokeStyle = INK;
      const x = floorFrame.px(Math.log10(page.state.batch));
      const y = floorFrame.py(Math.min(mean, 2));
      ctx.beginPath();
      ctx.rect(x - 5, y - 5, 10, 10);
      ctx.fill();
      ctx.stroke();
    }
    legend(ctx, floorFrame.box.left + floorFrame.box.width - 180, floorFrame.box.top + floorFrame.box.height * 0.3, [
      [COUPLING_COLORS.independent, 'independent (exact)'],
      [COUPLING_COLORS.ot, 'minibatch OT (estimated)'],
      [INK, '■ this run (last 100 losses)'],
    ], { within: floorFrame.box });

    // Bottom right: how many Euler steps each network needs.
    const series = [];
    const exact = eulerLine(page.computed.solvers);
    if (exact.length) series.push({ points: exact, color: EXACT, dash: [5, 4], width: 1.3 });
    for (const n of networks(page)) series.push({ points: eulerLine(n.result), color: COUPLING_COLORS[n.coupling], markers: true, dash: n.current ? [] : [2, 3] });
    const w1Frame = drawLineChart(ctx, boxes.w1, {
      title: 'W₁ against Euler steps',
      xLabel: 'Euler steps (log)',
      yLabel: 'W₁ (log)',
      xRange: [1, 200],
      xLog: true,
      yLog: true,
      yRange: [1e-3, 2],
      series,
    });
    legend(ctx, w1Frame.box.left + 6, w1Frame.box.top + w1Frame.box.height - 58, [
      [COUPLING_COLORS.independent, 'network, independent pairs'],
      [COUPLING_COLORS.ot, 'network, minibatch OT'],
      [EXACT, 'exact field, independent (dashed)'],
    ], { within: w1Frame.box });
  },

  data(page) {
    const data = page.computed.couplings;
    const rows = [];
    if (data) data.batchSizes.forEach((b, i) => rows.push(['ot_loss_floor', 'ot', b, data.otFloors[i]]));
    if (data) rows.push(['independent_loss_floor', 'independent', '', data.independentFloor]);
    for (const n of networks(page)) for (const [k, w] of eulerLine(n.result)) rows.push(['network_w1', n.coupling, k, w]);
    for (const [k, w] of eulerLine(page.computed.solvers)) rows.push(['exact_field_w1', 'independent', k, w]);
    return rows.length ? { columns: ['series', 'coupling', 'batch_or_steps', 'value'], rows } : null;
  },

  describe(page) {
    const data = page.computed.couplings;
    const at = (line, k) => line.find(([s]) => s === k)?.[1];
    const floorAt = (b) => (data ? data.otFloors[data.batchSizes.indexOf(b)] : NaN);
    const floors = data
      ? `Loss floor: independent ${fmt(data.independentFloor)}; minibatch OT ${fmt(floorAt(16))} at batch 16, ${fmt(floorAt(256))} at 256, ${fmt(floorAt(2048))} at 2,048.`
      : 'Computing the floors…';
    const nets = networks(page)
      .map((n) => {
        const line = eulerLine(n.result);
        return `${n.current ? 'this run' : 'last run'} (${COUPLING_NAMES[n.coupling]}, step ${count(n.result.trainedSteps)}): W₁ ${fmt(at(line, 1))} after 1 Euler step, ${fmt(at(line, 5))} after 5, ${fmt(at(line, 50))} after 50`;
      })
      .join('; ');
    return {
      label: `Couplings: paths, loss floor against batch size, W1 against Euler steps. ${floors}`,
      caption: `Independent pairs against minibatch OT. ${floors} ${nets ? `Networks: ${nets}.` : 'The networks are measured as they train.'}`,
    };
  },

  interact(canvas, page, { train }) {
    actionButton(canvas, 'switch').addEventListener('click', () => train({ coupling: other(page.state.coupling) }));
  },
};
