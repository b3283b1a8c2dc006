// Drawing in the plane: a square view of [lo, hi]² in a box, a density painted as a light wash, point
// clouds, arrows of a velocity field, and bumps as circles. Every chapter-four figure draws with these.

import { INK } from './colors.js';
import { drawImage } from './heatmap.js';
import { Frame } from './plot.js';

/** The largest square box that fits in { left, top, width, height }, centred in it, as a Frame of [lo, hi]². */
export function squareFrame(ctx, box, [lo, hi]) {
  const side = Math.max(20, Math.min(box.width, box.height));
  const square = { left: box.left + (box.width - side) / 2, top: box.top + (box.height - side) / 2, width: side, height: side };
  return new Frame(ctx, square, [lo, hi], [lo, hi]);
}

/**
 * Paints `cells` (n × n values, row by row from the bottom, as the math module's lattices are) as a
 * wash of `rgb` over the frame, the opacity the value over `peak`.
 */
export function paintWash(frame, cells, n, peak, [r, g, b] = [31, 119, 180]) {
  const image = new ImageData(n, n);
  const px = image.data;
  const scale = peak > 0 ? 1 / peak : 0;
  for (let row = 0; row < n; row++) {
    for (let c = 0; c < n; c++) {
      const v = Math.min(1, cells[row * n + c] * scale);
      const i = ((n - 1 - row) * n + c) * 4;
      px[i] = r;
      px[i + 1] = g;
      px[i + 2] = b;
      px[i + 3] = Math.round(255 * Math.sqrt(Math.max(0, v)) * 0.75);
    }
  }
  drawImage(frame, image, true);
}

/** Points (interleaved x, y; `count` of them from `offset`) as small dots. */
export function drawPoints(frame, xy, { color = INK, radius = 1.3, alpha = 0.75, offset = 0, count = (xy.length - offset) / 2 } = {}) {
  frame.clip((c) => {
    c.fillStyle = color;
    c.globalAlpha = alpha;
    for (let i = 0; i < count; i++) {
      const x = frame.px(xy[offset + 2 * i]);
      const y = frame.py(xy[offset + 2 * i + 1]);
      c.fillRect(x - radius, y - radius, 2 * radius, 2 * radius);
    }
  });
}

/**
 * The paths of the first `count` particles of a flow (rows of `particles` interleaved points, one per
 * solver step), each drawn through rows 0 to `upTo`.
 */
export function drawPaths(frame, flow, particles, { count = particles, upTo = flow.length / (2 * particles) - 1, color = INK, alpha = 0.6, width = 1.2 } = {}) {
  frame.clip((c) => {
    c.strokeStyle = color;
    c.globalAlpha = alpha;
    c.lineWidth = width;
    for (let i = 0; i < count; i++) {
      c.beginPath();
      for (let k = 0; k <= upTo; k++) {
        const x = frame.px(flow[2 * particles * k + 2 * i]);
        const y = frame.py(flow[2 * particles * k + 2 * i + 1]);
        if (k) c.lineTo(x, y);
        else c.moveTo(x, y);
      }
      c.stroke();
    }
  });
}

/** Points at fraction `u` between two interleaved sets `a` and `b` (the same size). */
export function between(a, b, u, out = new Float32Array(a.length)) {
  for (let i = 0; i < a.length; i++) out[i] = a[i] + u * (b[i] - a[i]);
  return out;
}

/**
 * Arrows of one frame of a field (n × n vectors interleaved, row by row from the bottom of [lo, hi]²),
 * each scaled so that the longest spans one cell.
 */
export function drawArrows(frame, vectors, n, [lo, hi], color = '#333') {
  const cell = (hi - lo) / n;
  let longest = 0;
  for (let i = 0; i < n * n; i++) longest = Math.max(longest, Math.hypot(vectors[2 * i], vectors[2 * i + 1]));
  const scale = longest > 0 ? (0.9 * cell) / longest : 0;
  frame.clip((c) => {
    c.strokeStyle = color;
    c.fillStyle = color;
    c.lineWidth = 1;
    c.globalAlpha = 0.8;
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        const i = row * n + col;
        const x = lo + (col + 0.5) * cell;
        const y = lo + (row + 0.5) * cell;
        const [x0, y0] = [frame.px(x), frame.py(y)];
        const [x1, y1] = [frame.px(x + scale * vectors[2 * i]), frame.py(y + scale * vectors[2 * i + 1])];
        const len = Math.hypot(x1 - x0, y1 - y0);
        if (len < 0.5) continue;
        c.beginPath();
        c.moveTo(x0, y0);
        c.lineTo(x1, y1);
        c.stroke();
        const head = Math.min(4, len / 2);
        const angle = Math.atan2(y1 - y0, x1 - x0);
        c.beginPath();
        c.moveTo(x1, y1);
        c.lineTo(x1 - head * Math.cos(angle - 0.5), y1 - head * Math.sin(angle - 0.5));
        c.lineTo(x1 - head * Math.cos(angle + 0.5), y1 - head * Math.sin(angle + 0.5));
        c.fill();
      }
    }
  });
}

/** Bumps (flat [weight, x, y, std, …]) as circles of radius 2σ, the line as heavy as the weight. */
export function drawBumps(frame, bumps, { color = '#1f4e79', highlight = -1 } = {}) {
  const top = Math.max(...Array.from({ length: bumps.length / 4 }, (_, i) => bumps[4 * i]));
  frame.clip((c) => {
    for (let i = 0; i < bumps.length / 4; i++) {
      const [w, x, y, s] = bumps.subarray(4 * i, 4 * i + 4);
      c.strokeStyle = i === highlight ? '#d62728' : color;
      c.globalAlpha = 0.35 + 0.65 * (w / top);
      c.lineWidth = i === highlight ? 2.5 : 1.2;
      c.beginPath();
      c.arc(frame.px(x), frame.py(y), Math.max(2, frame.px(x + 2 * s) - frame.px(x)), 0, 2 * Math.PI);
      c.stroke();
    }
  });
}

/** The frame's axes with a few ticks, labelled x and y. */
export function planeAxes(frame, title) {
  frame.axes({ title, xLabel: 'x', yLabel: 'y', yLabelOffset: 28 });
}
