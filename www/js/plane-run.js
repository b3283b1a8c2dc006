// Chapter four's run: the plane network, trained in the engine's plane lane (the run controller lets
// it step only while the chapter is on screen), and its reflow rounds. Its messages become
// `page.plane.run` (progress), `page.plane.snapshot` (the latest weights) and the checkpoints whose W₂
// is measured; which worker jobs follow is the scheduler's business.

import { emptyPlane } from './page-state.js';
import { planeTrainSettings } from './state.js';
import { queueCheckpoint } from './article-run.js';
import { showPath, showPausable, showPaused, showProgress } from './status-bar.js';
import { TABLE } from './table.js';

export class PlaneRun {
  /** { page, runs (the controller), scheduler, changed() (redraw the chapter) } */
  constructor(parts) {
    Object.assign(this, parts);
    this.run = null;
  }

  get started() {
    return this.page.plane.run.id !== 0;
  }

  /** Trains a fresh plane network on the link's plane target with the chapter's settings. */
  start() {
    const { page } = this;
    const settings = planeTrainSettings(page.settings, page.state);
    const target = page.state.plane;
    const kept = page.plane.kept;
    // A new target makes the runs kept for comparison meaningless; a new pairing keeps them.
    const sameTarget = page.plane.run.target === target;
    this.begin('plane', { settings, target, plane: true }, { target, coupling: settings.coupling, round: 0, label: settings.coupling });
    if (sameTarget) page.plane.kept = kept;
  }

  /** Whether a reflow round can start: the current plane run has finished. */
  canReflow() {
    return this.page.plane.run.status === 'finished';
  }

  /** Trains a reflow round on pairs the finished plane network makes (the engine draws them). */
  reflow() {
    if (!this.canReflow()) return;
    const { page } = this;
    const before = page.plane.run;
    const round = before.round + 1;
    const settings = planeTrainSettings(page.settings, page.state);
    const steps = Math.min(settings.steps, TABLE.reflow.steps);
    const kept = page.plane.kept;
    this.begin('plane-reflow', { settings: { ...settings, steps }, reflow: { seed: round } }, { target: before.target, coupling: before.coupling, round, label: `reflow ${round}` });
    page.plane.kept = kept;
  }

  begin(kind, spec, about) {
    const { page } = this;
    const previous = page.plane;
    page.plane = { ...emptyPlane(), bumps: previous.bumps, mode: previous.mode, editing: previous.editing };
    const total = spec.settings.steps;
    // W₂ is measured every `checkpoint` steps, and at least ten times in a shorter run.
    const checkpoint = Math.min(TABLE.plane.checkpoint, Math.max(100, Math.ceil(total / 10)));
    this.run = this.runs.start(kind, { ...spec, lane: 'plane', checkpoint }, this.handlers());
    Object.assign(page.plane.run, about, { id: this.run.id, status: about.round ? 'pairs' : 'running', steps: 0, total, buffer: new Float32Array(total) });
    page.plane.metrics.run = this.run.id;
    this.scheduler.forgetRun('plane');
    // A start lifts the reader's Pause (the run controller's rule): the button says so.
    showPaused(this.runs.paused);
    this.changed();
  }

  handlers() {
    const { page } = this;
    return {
      progress: (m) => {
        const run = page.plane.run;
        run.status = 'running';
        run.buffer.set(m.losses, m.steps - m.losses.length);
        run.steps = m.steps;
        run.losses = run.buffer.subarray(0, m.steps);
        run.stepsPerSecond = m.stepsPerSecond;
        run.path = m.path;
        run.pairedAhead = m.pairedAhead;
        if (this.runs.lane === 'plane') {
          showPath(m.path);
          showProgress(m.steps, m.total, m.stepsPerSecond);
          showPausable(true);
        }
        this.changed(true);
      },
      snapshot: (m) => {
        const weights = page.state.average ? m.averaged : m.latest;
        page.plane.snapshot = { run: m.run, steps: m.steps, hidden: m.hidden, weights, averaged: m.averaged, latest: m.latest };
        if (m.checkpoint) {
          queueCheckpoint(page.plane.metrics, { run: m.run, steps: m.steps, hidden: m.hidden, averaged: m.averaged, latest: m.latest, target: page.plane.run.target });
        }
        this.scheduler.update();
        this.changed();
      },
      finished: () => {
        page.plane.run.status = 'finished';
        if (this.runs.lane === 'plane') showPausable(false);
        this.scheduler.update();
        this.changed();
      },
      diverged: (m) => {
        page.plane.run.status = 'diverged';
        if (this.runs.lane === 'plane') showPausable(false);
        page.plane.error = `The plane network stopped training: ${m.message}. Lower the learning rate in Settings, or press Retrain.`;
        this.changed();
      },
      rejected: (m) => {
        page.plane.run.status = 'error';
        page.plane.error = `The plane network could not start: ${m.message}`;
        this.changed();
      },
    };
  }
}
