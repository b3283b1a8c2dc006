// The article's run: the network every figure of chapters one to three draws. Starting it resets what
// belonged to the previous run; its messages (from the run controller, for this run only) become
// `page.run` (losses, progress), `page.snapshot` (the latest weights, as a CPU field) and the
// checkpoints the metrics measure. Which worker jobs follow is the scheduler's business.

import { deriveIntegration } from './derived.js';
import { emptySampling } from './scheduler.js';
import { trainSettings } from './state.js';
import { showMessage, showPath, showPaused, showProgress, showStatus } from './status-bar.js';


/** Checkpoints waiting to be measured, at most this many: the figure worker takes about half a
 * second a checkpoint, and the fused CPU step trains the 500 steps between two in a fifth of that. */
const MAX_PENDING = 8;

/** Queues a checkpoint for the metrics. When the training outruns the measuring, every other
 * waiting one is dropped (never the oldest, which may be measuring now, nor the newest): the chart
 * stays live and spread over the whole run, and the backlog of networks does not grow with it. */
export function queueCheckpoint(metrics, checkpoint) {
  metrics.pending.push(checkpoint);
  if (metrics.pending.length > MAX_PENDING) {
    const last = metrics.pending.length - 1;
    metrics.pending = metrics.pending.filter((_, i) => i === 0 || i === last || i % 2 === 0);
  }
}

export class ArticleRun {
  /** { page, runs (the controller), scheduler, view, reflow } */
  constructor(parts) {
    Object.assign(this, parts);
    this.run = null;
  }

  /** Trains a fresh network with the page's settings on its target, from step 0. */
  start() {
    const { page } = this;
    const settings = trainSettings(page.settings, page.state);
    const target = page.state.target;
    this.onStart?.();
    this.run = this.runs.start('article', { settings, target }, this.handlers());
    page.run = {
      id: this.run.id,
      status: 'running',
      steps: 0,
      total: settings.steps,
      losses: new Float32Array(0),
      buffer: new Float32Array(settings.steps),
      stepsPerSecond: 0,
      target,
      coupling: settings.coupling,
      batch: settings.batchSize,
    };
    this.reflow.reset();
    for (const [name, s] of Object.entries(page.samples)) page.samples[name] = emptySampling(s.kept);
    page.metrics = { run: page.run.id, points: [], pending: [] };
    page.snapshot?.field.free();
    page.snapshot = null;
    page.learned = null;
    deriveIntegration(page);
    showStatus('running');
    showPaused(false);
    showProgress(0, settings.steps);
    this.scheduler.forgetRun();
    this.view.invalidate(page.active);
  }

  /** Pause or resume training (the reader's button): the article's run, and chapter four's beside it. */
  togglePause() {
    if (!this.runs.training) return;
    const paused = !this.runs.paused;
    this.runs.setPaused(paused);
    showPaused(paused);
  }

  handlers() {
    const { page, view, scheduler, runs } = this;
    return {
      progress(m) {
        const run = page.run;
        run.engineMemory = m.memory;
        run.buffer.set(m.losses, m.steps - m.losses.length);
        run.steps = m.steps;
        run.losses = run.buffer.subarray(0, m.steps);
        run.stepsPerSecond = m.stepsPerSecond;
        run.path = m.path;
        // The bar shows the run of the chapter on screen.
        if (runs.lane === 'line') {
          showPath(m.path);
          showProgress(m.steps, m.total, m.stepsPerSecond);
        }
        view.invalidateWhere('progress');
      },
      snapshot: (m) => {
        page.snapshot?.field.free();
        // The figures use the network the settings chose; the metrics measure both.
        const weights = page.state.average ? m.averaged : m.latest;
        page.snapshot = { run: m.run, steps: m.steps, hidden: m.hidden, weights, field: new page.math.LearnedField(m.hidden, weights) };
        if (m.checkpoint) queueCheckpoint(page.metrics, { run: m.run, steps: m.steps, hidden: m.hidden, averaged: m.averaged, latest: m.latest });
        deriveIntegration(page);
        view.invalidateWhere('integration');
        scheduler.update();
      },
      finished: () => {
        page.run.status = 'finished';
        showStatus('finished');
        scheduler.update();
        this.reflow.baseFinished(page.snapshot);
      },
      diverged(m) {
        page.run.status = 'diverged';
        showStatus('diverged');
        showMessage(`Training stopped: ${m.message}. The learning rate is probably too large: open Settings and press "Tutorial settings", or lower it and Apply.`);
      },
      rejected(m) {
        page.run.status = 'error';
        showStatus('error');
        showMessage(`Not started: ${m.message}`);
      },
    };
  }
}
