// One view per figure: each turns the page's derived state into a drawing and an aria-label that
// carries its key numbers. Views read state; they never start work or change it.

import { NOISE, TARGET } from './colors.js';
import { drawDensities, RANGE as DENSITY_RANGE } from './figures/densities.js';
import { drawFieldFigure, FIELD } from './figures/field-figure.js';
import { drawLossCurve, recentMean, LOSS_FLOOR } from './figures/loss-curve.js';
import { drawPathTable } from './figures/path-table.js';
import { drawReconstructed, RECON } from './figures/reconstructed.js';
import { PATHS, drawReferencePaths } from './figures/reference-paths.js';
import { drawSampledDensity, SAMPLED } from './figures/sampled-density.js';
import { drawVelocityTarget } from './figures/velocity-target.js';
import { linspace } from './plot.js';

const $ = (id) => document.getElementById(id);
const fmt = (v, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const count = (n) => n.toLocaleString('en-US');

function label(id, text) {
  $(id).setAttribute('aria-label', text);
}

function caption(id, text) {
  $(id).textContent = text;
}

/** The 9 starting points of the path lines in figures 4 and 6 (the wide view). */
export const LINE_STARTS = linspace(-3.2, 3.2, 9);

export const VIEWS = {
  densities(page) {
    const d = page.fixed.densities;
    drawDensities($('fig-densities'), d);
    label('fig-densities', `Densities on x from ${DENSITY_RANGE[0]} to ${DENSITY_RANGE[1]}: noise peaks at ${fmt(Math.max(...d.noise))}, target at ${fmt(Math.max(...d.target))}`);
  },

  'reference-paths'(page) {
    drawReferencePaths($('fig-reference-paths'), page.fixed.paths);
    label('fig-reference-paths', `${PATHS.examples} straight paths and the density of ${count(PATHS.n)} paths on ${PATHS.steps + 1} times × ${PATHS.bins} bins`);
  },

  'velocity-target'(page) {
    const vt = page.velocityTarget;
    drawVelocityTarget($('fig-velocity-target'), vt);
    const xt = (1 - vt.t) * vt.x0 + vt.t * vt.x1;
    label('fig-velocity-target', `Path from x0 = ${fmt(vt.x0, 2)} to x1 = ${fmt(vt.x1, 2)}; at t = ${fmt(vt.t, 2)} it is at x_t = ${fmt(xt, 2)}, velocity ${fmt(vt.x1 - vt.x0, 2)}`);
    $('fig-velocity-target').dataset.xt = String(xt);
  },

  'average-field'(page) {
    const a = page.fixed.average;
    const { vmax } = drawFieldFigure($('fig-average-field'), {
      grid: a.field, times: 21, bins: 200, lo: -2.2, hi: 2.2,
      title: 'Average velocity of straight paths, with path lines',
      lines: { rows: a.lines, count: LINE_STARTS.length, stride: 7 },
      left: { kind: 'hist', values: a.noiseHistogram, lo: -2.2, hi: 2.2, color: NOISE, title: 'Noise X₀' },
      right: { kind: 'hist', values: a.targetHistogram, lo: -2.2, hi: 2.2, color: TARGET, title: 'Target X₁' },
    });
    label('fig-average-field', `Binned average velocity, 21 times × 200 bins; speeds up to ${fmt(vmax, 2)}; 9 path lines`);
  },

  loss(page) {
    const { losses, total } = page.progress;
    drawLossCurve($('fig-loss'), losses, total);
    const mean = recentMean(losses);
    label('fig-loss', `Training loss over ${losses.length} of ${total} steps; mean of the last 100: ${fmt(mean)}; floor ${LOSS_FLOOR}`);
    caption('cap-loss', `Figure 5. Loss per step, its 100-step moving average, and the irreducible floor ${LOSS_FLOOR} (dashed). Mean of the last 100 steps: ${fmt(mean)}.`);
  },

  'learned-field'(page) {
    const grid = page.learned.grid;
    if (!grid) return;
    const heavy = page.heavy['learned-field'];
    const spec = {
      grid, times: FIELD.times, bins: FIELD.bins, lo: FIELD.lo, hi: FIELD.hi,
      title: `Learned field FM_θ(t, x) after ${count(page.learned.steps)} steps`,
      lines: page.learned.lines && { rows: page.learned.lines, count: LINE_STARTS.length, stride: 35, offset: 7 },
    };
    if (heavy.result) {
      spec.left = { kind: 'hist', values: heavy.result.noiseHist, lo: FIELD.lo, hi: FIELD.hi, color: NOISE, title: 'Noise X₀' };
      spec.right = { kind: 'hist', values: heavy.result.sampleHist, lo: FIELD.lo, hi: FIELD.hi, color: TARGET, title: 'Predicted X̂₁' };
    }
    const { vmax } = drawFieldFigure($('fig-learned-field'), spec);
    label('fig-learned-field', `Learned velocity field after ${page.learned.steps} steps; speeds up to ${fmt(vmax, 2)}`);
    caption('cap-learned-field', `Figure 6. The learned field on 101 times × 200 x-bins, 9 Euler path lines (100 steps). ${heavyText(heavy, (r) => `Sides: ${count(r.count)} noise points (left) and where 100 Euler steps take them (right), network of step ${count(r.trainedSteps)}.`)}`);
  },

  'path-table'(page) {
    const { path, k } = page.integration;
    if (!path) return;
    const n = path.length - 1;
    const exact = page.wasm.exactEulerPath(path[0], n);
    drawPathTable($('path-table'), path, exact, k);
    caption('cap-path-table', `Figure 7. One sampled path from x₀ = ${fmt(path[0], 2)} in ${n} Euler steps of the network (step ${count(page.learned.steps)} of training): it ends at x = ${fmt(path[n])}. Beside it, the same Euler steps on the exact average field (ends at ${fmt(exact[n])}). Highlighted: step ${k}.`);
  },

  'euler-animation'(page) {
    const grid = page.learned.grid;
    const { path, k } = page.integration;
    if (!grid || !path) return;
    const n = path.length - 1;
    const pdf = page.fixed.densities;
    drawFieldFigure($('fig-euler-animation'), {
      grid, times: FIELD.times, bins: FIELD.bins, lo: FIELD.lo, hi: FIELD.hi,
      title: `Euler integration of FM_θ, ${n} steps`,
      left: { kind: 'curve', xs: pdf.xs, values: pdf.noise, color: NOISE, title: 'Noise π₀' },
      right: { kind: 'curve', xs: pdf.xs, values: pdf.target, color: TARGET, title: 'Target π₁' },
      overlay(frame, ctx) {
        frame.clip((c) => {
          c.strokeStyle = 'rgba(31,119,180,0.7)';
          c.setLineDash([3, 3]);
          c.lineWidth = 1.5;
          c.beginPath();
          for (let i = 0; i <= k; i++) {
            const x = frame.px(i / n);
            const y = frame.py(path[i]);
            if (i === 0) c.moveTo(x, y);
            else c.lineTo(x, y);
          }
          c.stroke();
          c.setLineDash([]);
          c.fillStyle = TARGET;
          for (let i = 0; i <= k; i++) {
            c.beginPath();
            c.arc(frame.px(i / n), frame.py(path[i]), i === k ? 5 : 3, 0, 2 * Math.PI);
            c.fill();
          }
          // The draggable start point.
          c.strokeStyle = '#fff';
          c.lineWidth = 2;
          c.fillStyle = NOISE;
          c.beginPath();
          c.arc(frame.px(0), frame.py(path[0]), 7, 0, 2 * Math.PI);
          c.fill();
          c.stroke();
        });
        const box = frame.box;
        ctx.font = '13px ui-monospace, monospace';
        const lines = [`t    = ${(k / n).toFixed(2)}`, `step = ${k}`, `x    = ${path[k].toFixed(2)}`];
        ctx.fillStyle = 'rgba(255,255,255,0.8)';
        ctx.fillRect(box.left + box.width - 130, box.top + box.height - 66, 122, 58);
        ctx.fillStyle = '#222';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        lines.forEach((line, i) => ctx.fillText(line, box.left + box.width - 122, box.top + box.height - 60 + i * 17));
      },
    });
    label('fig-euler-animation', `Euler path from x0 = ${fmt(path[0], 2)}: step ${k} of ${n}, t = ${fmt(k / n, 2)}, x = ${fmt(path[k])}`);
  },

  reconstructed(page) {
    const heavy = page.heavy.reconstructed;
    const r = heavy.result;
    if (r) {
      drawReconstructed($('fig-reconstructed'), { xs: page.fixed.narrowDensities.xs, pdf: page.fixed.narrowDensities.target, hist: r.sampleHist, count: r.count });
      label('fig-reconstructed', `${r.count} samples from ${RECON.steps} Euler steps against the target: W1 ${fmt(r.w1)}, KS ${fmt(r.ks)}`);
    }
    caption('cap-reconstructed', `Figure 9. ${heavyText(heavy, (x) => `${count(x.count)} samples from ${RECON.steps} Euler steps (network of step ${count(x.trainedSteps)}), ${RECON.bins} bins on [${RECON.lo}, ${RECON.hi}], against the target density. W₁ = ${fmt(x.w1)}, KS = ${fmt(x.ks)}.`)}`);
  },

  'sampled-density'(page) {
    const heavy = page.heavy['sampled-density'];
    const r = heavy.result;
    if (r) {
      drawSampledDensity($('fig-sampled-density'), { density: r.density, noiseHist: r.noiseHist, sampleHist: r.sampleHist, count: r.count });
      label('fig-sampled-density', `Density of ${r.count} sampled paths, ${SAMPLED.steps} Euler steps, ${SAMPLED.bins} bins`);
    }
    caption('cap-sampled-density', `Figure 10. ${heavyText(heavy, (x) => `Density of ${count(x.count)} sampled paths, ${SAMPLED.steps} Euler steps, ${SAMPLED.bins} x-bins on [${SAMPLED.lo}, ${SAMPLED.hi}] (network of step ${count(x.trainedSteps)}).`)}`);
  },
};

/** Caption text for a heavy figure: its result's description, or where the computation stands. */
function heavyText(heavy, describe) {
  const parts = [];
  if (heavy.result) parts.push(describe(heavy.result));
  if (heavy.progress != null) parts.push(`Sampling ${count(heavy.pendingCount)} points for the current network: ${Math.round(heavy.progress * 100)} %.`);
  else if (!heavy.result) parts.push('Waiting for the network…');
  if (heavy.error) parts.push(heavy.error);
  return parts.join(' ');
}
