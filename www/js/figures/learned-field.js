// Figure 6: the learned field on the tutorial's grid with Euler path lines, and at the sides the
// noise and where many Euler steps carry it (sampled in the figure worker).

import { NOISE, TARGET } from '../colors.js';
import { maxAbs } from '../heatmap.js';
import { count, fmt, samplingText } from './caption.js';
import { drawFieldFigure, FIELD, LINE_STARTS } from './field-figure.js';

const SAMPLE = { steps: 100, hist: { lo: FIELD.lo, hi: FIELD.hi, bins: 100 } };

export default {
  name: 'learned-field',
  tall: true,
  needs: { learned: true, sample: SAMPLE },

  draw(canvas, page) {
    const learned = page.learned;
    const s = page.samples['learned-field'];
    const noise = s.result ? s.result.noiseHist : s.partial && s.partial.noiseHist;
    drawFieldFigure(canvas, {
      grid: learned && learned.grid, times: FIELD.times, bins: FIELD.bins, lo: FIELD.lo, hi: FIELD.hi,
      title: learned ? `Learned field FM_θ(t, x) after ${count(learned.steps)} steps` : 'Learned field FM_θ(t, x): waiting for the network',
      lines: learned && { rows: learned.lines, count: LINE_STARTS.length, stride: 35, offset: 7 },
      left: noise && { kind: 'hist', values: noise, lo: FIELD.lo, hi: FIELD.hi, color: NOISE, title: 'Noise X₀' },
      right: s.result && { kind: 'hist', values: s.result.sampleHist, lo: FIELD.lo, hi: FIELD.hi, color: TARGET, title: 'Predicted X̂₁' },
    });
  },

  describe(page) {
    const learned = page.learned;
    const s = page.samples['learned-field'];
    const grid = `${FIELD.times} times × ${FIELD.bins} x-bins on [${FIELD.lo}, ${FIELD.hi}]`;
    return {
      label: learned
        ? `Learned velocity field after ${learned.steps} steps on ${grid}; speeds up to ${fmt(maxAbs(learned.grid), 2)}`
        : 'Learned velocity field: waiting for the network',
      caption: `The learned field on ${grid}, ${LINE_STARTS.length} Euler path lines (${SAMPLE.steps} steps). ${samplingText(s, (r) => `Sides: ${count(r.count)} noise points (left) and where ${SAMPLE.steps} Euler steps take them (right), network of step ${count(r.trainedSteps)}.`)}`,
    };
  },
};
