// Large sampling jobs (many noise points through many Euler steps on the training device), run in
// small chunks so the page never freezes. One job at a time; a job started for an older network
// (before a Retrain) is abandoned.

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

// Work budgets in sample-steps (samples × Euler steps) for one figure, so that each heavy figure takes
// a few seconds: the CPU backend does about 600k sample-steps a second in the page, SwiftShader
// (software WebGPU) about 30k. A hardware GPU always gets the tutorial's 100,000 samples.
const BUDGET = { cpu: 5_000_000, software: 100_000 };
const MOST = 100_000;
const FEWEST = 2_000;

/** How many samples a figure with `steps` Euler steps uses on this backend; captions say the count. */
export function sampleCount(backend, steps) {
  if (backend.kind === 'webgpu' && !backend.software) return MOST;
  const budget = backend.kind === 'webgpu' ? BUDGET.software : BUDGET.cpu;
  return Math.max(FEWEST, Math.min(MOST, Math.floor(budget / steps / 1000) * 1000));
}

export class Sampler {
  constructor(engine) {
    this.engine = engine;
    this.busy = false;
    this.epoch = 0;
  }

  /** Abandons any job in progress (its result is dropped). */
  cancel() {
    this.epoch++;
  }

  /**
   * job: { n, steps, seed, density?: { lo, hi, bins } }. Resolves to the engine's result, or null if
   * cancelled. `onProgress(fraction)` is called after every chunk.
   */
  async run(job, onProgress) {
    if (this.busy) return null;
    this.busy = true;
    const epoch = this.epoch;
    try {
      const d = job.density || { lo: 0, hi: 0, bins: 0 };
      this.engine.startSampling(job.n, job.steps, job.seed, d.lo, d.hi, d.bins);
      // Aim for chunks of roughly 40 ms; start with one step and adapt.
      let chunk = 1;
      let done = 0;
      while (done < job.steps) {
        const started = performance.now();
        done = await this.engine.advanceSampling(chunk);
        if (epoch !== this.epoch) return null;
        onProgress(done / job.steps);
        const elapsed = performance.now() - started;
        chunk = Math.max(1, Math.min(50, Math.round(chunk * Math.min(2, 40 / Math.max(elapsed, 1)))));
        await nextFrame();
      }
      const result = await this.engine.samplingResult();
      return epoch === this.epoch ? result : null;
    } catch (error) {
      // A retrain cancels the job before the engine reports the run it belonged to as stale.
      if (epoch !== this.epoch) return null;
      throw error;
    } finally {
      this.busy = false;
    }
  }
}
