// Runs training in small chunks between animation frames so the page stays responsive.
// Each run holds a token; starting a new run replaces the token, and a stale loop notices and stops.

const READ_EVERY_MS = 100; // how often losses are read back (each read waits for the device)
const CPU_BUDGET_MS = 12; // CPU time per frame spent training, leaving the rest for drawing

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

export class Player {
  /**
   * callbacks: onProgress({ steps, total, losses, stepsPerSecond }), onFinished(), onDiverged(message),
   * onError(error). `losses` is the full list so far (a growing array).
   */
  constructor(engine, kind, callbacks) {
    this.engine = engine;
    this.kind = kind;
    this.callbacks = callbacks;
    this.token = null;
    this.paused = false;
    this.losses = [];
  }

  /**
   * Starts a fresh run and returns the engine's number for it; throws (leaving the current run alone)
   * if the engine refuses the settings.
   */
  start(settings) {
    const generation = this.engine.startTraining(settings);
    const token = {};
    this.token = token;
    this.losses = [];
    this.total = settings.steps;
    this.paused = false;
    this.loop(token);
    return generation;
  }

  stop() {
    this.token = null;
  }

  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
  }

  async loop(token) {
    // Timestamps of recent progress, to report steps per second over the last couple of seconds.
    const recent = [];
    let chunk = this.kind === 'cpu' ? 4 : 20;
    try {
      while (this.token === token) {
        if (this.paused) {
          await nextFrame();
          continue;
        }
        const started = performance.now();
        let ran = 0;
        do {
          const k = this.engine.trainSteps(chunk);
          ran += k;
          if (k === 0) break;
        } while (this.kind === 'cpu' && performance.now() - started < CPU_BUDGET_MS);
        const result = await this.engine.readLosses();
        if (this.token !== token || result.stale) return;
        for (const l of result.losses) this.losses.push(l);
        const now = performance.now();
        recent.push([now, result.steps]);
        while (recent.length > 2 && now - recent[0][0] > 2000) recent.shift();
        const [t0, s0] = recent[0];
        const stepsPerSecond = now > t0 ? ((result.steps - s0) * 1000) / (now - t0) : 0;
        if (this.kind !== 'cpu') {
          // GPU steps are only queued above; the read is where they run. Size the next chunk so a
          // read comes about every READ_EVERY_MS.
          const elapsed = now - started;
          chunk = Math.max(1, Math.min(200, Math.round(chunk * (elapsed > 0 ? READ_EVERY_MS / elapsed : 2))));
        }
        if (result.diverged) {
          this.token = null;
          this.callbacks.onProgress({ steps: result.steps, total: result.total, losses: this.losses, stepsPerSecond: 0 });
          this.callbacks.onDiverged(result.diverged);
          return;
        }
        await this.callbacks.onProgress({ steps: result.steps, total: result.total, losses: this.losses, stepsPerSecond });
        if (this.token !== token) return;
        if (ran === 0 || result.steps >= result.total) {
          this.token = null;
          this.callbacks.onFinished();
          return;
        }
        await nextFrame();
      }
    } catch (error) {
      if (this.token === token) {
        this.token = null;
        this.callbacks.onError(error);
      }
    }
  }
}
