// The engine worker's side of the pairing workers (pairs.js): for an OT run in the plane it starts
// the run's pair stream there (several workers, where the machine has cores to spare, each pairing
// every n-th batch), feeds the batches they post to the run's engine in the stream's order, gives
// each worker room for as many batches as the steps take of its, and, if a worker fails, lets the
// engine pair its batches itself from where the fed ones stop (the same run either way:
// flow-core's PairSupply).

const AHEAD = 32; // batches paired ahead of the steps, all workers together: 32 × 8 KB

/** One core trains, one draws the page and the figures; the rest may pair, up to three. */
const SPARE_CORES = Math.max(1, Math.min(3, (self.navigator?.hardwareConcurrency || 2) - 2));

export class PairFeed {
  /**
   * `count`: how many pairing workers (default: the spare cores, 1 to 3); `spawn()` starts one
   * (tests hand in their own).
   */
  constructor(mathModule, count = SPARE_CORES, spawn = () => new Worker(new URL('./pairs.js', import.meta.url), { type: 'module' })) {
    this.mathModule = mathModule;
    this.count = count;
    this.spawn = spawn;
    this.workers = null;
    this.broken = false;
    this.job = null; // { engine, token, wake, next, early: Map index → numbers }
    this.tokens = 0;
  }

  /** The pairing workers, started on first use; null where they cannot run. */
  pairingWorkers() {
    if (this.workers || this.broken) return this.workers;
    try {
      this.workers = Array.from({ length: this.count }, () => {
        const worker = this.spawn();
        worker.postMessage({ type: 'init', module: this.mathModule });
        worker.onmessage = ({ data }) => this.receive(data);
        worker.onerror = (event) => {
          event.preventDefault();
          this.fail(event.message || 'it stopped');
        };
        return worker;
      });
    } catch (e) {
      this.fail(`it could not start (${e.message || e})`);
    }
    return this.workers;
  }

  /**
   * Feeds the run `engine` just started its pairs from the pairing workers, where the run has OT
   * pairs and the workers can run; returns whether it does. `wake()` is called when pairs arrive.
   */
  attach(engine, settings, target, wake) {
    this.detach(engine);
    if (!engine.pairsFromOutside()) return false; // not an OT run in the plane
    const workers = this.pairingWorkers();
    if (!workers) {
      engine.pairInline();
      return false;
    }
    const token = ++this.tokens;
    this.job = { engine, token, wake, next: 0, early: new Map() };
    const credit = Math.ceil(AHEAD / workers.length);
    workers.forEach((worker, first) => worker.postMessage({ type: 'start', token, settings, target, first, every: workers.length, credit }));
    return true;
  }

  /** Whether `engine`'s run takes its pairs from the workers now. */
  feeds(engine) {
    return this.job?.engine === engine;
  }

  /** `engine`'s run took `k` more batches, up to batch `taken` − 1: their workers get room for as many. */
  consumed(engine, k, taken) {
    const job = this.job;
    if (job?.engine !== engine || k <= 0) return;
    const n = this.workers.length;
    const room = new Array(n).fill(0);
    for (let index = taken - k; index < taken; index++) room[index % n] += 1;
    room.forEach((batches, w) => batches && this.workers[w].postMessage({ type: 'credit', token: job.token, batches }));
  }

  /** `engine`'s run no longer takes pairs (it ended, or another replaces it). */
  detach(engine) {
    if (this.job?.engine !== engine) return;
    this.job = null;
    for (const worker of this.workers || []) worker.postMessage({ type: 'stop' });
  }

  receive(m) {
    const job = this.job;
    if (m.type === 'failed') {
      if (m.token === null || m.token === job?.token) this.fail(m.message);
      return;
    }
    if (m.type !== 'pairs' || !job || m.token !== job.token) return;
    // Workers finish out of order: hand the engine the stream's batches in order.
    job.early.set(m.index, m.numbers);
    let fed = false;
    while (job.early.has(job.next)) {
      const numbers = job.early.get(job.next);
      job.early.delete(job.next);
      try {
        job.engine.feedPairs(numbers);
      } catch (e) {
        this.fail(String(e.message || e));
        return;
      }
      job.next += 1;
      fed = true;
    }
    if (fed) job.wake();
  }

  /** The workers are gone for good: the fed run goes on pairing its batches itself. */
  fail(message) {
    console.warn(`A pairing worker failed (${message}); training pairs its batches itself.`);
    this.broken = true;
    for (const worker of this.workers || []) worker.terminate();
    this.workers = null;
    const job = this.job;
    this.job = null;
    if (job) {
      job.engine.pairInline();
      job.wake();
    }
  }
}
