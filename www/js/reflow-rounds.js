// Reflow, round by round. Round 1 is the article's finished run (the 1-rectified flow). Each further
// round is a run of its own in the engine, which draws its pairs (x₀, ODE(x₀)) from the network it
// finished last and trains a fresh network on them; the scheduler then measures the new round
// (straightness, one- and two-step W₁, a few paths). The figures draw `page.reflow`. The plan's
// numbers (pairs, steps, rounds) are Rust's: TABLE.reflow.

import { trainSettings } from './state.js';
import { TABLE } from './table.js';

let series = 0; // each reset starts a new series of rounds, so a measure of an old one is dropped

const empty = () => ({ series: ++series, rounds: [], training: null, error: '' });

export class ReflowRounds {
  /** page: the page state (this keeps `page.reflow`); runs: the run controller; changed(): redraw and reschedule. */
  constructor({ page, runs, changed }) {
    Object.assign(this, { page, runs, changed });
    page.reflow = empty();
  }

  /** Forgets every round (the article started a new run, or changed the target). */
  reset() {
    this.page.reflow = empty();
    this.changed();
  }

  /** The article's run finished: its network is round 1. */
  baseFinished(snapshot) {
    if (!snapshot) return;
    this.reset();
    this.addRound({ hidden: snapshot.hidden, weights: snapshot.weights.slice() });
  }

  /** Whether another round can start now. */
  canStart() {
    const r = this.page.reflow;
    return r.rounds.length > 0 && !r.training && r.rounds.length < TABLE.reflow.maxRounds;
  }

  /** Starts the next round from the latest network (the one the engine finished last). */
  next() {
    if (!this.canStart()) return;
    const r = this.page.reflow;
    const round = r.rounds.length + 1;
    const settings = trainSettings(this.page.settings, this.page.state);
    const total = Math.min(TABLE.reflow.steps, settings.steps);
    r.training = { run: null, round, status: 'pairs', steps: 0, total, losses: new Float32Array(0), buffer: new Float32Array(total), stepsPerSecond: 0, latest: null };
    r.error = '';
    r.training.run = this.runs.start('reflow', { settings: { ...settings, steps: total }, reflow: { seed: round } }, this.handlers(r)).id;
    this.changed();
  }

  /** The messages of a round's run. */
  handlers(r) {
    const t = r.training;
    const live = () => this.page.reflow === r && r.training === t;
    return {
      progress: (m) => {
        if (!live()) return;
        t.status = 'training';
        t.buffer.set(m.losses, m.steps - m.losses.length);
        t.steps = m.steps;
        t.losses = t.buffer.subarray(0, m.steps);
        t.stepsPerSecond = m.stepsPerSecond;
        this.changed();
      },
      snapshot: (m) => {
        if (live()) t.latest = { hidden: m.hidden, weights: this.page.state.average ? m.averaged : m.latest };
      },
      finished: () => {
        if (!live()) return;
        r.training = null;
        if (t.latest) this.addRound(t.latest, { losses: t.losses.slice(), total: t.total });
        this.changed();
      },
      diverged: (m) => this.fail(r, `round ${t.round} stopped: ${m.message}`),
      rejected: (m) => this.fail(r, `round ${t.round} could not start: ${m.message}`),
    };
  }

  /** A trained network joins the rounds (with its training record, except the article's own run); the scheduler measures it. */
  addRound(network, record = { losses: null, total: 0 }) {
    this.page.reflow.rounds.push({ ...network, ...record, stats: null });
    this.changed();
  }

  fail(r, message) {
    if (this.page.reflow !== r) return;
    r.training = null;
    r.error = `Reflow: ${message}.`;
    this.changed();
  }
}
