// A line chart in one box: series of (x, y) points and horizontal reference lines, on linear or
// logarithmic axes. The metrics and solver figures are built from it.

import { INK, MUTED } from './colors.js';
import { format, Frame } from './plot.js';

const usable = (log) => (v) => Number.isFinite(v) && (!log || v > 0);

/** [lo, hi] covering every value (padded; on a log axis, out to the neighbouring powers of ten). */
export function autoRange(values, log) {
  const vs = values.filter(usable(log));
  if (!vs.length) return log ? [1e-3, 1] : [0, 1];
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  if (log) return [10 ** Math.floor(Math.log10(lo) + 1e-9), 10 ** Math.ceil(Math.log10(hi) - 1e-9 + (hi === lo ? 1 : 0))];
  if (hi === lo) [lo, hi] = [lo - 0.5 * (Math.abs(lo) || 1), hi + 0.5 * (Math.abs(hi) || 1)];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

function logTicks(ctx, frame, axis) {
  const [a, b] = axis === 'x' ? frame.x : frame.y;
  ctx.save();
  ctx.fillStyle = INK;
  ctx.strokeStyle = MUTED;
  ctx.font = '11px system-ui, sans-serif';
  const { box } = frame;
  for (let k = Math.ceil(a - 1e-9); k <= Math.floor(b + 1e-9); k++) {
    const label = k >= -3 ? format(10 ** k) : `1e${k}`;
    ctx.beginPath();
    if (axis === 'x') {
      const x = frame.px(k);
      ctx.moveTo(x, box.top + box.height);
      ctx.lineTo(x, box.top + box.height + 4);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(label, x, box.top + box.height + 6);
    } else {
      const y = frame.py(k);
      ctx.moveTo(box.left, y);
      ctx.lineTo(box.left - 4, y);
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(label, box.left - 6, y);
    }
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * spec: { title, xLabel, yLabel, xRange, yRange?, xLog?, yLog?,
 *         series: [{ points: [[x, y], …], color, dash?, markers? }],
 *         refs?: [{ y, color, dash? }] }
 * Returns the frame (in transformed coordinates: log10 on a log axis).
 */
export function drawLineChart(ctx, box, spec) {
  const tx = spec.xLog ? Math.log10 : (v) => v;
  const ty = spec.yLog ? Math.log10 : (v) => v;
  const ys = [...spec.series.flatMap((s) => s.points.map((p) => p[1])), ...(spec.refs || []).map((r) => r.y)];
  const [y0, y1] = spec.yRange || autoRange(ys, spec.yLog);
  const [x0, x1] = spec.xRange;
  const frame = new Frame(ctx, box, [tx(x0), tx(x1)], [ty(y0), ty(y1)]);
  const okX = usable(spec.xLog);
  const okY = usable(spec.yLog);
  frame.clip((c) => {
    for (const r of spec.refs || []) {
      if (!okY(r.y)) continue;
      c.strokeStyle = r.color;
      c.lineWidth = 1.2;
      c.setLineDash(r.dash || [6, 4]);
      c.beginPath();
      c.moveTo(box.left, frame.py(ty(r.y)));
      c.lineTo(box.left + box.width, frame.py(ty(r.y)));
      c.stroke();
    }
    for (const s of spec.series) {
      const pts = s.points.filter(([x, y]) => okX(x) && okY(y)).map(([x, y]) => [frame.px(tx(x)), frame.py(ty(y))]);
      c.strokeStyle = s.color;
      c.fillStyle = s.color;
      c.lineWidth = s.width || 1.8;
      c.setLineDash(s.dash || []);
      c.beginPath();
      pts.forEach(([x, y], i) => (i ? c.lineTo(x, y) : c.moveTo(x, y)));
      c.stroke();
      c.setLineDash([]);
      if (s.markers) {
        for (const [x, y] of pts) {
          c.beginPath();
          c.arc(x, y, 2.5, 0, 2 * Math.PI);
          c.fill();
        }
      }
    }
  });
  // On a log axis the ticks are drawn here, so its label goes below them here too.
  frame.axes({ title: spec.title, xLabel: spec.xLog ? '' : spec.xLabel, yLabel: spec.yLabel, xTicks: !spec.xLog, yTicks: !spec.yLog, yLabelOffset: spec.yLog ? 50 : 40 });
  if (spec.xLog) {
    logTicks(ctx, frame, 'x');
    ctx.save();
    ctx.fillStyle = INK;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(spec.xLabel, box.left + box.width / 2, box.top + box.height + 22);
    ctx.restore();
  }
  if (spec.yLog) logTicks(ctx, frame, 'y');
  return frame;
}
