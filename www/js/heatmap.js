// A t × x heatmap (t left to right, x bottom to top) drawn pixel by pixel, and its colour bar.
// The grid arrives column by column: all x bins for the first time, then the next time.

import { rgb, VIRIDIS_TABLE } from './colors.js';
import { format, ticks } from './plot.js';

/**
 * Paints `grid` (columns × rows values) into the frame's box, mapping [lo, hi] linearly onto a
 * 256-entry colour table (colors.js); NaN cells (empty bins) stay transparent.
 */
export function paintGrid(frame, grid, columns, rows, palette, lo, hi) {
  const image = new ImageData(columns, rows);
  const pixels = image.data;
  const scale = 255 / (hi - lo || 1);
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      const v = grid[c * rows + r];
      if (!Number.isFinite(v)) continue;
      const k = 3 * Math.max(0, Math.min(255, Math.round((v - lo) * scale)));
      const i = ((rows - 1 - r) * columns + c) * 4;
      pixels[i] = palette[k];
      pixels[i + 1] = palette[k + 1];
      pixels[i + 2] = palette[k + 2];
      pixels[i + 3] = 255;
    }
  }
  drawImage(frame, image, false);
}

/** Draws an ImageData stretched over the frame's box, its cells sharp or (`smooth`) interpolated. */
export function drawImage(frame, image, smooth) {
  const scratch = new OffscreenCanvas(image.width, image.height);
  scratch.getContext('2d').putImageData(image, 0, 0);
  const { ctx, box } = frame;
  ctx.save();
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(scratch, box.left, box.top, box.width, box.height);
  ctx.restore();
}

/** Largest finite |v| in the grid, so that the colour map is centred on zero and symmetric. */
export function maxAbs(grid) {
  let m = 0;
  for (const v of grid) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m || 1;
}

/** A horizontal colour bar for values in [lo, hi] inside `box`, with ticks and a label under it. */
export function colorBar(ctx, box, lo, hi, color, label) {
  const steps = Math.max(2, Math.floor(box.width));
  for (let i = 0; i < steps; i++) {
    ctx.fillStyle = rgb(color(lo + ((i + 0.5) / steps) * (hi - lo)));
    ctx.fillRect(box.left + (i / steps) * box.width, box.top, box.width / steps + 1, box.height);
  }
  ctx.save();
  ctx.strokeStyle = '#666';
  ctx.strokeRect(box.left + 0.5, box.top + 0.5, box.width, box.height);
  ctx.fillStyle = '#222';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of ticks(lo, hi, 6)) {
    const x = box.left + ((v - lo) / (hi - lo)) * box.width;
    ctx.fillRect(x, box.top + box.height, 1, 3);
    ctx.fillText(format(v), x, box.top + box.height + 4);
  }
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(label, box.left + box.width / 2, box.top + box.height + 18);
  ctx.restore();
}

/** Paints path-density counts in viridis, scaled to the largest count. */
export function paintDensity(frame, counts, columns, rows) {
  let max = 1;
  for (const v of counts) max = Math.max(max, v);
  paintGrid(frame, counts, columns, rows, VIRIDIS_TABLE, 0, max);
}
