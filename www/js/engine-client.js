// The page's side of the engine worker: starts it, forwards commands, and hands every message to the
// run controller (runs.js), which alone decides which run a message still counts for. A worker that
// fails to load, throws, panics or loses its GPU is reported once, as failed; the controller then
// replaces it.

import { compiledMath } from './math.js';

export class EngineClient {
  /**
   * handlers: ready({ kind, label, software, note }), message(m) for every message of a run, and
   * failed(message, kind). `forceCpu` skips WebGPU; `step` ('auto', 'fused' or 'generic') chooses
   * how a GPU computes a training step.
   */
  constructor(handlers, { forceCpu = false, step = 'auto' } = {}) {
    this.handlers = handlers;
    const url = new URL('./workers/engine.js', import.meta.url);
    if (forceCpu) url.searchParams.set('cpu', '');
    if (step !== 'auto') url.searchParams.set('step', step);
    // The page's ?inlinePairs (a benchmark's baseline: no pairing worker for OT runs) and
    // ?pairingWorkers=n (tests: that many) go to the worker.
    const query = new URLSearchParams(self.location.search);
    if (query.has('inlinePairs')) url.searchParams.set('inlinePairs', '');
    if (query.has('pairingWorkers')) url.searchParams.set('pairingWorkers', query.get('pairingWorkers'));
    this.worker = new Worker(url, { type: 'module' });
    // First message: the math module compiled on the main thread, which the CPU engine is part of.
    this.worker.postMessage({ type: 'init', mathModule: compiledMath() });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message || 'the engine worker stopped');
    };
    this.dead = false;
  }

  fail(message) {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
    this.handlers.failed(message, this.kind);
  }

  receive(m) {
    if (this.dead) return;
    if (m.type === 'ready') {
      this.kind = m.kind;
      this.handlers.ready(m);
    } else if (m.type === 'failed') this.fail(m.message);
    else this.handlers.message(m);
  }

  /**
   * Starts run number `run`: `spec` is { lane, settings, target, plane, checkpoint } (lane: 'line' or
   * 'plane'; target: link text, "" for the tutorial's, a plane target's where `plane`) or, for a
   * reflow round, { lane, settings, reflow: { seed } }: the lane's engine draws the round's pairs
   * from the network of the run it finished last.
   */
  start(run, { lane = 'line', settings, target = '', plane = false, reflow = null, checkpoint = 0 }) {
    this.worker.postMessage({ type: 'start', lane, run, settings, target, plane, reflow, checkpoint });
  }

  /** Which lane steps: the other one's run waits. */
  focus(lane) {
    this.worker.postMessage({ type: 'focus', lane });
  }

  pause() {
    this.worker.postMessage({ type: 'pause' });
  }

  resume() {
    this.worker.postMessage({ type: 'resume' });
  }

  /** Tests only: makes the engine panic. */
  panic() {
    this.worker.postMessage({ type: 'panic' });
  }
}
