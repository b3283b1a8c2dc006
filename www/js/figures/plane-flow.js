// Chapter four, the flow: 2,000 particles carried from noise (t = 0) to the target (t = 1) by the
// plane network, or by the exact field (the toggle), with the reader's solver and steps; the timeline
// scrubs and plays t. Behind them the exact marginal density p_t; over them the field's arrows at t
// and the trails of a few particles.

import { NOISE, TARGET } from '../colors.js';
import { between, drawArrows, drawPaths, drawPoints, paintWash, planeAxes, squareFrame } from '../plane-plot.js';
import { legend, prepare } from '../plot.js';
import { TABLE } from '../table.js';
import { count, fmt, solverSteps } from './caption.js';
import { PLANE_EXACT_JOB, PLANE_FLOW_JOB } from './plane-jobs.js';

const TRAILS = 60; // particles whose path so far is drawn

/** What the figure draws: the exact field's flow or the network's, with its arrows, or null while neither is in. */
export function shownFlow(page) {
  const exact = page.computed['plane-flow'];
  if (page.state.exact) return exact ? { flow: exact.flow, arrows: exact.arrows, source: 'exact' } : null;
  const net = page.plane.results['plane-flow'];
  return net ? { flow: net.flow, arrows: net.arrows, source: 'network', steps: net.steps } : null;
}

/** The particles at time t (interleaved), between the solver's steps linearly. */
export function particlesAt(flow, particles, t) {
  const rows = flow.length / (2 * particles) - 1;
  const at = Math.min(rows, Math.max(0, t * rows));
  const k = Math.min(rows - 1, Math.floor(at));
  const row = (i) => flow.subarray(2 * particles * i, 2 * particles * (i + 1));
  return rows === 0 ? row(0) : between(row(k), row(k + 1), at - k);
}

export default {
  name: 'plane-flow',
  lane: 'plane',
  tall: true,
  controls: 'integration',
  toggles: ['exact'],
  needs: { jobs: [PLANE_EXACT_JOB, PLANE_FLOW_JOB], integration: true, plane: true },

  draw(canvas, page) {
    const { ctx, width, height } = prepare(canvas);
    const frame = squareFrame(ctx, { left: 36, top: 28, width: width - 56, height: height - 64 }, TABLE.plane.view);
    const { t } = page.state;
    const p = TABLE.plane;
    const exact = page.computed['plane-flow'];
    const nearest = Math.round(t * (p.frames - 1));
    if (exact) {
      const n = p.densityBins;
      paintWash(frame, exact.density.subarray(nearest * n * n, (nearest + 1) * n * n), n, exact.peaks[nearest]);
    }
    const shown = shownFlow(page);
    if (shown) {
      const a = p.arrows;
      drawArrows(frame, shown.arrows.subarray(nearest * a * a * 2, (nearest + 1) * a * a * 2), a, p.view, '#555');
      const rows = shown.flow.length / (2 * p.particles);
      const upTo = Math.min(rows - 1, Math.floor(t * (rows - 1)));
      drawPaths(frame, shown.flow, p.particles, { count: TRAILS, upTo, color: '#7a5195', alpha: 0.45, width: 1 });
      const now = particlesAt(shown.flow, p.particles, t);
      // Orange at t = 0 turning blue at t = 1, as the noise and target are coloured everywhere.
      drawPoints(frame, now, { color: t < 0.5 ? NOISE : TARGET, radius: 1.2, alpha: 0.7 });
    }
    planeAxes(frame, `t = ${t.toFixed(2)}: ${shown?.source === 'exact' ? 'the exact field' : 'the network'} carries ${count(p.particles)} particles`);
    legend(ctx, frame.box.left + 6, frame.box.top + 6, [[t < 0.5 ? NOISE : TARGET, 'particles'], ['#7a5195', 'trails'], ['#9ecae1', 'exact density p_t']], { within: frame.box });
  },

  data(page) {
    const shown = page.plane ? shownFlow(page) : null;
    if (!shown) return null;
    const p = TABLE.plane;
    const ends = particlesAt(shown.flow, p.particles, 1);
    const rows = [];
    for (let i = 0; i < p.particles; i++) rows.push([ends[2 * i], ends[2 * i + 1]]);
    const field = shown.source === 'exact' ? 'exact field' : `network at step ${shown.steps}`;
    return { comment: `points at t = 1; solver=${page.state.solver} steps=${page.state.eulerSteps}; ${field}; target=${page.state.plane}`, columns: ['x', 'y'], rows };
  },

  describe(page) {
    const run = page.plane.run;
    const shown = shownFlow(page);
    const how = solverSteps(page.state.eulerSteps, page.state.solver);
    const training = run.id === 0 ? 'The plane network starts when this chapter is on screen.' : `Plane network: step ${count(run.steps)} of ${count(run.total)}${run.status === 'running' ? `, ${fmt(run.stepsPerSecond, 0)} steps/s` : ` (${run.status})`}.`;
    const drawn = shown ? `${shown.source === 'exact' ? 'Exact field' : `Network of step ${count(shown.steps)}`}, ${how}.` : 'Waiting for the network…';
    return {
      label: `Flow in the plane at t = ${page.state.t.toFixed(2)}`,
      caption: `${drawn} ${training} Drag the timeline to move t; the arrows are the field at the nearest tenth, the shading the exact density p_t.${page.plane.error ? ` ${page.plane.error}` : ''}`,
    };
  },
};
