// Chapter four, the target in the plane: presets, and a brush that adds a bump where you drag, an
// eraser, a hand that moves one bump, and Clear. Drawn: the exact target density (once computed) and
// every bump as a circle of radius 2σ. Lifting the pen writes the target into the link (Rust checks
// it) and the plane network retrains on it.

import { drawBumps, paintWash, planeAxes, squareFrame } from '../plane-plot.js';
import { prepare } from '../plot.js';
import { TABLE } from '../table.js';
import { count } from './caption.js';
import { actionButton, mountWithActions } from './mount.js';

const MODES = [['brush', 'Brush'], ['erase', 'Eraser'], ['move', 'Move']];
const ERASE_RADIUS = 0.35; // view units around the pointer
const GRAB_RADIUS = 0.5;

function frameFor(canvas) {
  const { width, height } = { width: canvas.clientWidth || 600, height: canvas.clientHeight || 400 };
  return squareFrame(null, { left: 36, top: 28, width: width - 56, height: height - 64 }, TABLE.plane.view);
}

/** The bumps drawn now: the editor's working list while a stroke is under way, else the link's. */
const shownBumps = (page) => page.plane.editing?.bumps || page.plane.bumps;

/** The editor's list as the math module takes it: [x, y, std, weight, …]. */
const asEditorList = (bumps) => {
  const out = [];
  for (let i = 0; i < bumps.length / 4; i++) out.push(bumps[4 * i + 1], bumps[4 * i + 2], bumps[4 * i + 3], bumps[4 * i]);
  return out;
};

export default {
  name: 'plane-target',
  lane: 'plane',
  tall: true,
  needs: { uses: ['plane-flow'], plane: true },

  mount(figure) {
    const canvas = mountWithActions(figure, 'plane-target', [
      ...TABLE.plane.presets.map((p) => [`preset:${p.name}`, p.label]),
      ...MODES.map(([mode, label]) => [`mode:${mode}`, label]),
      ['clear', 'Clear'],
    ]);
    canvas.classList.add('plane-canvas');
    return canvas;
  },

  interact(canvas, page, { changed, setPlaneTarget }) {
    page.plane.mode ||= 'brush';
    const actions = canvas.parentElement.querySelector('.fig-actions');
    actions.addEventListener('click', (event) => {
      const action = event.target.closest('button')?.dataset.action;
      if (!action) return;
      if (action.startsWith('preset:')) setPlaneTarget(action.slice('preset:'.length));
      else if (action.startsWith('mode:')) page.plane.mode = action.slice('mode:'.length);
      else if (action === 'clear') {
        page.plane.editing = { bumps: new Float64Array(0), cleared: true };
        page.plane.mode = 'brush';
      }
      changed();
    });
    let stroke = null;
    const at = (event) => {
      const rect = canvas.getBoundingClientRect();
      return frameFor(canvas).invert(event.clientX - rect.left, event.clientY - rect.top);
    };
    const list = () => Array.from(shownBumps(page) || []);
    canvas.addEventListener('pointerdown', (event) => {
      const [x, y] = at(event);
      const bumps = list();
      const mode = page.plane.mode || 'brush';
      stroke = { mode, last: null, grabbed: -1 };
      if (mode === 'move') {
        let best = GRAB_RADIUS;
        for (let i = 0; i < bumps.length / 4; i++) {
          const d = Math.hypot(bumps[4 * i + 1] - x, bumps[4 * i + 2] - y);
          if (d < best) [best, stroke.grabbed] = [d, i];
        }
        if (stroke.grabbed < 0) return (stroke = null);
      }
      // Weights relative to the largest (as the link writes them), so a dab of weight 1 weighs as much as the heaviest bump.
      const top = Math.max(0, ...bumps.filter((_, k) => k % 4 === 0));
      const relative = bumps.map((v, k) => (k % 4 === 0 && top > 0 ? v / top : v));
      page.plane.editing = { bumps: Float64Array.from(relative), grabbed: stroke.grabbed };
      canvas.setPointerCapture(event.pointerId);
      apply(x, y);
      event.preventDefault();
    });
    const apply = (x, y) => {
      const { mode } = stroke;
      const e = page.plane.editing;
      // The network restarted under the stroke (a pasted link, new settings): the stroke is over.
      if (!e) return (stroke = null);
      const [lo, hi] = TABLE.plane.meanRange;
      const clamp = (v) => Math.min(hi, Math.max(lo, v));
      let bumps = Array.from(e.bumps);
      if (mode === 'brush') {
        const spacing = TABLE.plane.brushSpacing;
        if (stroke.last && Math.hypot(x - stroke.last[0], y - stroke.last[1]) < spacing) return;
        if (bumps.length / 4 >= TABLE.plane.maxBumps) return (page.plane.error = `A target holds at most ${TABLE.plane.maxBumps} bumps: the brush stops adding.`), changed();
        stroke.last = [x, y];
        bumps.push(1, clamp(x), clamp(y), TABLE.plane.brushStd);
      } else if (mode === 'erase') {
        const kept = [];
        for (let i = 0; i < bumps.length / 4; i++) if (Math.hypot(bumps[4 * i + 1] - x, bumps[4 * i + 2] - y) > ERASE_RADIUS) kept.push(...bumps.slice(4 * i, 4 * i + 4));
        bumps = kept;
      } else {
        bumps[4 * stroke.grabbed + 1] = clamp(x);
        bumps[4 * stroke.grabbed + 2] = clamp(y);
      }
      e.bumps = Float64Array.from(bumps);
      changed();
    };
    canvas.addEventListener('pointermove', (event) => {
      if (!stroke) return;
      const [x, y] = at(event);
      apply(x, y);
    });
    const finish = () => {
      if (!stroke) return;
      stroke = null;
      const e = page.plane.editing;
      if (!e) return changed();
      if (!e.bumps.length) return changed(); // an empty drawing waits for its first dab
      page.plane.editing = null;
      setPlaneTarget(asEditorList(e.bumps));
    };
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointercancel', finish);
  },

  draw(canvas, page) {
    for (const [mode] of MODES) actionButton(canvas, `mode:${mode}`)?.setAttribute('aria-pressed', String((page.plane.mode || 'brush') === mode));
    const { ctx, width, height } = prepare(canvas);
    const frame = squareFrame(ctx, { left: 36, top: 28, width: width - 56, height: height - 64 }, TABLE.plane.view);
    const exact = page.computed['plane-flow'];
    const editing = page.plane.editing;
    if (exact && !editing) {
      const n = TABLE.plane.densityBins;
      const last = TABLE.plane.frames - 1;
      paintWash(frame, exact.density.subarray(last * n * n, (last + 1) * n * n), n, exact.peaks[last]);
    }
    const bumps = shownBumps(page);
    if (bumps) drawBumps(frame, bumps, { highlight: editing?.grabbed ?? -1 });
    planeAxes(frame, editing?.cleared && !bumps.length ? 'Draw your target with the brush' : 'The target: bumps (circles at 2σ) and its density');
  },

  data(page) {
    const b = page.plane?.bumps;
    if (!b) return null;
    const rows = [];
    for (let i = 0; i < b.length / 4; i++) rows.push([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]);
    return { columns: ['weight', 'mx', 'my', 'std'], rows };
  },

  describe(page) {
    const b = shownBumps(page);
    const n = b ? b.length / 4 : 0;
    const preset = TABLE.plane.presets.find((p) => p.name === page.state.plane);
    const what = preset ? `the preset “${preset.label}”` : 'your drawing';
    const editing = page.plane.editing ? ' Lift the pen to train on it.' : '';
    return {
      label: `The plane target: ${count(n)} bumps`,
      caption: `The target in the plane, ${what}: ${count(n)} bump${n === 1 ? '' : 's'}, each a round Gaussian. Brush adds bumps where you drag, Eraser removes them, Move drags one; the network retrains on what you draw.${editing}${page.plane.error ? ` ${page.plane.error}` : ''}`,
    };
  },
};
