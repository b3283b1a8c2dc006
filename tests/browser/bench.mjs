// What a reader gets, measured in headless Chromium, beside the native baseline of the same run
// (target/bench-native.json, written by the `speed` bench just before: tests/bench.sh).
// Prints figures only; asserts nothing about speed. Usage: tests/bench.sh

import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = process.env.DIST || `${ROOT}dist/`;
const native = JSON.parse(readFileSync(`${ROOT}target/bench-native.json`, 'utf8'));
const WINDOW_MS = 15_000; // the article's own steps per second are read over this window

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;

function moduleSizes() {
  const sizes = {};
  const manifest = JSON.parse(readFileSync(`${DIST}manifest.json`, 'utf8'));
  for (const m of ['flow-web-math', 'flow-web-engine']) {
    const file = `${DIST}${manifest[`pkg/${m}_bg.wasm`]}`;
    sizes[m.replaceAll('-', '_')] = { raw: statSync(file).size, gzipped: gzipSync(readFileSync(file), { level: 9 }).length };
  }
  return sizes;
}

const observe = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => ({ at: e.startTime, duration: e.duration })))).observe({ type: 'longtask', buffered: true });
};

/** First paint, bytes before it, and the article's training speed and long tasks while idle on figure 1. */
async function article(mode, step = 'auto') {
  const { browser, context, page } = await launch(mode);
  await context.addInitScript(observe);
  try {
    const navigated = server.now();
    await page.goto(`${server.url}#iterations=100000${step === 'auto' ? '' : `&step=${step}`}`);
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="densities"]')?.dataset.drawn === 'true', null, { timeout: 60_000 });
    const firstFigure = server.now();
    const before = server.log.filter((r) => r.at >= navigated && r.at <= firstFigure);
    // From the first step on: the steps done every 2 s for 30 s (warm-up included, as a reader
    // waits through it), then the steady rate over the last WINDOW_MS of that.
    await page.waitForFunction(() => window.explorable.run.steps > 0, null, { timeout: 120_000 });
    const series = [await page.evaluate(() => [performance.now(), window.explorable.run.steps])];
    // The warm-up at a finer grain (the page's step count moves with each loss message, every
    // 0.1 s): how long the first 1,000 steps from here take, polled in the page meanwhile.
    await page.evaluate(() => {
      const [t0, n0] = [performance.now(), window.explorable.run.steps];
      const poll = () => {
        const n = window.explorable.run.steps - n0;
        if (n >= 1000) window.__firstThousand = { ms: performance.now() - t0, steps: n };
        else setTimeout(poll, 10);
      };
      poll();
    });
    for (let i = 0; i < 15; i++) {
      await page.waitForTimeout(2000);
      series.push(await page.evaluate(() => [performance.now(), window.explorable.run.steps]));
    }
    const s0 = series[series.length - 1 - Math.round(WINDOW_MS / 2000)];
    const s1 = series[series.length - 1];
    const fetchedBy30s = server.log.filter((r) => r.at >= navigated);
    const training = await page.evaluate(([from]) => window.__longTasks.filter((t) => t.at >= from), s0);
    // How far the metrics (measured in the figure worker every 500 steps) trail the training.
    const metrics = await page.evaluate(() => ({ steps: window.explorable.run.steps, measured: window.explorable.metrics.points.at(-1)?.steps ?? 0, points: window.explorable.metrics.points.length }));
    // Then scroll to the sampled figures one after another while training continues.
    const sampling = await page.evaluate(async () => {
      const from = performance.now();
      for (const name of ['learned-field', 'reconstructed', 'sampled-density']) {
        const step = document.querySelector(`.step[data-figure="${name}"]`);
        window.scrollTo(0, step.offsetTop + step.offsetHeight / 2 - innerHeight / 2);
        await new Promise((r) => setTimeout(r, 4000));
      }
      return window.__longTasks.filter((t) => t.at >= from);
    });
    return {
      firstFigureMs: firstFigure - navigated,
      bytesBefore: before.reduce((a, r) => a + r.bytes, 0),
      gzippedBefore: before.reduce((a, r) => a + r.gzipped, 0),
      filesBefore: before.map((r) => r.url),
      msPerStep: (s1[0] - s0[0]) / (s1[1] - s0[1]),
      series,
      gzippedTotal: fetchedBy30s.reduce((a, r) => a + r.gzipped, 0),
      filesTotal: fetchedBy30s.map((r) => r.url),
      largest: [...fetchedBy30s].sort((a, b) => b.gzipped - a.gzipped).slice(0, 6).map((r) => `${r.url.split('/').pop()} ${(r.gzipped / 1024).toFixed(0)} KB`),
      training,
      metrics,
      sampling,
      firstThousand: await page.evaluate(() => window.__firstThousand ?? null),
      backend: await page.textContent('#backend-badge'),
      path: await page.evaluate(() => window.explorable.run.path),
    };
  } finally {
    await browser.close();
  }
}

/** Dragging a bump of figure 14 for about a second: long tasks, and how often the target followed. */
async function dragTarget(mode) {
  const { browser, context, page } = await launch(mode);
  await context.addInitScript(observe);
  try {
    await page.goto(`${server.url}#iterations=100000&figure=your-target`);
    await page.waitForFunction(() => window.explorable?.exact && window.explorable.backend && window.explorable.run.steps > 50, null, { timeout: 120_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const box = await page.locator('#fig-your-target').boundingBox();
    const handles = await page.evaluate(async () => {
      const { handlesOnScreen } = await import('./js/figures/your-target.js');
      return handlesOnScreen(document.getElementById('fig-your-target'), window.explorable);
    });
    const top = handles.find((h) => h.i === 1 && h.kind === 'top');
    const from = await page.evaluate(() => {
      window.__targets = new Set();
      window.__watch = setInterval(() => window.__targets.add(window.explorable.state.target), 5);
      return performance.now();
    });
    const run = await page.evaluate(() => window.explorable.run.id);
    await page.mouse.move(box.x + top.x, box.y + top.y);
    await page.mouse.down();
    const started = Date.now();
    const MOVES = 60;
    for (let k = 1; k <= MOVES; k++) await page.mouse.move(box.x + top.x - k * 3, box.y + top.y + (k % 10));
    const dragMs = Date.now() - started;
    await page.mouse.up();
    const out = await page.evaluate(([from, run]) => {
      clearInterval(window.__watch);
      return { tasks: window.__longTasks.filter((t) => t.at >= from), targets: window.__targets.size, restarts: window.explorable.run.id - run };
    }, [from, run]);
    return { ...out, dragMs, moves: MOVES };
  } finally {
    await browser.close();
  }
}

/** The engine alone on the page's main thread, and the figure worker sampling 100k × 50 alone. */
async function engines(mode, plan) {
  const { browser, page } = await launch(mode);
  try {
    await page.goto(`${server.url}#figure=densities&embed&iterations=${plan.warm}`);
    await page.waitForFunction(() => document.body.dataset.training === 'finished' && window.explorable.snapshot, null, { timeout: 300_000 });
    return await page.evaluate(async ({ plan, mode }) => {
      // On WebGPU, count what a training step asks of the GPU: compute dispatches, queue submits and
      // buffer maps (the cost of a step this small is launches, not arithmetic).
      const calls = { dispatches: 0, submits: 0, maps: 0 };
      if (mode === 'webgpu') {
        const wrap = (proto, name, key) => {
          const original = proto[name];
          proto[name] = function (...args) {
            calls[key]++;
            return original.apply(this, args);
          };
        };
        wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', 'dispatches');
        wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', 'dispatches');
        wrap(GPUQueue.prototype, 'submit', 'submits');
        wrap(GPUBuffer.prototype, 'mapAsync', 'maps');
      }
      const { default: init, Engine } = await import('./pkg/flow-web-engine.js');
      await init();
      const math = await import('./pkg/flow-web-math.js');
      await math.default();
      // On the CPU: the fused CPU step of the math module (what the page trains with) and burn's
      // generic step of the burn engine (the "before"); on WebGPU, the burn engine's two paths.
      const burn = mode === 'cpu' ? Engine.onCpu() : await Engine.onWebGpu();
      let engine = burn;
      // Losses are read as the page's worker reads them on a GPU: once per 50 steps.
      const run = async (n) => {
        for (let done = 0; done < n; ) {
          done += engine.trainSteps(Math.min(50, n - done));
          await engine.readLosses();
        }
      };
      // With the weight average (the default) and without it, to show what averaging costs.
      let perStep = null; // GPU calls per step of the last averaged run
      const timed = async (average) => {
        engine.startTraining(1, { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 100000, seed: 6, average }, '');
        await run(plan.warm);
        const before = { ...calls };
        const started = performance.now();
        await run(plan.steps);
        const ms = (performance.now() - started) / plan.steps;
        perStep = Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, (v - before[k]) / plan.steps]));
        return ms;
      };
      // On WebGPU: burn's generic step first (the "before"), then the fused one (the default).
      const paths = {};
      for (const path of ['generic', 'fused']) {
        engine = mode === 'cpu' && path === 'fused' ? math.CpuEngine.onCpu() : burn;
        engine.setPath(path);
        const msPerStepPlain = await timed(false);
        const msPerStep = await timed(true);
        paths[path] = { msPerStep, msPerStepPlain, perStep, name: engine.path };
      }
      const { msPerStep, msPerStepPlain } = paths.fused;
      // The arithmetic rate: the step's matrix products per second, against this module's own
      // multiply-add loop (the best the compiled wasm SIMD does here with no memory traffic).
      const flops = 64_000_000;
      let peakGflops = 0;
      const peakByChains = {};
      for (const chains of [2, 4, 6, 8, 12, 16]) {
        const rounds = Math.round(flops / (chains * 16));
        math.multiplyAdds(Math.round(rounds / 20), chains);
        let best = 0;
        for (let k = 0; k < 3; k++) {
          const started = performance.now();
          const done = math.multiplyAdds(rounds, chains);
          best = Math.max(best, done / ((performance.now() - started) * 1e6));
        }
        peakByChains[chains] = best;
        peakGflops = Math.max(peakGflops, best);
      }
      const stepGflops = math.stepFlops(64, 2, 1, 256) / (msPerStep * 1e6);
      // Chapter four's network (input [t, x, y], 3 × 64, output 2), the fused CPU step alone.
      math.trainShape(2, 64, 3, 256, 20);
      const planeStarted = performance.now();
      math.trainShape(2, 64, 3, 256, 1000);
      const planeMsPerStep = (performance.now() - planeStarted) / 1000;
      const tutorialStarted = performance.now();
      math.trainShape(1, 64, 2, 256, 1000);
      const shapeMsPerStep = (performance.now() - tutorialStarted) / 1000;
      // Sampling on the GPU itself, through burn's generic operations and through the fused sampler.
      const device = {};
      if (mode !== 'cpu') {
        const w = await engine.weights();
        const x0 = Float32Array.from({ length: plan.deviceSamples }, (_, i) => -3 + (6 * (i + 0.5)) / plan.deviceSamples);
        for (const fused of [false, true]) {
          await engine.sampleOnDevice(w.hidden, w.averaged, x0.subarray(0, 256), 2, 'euler', fused); // compile
          const before = { ...calls };
          const started = performance.now();
          await engine.sampleOnDevice(w.hidden, w.averaged, x0, 50, 'euler', fused);
          device[fused ? 'fused' : 'generic'] = { s: (performance.now() - started) / 1000, dispatches: calls.dispatches - before.dispatches };
        }
      }

      const snap = window.explorable.snapshot;
      const worker = new Worker('./js/workers/figures.js', { type: 'module' });
      // Seconds one job takes in the figure worker (a failed job fails the benchmark, not hangs it).
      const job = (kind, params) =>
        new Promise((resolve, reject) => {
          const started = performance.now();
          worker.onmessage = ({ data }) => {
            if (data.type === 'done') resolve((performance.now() - started) / 1000);
            if (data.type === 'failed') reject(new Error(`${kind}: ${data.message}`));
          };
          worker.postMessage({ type: 'job', id: kind, kind, priority: 0, params });
        });
      // The jobs as the figures declare them (sizes and seeds from Rust's page table), on the snapshot.
      const { FIGURES } = await import('./js/figures/registry.js');
      // Imported by its source name, the table is another instance than the page's (whose name
      // carries a content hash): fill it the way main.js fills the page's.
      const { TABLE, fillTable } = await import('./js/table.js');
      if (!Object.isFrozen(TABLE)) fillTable(math.pageTable());
      const declared = (name, kind) => {
        const spec = FIGURES.find((f) => f.name === name).needs.jobs.find((j) => j.kind === kind);
        return typeof spec.params === 'function' ? spec.params(TABLE) : { ...spec.params };
      };
      const network = { hidden: snap.hidden, weights: snap.weights, target: '' };
      const sample = (n) => job('sample', { ...declared('reconstructed', 'sample'), ...network, n, solver: 'euler' });
      await sample(1000); // module load and compilation
      const sampling = await sample(TABLE.samples);
      const metrics = await job('metrics', { hidden: snap.hidden, averaged: snap.weights, latest: snap.weights, target: '' });
      const sweep = await job('sweep', { ...declared('solvers', 'sweep'), ...network });
      // Chapter two, part two: the couplings figure's fixed job, one reflow round's measures.
      const couplings = await job('couplings', { ...declared('couplings', 'couplings'), target: '' });
      const rectified = await job('rectified', { ...declared('reflow', 'rectified'), ...network });
      // Reflow's pairs are drawn by the engine from the network it finished last.
      engine.startTraining(1, { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 20, seed: 6, average: true }, '');
      await run(20);
      const pairsStarted = performance.now();
      await engine.startReflow(2, { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 20, seed: 6, average: true }, 2);
      const reflowPairs = (performance.now() - pairsStarted) / 1000;
      worker.terminate();
      return { msPerStep, msPerStepPlain, paths, device, sampling, metrics, sweep, couplings, reflowPairs, rectified, peakGflops, peakByChains, stepGflops, planeMsPerStep, shapeMsPerStep };
    }, { plan, mode });
  } finally {
    await browser.close();
  }
}

/** ms/step over the first `ms` after the first step, from the 2 s series. */
function msPerStepOver(series, ms) {
  const [t0] = series[0];
  const end = series.find(([t]) => t - t0 >= ms) || series[series.length - 1];
  return (end[0] - t0) / Math.max(1, end[1] - series[0][1]);
}

function seriesLine(series) {
  const rates = series.slice(1).map(([t, n], i) => ((t - series[i][0]) / Math.max(1, n - series[i][1])).toFixed(2));
  const [, n0] = series[0];
  const thousand = series.find(([, n]) => n - n0 >= 1000);
  const warm = thousand ? '' : '; fewer than 1,000 steps in 30 s';
  return `ms/step in each 2 s from the first step: ${rates.join(', ')}; first 15 s: ${msPerStepOver(series, 15_000).toFixed(2)} ms/step${warm}`;
}

function longTaskLine(tasks) {
  const over = tasks.filter((t) => t.duration > 50);
  return `${over.length} main-thread tasks over 50 ms (longest ${Math.max(0, ...tasks.map((t) => t.duration)).toFixed(0)} ms)`;
}

const server = await serve(DIST);
try {
  const sizes = moduleSizes();
  console.log('\nwasm modules (after wasm-opt), raw and gzip -9:');
  for (const [m, s] of Object.entries(sizes)) console.log(`  ${m}: ${mb(s.raw)}, ${kb(s.gzipped)} gzipped`);
  const total = Object.values(sizes).reduce((a, s) => a + s.gzipped, 0);
  console.log(`  total: ${mb(total)} gzipped (target ≤ 2.5 MB)`);

  const articles = {};
  for (const mode of ['cpu', 'webgpu']) {
    const a = await article(mode);
    articles[mode] = a;
    console.log(`\nthe article in headless Chromium, ${a.backend}${mode === 'webgpu' ? ` (${a.path} step)` : ''}`);
    console.log(`  first figure drawn ${a.firstFigureMs.toFixed(0)} ms after navigation (target ≤ 1000), ${kb(a.gzippedBefore)} gzipped (${kb(a.bytesBefore)} raw) fetched before it (target ≤ 300 KB): ${a.filesBefore.length} files`);
    console.log(`  training on figure 1: ${a.msPerStep.toFixed(2)} ms/step over the last ${WINDOW_MS / 1000} s of the first 30; ${longTaskLine(a.training)}`);
    console.log(`  ${seriesLine(a.series)}`);
    if (a.firstThousand) console.log(`  warm-up: the first ${a.firstThousand.steps} steps after the first took ${a.firstThousand.ms.toFixed(0)} ms = ${(a.firstThousand.ms / a.firstThousand.steps).toFixed(2)} ms/step, against ${a.msPerStep.toFixed(2)} steady`);
    console.log(`  everything fetched in the first 30 s: ${kb(a.gzippedTotal)} gzipped, ${a.filesTotal.length} files${a.filesTotal.some((u) => /flow-web-engine/.test(u)) ? ' (the burn engine among them)' : ' (no burn engine)'}; the largest, gzipped: ${a.largest.join(', ')}`);
    console.log(`  scrolling through the three sampled figures while training: ${longTaskLine(a.sampling)}`);
    const e = await engines(mode, mode === 'cpu' ? { warm: 50, steps: 1000 } : { warm: 50, steps: 100, deviceSamples: 10_000 });
    console.log(`  the engine alone (main thread, nothing else running): ${e.msPerStep.toFixed(2)} ms/step; article / engine alone: ${(a.msPerStep / e.msPerStep).toFixed(2)} (target ≤ 1.2)`);
    console.log(`  weight average: engine alone ${e.msPerStep.toFixed(2)} ms/step with it, ${e.msPerStepPlain.toFixed(2)} without (ratio ${(e.msPerStep / e.msPerStepPlain).toFixed(2)})`);
    console.log(`  metrics: after ${a.metrics.steps} steps, ${a.metrics.points} checkpoints measured, the latest at step ${a.metrics.measured} (trailing by ${a.metrics.steps - a.metrics.measured} steps)`);
    if (mode === 'cpu') {
      console.log(`  article training / native burn flex (${native.msPerStep.toFixed(3)} ms/step): ${(a.msPerStep / native.msPerStep).toFixed(2)} (goal ≤ 0.6); first 15 s after the first step: ${(msPerStepOver(a.series, 15_000) / native.msPerStep).toFixed(2)}`);
      console.log(`  native: fused CPU step ${native.fusedMsPerStep.toFixed(3)} ms/step, burn flex / fused ${(native.msPerStep / native.fusedMsPerStep).toFixed(2)} (goal ≥ 4)`);
      console.log(`  in the page, engine alone: fused CPU step ${e.paths.fused.msPerStep.toFixed(3)} ms/step, burn's generic step on burn flex (wasm) ${e.paths.generic.msPerStep.toFixed(3)} ms/step (ratio ${(e.paths.generic.msPerStep / e.paths.fused.msPerStep).toFixed(2)})`);
      console.log(`  arithmetic: the in-page step runs its matrix products at ${e.stepGflops.toFixed(2)} GFLOP/s; this module's multiply-add loop peaks at ${e.peakGflops.toFixed(2)} GFLOP/s (by independent 8-lane chains: ${Object.entries(e.peakByChains).map(([c, g]) => `${c}: ${g.toFixed(1)}`).join(', ')}): ${((100 * e.stepGflops) / e.peakGflops).toFixed(0)} % of peak (goal ≥ 25 %)`);
      console.log(`  chapter four's network (3 → 64 × 3 → 2, batch 256), fused CPU step: in the page ${e.planeMsPerStep.toFixed(3)} ms/step (the tutorial's alone the same way: ${e.shapeMsPerStep.toFixed(3)}); natively ${native.planeFusedMsPerStep.toFixed(3)} (burn flex natively ${native.planeGenericMsPerStep.toFixed(3)})`);
      console.log(`  100k x 50 Euler in the figure worker: ${e.sampling.toFixed(2)} s; / native burn (${native.burnSampling.toFixed(2)} s): ${(e.sampling / native.burnSampling).toFixed(2)} (target ≤ 0.5); / native flow-core field (${native.fieldSampling.toFixed(2)} s): ${(e.sampling / native.fieldSampling).toFixed(2)}`);
      console.log(`  the metrics of one checkpoint (both networks) in the figure worker: ${e.metrics.toFixed(2)} s = ${((e.metrics * 1000) / (500 * a.msPerStep)).toFixed(2)} x the article's time to train the 500 steps between checkpoints`);
      console.log(`  the solver sweep of one network (4,096 starts, 4 solvers, 1 to 200 evaluations): ${e.sweep.toFixed(2)} s`);
      console.log(`  figure 15's fixed job (pairs, monotone map, OT floors at 12 batch sizes from 100k pairs): ${e.couplings.toFixed(2)} s`);
      console.log(`  a reflow round: its pairs drawn in the engine ${e.reflowPairs.toFixed(2)} s, then its measures (straightness, 1- and 2-step W₁) ${e.rectified.toFixed(2)} s`);
      const d = await dragTarget(mode);
      console.log(`  dragging a bump of figure 14 while training (${d.moves} pointer moves in ${d.dragMs} ms): the target took ${d.targets} values, training restarted ${d.restarts} time(s); ${longTaskLine(d.tasks)}`);
    } else {
      // Before (burn's generic step) and after (the fused kernels), in this run.
      const before = await article(mode, 'generic');
      const g = e.paths.generic;
      const f = e.paths.fused;
      const cpu = articles.cpu;
      const row = (label, a, b, digits = 2) => console.log(`  | ${label} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(a / b).toFixed(2)} |`);
      console.log('  WebGPU training step, burn generic ("before") against fused CubeCL kernels ("after"); losses read once per 50 steps:');
      console.log('  | per training step | generic | fused | generic / fused |');
      console.log('  | --- | --- | --- | --- |');
      row('compute dispatches', g.perStep.dispatches, f.perStep.dispatches, 1);
      row('queue submits', g.perStep.submits, f.perStep.submits);
      row('buffer maps', g.perStep.maps, f.perStep.maps, 3);
      row('ms, engine alone, with the weight average', g.msPerStep, f.msPerStep);
      row('ms, engine alone, without it', g.msPerStepPlain, f.msPerStepPlain);
      row('ms, the article (figure 1, 15 s window)', before.msPerStep, a.msPerStep);
      row('s, 10k samples x 50 Euler steps on the GPU', e.device.generic.s, e.device.fused.s);
      row('dispatches for that sampling', e.device.generic.dispatches, e.device.fused.dispatches, 0);
      console.log(`  the CPU article in this run: ${cpu.msPerStep.toFixed(2)} ms/step; fused WebGPU article / CPU article: ${(a.msPerStep / cpu.msPerStep).toFixed(2)}`);
      console.log(`  the article with the generic step: ${longTaskLine(before.training)} while training`);
      console.log('  (SwiftShader is software: its times say nothing about a real GPU, only the counts carry over; real-GPU speed is unmeasured here.');
      console.log('   Sampling on the GPU is shown at 10k samples: 100k x 50 through burn\'s generic operations takes minutes on SwiftShader.');
      console.log('   The figures themselves sample in the figure worker on the CPU whatever the backend.)');
    }
  }
} finally {
  await server.close();
}
