// The engine worker: picks WebGPU or the CPU, loads the one module that trains there (backend.js:
// burn on WebGPU, the math module's fused CPU step otherwise), and trains the run the page asks
// for, at full speed, between messages. Both engines have the same methods. It posts small things only: progress with the new
// losses, and weight snapshots of both networks (the weight average and the last iterate): about
// once a second for the figures, and at every CHECKPOINT steps (flagged) for the metrics chart.
//
// Worker URL: ?cpu (skip WebGPU) · ?step=fused|generic (how a step is computed; default: fused,
//             where it runs; generic is burn's autodiff step, on the CPU too) · ?inlinePairs (no
//             pairing worker: an OT run pairs its batches between its steps) · ?pairingWorkers=1…3
//             (that many pairing workers, whatever the cores)
// Page → worker: { type: 'init', mathModule } first (the page's compiled math module, or null)
//                { type: 'start', lane, run, settings, target, plane, reflow?, checkpoint }
//                { type: 'pause' } · { type: 'resume' } · { type: 'focus', lane }
//                (lane: 'line' or 'plane', each its own run, only the focused one steps; target: the
//                target's link text, "" for the tutorial's, a plane target's where `plane`; reflow:
//                { seed } to train a reflow round on pairs drawn from the network the lane finished
//                last; checkpoint: steps between two flagged snapshots)
//                { type: 'panic' } (tests: a Rust panic on purpose)
// An OT run in the plane has its batches paired ahead by a worker of its own (pairs.js, started
// from here: pair-feed.js), on another core.
// Worker → page: { type: 'ready', kind, label, software, note }
//                (every message of a run carries its lane)
//                { type: 'progress', run, steps, total, losses, stepsPerSecond, memory, path, pairedAhead }
//                (path: 'fused' where our fused step trains (CubeCL kernels on WebGPU, the fused
//                CPU step on the CPU), 'generic' for burn's own step; pairedAhead: an OT run's
//                batches come from the pairing worker)
//                { type: 'snapshot', run, steps, hidden, depth, dimension, averaged, latest, checkpoint }
//                { type: 'finished' | 'diverged' | 'failed' | 'rejected', run, message? }

import { chooseBackend } from './backend.js';
import { PairFeed } from './pair-feed.js';
import { yieldToMessages } from './yield.js';

const REPORT_EVERY_MS = 100; // progress messages, and (GPU) how often the queued steps are read back
const SNAPSHOT_EVERY_MS = 1000; // weight snapshots for the figures while a run trains
const CHECKPOINT = 500; // steps between two snapshots the metrics are measured on
const GPU_MIN_CHUNK = 50; // a read back waits for the GPU: at most one per 50 steps
const GPU_MAX_CHUNK = 500; // within the engine's ring of 1,024 unread losses

// Two lanes, each with its own engine and run: the article's network on the line, and chapter
// four's in the plane. Only the lane in focus (the page says which: the chapter on screen) steps;
// the other keeps its run and waits.
const LANES = ['line', 'plane'];
let engines = null; // lane → engine (the plane's a sibling of the line's, on the same device)
let engine = null; // the line's: what the worker's own checks (backend, panic) ask
let wasmMemory = null;
const current = { line: null, plane: null }; // lane → { lane, run, paused, wake, checkpointEvery }
const pending = []; // messages that arrived before the engine was ready
let pairFeed = null; // an OT run's pairs, computed ahead in workers of their own (pair-feed.js)

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

let held = false; // the reader's Pause (or a hidden tab): no lane steps
let focus = 'line';
const starts = { line: 0, plane: 0 }; // a start superseded by a later one while it awaited the engine does not train

const shouldPause = (lane) => held || lane !== focus;

/** Every lane's run follows the hold and the focus. */
function syncPaused() {
  for (const lane of LANES) {
    const job = current[lane];
    if (!job) continue;
    job.paused = shouldPause(lane);
    if (!job.paused) job.wake?.();
  }
}

async function start({ lane = 'line', run, settings, target, plane, reflow, checkpoint }) {
  // A reflow round's pairs are drawn by the lane's engine from the network it finished last.
  const laneEngine = engines[lane];
  if (current[lane]) current[lane].wake?.();
  current[lane] = null;
  pairFeed?.detach(laneEngine);
  // A start lifts the reader's hold, as the run controller expects (it holds again where it should).
  held = false;
  syncPaused();
  const token = ++starts[lane];
  try {
    if (reflow) await laneEngine.startReflow(run, settings, reflow.seed);
    else if (plane) laneEngine.startPlane(run, settings, target);
    else laneEngine.startTraining(run, settings, target);
  } catch (e) {
    post({ type: 'rejected', lane, run, message: String(e.message || e) });
    return;
  }
  if (token !== starts[lane]) return;
  const job = { lane, run, paused: shouldPause(lane), wake: null, checkpointEvery: checkpoint || CHECKPOINT };
  current[lane] = job;
  // Exact minibatch OT in the plane: the batches are paired ahead on another core.
  if (plane && !reflow) job.fed = pairFeed?.attach(laneEngine, settings, target, () => job.wake?.()) ?? false;
  train(job, laneEngine);
}

async function snapshot(job, laneEngine, steps, checkpoint) {
  const w = await laneEngine.weights();
  if (w.stale || current[job.lane] !== job) return;
  post({ type: 'snapshot', lane: job.lane, run: job.run, steps, hidden: w.hidden, depth: w.depth, dimension: w.dimension, averaged: w.averaged, latest: w.latest, checkpoint }, [w.averaged.buffer, w.latest.buffer]);
}

async function train(job, engine) {
  try {
    await trainSteps(job, engine);
  } finally {
    if (job.fed) pairFeed.detach(engine);
  }
}

async function trainSteps(job, engine) {
  const cpu = engine.backend === 'cpu';
  const live = () => current[job.lane] === job;
  // A GPU's losses come back in one read per chunk: never fewer than GPU_MIN_CHUNK steps a read.
  let chunk = cpu ? 8 : GPU_MIN_CHUNK;
  let lastSnapshot = -Infinity;
  let queued = 0; // steps handed to the engine so far
  let checkpoint = job.checkpointEvery; // the next step count measured for the metrics
  const recent = [];
  try {
    while (live()) {
      if (job.paused) {
        await new Promise((resolve) => (job.wake = resolve));
        job.wake = null;
        continue;
      }
      const started = performance.now();
      let ran = 0;
      do {
        // Never past the next checkpoint, so that its snapshot holds exactly those steps.
        const k = engine.trainSteps(Math.min(chunk, checkpoint - queued));
        ran += k;
        queued += k;
        if (job.fed) pairFeed.consumed(engine, k, queued);
        if (queued >= checkpoint) break;
        if (k === 0) {
          // An OT run whose paired batches are all taken waits for the next (or a pause, or a
          // new start); any other run that runs nothing has ended.
          if (!job.fed || !engine.waitingForPairs()) break;
          await new Promise((resolve) => (job.wake = resolve));
          job.wake = null;
          if (!live() || job.paused) break;
        }
        // The CPU steps until it is time to report; a GPU's steps are only queued here, one chunk
        // a read.
      } while (performance.now() - started < REPORT_EVERY_MS && (cpu || ran === 0));
      if (ran === 0 && job.fed) continue; // paused or replaced while it waited: see above
      const r = await engine.readLosses();
      if (!live() || r.stale) return;
      const now = performance.now();
      if (!cpu) {
        // GPU steps are only queued above; the read is where they run. Size the next chunk so a
        // read comes about every REPORT_EVERY_MS.
        const elapsed = now - started;
        chunk = Math.max(GPU_MIN_CHUNK, Math.min(GPU_MAX_CHUNK, Math.round(chunk * (elapsed > 0 ? REPORT_EVERY_MS / elapsed : 2))));
      }
      recent.push([now, r.steps]);
      while (recent.length > 2 && now - recent[0][0] > 2000) recent.shift();
      const [t0, s0] = recent[0];
      const stepsPerSecond = now > t0 ? ((r.steps - s0) * 1000) / (now - t0) : 0;
      const memory = wasmMemory.buffer.byteLength;
      post({ type: 'progress', lane: job.lane, run: job.run, steps: r.steps, total: r.total, losses: r.losses, stepsPerSecond, memory, path: engine.path, pairedAhead: Boolean(job.fed && pairFeed.feeds(engine)) }, [r.losses.buffer]);
      if (r.diverged) {
        current[job.lane] = null;
        post({ type: 'diverged', lane: job.lane, run: job.run, message: r.diverged });
        return;
      }
      const done = ran === 0 || r.steps >= r.total;
      const measured = r.steps >= checkpoint || done;
      if (r.steps >= checkpoint) checkpoint += job.checkpointEvery;
      if (measured || now - lastSnapshot > SNAPSHOT_EVERY_MS) {
        lastSnapshot = now;
        await snapshot(job, engine, r.steps, measured);
      }
      if (done) {
        if (live()) current[job.lane] = null;
        post({ type: 'finished', lane: job.lane, run: job.run });
        return;
      }
      await yieldToMessages();
    }
  } catch (e) {
    if (live()) current[job.lane] = null;
    post({ type: 'failed', lane: job.lane, run: job.run, message: String(e && e.message ? e.message : e) });
  }
}

function handle(message) {
  switch (message.type) {
    case 'start':
      start(message);
      break;
    case 'pause':
      held = true;
      syncPaused();
      break;
    case 'resume':
      held = false;
      syncPaused();
      break;
    case 'focus':
      focus = LANES.includes(message.lane) ? message.lane : 'line';
      syncPaused();
      break;
    case 'panic':
      engine.forcePanic();
      break;
  }
}

// A wasm panic or a lost GPU leaves this instance unusable: report it once, and let the page replace
// the worker. burn owns its GPUDevice, so its `lost` promise is reached by keeping a handle on every
// device requested after the probe (tests also destroy it from here to simulate a lost GPU).
let broken = false;
function fail(message) {
  if (broken) return;
  broken = true;
  current.line = current.plane = null;
  post({ type: 'failed', run: null, message });
}
self.addEventListener('error', (event) => fail(event.message || 'the engine stopped'));
self.addEventListener('unhandledrejection', (event) => fail(String(event.reason?.message || event.reason)));

function watchDevices() {
  self.__engineDevices = [];
  if (!self.GPUAdapter) return;
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await request.apply(this, args);
    self.__engineDevices.push(device);
    device.lost.then((info) => {
      if (engine && device === self.__engineDevices.at(-1)) fail(`the GPU device was lost (${info.message || info.reason})`);
    });
    return device;
  };
}

// The page's first message hands over the math module it compiled ({ type: 'init', mathModule }),
// which the CPU engine is part of; started without one, the worker fetches what it needs itself.
let started = false;
self.onmessage = ({ data }) => {
  if (!started) {
    started = true;
    boot(data.type === 'init' ? data.mathModule : null);
    if (data.type === 'init') return;
  }
  if (engine) handle(data);
  else pending.push(data);
};

const boot = (mathModule) => (async () => {
  watchDevices();
  const params = new URL(self.location.href).searchParams;
  const step = params.get('step');
  const backend = await chooseBackend({ forceCpu: params.has('cpu'), generic: step === 'generic', mathModule });
  engine = backend.engine;
  engines = { line: engine, plane: engine.sibling() };
  // ?inlinePairs (the benchmark's baseline): the engine pairs its OT batches itself;
  // ?pairingWorkers=n (tests): n pairing workers whatever the cores.
  const workers = Number(params.get('pairingWorkers'));
  pairFeed = params.has('inlinePairs') ? null : new PairFeed(mathModule, ...(workers >= 1 && workers <= 3 ? [workers] : []));
  wasmMemory = backend.memory;
  if (step) for (const e of Object.values(engines)) e.setPath(step);
  post({ type: 'ready', kind: backend.kind, label: backend.label, software: backend.software, note: backend.note });
  for (const message of pending.splice(0)) handle(message);
})().catch((e) => post({ type: 'failed', run: null, message: `the engine could not start: ${e.message || e}` }));
