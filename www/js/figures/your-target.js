// Figure 14: your own target. Top: the target density with each bump drawn on its own; drag a bump's
// top sideways (mean) and up or down (weight), its shoulder for the width; buttons add, remove and
// restore. Bottom: the exact field of whatever target is drawn, with its paths, redrawn as you drag.

import { DIVERGING_TABLE, INK, NOISE, TARGET } from '../colors.js';
import { maxAbs, paintGrid } from '../heatmap.js';
import { Frame, legend, prepare } from '../plot.js';
import { fmt } from './caption.js';
import { densityCurves } from './curves.js';
import { FIELD, LINE_STARTS, pathLines } from './field-figure.js';
import { actionButton, mountWithActions } from './mount.js';
import { TABLE } from '../table.js';

const X = [-3, 3];
// The limits are Rust's (the target's link text is checked there): TABLE.target.
const limits = () => TABLE.target;
const BUMP_COLORS = ['#2ca02c', '#9467bd', '#d62728', '#8c564b', '#e377c2'];
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const clamp = (v, [lo, hi]) => Math.min(hi, Math.max(lo, v));

/** The components of the page's target as plain arrays. */
function bumps(page) {
  const { weights, means, stds } = page.target;
  return Array.from(weights, (w, i) => ({ w, m: means[i], s: stds[i] }));
}

/** The link text for a list of bumps (Rust normalises and rounds it). */
export function bumpsText(list) {
  return list.map((b) => `${b.w.toFixed(4)}:${b.m.toFixed(4)}:${b.s.toFixed(4)}`).join(',');
}

const peakOf = (b) => b.w / (b.s * SQRT_2PI);

/** Bump `i` with a new weight `w`, the others scaled so that the weights still sum to 1. */
function reweigh(list, i, w) {
  if (list.length === 1) return list;
  const rest = 1 - list[i].w;
  return list.map((b, j) => (j === i ? { ...b, w } : { ...b, w: (b.w * (1 - w)) / rest }));
}

function layout(width, height) {
  const half = Math.round(height * 0.56);
  // Room under the field for its ticks and its axis label; on a phone, two lines for each title.
  const lines = width < 420 ? { titleLines: 2 } : {};
  return {
    editor: { left: 44, top: 26, width: width - 60, height: half - 56, ...lines },
    field: { left: 44, top: half + 22, width: width - 60, height: height - half - 60, ...lines },
  };
}

function editorFrame(page, box) {
  const pdf = page.curves['your-target'];
  const top = Math.max(0.5, ...pdf.target, ...bumps(page).map(peakOf)) * 1.15;
  return new Frame(null, box, X, [0, top]);
}

/** Screen positions of every bump's handles: its top and its right shoulder. */
function handles(frame, list) {
  return list.flatMap((b, i) => [
    { i, kind: 'top', x: frame.px(b.m), y: frame.py(peakOf(b)) },
    { i, kind: 'shoulder', x: frame.px(b.m + b.s), y: frame.py(peakOf(b) * Math.exp(-0.5)) },
  ]);
}

/** Where each handle is drawn on `canvas` (CSS pixels from its corner): for tests and tools. */
export function handlesOnScreen(canvas, page) {
  return handles(editorFrame(page, layout(canvas.clientWidth, canvas.clientHeight).editor), bumps(page));
}

function editorState(page) {
  page.targetEditor ||= { selected: 0 };
  page.targetEditor.selected = Math.min(page.targetEditor.selected, page.target.weights.length - 1);
  return page.targetEditor;
}

/** Enables the buttons that apply to the current target (not on an off-screen copy for a PNG). */
function syncButtons(canvas, page) {
  const n = page.target.weights.length;
  const set = (action, disabled) => {
    const button = actionButton(canvas, action);
    if (button) button.disabled = disabled;
  };
  set('add', n >= limits().maxComponents);
  set('remove', n <= 1);
  set('tutorial', page.state.target === page.math.tutorialTargetText());
}

export default {
  name: 'your-target',
  tall: true,
  needs: { exact: true, curves: (math, target) => densityCurves(math, ...X, target) },

  mount(figure) {
    const canvas = mountWithActions(figure, 'your-target', [['add', 'Add a bump'], ['remove', 'Remove the selected bump'], ['tutorial', 'Tutorial target']]);
    canvas.tabIndex = 0; // the arrow keys edit the selected bump
    return canvas;
  },

  draw(canvas, page) {
    syncButtons(canvas, page);
    const { ctx, width, height } = prepare(canvas);
    const boxes = layout(width, height);
    const pdf = page.curves['your-target'];
    const list = bumps(page);
    const { selected } = editorState(page);
    const frame = editorFrame(page, boxes.editor);
    frame.ctx = ctx;
    frame.clip((c) => {
      c.strokeStyle = NOISE;
      c.setLineDash([4, 4]);
      c.lineWidth = 1.2;
      c.beginPath();
      pdf.xs.forEach((x, k) => (k ? c.lineTo(frame.px(x), frame.py(pdf.noise[k])) : c.moveTo(frame.px(x), frame.py(pdf.noise[k]))));
      c.stroke();
      c.setLineDash([]);
      c.fillStyle = 'rgba(31,119,180,0.25)';
      c.strokeStyle = TARGET;
      c.lineWidth = 2.2;
      c.beginPath();
      c.moveTo(frame.px(X[0]), frame.py(0));
      pdf.xs.forEach((x, k) => c.lineTo(frame.px(x), frame.py(pdf.target[k])));
      c.lineTo(frame.px(X[1]), frame.py(0));
      c.fill();
      c.stroke();
      list.forEach((b, i) => {
        c.strokeStyle = BUMP_COLORS[i];
        c.lineWidth = i === selected ? 2 : 1.2;
        c.beginPath();
        for (let k = 0; k <= 200; k++) {
          const x = X[0] + ((X[1] - X[0]) * k) / 200;
          const y = peakOf(b) * Math.exp(-0.5 * ((x - b.m) / b.s) ** 2);
          if (k) c.lineTo(frame.px(x), frame.py(y));
          else c.moveTo(frame.px(x), frame.py(y));
        }
        c.stroke();
      });
      for (const h of handles(frame, list)) {
        c.fillStyle = BUMP_COLORS[h.i];
        c.strokeStyle = h.i === selected ? INK : '#fff';
        c.lineWidth = 2;
        c.beginPath();
        if (h.kind === 'top') c.arc(h.x, h.y, 7, 0, 2 * Math.PI);
        else c.rect(h.x - 5, h.y - 5, 10, 10);
        c.fill();
        c.stroke();
      }
    });
    frame.axes({ title: 'Your target: drag a bump’s top (centre, weight) or its square shoulder (width)', yLabel: 'density', yLabelOffset: 32 });
    legend(ctx, frame.box.left + 6, frame.box.top + 6, [
      [TARGET, 'target π₁'],
      [NOISE, 'noise π₀ = N(0, 1)'],
    ]);

    // The exact field of this target, and its paths from the usual starts.
    const exact = page.exact && page.exact.target === page.state.target ? page.exact : null;
    const field = new Frame(ctx, boxes.field, [0, 1], [FIELD.lo, FIELD.hi]);
    ctx.fillStyle = '#f4f4f4';
    ctx.fillRect(boxes.field.left, boxes.field.top, boxes.field.width, boxes.field.height);
    if (exact) {
      const vmax = maxAbs(exact.grid);
      paintGrid(field, exact.grid, FIELD.times, FIELD.bins, DIVERGING_TABLE, -vmax, vmax);
      pathLines(field, exact.lines, LINE_STARTS.length, 0, 0, true);
    }
    field.axes({ title: 'Its exact velocity field u(x, t) and paths (red up, blue down)', xLabel: 't (flow time)', yLabel: 'x', yLabelOffset: 32 });
  },

  data(page) {
    return { columns: ['bump', 'weight', 'mean', 'std'], rows: bumps(page).map((b, i) => [i + 1, b.w, b.m, b.s]) };
  },

  describe(page) {
    const list = bumps(page);
    const text = list.map((b) => `${fmt(b.w, 2)} × N(${fmt(b.m, 2)}, ${fmt(b.s, 2)}²)`).join(' + ');
    const run = !page.run.id ? '' : page.run.target === page.state.target ? ` The network trains on it: step ${page.run.steps.toLocaleString('en-US')} of ${page.run.total.toLocaleString('en-US')}.` : ' Training restarts when you let go.';
    return {
      label: `Editable target with ${list.length} bump${list.length === 1 ? '' : 's'}: ${text}. Loss floor ${fmt(page.lossFloor)}, entropy ${fmt(page.entropy)} nats.`,
      caption: `Your target: ${text}. Everything below follows it: its loss floor is ${Number.isFinite(page.lossFloor) ? fmt(page.lossFloor) : 'computed when you let go'} and its entropy (the NLL floor) ${fmt(page.entropy)} nats.${run} Keys: ←/→ move the selected bump, ↑/↓ weigh it, +/− widen it, [ and ] select another bump.`,
    };
  },

  interact(canvas, page, { setTarget, changed }) {
    const actions = actionButton(canvas, 'add').parentElement;
    const frameOf = () => editorFrame(page, layout(canvas.clientWidth, canvas.clientHeight).editor);
    const state = () => editorState(page);
    const apply = (list, settle) => setTarget(bumpsText(list), { settle });
    const position = (event) => {
      const rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    };
    let grabbed = null; // { i, kind, frame } while a handle is dragged

    canvas.addEventListener('pointerdown', (event) => {
      const frame = frameOf();
      const [px, py] = position(event);
      let best = null;
      for (const h of handles(frame, bumps(page))) {
        const d = Math.hypot(px - h.x, py - h.y);
        if (d < 16 && (!best || d < best.d)) best = { ...h, d };
      }
      if (!best) return;
      // The scale is frozen while dragging, so that the handle stays under the pointer.
      grabbed = { i: best.i, kind: best.kind, frame };
      state().selected = best.i;
      changed();
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!grabbed) return;
      const [x, y] = grabbed.frame.invert(...position(event));
      const list = bumps(page);
      const b = list[grabbed.i];
      if (grabbed.kind === 'shoulder') list[grabbed.i] = { ...b, s: clamp(Math.abs(x - b.m), limits().stdRange) };
      else {
        const moved = { ...b, m: clamp(x, limits().meanRange) };
        list[grabbed.i] = moved;
        // The height under the pointer is the bump's peak w / (s√2π): solve it for the weight.
        const w = clamp((Math.max(y, 0) * b.s * SQRT_2PI), limits().editorWeightRange);
        apply(reweigh(list, grabbed.i, w), false);
        return;
      }
      apply(list, false);
    });
    const release = () => {
      if (!grabbed) return;
      grabbed = null;
      setTarget(page.state.target, { settle: true });
    };
    canvas.addEventListener('pointerup', release);
    canvas.addEventListener('pointercancel', release);

    canvas.addEventListener('keydown', (event) => {
      const list = bumps(page);
      const s = state();
      const b = list[s.selected];
      let next = null;
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
        list[s.selected] = { ...b, m: clamp(b.m + (event.key === 'ArrowLeft' ? -limits().editorMeanStep : limits().editorMeanStep), limits().meanRange) };
        next = list;
      } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
        next = reweigh(list, s.selected, clamp(b.w + (event.key === 'ArrowUp' ? limits().editorWeightStep : -limits().editorWeightStep), limits().editorWeightRange));
      } else if (event.key === '+' || event.key === '=' || event.key === '-') {
        list[s.selected] = { ...b, s: clamp(b.s * (1 + (event.key === '-' ? -1 : 1) * limits().editorStdStep), limits().stdRange) };
        next = list;
      } else if (event.key === '[' || event.key === ']') {
        s.selected = (s.selected + (event.key === '[' ? list.length - 1 : 1)) % list.length;
        changed();
      } else return;
      event.preventDefault();
      if (next) apply(next, false);
    });

    actions.addEventListener('click', (event) => {
      const action = event.target.dataset?.action;
      const list = bumps(page);
      const s = state();
      if (action === 'add' && list.length < limits().maxComponents) {
        // Where the target is thinnest: a new bump is easy to see and to grab there.
        const pdf = page.curves['your-target'];
        let k = 0;
        pdf.xs.forEach((x, j) => {
          if (x >= limits().meanRange[0] && x <= limits().meanRange[1] && pdf.target[j] < pdf.target[k]) k = j;
        });
        const n = list.length;
        const grown = [...list.map((b) => ({ ...b, w: (b.w * n) / (n + 1) })), { w: 1 / (n + 1), m: clamp(pdf.xs[k], limits().meanRange), s: limits().editorNewStd }];
        s.selected = n;
        apply(grown, true);
      } else if (action === 'remove' && list.length > 1) {
        list.splice(s.selected, 1);
        s.selected = Math.max(0, s.selected - 1);
        apply(list, true);
      } else if (action === 'tutorial') {
        setTarget(page.math.tutorialTargetText(), { settle: true });
      }
    });
  },
};
