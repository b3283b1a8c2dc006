// The page's side of the engine worker: starts it, forwards commands, and hands its messages to the
// page, dropping any that belong to a run the page has replaced. A worker that fails to load, throws,
// panics or loses its GPU is reported once, as failed; the page then replaces it.

export class EngineClient {
  /**
   * handlers: ready({ kind, label, software, note }), progress(m), snapshot(m), finished(m),
   * diverged(m), rejected(m), failed(message, kind). `forceCpu` skips WebGPU; `step` ('auto',
   * 'fused' or 'generic') chooses how a GPU computes a training step.
   */
  constructor(handlers, { forceCpu = false, step = 'auto' } = {}) {
    this.handlers = handlers;
    this.run = null;
    const url = new URL('./workers/engine.js', import.meta.url);
    if (forceCpu) url.searchParams.set('cpu', '');
    if (step !== 'auto') url.searchParams.set('step', step);
    this.worker = new Worker(url, { type: 'module' });
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
    } else if (m.type === 'failed' && (m.run === null || m.run === this.run)) this.fail(m.message);
    else if (m.run === this.run && this.handlers[m.type]) this.handlers[m.type](m);
  }

  /** Run `run` on the target `target` (link text), or, given `pairs` ({ x0, x1 }), a reflow round. */
  start(run, settings, { target = '', pairs = null } = {}) {
    this.run = run;
    this.worker.postMessage({ type: 'start', run, settings, target, pairs });
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
