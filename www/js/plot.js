// A plotting frame: maps data coordinates to canvas pixels inside margins and draws axes, ticks,
// labels and a title. Every figure draws into one of these, from data only (never from the clock).

import { INK, MUTED } from './colors.js';

/** `n` evenly spaced values from a to b inclusive. */
export function linspace(a, b, n) {
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** Round tick values covering [lo, hi], about `count` of them. */
export function ticks(lo, hi, count = 5) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * span; v += step) {
    out.push(Math.abs(v) < 1e-12 ? 0 : v);
  }
  return out;
}

export function format(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (a >= 10) return v.toFixed(0);
  if (a >= 1) return String(Math.round(v * 100) / 100);
  return String(Math.round(v * 1000) / 1000);
}

/**
 * Resizes a canvas's backing store to its CSS size times the pixel ratio; returns the 2D context,
 * the CSS size, and whether (and how) the figure stacks its panels one per row.
 */
export function prepare(canvas) {
  // A canvas off the page (a PNG export) says its size and resolution in data attributes.
  const { cssWidth, cssHeight, pixelRatio } = canvas.dataset || {};
  const ratio = Number(pixelRatio) || window.devicePixelRatio || 1;
  const width = Number(cssWidth) || canvas.clientWidth || Number(canvas.getAttribute('width')) || 600;
  const height = Number(cssHeight) || canvas.clientHeight || Number(canvas.getAttribute('height')) || 300;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  // A multi-panel figure stacks its panels on a narrow, tall canvas: `stack(weights, options)` gives
  // their boxes (see stackBoxes).
  const stacked = isStacked(width, height);
  return { ctx, width, height, stacked, stack: (weights, options) => stackBoxes(width, height, weights, options) };
}

export class Frame {
  /**
   * @param ctx 2D context; box {left, top, width, height} in CSS pixels;
   * x/y: [lo, hi] data ranges.
   */
  constructor(ctx, box, x, y) {
    Object.assign(this, { ctx, box, x, y });
  }

  px(v) {
    return this.box.left + ((v - this.x[0]) / (this.x[1] - this.x[0])) * this.box.width;
  }

  py(v) {
    return this.box.top + this.box.height - ((v - this.y[0]) / (this.y[1] - this.y[0])) * this.box.height;
  }

  /** Data coordinates of a canvas point (CSS pixels). */
  invert(px, py) {
    return [
      this.x[0] + ((px - this.box.left) / this.box.width) * (this.x[1] - this.x[0]),
      this.y[0] + ((this.box.top + this.box.height - py) / this.box.height) * (this.y[1] - this.y[0]),
    ];
  }

  clip(draw) {
    const { ctx, box } = this;
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.left, box.top, box.width, box.height);
    ctx.clip();
    draw(ctx);
    ctx.restore();
  }

  axes({ xLabel = '', yLabel = '', title = '', xTicks = true, yTicks = true, yRight = false, yLabelOffset = 40 } = {}) {
    const { ctx, box } = this;
    ctx.save();
    ctx.strokeStyle = MUTED;
    ctx.lineWidth = 1;
    ctx.strokeRect(box.left + 0.5, box.top + 0.5, box.width, box.height);
    ctx.fillStyle = INK;
    ctx.font = '11px system-ui, sans-serif';
    if (xTicks) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      for (const v of ticks(this.x[0], this.x[1], Math.max(2, Math.floor(box.width / 70)))) {
        const x = this.px(v);
        ctx.beginPath();
        ctx.moveTo(x, box.top + box.height);
        ctx.lineTo(x, box.top + box.height + 4);
        ctx.stroke();
        ctx.fillText(format(v), x, box.top + box.height + 6);
      }
    }
    if (yTicks) {
      ctx.textAlign = yRight ? 'left' : 'right';
      ctx.textBaseline = 'middle';
      const edge = yRight ? box.left + box.width : box.left;
      const dir = yRight ? 1 : -1;
      for (const v of ticks(this.y[0], this.y[1], Math.max(2, Math.floor(box.height / 40)))) {
        const y = this.py(v);
        ctx.beginPath();
        ctx.moveTo(edge, y);
        ctx.lineTo(edge + 4 * dir, y);
        ctx.stroke();
        ctx.fillText(format(v), edge + 6 * dir, y);
      }
    }
    ctx.font = '12px system-ui, sans-serif';
    if (xLabel) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(xLabel, box.left + box.width / 2, box.top + box.height + (xTicks ? 22 : 6));
    }
    if (yLabel) {
      ctx.save();
      ctx.translate(yRight ? box.left + box.width + yLabelOffset : box.left - yLabelOffset, box.top + box.height / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(yLabel, 0, 0);
      ctx.restore();
    }
    if (title) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      // A box may allow its title two lines (the narrow three-panel layout of sides.js does).
      fitText(ctx, title, box.left + box.width / 2, box.top - 6, box.width, { lines: box.titleLines || 1 });
    }
    ctx.restore();
  }
}

/**
 * Writes a title centred at (x, y) within `maxWidth`: smaller type first, then (where `lines` is 2)
 * two lines (in 11 or 10 px type, ending 3 px below y), then an ellipsis, so that the titles of side-by-side panels never
 * run into each other on a narrow screen.
 */
export function fitText(ctx, text, x, y, maxWidth, { weight = 600, sizes = [13, 12, 11, 10], lines = 1 } = {}) {
  for (const size of sizes) {
    ctx.font = `${weight} ${size}px system-ui, sans-serif`;
    if (ctx.measureText(text).width <= maxWidth) {
      ctx.fillText(text, x, y);
      return;
    }
  }
  let shown = text;
  if (lines >= 2) {
    // The split at a space whose longer line is shortest, in the largest type (11 px at most) where
    // both lines fit; the pair sits 3 px lower than one line would, to stay on the canvas.
    const words = text.split(' ');
    const small = sizes.filter((size) => size <= 11);
    y += 3;
    for (const size of small) {
      ctx.font = `${weight} ${size}px system-ui, sans-serif`;
      let best = null;
      for (let i = 1; i < words.length; i++) {
        const pair = [words.slice(0, i).join(' '), words.slice(i).join(' ')];
        const longest = Math.max(...pair.map((l) => ctx.measureText(l).width));
        if (longest <= maxWidth && (!best || longest < best.longest)) best = { pair, longest };
      }
      if (best) {
        ctx.fillText(best.pair[0], x, y - size - 1);
        ctx.fillText(best.pair[1], x, y);
        return;
      }
    }
    // No split fits: the first word on its own line, the rest shortened below it.
    if (words.length > 1 && ctx.measureText(words[0]).width <= maxWidth) {
      const size = small[small.length - 1];
      ctx.fillText(words[0], x, y - size - 1);
      shown = words.slice(1).join(' ');
      text = shown;
    }
  }
  if (ctx.measureText(text).width <= maxWidth) {
    ctx.fillText(text, x, y);
    return;
  }
  while (shown.length > 1 && ctx.measureText(`${shown}…`).width > maxWidth) shown = shown.slice(0, -1);
  ctx.fillText(`${shown.trimEnd()}…`, x, y);
}

/** The width of a legend box of [colour, label] rows (at `size` px type). */
export function legendWidth(ctx, rows, size = 11) {
  ctx.save();
  ctx.font = `${size}px system-ui, sans-serif`;
  const width = Math.max(...rows.map(([, label]) => ctx.measureText(label).width)) + 30;
  ctx.restore();
  return width;
}

/** The height of a legend box of `n` rows. */
export const legendHeight = (n) => n * 16 + 6;

/**
 * Draws a legend box of [colour, label] rows with its top-left corner at (x, y). With `within` (a
 * plot's box), the legend stays inside that box: moved in from its edges (so an x past the right edge
 * puts it against that edge), in smaller type where the box is narrow, and with its labels shortened
 * by an ellipsis where even that is too wide. Returns the box it drew.
 */
export function legend(ctx, x, y, rows, { within = null, inset = 4 } = {}) {
  let size = 11;
  let shown = rows;
  if (within) {
    const room = within.width - 2 * inset;
    if (legendWidth(ctx, rows, size) > room) size = 10;
    if (legendWidth(ctx, rows, size) > room) {
      ctx.save();
      ctx.font = `${size}px system-ui, sans-serif`;
      shown = rows.map(([color, label]) => {
        let text = label;
        while (text.length > 1 && ctx.measureText(`${text}…`).width + 30 > room) text = text.slice(0, -1);
        return [color, text === label ? label : `${text.trimEnd()}…`];
      });
      ctx.restore();
    }
  }
  const width = legendWidth(ctx, shown, size);
  const height = legendHeight(shown.length);
  if (within) {
    x = Math.max(within.left + inset, Math.min(x, within.left + within.width - inset - width));
    y = Math.max(within.top + inset, Math.min(y, within.top + within.height - inset - height));
  }
  ctx.save();
  ctx.font = `${size}px system-ui, sans-serif`;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(x, y, width, height);
  ctx.textBaseline = 'middle';
  shown.forEach(([color, label], i) => {
    ctx.fillStyle = color;
    ctx.fillRect(x + 6, y + 8 + i * 16, 14, 6);
    ctx.fillStyle = INK;
    ctx.fillText(label, x + 24, y + 11 + i * 16);
  });
  ctx.restore();
  return { left: x, top: y, width, height };
}

/** Whether a canvas of this CSS size lays its panels out one per row: a phone held upright. */
export const isStacked = (width, height) => width < 520 && height > 1.2 * width;

/**
 * Boxes for panels one per row down a canvas: slot heights in proportion to `weights` (out of what
 * `reserve` px at the bottom leave), each box the full width inside `left` and `right`, with `top` px
 * above it for its title and `bottom` px below it for its axis. Returns [box, …] and the y where the
 * reserve starts, as `boxes.end`.
 */
export function stackBoxes(width, height, weights, { left = 48, right = 20, top = 26, bottom = 48, reserve = 0 } = {}) {
  const total = weights.reduce((a, b) => a + b, 0);
  const share = (height - reserve) / total;
  let y = 0;
  const boxes = weights.map((w) => {
    const slot = w * share;
    const box = { left, top: Math.round(y + top), width: width - left - right, height: Math.max(20, Math.round(slot - top - bottom)) };
    y += slot;
    return box;
  });
  boxes.end = Math.round(y);
  return boxes;
}

/**
 * A density curve filled down to zero: `xs` positions, `values` densities. Upright, x runs along the
 * horizontal axis; `sideways`, x runs up the vertical axis and the density grows horizontally.
 */
export function filledCurve(frame, xs, values, color, { sideways = false, lineWidth = 2 } = {}) {
  const point = sideways ? (x, v) => [frame.px(v), frame.py(x)] : (x, v) => [frame.px(x), frame.py(v)];
  frame.clip((c) => {
    c.beginPath();
    c.moveTo(...point(xs[0], 0));
    xs.forEach((x, i) => c.lineTo(...point(x, values[i])));
    c.lineTo(...point(xs[xs.length - 1], 0));
    c.closePath();
    c.globalAlpha = 0.35;
    c.fillStyle = color;
    c.fill();
    c.globalAlpha = 1;
    c.strokeStyle = color;
    c.lineWidth = lineWidth;
    c.stroke();
  });
}
