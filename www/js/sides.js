// Sideways densities and histograms drawn beside a t × x panel (x vertical), as the tutorial's
// side panels: the left one grows leftwards, the right one rightwards.

import { filledCurve, Frame } from './plot.js';

/** A frame for a side panel of the given box, sharing the main panel's x range on its vertical axis. */
export function sideFrame(ctx, box, xRange, peak, side) {
  // Horizontal axis is density; the left panel is mirrored so that it grows away from the main panel.
  const range = side === 'left' ? [peak, 0] : [0, peak];
  return new Frame(ctx, box, range, xRange);
}

/** A filled density curve sideways: `xs` positions (vertical), `values` densities. */
export function sidewaysCurve(frame, xs, values, color) {
  filledCurve(frame, xs, values, color, { sideways: true, lineWidth: 1.5 });
}

/** A sideways histogram: `density` per bin of equal width on [lo, hi]. */
export function sidewaysHistogram(frame, density, lo, hi, color) {
  const width = (hi - lo) / density.length;
  frame.clip((c) => {
    c.globalAlpha = 0.55;
    c.fillStyle = color;
    density.forEach((d, i) => {
      const y0 = frame.py(lo + i * width);
      const y1 = frame.py(lo + (i + 1) * width);
      const x0 = frame.px(0);
      const x1 = frame.px(d);
      c.fillRect(Math.min(x0, x1), y1, Math.abs(x1 - x0), y0 - y1);
    });
    c.globalAlpha = 1;
  });
}

/** Largest value of several arrays, for a shared density scale. */
export function peakOf(...arrays) {
  let m = 0;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) m = Math.max(m, v);
  return m * 1.1 || 1;
}

/**
 * Standard layout: [left side | main | right side] boxes across a canvas of the given size. On a
 * phone (under 420 px) the margins and the side panels are narrower, so that the main panel keeps
 * more of the width, and each panel may write its title on two lines.
 */
export function threePanels(width, height, { top = 28, bottom = 46, sideWidth = 0.14 } = {}) {
  const narrow = width < 420;
  const gap = 6;
  const left = narrow ? 44 : 52;
  const right = narrow ? 34 : 44;
  const inner = width - left - right - 2 * gap;
  const side = Math.max(narrow ? 44 : 50, inner * sideWidth);
  const main = inner - 2 * side;
  const h = height - top - bottom;
  const lines = narrow ? { titleLines: 2 } : {};
  return {
    left: { left, top, width: side, height: h, ...lines },
    main: { left: left + side + gap, top, width: main, height: h, ...lines },
    right: { left: left + side + gap + main + gap, top, width: side, height: h, ...lines },
  };
}

/**
 * Both side panels of a three-panel layout on a shared density scale. Each side is
 * { kind: 'hist', values, lo, hi, color, title } or { kind: 'curve', xs, values, color, title };
 * a missing side draws an empty panel.
 */
export function drawSides(ctx, layout, xRange, sides = {}) {
  const peak = peakOf(...[sides.left, sides.right].filter(Boolean).map((s) => s.values));
  for (const side of ['left', 'right']) {
    const s = sides[side];
    const f = sideFrame(ctx, layout[side], xRange, peak, side);
    if (s && s.kind === 'hist') sidewaysHistogram(f, s.values, s.lo, s.hi, s.color);
    if (s && s.kind === 'curve') sidewaysCurve(f, s.xs, s.values, s.color);
    f.axes({ title: s ? s.title : '', xTicks: false, yLabel: side === 'left' ? 'x' : '', yRight: side === 'right' });
  }
}
