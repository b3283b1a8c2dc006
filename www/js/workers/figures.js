// The figure worker: everything heavy that a figure needs, computed with the small math module, off
// the main thread. Jobs run a slice at a time, most urgent first (the figure on screen), so a new
// job for the figure the reader is looking at never waits behind one for a figure they have left.
//
// Kinds: referencePaths, binnedField, couplings (fixed figures), learnedField, sample, metrics, sweep,
// reflowPairs, rectified. Every job that depends on the target carries its link text (p.target).
// Page → worker: { type: 'job', id, kind, params, priority } · { type: 'priority', id, priority }
//                { type: 'cancel', id }
// Worker → page: { type: 'progress', id, fraction, partial? } · { type: 'done', id, result }
//                { type: 'failed', id, message }
// Lower priority numbers run first; equal priorities run in arrival order.

import init, * as math from '../../pkg/flow_web_math.js';
import { yieldToMessages } from './yield.js';

const SLICE_MS = 25; // longest stretch of work between two looks at the message queue

/** Each kind makes a task: { step(budgetMs) → { done, fraction, result?, partial? }, free() }. */
const KINDS = {
  referencePaths(p) {
    return once(() => {
      const r = math.referencePaths(p.target, p.coupling, p.batch, p.n, p.steps, p.lo, p.hi, p.bins, p.histBins, p.examples, p.seed);
      return { starts: r.exampleStarts, ends: r.exampleEnds, density: r.density, noiseHist: r.noiseHistogram, targetHist: r.targetHistogram };
    });
  },

  binnedField(p) {
    return once(() => {
      const r = math.binnedField(p.target, p.coupling, p.batch, p.n, p.times, p.lo, p.hi, p.bins, p.wideLo, p.wideHi, p.starts, p.seed);
      return { grid: r.field, lines: r.lines, noiseHist: r.noiseHistogram, targetHist: r.targetHistogram };
    });
  },

  // Figure 15's fixed part: example pairs under both couplings (the same draws), the monotone map,
  // and the OT loss floor against batch size.
  couplings(p) {
    return once(() => {
      const pairs = Object.fromEntries(['independent', 'ot'].map((c) => [c, math.couplingPairs(p.target, c, p.examples, p.seed)]));
      const mapXs = Float64Array.from({ length: p.mapPoints }, (_, i) => p.lo + ((p.hi - p.lo) * i) / (p.mapPoints - 1));
      return {
        pairs,
        mapXs,
        map: math.monotoneMap(p.target, mapXs),
        batchSizes: Float64Array.from(p.batchSizes),
        otFloors: math.otLossFloors(p.target, Uint32Array.from(p.batchSizes), p.floorPairs, p.seed),
        independentFloor: math.lossFloor(p.target),
      };
    });
  },

  // Reflow's training data: noise and where a network's flow carries it.
  reflowPairs(p) {
    return onNetwork(p, (field) => field.reflowPairs(p.n, p.steps, p.seed));
  },

  // How straight a network's flow is, what one and two Euler steps sample, and a few of its paths.
  rectified(p) {
    return onNetwork(p, (field) => ({
      straightness: field.straightness(p.n, p.straightSteps),
      w1: Float64Array.from(p.eulerSteps, (k) => field.eulerW1(p.target, k, p.n)),
      lines: field.paths(Float64Array.from(p.starts), p.lineSteps, 'rk4'),
      oneStep: field.paths(Float64Array.from(p.starts), 1, 'euler'),
    }));
  },

  learnedField(p) {
    return onNetwork(p, (field) => ({
      grid: field.grid(p.times, p.lo, p.hi, p.bins),
      lines: field.paths(Float64Array.from(p.starts), p.lineSteps, p.solver),
    }));
  },

  sample(p) {
    const field = new math.LearnedField(p.hidden, p.weights);
    const d = p.density || { lo: 0, hi: 0, bins: 0 };
    const job = new math.SamplingJob(field, p.target, p.n, p.steps, p.seed, d.lo, d.hi, d.bins, p.solver);
    field.free();
    const pace = pacer();
    let first = true;
    return {
      step(budget) {
        const done = pace(budget, (k) => job.advance(k));
        const partial = first ? { noiseHist: job.histograms(p.hist.lo, p.hist.hi, p.hist.bins).noise } : undefined;
        first = false;
        if (done < p.steps) return { done: false, fraction: done / p.steps, partial };
        const h = job.histograms(p.hist.lo, p.hist.hi, p.hist.bins);
        const { w1, ks } = job.distances();
        const result = { count: p.n, noiseHist: h.noise, sampleHist: h.samples, w1, ks };
        if (p.density) result.density = job.density();
        return { done: true, fraction: 1, result };
      },
      free: () => job.free(),
    };
  },

  // The metrics of one checkpoint: both networks (the weight average and the last iterate).
  metrics(p) {
    const jobs = ['averaged', 'latest'].map((key) => {
      const field = new math.LearnedField(p.hidden, p[key]);
      const job = new math.MetricsJob(field, p.target, p.seed);
      field.free();
      return [key, job];
    });
    const pace = pacer();
    let i = 0;
    const result = {};
    return {
      step(budget) {
        const [key, job] = jobs[i];
        const fraction = pace(budget, (k) => job.advance(k));
        if (fraction >= 1) {
          result[key] = job.result();
          i++;
        }
        if (i < jobs.length) return { done: false, fraction: (i + Math.min(fraction, 0.999)) / jobs.length };
        return { done: true, fraction: 1, result };
      },
      free: () => jobs.forEach(([, job]) => job.free()),
    };
  },

  // W₁ against field evaluations for every solver, on a snapshot or (p.exact) on the exact field.
  sweep(p) {
    let job;
    if (p.exact) job = math.SweepJob.forExactField(p.target, p.n);
    else {
      const field = new math.LearnedField(p.hidden, p.weights);
      job = math.SweepJob.forNetwork(field, p.target, p.n);
      field.free();
    }
    const pace = pacer();
    return {
      step(budget) {
        const fraction = pace(budget, (k) => job.advance(k));
        if (fraction < 1) return { done: false, fraction };
        const result = job.points();
        if (p.exact) result.noiseFloor = math.samplingNoiseFloor(p.target, p.noiseFloorSamples, 5);
        return { done: true, fraction: 1, result };
      },
      free: () => job.free(),
    };
  },
};

/**
 * Sizes work to a time budget: `pace(budget, work)` calls `work(k)` with as many units as fit in
 * `budget` ms at the speed measured so far (one unit the first time) and returns what `work` returns.
 */
function pacer() {
  let unitsPerMs = 0;
  return (budget, work) => {
    const started = performance.now();
    const k = unitsPerMs > 0 ? Math.max(1, Math.floor(unitsPerMs * budget)) : 1;
    const out = work(k);
    unitsPerMs = k / Math.max(performance.now() - started, 0.5);
    return out;
  };
}

/** A task done at once on the network of a snapshot (p.hidden, p.weights), freed after. */
function onNetwork(p, compute) {
  return once(() => {
    const field = new math.LearnedField(p.hidden, p.weights);
    try {
      return compute(field);
    } finally {
      field.free();
    }
  });
}

function once(compute) {
  return { step: () => ({ done: true, fraction: 1, result: compute() }), free() {} };
}

/** Typed arrays inside a result, to transfer rather than copy. */
function buffers(value) {
  if (ArrayBuffer.isView(value)) return [value.buffer];
  if (value && typeof value === 'object') return Object.values(value).flatMap(buffers);
  return [];
}

const queue = []; // { id, priority, order, task }
let order = 0;
let running = false;

function enqueue({ id, kind, params, priority }) {
  let task;
  try {
    task = KINDS[kind](params);
  } catch (e) {
    self.postMessage({ type: 'failed', id, message: String(e.message || e) });
    return;
  }
  queue.push({ id, priority, order: order++, task });
  if (!running) run();
}

function remove(id) {
  const i = queue.findIndex((j) => j.id === id);
  if (i >= 0) queue.splice(i, 1)[0].task.free();
}

async function run() {
  running = true;
  while (queue.length) {
    queue.sort((a, b) => a.priority - b.priority || a.order - b.order);
    const job = queue[0];
    try {
      const out = job.task.step(SLICE_MS);
      if (out.done) {
        remove(job.id);
        self.postMessage({ type: 'done', id: job.id, result: out.result }, [...new Set(buffers(out.result))]);
      } else {
        self.postMessage({ type: 'progress', id: job.id, fraction: out.fraction, partial: out.partial });
      }
    } catch (e) {
      remove(job.id);
      self.postMessage({ type: 'failed', id: job.id, message: String(e.message || e) });
    }
    await yieldToMessages();
  }
  running = false;
}

const pending = [];
let ready = false;

function handle(message) {
  if (message.type === 'job') enqueue(message);
  else if (message.type === 'cancel') remove(message.id);
  else if (message.type === 'priority') {
    const job = queue.find((j) => j.id === message.id);
    if (job) job.priority = message.priority;
  }
}

self.onmessage = ({ data }) => (ready ? handle(data) : pending.push(data));

init().then(() => {
  ready = true;
  for (const message of pending.splice(0)) handle(message);
});
