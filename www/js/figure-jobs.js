// The page's side of the figure worker: submits jobs, follows their progress, re-ranks them when the
// reader moves on, and cancels the ones nobody needs any more.

import { compiledMath } from './math.js';

const URGENT = 0; // the figure on screen
export const BACKGROUND = 2; // figures the reader may scroll to later

export class FigureJobs {
  constructor() {
    this.worker = new Worker(new URL('./workers/figures.js', import.meta.url), { type: 'module' });
    // First message: the math module, compiled on the main thread (not fetched twice).
    this.worker.postMessage({ type: 'init', module: compiledMath() });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      for (const job of this.jobs.values()) job.fail(event.message || 'the figure worker stopped');
      this.jobs.clear();
    };
    this.jobs = new Map();
    this.next = 1;
  }

  /**
   * Submits a job; returns { id, result } where `result` resolves to the worker's answer, or to null
   * if the job is cancelled. `onProgress(fraction, partial)` follows it.
   */
  submit(kind, params, { urgent = false, onProgress = () => {} } = {}) {
    const id = this.next++;
    const result = new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, fail: (message) => reject(new Error(message)), onProgress });
    });
    this.worker.postMessage({ type: 'job', id, kind, params, priority: urgent ? URGENT : BACKGROUND });
    return { id, result };
  }

  receive({ type, id, fraction, partial, result, message }) {
    const job = this.jobs.get(id);
    if (!job) return;
    if (type === 'progress') job.onProgress(fraction, partial);
    else {
      this.jobs.delete(id);
      if (type === 'done') job.resolve(result);
      else job.fail(message);
    }
  }

  rank(id, urgent) {
    if (this.jobs.has(id)) this.worker.postMessage({ type: 'priority', id, priority: urgent ? URGENT : BACKGROUND });
  }

  cancel(id) {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    this.worker.postMessage({ type: 'cancel', id });
    job.resolve(null);
  }
}
