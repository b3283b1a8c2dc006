// Figure 4: the average velocity of straight paths, binned without any network, with path lines
// through it (computed in the figure worker).

import { NOISE, TARGET } from '../colors.js';
import { count } from './caption.js';
import { drawFieldFigure, gridRows, LINE_STARTS } from './field-figure.js';
import { pairing } from './reference-paths.js';

const BINNED = { n: 100_000, times: 21, lo: -2.2, hi: 2.2, bins: 200, wideLo: -3.2, wideHi: 3.2, starts: LINE_STARTS.length, seed: 1 };

export default {
  name: 'average-field',
  tall: true,
  // Drawn from training pairs: paired as the run pairs them (its coupling, in batches of its size).
  needs: { jobs: [{ kind: 'binnedField', into: 'computed', params: BINNED, inputs: ['target', 'coupling', 'batch'] }] },

  draw(canvas, page) {
    const a = page.computed['average-field'];
    drawFieldFigure(canvas, {
      grid: a && a.grid, times: BINNED.times, bins: BINNED.bins, lo: BINNED.lo, hi: BINNED.hi,
      title: 'Average velocity of straight paths, with path lines',
      lines: a && { rows: a.lines, count: LINE_STARTS.length, stride: 7 },
      left: a && { kind: 'hist', values: a.noiseHist, lo: BINNED.lo, hi: BINNED.hi, color: NOISE, title: 'Noise X₀' },
      right: a && { kind: 'hist', values: a.targetHist, lo: BINNED.lo, hi: BINNED.hi, color: TARGET, title: 'Target X₁' },
    });
  },

  data(page) {
    const a = page.computed['average-field'];
    return a && { columns: ['t', 'x', 'mean_velocity'], rows: gridRows(a.grid, BINNED) };
  },

  describe(page) {
    const a = page.computed['average-field'];
    const grid = `${BINNED.times} times × ${BINNED.bins} x-bins on [${BINNED.lo}, ${BINNED.hi}]`;
    const dt = 1 / (BINNED.times - 1);
    return {
      label: a ? `Binned average velocity, ${grid}; ${LINE_STARTS.length} path lines` : `Binned average velocity: computing`,
      caption: `Average velocity of ${count(BINNED.n)} straight paths${pairing(page.state)}, binned at ${grid}; ${LINE_STARTS.length} path lines through it (Euler, dt = ${dt}).${a ? '' : ' Computing…'}`,
    };
  },
};
