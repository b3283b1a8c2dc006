// Figure 6: the learned field on the tutorial's grid with Euler path lines, and at the sides the
// noise and where many Euler steps carry it (sampled in the figure worker).

import { NOISE, TARGET } from '../colors.js';
import { maxAbs } from '../heatmap.js';
import { count, fmt, samplingText, solverSteps } from './caption.js';
import { drawFieldFigure, FIELD, gridRows, LINE_STARTS } from './field-figure.js';
import { LEARNED_JOB, sampleJob } from './jobs.js';

const SAMPLE = { steps: 100, hist: { lo: FIELD.lo, hi: FIELD.hi, bins: 100 } };

export default {
  name: 'learned-field',
  tall: true,
  needs: { jobs: [LEARNED_JOB, sampleJob(SAMPLE)], learned: true, exact: true },
  controls: 'solver',
  toggles: ['exact'],

  draw(canvas, page) {
    const learned = page.learned;
    const exact = page.state.exact && page.exact;
    const s = page.samples['learned-field'];
    const noise = s.result ? s.result.noiseHist : s.partial && s.partial.noiseHist;
    let title = learned ? `Learned field FM_θ(t, x) after ${count(learned.steps)} steps` : 'Learned field FM_θ(t, x): waiting for the network';
    if (exact) title = 'Exact field u(x, t); path lines of the network (solid) and of u (dashed)';
    drawFieldFigure(canvas, {
      grid: exact ? exact.grid : learned && learned.grid, times: FIELD.times, bins: FIELD.bins, lo: FIELD.lo, hi: FIELD.hi,
      title,
      lines: learned && { rows: learned.lines, count: LINE_STARTS.length, stride: 35, offset: 7 },
      exactLines: exact && { rows: exact.lines, count: LINE_STARTS.length },
      left: noise && { kind: 'hist', values: noise, lo: FIELD.lo, hi: FIELD.hi, color: NOISE, title: 'Noise X₀' },
      right: s.result && { kind: 'hist', values: s.result.sampleHist, lo: FIELD.lo, hi: FIELD.hi, color: TARGET, title: 'Predicted X̂₁' },
    });
  },

  data(page) {
    const field = page.state.exact ? page.exact : page.learned;
    return field && field.grid && { columns: ['t', 'x', page.state.exact ? 'exact_velocity' : 'network_velocity'], rows: gridRows(field.grid) };
  },

  describe(page) {
    const learned = page.learned;
    const s = page.samples['learned-field'];
    const grid = `${FIELD.times} times × ${FIELD.bins} x-bins on [${FIELD.lo}, ${FIELD.hi}]`;
    const solver = page.state.solver;
    const exact = page.state.exact && page.exact;
    const shown = exact
      ? `The exact field u on ${grid}, with the network's ${LINE_STARTS.length} path lines (solid) and the exact field's (dashed), ${solverSteps(SAMPLE.steps, solver)} each.`
      : `The learned field on ${grid}, ${LINE_STARTS.length} path lines (${solverSteps(SAMPLE.steps, solver)}).`;
    return {
      label: learned
        ? `${exact ? 'Exact' : 'Learned'} velocity field (network after ${learned.steps} steps) on ${grid}; speeds up to ${fmt(maxAbs(exact ? exact.grid : learned.grid), 2)}`
        : 'Learned velocity field: waiting for the network',
      caption: `${shown} ${samplingText(s, (r) => `Sides: ${count(r.count)} noise points (left) and where ${solverSteps(SAMPLE.steps, r.solver)} take them (right), network of step ${count(r.trainedSteps)}.`)}`,
    };
  },
};
