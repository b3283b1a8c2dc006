// Figure 8: one Euler path drawn step by step over the learned field, up to the scrubber's step,
// with the densities at the sides. The reader scrubs, plays, or drags the start point.

import { NOISE, TARGET } from '../colors.js';
import { Frame } from '../plot.js';
import { fmt, solverName } from './caption.js';
import { densityCurves } from './curves.js';
import { drawFieldFigure, FIELD, fieldLayout } from './field-figure.js';
import { LEARNED_JOB } from './jobs.js';

function drawPath(frame, ctx, path, k, exact) {
  const n = path.length - 1;
  frame.clip((c) => {
    if (exact) {
      // The same steps on the exact field, dashed black, as far as the scrubber.
      c.strokeStyle = 'rgba(0,0,0,0.85)';
      c.setLineDash([5, 4]);
      c.lineWidth = 1.5;
      c.beginPath();
      for (let i = 0; i <= k; i++) {
        if (i === 0) c.moveTo(frame.px(0), frame.py(exact[0]));
        else c.lineTo(frame.px(i / n), frame.py(exact[i]));
      }
      c.stroke();
    }
    c.strokeStyle = 'rgba(31,119,180,0.7)';
    c.setLineDash([3, 3]);
    c.lineWidth = 1.5;
    c.beginPath();
    for (let i = 0; i <= k; i++) {
      const x = frame.px(i / n);
      const y = frame.py(path[i]);
      if (i === 0) c.moveTo(x, y);
      else c.lineTo(x, y);
    }
    c.stroke();
    c.setLineDash([]);
    c.fillStyle = TARGET;
    for (let i = 0; i <= k; i++) {
      c.beginPath();
      c.arc(frame.px(i / n), frame.py(path[i]), i === k ? 5 : 3, 0, 2 * Math.PI);
      c.fill();
    }
    // The draggable start point.
    c.strokeStyle = '#fff';
    c.lineWidth = 2;
    c.fillStyle = NOISE;
    c.beginPath();
    c.arc(frame.px(0), frame.py(path[0]), 7, 0, 2 * Math.PI);
    c.fill();
    c.stroke();
  });
  const box = frame.box;
  ctx.font = '13px ui-monospace, monospace';
  const lines = [`t    = ${(k / n).toFixed(2)}`, `step = ${k}`, `x    = ${path[k].toFixed(2)}`];
  ctx.fillStyle = 'rgba(255,255,255,0.8)';
  ctx.fillRect(box.left + box.width - 130, box.top + box.height - 66, 122, 58);
  ctx.fillStyle = '#222';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  lines.forEach((line, i) => ctx.fillText(line, box.left + box.width - 122, box.top + box.height - 60 + i * 17));
}

/** Dragging near the left edge of the figure moves the start point x₀. */
function dragStart(canvas, moveTo) {
  let dragging = false;
  const toData = (event) => {
    const rect = canvas.getBoundingClientRect();
    const box = fieldLayout(canvas.clientWidth, canvas.clientHeight).main;
    return new Frame(null, box, [0, 1], [FIELD.lo, FIELD.hi]).invert(event.clientX - rect.left, event.clientY - rect.top);
  };
  canvas.addEventListener('pointerdown', (event) => {
    const [t, x] = toData(event);
    if (t < -0.05 || t > 0.08) return;
    dragging = true;
    canvas.setPointerCapture(event.pointerId);
    moveTo(x);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (dragging) moveTo(toData(event)[1]);
  });
  const release = () => (dragging = false);
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
}

export default {
  name: 'euler-animation',
  tall: true,
  needs: { jobs: [LEARNED_JOB], learned: true, integration: true, exact: true, curves: (math, target) => densityCurves(math, FIELD.lo, FIELD.hi, target) },
  controls: 'integration',
  toggles: ['exact'],

  draw(canvas, page) {
    const pdf = page.curves['euler-animation'];
    const { path, k, exact, solver } = page.integration;
    const n = path ? path.length - 1 : page.state.eulerSteps;
    const showExact = page.state.exact && page.exact;
    drawFieldFigure(canvas, {
      grid: showExact ? page.exact.grid : page.learned && page.learned.grid, times: FIELD.times, bins: FIELD.bins, lo: FIELD.lo, hi: FIELD.hi,
      title: showExact ? `Exact field u; ${n} ${solverName(solver)} steps of FM_θ (dots) and of u (dashed)` : `${solverName(solver || page.state.solver)} integration of FM_θ, ${n} steps`,
      left: { kind: 'curve', xs: pdf.xs, values: pdf.noise, color: NOISE, title: 'Noise π₀' },
      right: { kind: 'curve', xs: pdf.xs, values: pdf.target, color: TARGET, title: 'Target π₁' },
      overlay: path && ((frame, ctx) => drawPath(frame, ctx, path, k, showExact && exact)),
    });
  },

  data(page) {
    const { path, exact, k } = page.integration;
    return path && { columns: ['step', 't', 'x_network', 'x_exact_field', 'drawn'], rows: path.map((x, i) => [i, i / (path.length - 1), x, exact[i], i <= k ? 1 : 0]) };
  },

  describe(page) {
    const { path, k } = page.integration;
    if (!path) return { label: 'Integration: waiting for the network', caption: 'Integration of the learned field: waiting for the network…' };
    const n = path.length - 1;
    const name = solverName(page.integration.solver);
    const exact = page.state.exact ? ` On the exact field (dashed) the same steps reach x = ${fmt(page.integration.exact[k])}.` : '';
    return {
      label: `${name} path from x0 = ${fmt(path[0], 2)}: step ${k} of ${n}, t = ${fmt(k / n, 2)}, x = ${fmt(path[k])}`,
      caption: `${name} integration of the learned field, ${n} steps from x₀ = ${fmt(path[0], 2)}; step ${k}, t = ${fmt(k / n, 2)}, x = ${fmt(path[k])}.${exact} Drag the start point on the left edge.`,
    };
  },

  interact(canvas, page, { integration }) {
    dragStart(canvas, (x) => integration.moveStart(x));
  },
};
