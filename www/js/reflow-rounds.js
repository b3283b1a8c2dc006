// Reflow, round by round. Round 1 is the page's finished run (the 1-rectified flow). Each further
// round samples pairs (x₀, ODE(x₀)) from the latest network in the figure worker, trains a fresh
// network on them in the engine (a run of its own), and measures it: straightness, one- and
// two-step W₁, a few paths. The page's figures draw `page.reflow`; this module only moves data.

export const REFLOW = {
  pairs: 20_000, // (x₀, x₁) pairs per round
  pairSteps: 40, // RK4 steps carrying each x₀ to its x₁
  steps: 4000, // training steps per round, at most (fewer if the page's own run is shorter)
  maxRounds: 4, // 1-rectified … 4-rectified
};

/** What each round is measured by (the figure worker's `rectified` job). */
export const RECTIFIED = {
  n: 2000, // noise quantiles
  straightSteps: 50,
  eulerSteps: [1, 2],
  starts: [-2.2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2.2],
  lineSteps: 50,
};

const empty = () => ({ rounds: [], training: null, error: '' });

export class ReflowRounds {
  /**
   * page: the page state (this keeps `page.reflow`); jobs: the figure worker; engine(): the current
   * engine client; nextRun(): a fresh run number; settings(): the training settings; changed(): redraw;
   * urgent(): whether a reflow figure is on screen.
   */
  constructor({ page, jobs, engine, nextRun, settings, changed, urgent }) {
    Object.assign(this, { page, jobs, engine, nextRun, settings, changed, urgent });
    this.pending = new Set(); // figure-worker job ids of this series of rounds
    page.reflow = empty();
  }

  /** Forgets every round (the page started a new run, or changed the target). */
  reset() {
    for (const id of this.pending) this.jobs.cancel(id);
    this.pending.clear();
    this.page.reflow = empty();
    this.changed();
  }

  /** Moves this series' figure-worker jobs ahead (a reflow figure is on screen) or back. */
  rank(urgent) {
    for (const id of this.pending) this.jobs.rank(id, urgent);
  }

  owns(run) {
    return Boolean(this.page.reflow.training && this.page.reflow.training.run === run);
  }

  /** The page's run finished: its network is round 1. */
  baseFinished(snapshot) {
    if (!snapshot) return;
    this.reset();
    this.addRound({ hidden: snapshot.hidden, weights: snapshot.weights.slice() });
  }

  /** Whether another round can start now. */
  canStart() {
    const r = this.page.reflow;
    return r.rounds.length > 0 && !r.training && r.rounds.length < REFLOW.maxRounds;
  }

  /** Starts the next round from the latest network. */
  next() {
    if (!this.canStart()) return;
    const r = this.page.reflow;
    const source = r.rounds.at(-1);
    const round = r.rounds.length + 1;
    const total = Math.min(REFLOW.steps, this.settings().steps);
    r.training = { run: null, round, status: 'pairs', steps: 0, total, losses: new Float32Array(0), buffer: new Float32Array(total), stepsPerSecond: 0, latest: null };
    r.error = '';
    this.changed();
    this.submit('reflowPairs', { hidden: source.hidden, weights: source.weights, n: REFLOW.pairs, steps: REFLOW.pairSteps, seed: round }, true)
      .then((pairs) => {
        if (!pairs || this.page.reflow !== r || r.training?.round !== round) return;
        r.training.run = this.nextRun();
        r.training.status = 'training';
        this.engine().start(r.training.run, { ...this.settings(), steps: total }, { pairs });
        this.changed();
      })
      .catch((e) => this.fail(r, `the pairs could not be sampled: ${e.message}`));
  }

  /** An engine message for the round in training. */
  handle(type, m) {
    const r = this.page.reflow;
    const t = r.training;
    if (!t) return;
    if (type === 'progress') {
      t.buffer.set(m.losses, m.steps - m.losses.length);
      t.steps = m.steps;
      t.losses = t.buffer.subarray(0, m.steps);
      t.stepsPerSecond = m.stepsPerSecond;
    } else if (type === 'snapshot') {
      t.latest = { hidden: m.hidden, weights: this.page.state.average ? m.averaged : m.latest };
    } else if (type === 'finished') {
      r.training = null;
      if (t.latest) this.addRound(t.latest, { losses: t.losses.slice(), total: t.total });
    } else if (type === 'diverged' || type === 'rejected') {
      this.fail(r, `round ${t.round} stopped: ${m.message}`);
      return;
    }
    this.changed();
  }

  /** A trained network joins the rounds (with its training record, except the page's own run). */
  addRound(network, record = { losses: null, total: 0 }) {
    const r = this.page.reflow;
    const round = { ...network, ...record, stats: null };
    r.rounds.push(round);
    this.submit('rectified', { ...RECTIFIED, hidden: network.hidden, weights: network.weights, target: this.page.state.target }, this.urgent())
      .then((stats) => {
        if (!stats || this.page.reflow !== r) return;
        round.stats = stats;
        this.changed();
      })
      .catch((e) => this.fail(r, `a round could not be measured: ${e.message}`));
    this.changed();
  }

  submit(kind, params, urgent) {
    // postMessage copies: the round keeps its weights for the next round and the figures.
    const { id, result } = this.jobs.submit(kind, params, { urgent });
    this.pending.add(id);
    return result.finally(() => this.pending.delete(id));
  }

  fail(r, message) {
    if (this.page.reflow !== r) return;
    r.training = null;
    r.error = `Reflow: ${message}.`;
    this.changed();
  }
}
