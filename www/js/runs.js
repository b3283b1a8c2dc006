// The one run controller. It owns the engine worker (through its client), the only run counter, and
// every run the engine trains: the article's and its reflow rounds on the line, chapter four's and
// its rounds in the plane. Each lane ('line', 'plane') has one current run; starting a run replaces
// its lane's. Only the lane in focus trains (the chapter on screen: `focus`); the other waits with
// its run kept. A message is handed to the handlers of the run it belongs to, and only while that
// run is its lane's current one: staleness is decided here and nowhere else in the page. The
// controller also pauses and resumes (the reader's Pause, and a tab hidden for a while) and replaces
// a failed engine with a fresh one on the CPU.

import { EngineClient } from './engine-client.js';

const MAX_RECOVERIES = 3; // engine restarts allowed within RECOVERY_WINDOW_MS before giving up
const RECOVERY_WINDOW_MS = 60_000;
const HIDDEN_GRACE_MS = 10_000; // a tab hidden this long stops training until it is shown again

export class RunController {
  /**
   * step: how a GPU computes a step ('auto', 'fused', 'generic'); ready(info): the engine said which
   * backend it runs on; recovered(message, lostGpu): a failed engine was replaced (or, given
   * `gaveUp`, was not); the run to train again is the caller's to start.
   */
  constructor({ step = 'auto', ready, recovered, client = (handlers, options) => new EngineClient(handlers, options) }) {
    Object.assign(this, { ready, recovered, client });
    this.counter = 0;
    this.currents = { line: null, plane: null }; // lane → { id, kind, lane, spec, handlers, ended }
    this.lane = 'line'; // the lane in focus
    this.readerPaused = false;
    this.hiddenPaused = false;
    this.recoveries = [];
    this.engine = this.client(this.route(), { step });
    this.hiddenTimer = null;
    document.addEventListener('visibilitychange', () => this.onVisibility());
  }

  /** The engine's messages, by type, to the current run's handlers (or to the controller itself). */
  route() {
    return {
      ready: (m) => this.ready(m),
      failed: (detail, kind) => this.failed(detail, kind),
      message: (m) => {
        const run = this.currents[m.lane || 'line'];
        if (!run || m.run !== run.id) return; // an earlier run's: it no longer counts
        if (['finished', 'diverged', 'rejected'].includes(m.type)) run.ended = true;
        run.handlers[m.type]?.(m, run);
      },
    };
  }

  /**
   * Starts a run of `kind` ('article', 'reflow', 'plane', …) in lane `spec.lane` (default 'line') with
   * `spec` ({ settings, target, plane? } or, for a reflow round, { settings, reflow: { seed } });
   * `handlers` get its progress, snapshot, finished, diverged and rejected messages. Returns the run
   * ({ id, kind, lane, spec }).
   */
  start(kind, spec, handlers) {
    const lane = spec.lane || 'line';
    const run = { id: ++this.counter, kind, lane, spec, handlers, ended: false };
    this.currents[lane] = run;
    this.readerPaused = false;
    this.engine.start(run.id, { ...spec, lane });
    // A new run starts unpaused in the engine; a tab still hidden holds it at once.
    this.engineHeld = false;
    this.sync();
    return run;
  }

  /** Whether `run` is its lane's current one (training, waiting, or the last trained). */
  isCurrent(run) {
    return Boolean(run) && this.currents[run.lane] === run;
  }

  /** The current run of `lane`, or null. */
  current(lane = 'line') {
    return this.currents[lane];
  }

  /** Whether a run still has steps to train (in any lane). */
  get training() {
    return Object.values(this.currents).some((r) => r && !r.ended);
  }

  /** Which lane trains now: the chapter on screen's. The other lane's run waits where it is. */
  focus(lane) {
    if (lane === this.lane) return;
    this.lane = lane;
    this.engine.focus(lane);
  }

  /** The reader's Pause and Resume. */
  setPaused(paused) {
    this.readerPaused = paused;
    this.sync();
  }

  get paused() {
    return this.readerPaused;
  }

  /** The engine runs only while nobody holds it back. */
  sync() {
    const hold = this.readerPaused || this.hiddenPaused;
    if (hold === this.engineHeld) return;
    this.engineHeld = hold;
    if (hold) this.engine.pause();
    else this.engine.resume();
  }

  onVisibility() {
    clearTimeout(this.hiddenTimer);
    if (document.hidden) {
      // Drawing stops by itself (no animation frames in a hidden tab); training stops after a while.
      this.hiddenTimer = setTimeout(() => {
        if (!this.training) return;
        this.hiddenPaused = true;
        document.body.dataset.hiddenPause = 'true';
        this.sync();
      }, HIDDEN_GRACE_MS);
    } else if (this.hiddenPaused) {
      this.hiddenPaused = false;
      delete document.body.dataset.hiddenPause;
      this.sync();
    }
  }

  /**
   * The worker is gone (a panic, a lost GPU, a crash): start a fresh one on the CPU, unless it keeps
   * failing. Which run trains again is the caller's choice (`recovered`).
   */
  failed(detail, kind) {
    console.warn('the engine failed:', detail);
    const first = String(detail).split('\n')[0];
    const message = first.length > 160 ? `${first.slice(0, 160)}…` : first;
    const now = performance.now();
    this.recoveries = this.recoveries.filter((t) => now - t < RECOVERY_WINDOW_MS);
    const lost = Object.values(this.currents).filter(Boolean);
    this.currents = { line: null, plane: null };
    if (this.recoveries.length >= MAX_RECOVERIES) {
      this.recovered({ message, lostGpu: kind === 'webgpu', gaveUp: true, lost });
      return;
    }
    this.recoveries.push(now);
    this.engineHeld = false;
    this.engine = this.client(this.route(), { forceCpu: true });
    if (this.lane !== 'line') this.engine.focus(this.lane);
    this.recovered({ message, lostGpu: kind === 'webgpu', gaveUp: false, lost });
  }

  /** Tests only: makes the engine panic. */
  panic() {
    this.engine.panic();
  }
}
