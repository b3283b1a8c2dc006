// Figure 9: samples made by the trained network (Euler, 50 steps) against the target density, with
// W₁ and KS against the exact target CDF (sampled in the figure worker).

import { RECONSTRUCTED, TARGET } from '../colors.js';
import { filledCurve, Frame, legend, prepare } from '../plot.js';
import { count, fmt, samplingText, solverSteps } from './caption.js';
import { densityCurves } from './curves.js';
import { sampleJob } from './jobs.js';

const SAMPLE = { steps: 50, hist: { lo: -2.5, hi: 2.5, bins: 100 } };
const { lo, hi, bins } = SAMPLE.hist;

export default {
  name: 'reconstructed',
  needs: { curves: (math, target) => densityCurves(math, lo, hi, target), jobs: [sampleJob(SAMPLE)] },
  controls: 'solver',

  draw(canvas, page) {
    const pdf = page.curves.reconstructed;
    const r = page.samples.reconstructed.result;
    const { ctx, width, height } = prepare(canvas);
    let top = Math.max(...pdf.target);
    if (r) for (const v of r.sampleHist) top = Math.max(top, v);
    const frame = new Frame(ctx, { left: 52, top: 28, width: width - 70, height: height - 74 }, [lo, hi], [0, top * 1.1]);
    if (r) {
      frame.clip((c) => {
        const w = (hi - lo) / r.sampleHist.length;
        c.fillStyle = TARGET;
        c.globalAlpha = 0.75;
        r.sampleHist.forEach((d, i) => {
          const x0 = frame.px(lo + i * w);
          const x1 = frame.px(lo + (i + 1) * w);
          c.fillRect(x0, frame.py(d), x1 - x0 - 0.5, frame.py(0) - frame.py(d));
        });
        c.globalAlpha = 1;
      });
    }
    filledCurve(frame, pdf.xs, pdf.target, RECONSTRUCTED);
    frame.axes({ xLabel: 'x', yLabel: 'density', title: 'Target π₁ against reconstructed samples X̂₁' });
    const rows = [[RECONSTRUCTED, 'target density π₁']];
    if (r) rows.push([TARGET, `${count(r.count)} samples, ${solverSteps(SAMPLE.steps, r.solver)}`]);
    legend(ctx, frame.box.left + 8, frame.box.top + 8, rows);
  },

  data(page) {
    const r = page.samples.reconstructed.result;
    if (!r) return null;
    const w = (hi - lo) / r.sampleHist.length;
    return { columns: ['bin_lo', 'bin_hi', 'sample_density'], rows: Array.from(r.sampleHist, (d, i) => [lo + i * w, lo + (i + 1) * w, d]) };
  },

  describe(page) {
    const s = page.samples.reconstructed;
    const r = s.result;
    return {
      label: r
        ? `${r.count} samples from ${solverSteps(SAMPLE.steps, r.solver)} against the target: W1 ${fmt(r.w1)}, KS ${fmt(r.ks)}`
        : `Target density on [${lo}, ${hi}]; samples pending`,
      caption: samplingText(s, (x) => `${count(x.count)} samples from ${solverSteps(SAMPLE.steps, x.solver)} (network of step ${count(x.trainedSteps)}), ${bins} bins on [${lo}, ${hi}], against the target density. W₁ = ${fmt(x.w1)}, KS = ${fmt(x.ks)}.`),
    };
  },
};
