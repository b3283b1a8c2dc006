// The velocity-field figures (4, 6, 8): a t × x heatmap on a diverging colour map centred on zero,
// optional path lines with arrows, side panels (densities or histograms), a colour bar, and an
// overlay hook for figure-specific marks.

import { diverging, DIVERGING_TABLE } from '../colors.js';
import { colorBar, maxAbs, paintGrid } from '../heatmap.js';
import { Frame, linspace, prepare } from '../plot.js';
import { drawSides, threePanels } from '../sides.js';

/** The learned field's grid, as in the tutorial: 101 times × 200 x-bins on [−2.2, 2.2]. */
export const FIELD = { times: 101, bins: 200, lo: -2.2, hi: 2.2 };

/** The starting points of the path lines in figures 4 and 6 (on the wide view [−3.2, 3.2]). */
export const LINE_STARTS = linspace(-3.2, 3.2, 9);

/** What the figure worker computes from a weight snapshot for figures 6, 8 and 11 (plus the solver). */
export const LEARNED = { ...FIELD, starts: LINE_STARTS, lineSteps: 100 };

/** Every cell of a field grid as CSV rows (t, x, value): what the heatmap figures draw. */
export function gridRows(grid, { times, bins, lo, hi } = FIELD) {
  const rows = [];
  for (let c = 0; c < times; c++) {
    for (let r = 0; r < bins; r++) rows.push([c / (times - 1), lo + ((r + 0.5) * (hi - lo)) / bins, grid[c * bins + r]]);
  }
  return rows;
}

/** Panel layout for a canvas of the given size; shared with the tests that read pixels. */
export function fieldLayout(width, height) {
  return threePanels(width, height, { top: 28, bottom: 84 });
}

function arrowHead(c, x, y, angle, size = 7) {
  c.beginPath();
  c.moveTo(x, y);
  c.lineTo(x - size * Math.cos(angle - 0.4), y - size * Math.sin(angle - 0.4));
  c.lineTo(x - size * Math.cos(angle + 0.4), y - size * Math.sin(angle + 0.4));
  c.closePath();
  c.fill();
}

/**
 * Path lines: `rows` (steps + 1) × `count` positions, drawn grey with an arrow every `stride` steps;
 * `dashed` ones (the exact field's) in black without arrows.
 */
export function pathLines(frame, rows, count, stride, offset, dashed = false) {
  const steps = rows.length / count - 1;
  frame.clip((c) => {
    c.strokeStyle = dashed ? 'rgba(0,0,0,0.85)' : 'rgba(70,70,70,0.8)';
    c.fillStyle = 'rgba(70,70,70,0.9)';
    c.lineWidth = 1.5;
    if (dashed) {
      c.setLineDash([5, 4]);
      offset = steps; // no arrows
      stride = 1;
    }
    for (let j = 0; j < count; j++) {
      c.beginPath();
      for (let i = 0; i <= steps; i++) {
        const x = frame.px(i / steps);
        const y = frame.py(rows[i * count + j]);
        if (i === 0) c.moveTo(x, y);
        else c.lineTo(x, y);
      }
      c.stroke();
      for (let i = offset; i < steps; i += stride) {
        const x0 = frame.px(i / steps);
        const y0 = frame.py(rows[i * count + j]);
        const x1 = frame.px((i + 1) / steps);
        const y1 = frame.py(rows[(i + 1) * count + j]);
        arrowHead(c, (x0 + x1) / 2, (y0 + y1) / 2, Math.atan2(y1 - y0, x1 - x0));
      }
    }
  });
}

/**
 * spec: { grid (null while it is computed), times, bins, lo, hi, title,
 *         lines?: { rows, count, stride, offset }, exactLines?: { rows, count } (dashed),
 *         barLabel?, vmax? (colour scale; default the grid's largest |value|),
 *         left?/right?: { kind: 'hist' | 'curve', values, xs?, lo?, hi?, color, title },
 *         overlay?(frame, ctx) }
 * Returns { vmax, frame } (the main panel's frame, for pointer mapping).
 */
export function drawFieldFigure(canvas, spec) {
  const { ctx, width, height } = prepare(canvas);
  const layout = fieldLayout(width, height);
  const range = [spec.lo, spec.hi];
  const frame = new Frame(ctx, layout.main, [0, 1], range);
  const vmax = spec.vmax || (spec.grid ? maxAbs(spec.grid) : 1);
  ctx.fillStyle = '#f4f4f4';
  ctx.fillRect(layout.main.left, layout.main.top, layout.main.width, layout.main.height);
  if (spec.grid) paintGrid(frame, spec.grid, spec.times, spec.bins, DIVERGING_TABLE, -vmax, vmax);
  if (spec.lines) pathLines(frame, spec.lines.rows, spec.lines.count, spec.lines.stride, spec.lines.offset ?? 0);
  if (spec.exactLines) pathLines(frame, spec.exactLines.rows, spec.exactLines.count, 0, 0, true);
  if (spec.overlay) spec.overlay(frame, ctx);
  frame.axes({ title: spec.title, xLabel: 't (flow time)', yTicks: false });

  drawSides(ctx, layout, range, spec);
  colorBar(
    ctx,
    { left: layout.main.left + layout.main.width * 0.1, top: height - 50, width: layout.main.width * 0.8, height: 10 },
    -vmax,
    vmax,
    (v) => diverging(v, vmax),
    spec.barLabel || 'velocity (red pushes x up, blue pulls it down)',
  );
  return { vmax, frame };
}
