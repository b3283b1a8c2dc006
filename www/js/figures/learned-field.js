// The learned velocity field FM_θ(t, x) as a heatmap: red pushes x up, blue pulls it down.

import { diverging } from '../colors.js';
import { colorBar, maxAbs, paintGrid } from '../heatmap.js';
import { Frame, prepare } from '../plot.js';

export const FIELD = { times: 101, bins: 200, lo: -2.2, hi: 2.2 };

/** Layout of the heatmap inside a canvas of the given size; shared with tests that read pixels. */
export function fieldBox(width, height) {
  return { left: 48, top: 26, width: width - 66, height: height - 96 };
}

/** `grid`: FIELD.times columns × FIELD.bins rows; `paths` (optional): rows of path positions. */
export function drawLearnedField(canvas, grid, { title, paths = null, pathSteps = 0 } = {}) {
  const { ctx, width, height } = prepare(canvas);
  const frame = new Frame(ctx, fieldBox(width, height), [0, 1], [FIELD.lo, FIELD.hi]);
  const vmax = maxAbs(grid);
  paintGrid(frame, grid, FIELD.times, FIELD.bins, (v) => diverging(v, vmax));
  if (paths) {
    frame.clip((c) => {
      const lines = paths.length / (pathSteps + 1);
      c.strokeStyle = 'rgba(80,80,80,0.85)';
      c.lineWidth = 1.5;
      for (let j = 0; j < lines; j++) {
        c.beginPath();
        for (let i = 0; i <= pathSteps; i++) {
          const x = frame.px(i / pathSteps);
          const y = frame.py(paths[i * lines + j]);
          if (i === 0) c.moveTo(x, y);
          else c.lineTo(x, y);
        }
        c.stroke();
      }
    });
  }
  frame.axes({ xLabel: 't (flow time)', yLabel: 'x', title });
  colorBar(
    ctx,
    { left: frame.box.left + frame.box.width * 0.15, top: height - 44, width: frame.box.width * 0.7, height: 10 },
    -vmax,
    vmax,
    (v) => diverging(v, vmax),
    'velocity (red pushes up, blue pulls down)',
  );
  return { vmax, box: frame.box };
}
