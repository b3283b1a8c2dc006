// Figure 3: what the network is asked to predict. One straight path from x₀ to x₁; at time t it
// passes x_t, and its velocity there is x₁ − x₀, the same everywhere along it. The reader drags
// x₀, x₁ and x_t (which sets t).

import { INK, NOISE, TARGET } from '../colors.js';
import { Frame, prepare } from '../plot.js';
import { fmt } from './caption.js';

/** The tutorial's example path; the reader drags from here. */
export const TARGET_DEFAULTS = { x0: 1.32, x1: -1.92, t: 0.67 };
const X_RANGE = [-2.5, 2.5];

export function layout(width, height) {
  return { left: 48, top: 28, width: width - 96, height: height - 72 };
}

function handle(ctx, x, y, color, label, align) {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(x, y, 7, 0, 2 * Math.PI);
  ctx.fill();
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 2;
  ctx.stroke();
  ctx.fillStyle = INK;
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.textAlign = align;
  ctx.textBaseline = 'bottom';
  ctx.fillText(label, x + (align === 'left' ? 10 : align === 'right' ? -10 : 0), y - 9);
}

/** Draws the diagram for { x0, x1, t }. */
function drawVelocityTarget(canvas, { x0, x1, t }) {
  const { ctx, width, height } = prepare(canvas);
  const frame = new Frame(ctx, layout(width, height), [0, 1], X_RANGE);
  const xt = (1 - t) * x0 + t * x1;
  const v = x1 - x0;
  frame.clip((c) => {
    c.strokeStyle = '#999';
    c.setLineDash([4, 4]);
    c.beginPath();
    c.moveTo(frame.px(t), frame.box.top);
    c.lineTo(frame.px(t), frame.box.top + frame.box.height);
    c.stroke();
    c.setLineDash([]);
    c.strokeStyle = '#555';
    c.lineWidth = 2;
    c.beginPath();
    c.moveTo(frame.px(0), frame.py(x0));
    c.lineTo(frame.px(1), frame.py(x1));
    c.stroke();
    // The velocity arrow: from x_t, one fifth of a time unit along the path's slope.
    const dt = 0.2;
    const ax = frame.px(Math.min(1, t + dt));
    const ay = frame.py(xt + v * Math.min(dt, 1 - t || dt));
    const bx = frame.px(t);
    const by = frame.py(xt);
    c.strokeStyle = '#c0392b';
    c.fillStyle = '#c0392b';
    c.lineWidth = 3;
    c.beginPath();
    c.moveTo(bx, by);
    c.lineTo(ax, ay);
    c.stroke();
    const angle = Math.atan2(ay - by, ax - bx);
    c.beginPath();
    c.moveTo(ax, ay);
    c.lineTo(ax - 12 * Math.cos(angle - 0.4), ay - 12 * Math.sin(angle - 0.4));
    c.lineTo(ax - 12 * Math.cos(angle + 0.4), ay - 12 * Math.sin(angle + 0.4));
    c.closePath();
    c.fill();
  });
  handle(ctx, frame.px(0), frame.py(x0), NOISE, `x₀ = ${x0.toFixed(2)}`, 'left');
  handle(ctx, frame.px(1), frame.py(x1), TARGET, `x₁ = ${x1.toFixed(2)}`, 'right');
  handle(ctx, frame.px(t), frame.py(xt), '#555', `x_t = ${xt.toFixed(2)}`, 'center');
  ctx.fillStyle = '#c0392b';
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(`v(x_t, t) = x₁ − x₀ = ${v.toFixed(2)}`, frame.box.left + 8, frame.box.top + 8);
  ctx.fillStyle = INK;
  ctx.fillText(`t = ${t.toFixed(2)}`, frame.px(t) + 6, frame.box.top + frame.box.height - 20);
  frame.axes({ title: 'The velocity target on one path', xLabel: 't (flow time)', yLabel: 'x' });
}

/**
 * Makes the diagram draggable: pointer down near a handle grabs it. `get()` returns the current
 * { x0, x1, t }, `set(next)` stores and redraws.
 */
function makeDraggable(canvas, get, set) {
  let grabbed = null;
  const frameOf = () => new Frame(null, layout(canvas.clientWidth, canvas.clientHeight), [0, 1], X_RANGE);
  const position = (event) => {
    const rect = canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  canvas.addEventListener('pointerdown', (event) => {
    const frame = frameOf();
    const [px, py] = position(event);
    const { x0, x1, t } = get();
    const xt = (1 - t) * x0 + t * x1;
    const handles = [
      ['x0', frame.px(0), frame.py(x0)],
      ['x1', frame.px(1), frame.py(x1)],
      ['t', frame.px(t), frame.py(xt)],
    ];
    let best = null;
    for (const [name, hx, hy] of handles) {
      const d = Math.hypot(px - hx, py - hy);
      if (d < 18 && (!best || d < best[1])) best = [name, d];
    }
    if (best) {
      grabbed = best[0];
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    }
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!grabbed) return;
    const [tx, x] = frameOf().invert(...position(event));
    const clampX = (v) => Math.max(X_RANGE[0], Math.min(X_RANGE[1], v));
    const next = { ...get() };
    if (grabbed === 't') next.t = Math.max(0, Math.min(1, tx));
    else next[grabbed] = clampX(x);
    set(next);
  });
  const release = () => {
    grabbed = null;
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
}

export default {
  name: 'velocity-target',
  needs: {},

  draw(canvas, page) {
    drawVelocityTarget(canvas, page.velocityTarget);
    const { x0, x1, t } = page.velocityTarget;
    canvas.dataset.xt = String((1 - t) * x0 + t * x1);
  },

  data(page) {
    const { x0, x1, t } = page.velocityTarget;
    return { columns: ['x0', 'x1', 't', 'x_t', 'velocity'], rows: [[x0, x1, t, (1 - t) * x0 + t * x1, x1 - x0]] };
  },

  describe(page) {
    const { x0, x1, t } = page.velocityTarget;
    const xt = (1 - t) * x0 + t * x1;
    return {
      label: `Path from x0 = ${fmt(x0, 2)} to x1 = ${fmt(x1, 2)}; at t = ${fmt(t, 2)} it is at x_t = ${fmt(xt, 2)}, velocity ${fmt(x1 - x0, 2)}`,
      caption: `The velocity target on one path: from x₀ = ${fmt(x0, 2)} to x₁ = ${fmt(x1, 2)}, the velocity is x₁ − x₀ = ${fmt(x1 - x0, 2)} at every t. Drag x₀, x₁ or x_t.`,
    };
  },

  interact(canvas, page, { changed }) {
    canvas.tabIndex = 0;
    makeDraggable(canvas, () => page.velocityTarget, (next) => {
      page.velocityTarget = next;
      changed();
    });
  },
};
