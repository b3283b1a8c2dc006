// Figure 9: samples made by the trained network (Euler, 50 steps) against the target density.

import { RECONSTRUCTED, TARGET } from '../colors.js';
import { filledCurve, Frame, legend, prepare } from '../plot.js';

export const RECON = { steps: 50, bins: 100, lo: -2.5, hi: 2.5 };

/** `data`: { xs, pdf, hist (density per bin on [lo, hi]), count, w1, ks } */
export function drawReconstructed(canvas, data) {
  const { ctx, width, height } = prepare(canvas);
  let top = 0;
  for (const v of [...data.pdf, ...data.hist]) top = Math.max(top, v);
  const frame = new Frame(ctx, { left: 52, top: 28, width: width - 70, height: height - 74 }, [RECON.lo, RECON.hi], [0, top * 1.1 || 1]);
  frame.clip((c) => {
    const w = (RECON.hi - RECON.lo) / data.hist.length;
    c.fillStyle = TARGET;
    c.globalAlpha = 0.75;
    data.hist.forEach((d, i) => {
      const x0 = frame.px(RECON.lo + i * w);
      const x1 = frame.px(RECON.lo + (i + 1) * w);
      c.fillRect(x0, frame.py(d), x1 - x0 - 0.5, frame.py(0) - frame.py(d));
    });
    c.globalAlpha = 1;
  });
  filledCurve(frame, data.xs, data.pdf, RECONSTRUCTED);
  frame.axes({ xLabel: 'x', yLabel: 'density', title: 'Target π₁ against reconstructed samples X̂₁' });
  legend(ctx, frame.box.left + 8, frame.box.top + 8, [
    [RECONSTRUCTED, 'target density π₁'],
    [TARGET, `${data.count.toLocaleString('en-US')} samples, ${RECON.steps} Euler steps`],
  ]);
}
