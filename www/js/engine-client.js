// The page's side of the engine worker: starts it, forwards commands, and hands its messages to the
// page, dropping any that belong to a run the page has replaced. A worker that fails to load or
// throws is reported like a failed run, so the page can start a fresh one.

export class EngineClient {
  /**
   * handlers: ready({ kind, label, software, note }), progress(m), snapshot(m), finished(m),
   * diverged(m), rejected(m), failed(message). `forceCpu` skips WebGPU.
   */
  constructor(handlers, { forceCpu = false } = {}) {
    this.handlers = handlers;
    this.run = null;
    const url = new URL('./workers/engine.js', import.meta.url);
    if (forceCpu) url.searchParams.set('cpu', '');
    this.worker = new Worker(url, { type: 'module' });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      handlers.failed(event.message || 'the engine worker stopped');
    };
  }

  receive(m) {
    if (m.type === 'ready') this.handlers.ready(m);
    else if (m.type === 'failed' && (m.run === null || m.run === this.run)) this.handlers.failed(m.message);
    else if (m.run === this.run && this.handlers[m.type]) this.handlers[m.type](m);
  }

  start(run, settings) {
    this.run = run;
    this.worker.postMessage({ type: 'start', run, settings });
  }

  pause() {
    this.worker.postMessage({ type: 'pause' });
  }

  resume() {
    this.worker.postMessage({ type: 'resume' });
  }

  terminate() {
    this.worker.terminate();
  }
}
