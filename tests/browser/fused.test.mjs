// The fused WebGPU training step and sampler in Chromium (SwiftShader): equal to burn's autodiff step
// parameter by parameter, at most six dispatches a step in the article's own worker, chosen by
// default on WebGPU and not on the CPU, and `step=generic` brings back burn's own step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { useSite } from './site.mjs';

const server = useSite();

/** Runs `body(engine)` in the page on a fresh WebGPU engine. */
async function withEngine(page, body, arg) {
  await page.goto(`${server.url}#figure=densities&embed&iterations=1`);
  return page.evaluate(
    async ([source, arg]) => {
      const { default: init, Engine } = await import('./pkg/flow_web_engine.js');
      await init();
      const engine = await Engine.onWebGpu();
      // eslint-disable-next-line no-new-func
      return new Function('engine', 'arg', `return (${source})(engine, arg);`)(engine, arg);
    },
    [body.toString(), arg],
  );
}

const SETTINGS = { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 100, seed: 7, average: true };

test('on WebGPU the fused step equals burn autodiff to 1e-4 after 1, 10 and 100 steps', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('webgpu');
  try {
    const gaps = await withEngine(page, (engine, settings) => engine.comparePaths(settings, [1, 10, 100], 'cpu'), SETTINGS);
    for (const g of gaps) console.log(`# fused (WebGPU) vs burn autodiff (CPU), ${g.steps} steps: relative ${g.relative.toExponential(2)}, absolute ${g.absolute.toExponential(2)}, loss ${g.loss.toExponential(2)}`);
    assert.deepEqual(gaps.map((g) => g.steps), [1, 10, 100]);
    for (const g of gaps) {
      assert.ok(g.relative <= 1e-4, `after ${g.steps} steps the parameters differ by ${g.relative} (relative)`);
      assert.ok(g.loss <= 1e-4, `after ${g.steps} steps the losses differ by ${g.loss} (relative)`);
    }
    // An odd batch and width (no workgroup filled evenly) and a larger learning rate.
    const odd = await withEngine(page, (engine, settings) => engine.comparePaths(settings, [10], 'cpu'), { ...SETTINGS, batchSize: 100, hidden: 24, learningRate: 0.01, seed: 5 });
    console.log(`# batch 100, width 24: relative ${odd[0].relative.toExponential(2)}`);
    assert.ok(odd[0].relative <= 1e-4, `odd shapes: ${odd[0].relative}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the fused sampler on WebGPU lands where burn generic sampling does', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('webgpu');
  try {
    const result = await withEngine(page, async (engine) => {
      engine.startTraining(1, { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 20, seed: 3, average: true }, '');
      for (let done = 0; done < 20; ) {
        done += engine.trainSteps(20 - done);
        await engine.readLosses();
      }
      const w = await engine.weights();
      const x0 = Float32Array.from({ length: 2000 }, (_, i) => -3 + (6 * i) / 1999);
      const out = {};
      for (const solver of ['euler', 'midpoint', 'heun', 'rk4']) {
        const fused = await engine.sampleOnDevice(w.hidden, w.averaged, x0, 12, solver, true);
        const generic = await engine.sampleOnDevice(w.hidden, w.averaged, x0, 12, solver, false);
        let worst = 0;
        for (let i = 0; i < x0.length; i++) worst = Math.max(worst, Math.abs(fused[i] - generic[i]));
        out[solver] = { worst, moved: Math.abs(fused[0] - x0[0]) };
      }
      return out;
    });
    for (const [solver, r] of Object.entries(result)) {
      console.log(`# ${solver}: largest gap ${r.worst.toExponential(2)}`);
      assert.ok(r.worst < 1e-3, `${solver}: fused and generic samples differ by ${r.worst}`);
      assert.ok(r.moved > 1e-3, `${solver}: the samples did not move`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

/** Counts, in the engine worker, what each training step asks of the GPU. */
async function countCalls(page) {
  const worker = await new Promise((resolve) => page.once('worker', resolve));
  await worker.evaluate(() => {
    self.__calls = { dispatches: 0, submits: 0, maps: 0 };
    const wrap = (proto, name, key) => {
      const original = proto[name];
      proto[name] = function (...args) {
        self.__calls[key]++;
        return original.apply(this, args);
      };
    };
    wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', 'dispatches');
    wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', 'dispatches');
    wrap(GPUQueue.prototype, 'submit', 'submits');
    wrap(GPUBuffer.prototype, 'mapAsync', 'maps');
  });
  return worker;
}

test('the article trains with the fused step on WebGPU: at most 6 dispatches a step', { timeout: 300_000 }, async () => {
  for (const [step, path] of [['auto', 'fused'], ['generic', 'generic']]) {
    const { browser, page, errors } = await launch('webgpu');
    try {
      // The engine worker is the first worker the page starts (the figure worker comes later).
      const counted = countCalls(page);
      await page.goto(`${server.url}#figure=loss&embed&iterations=300${step === 'auto' ? '' : `&step=${step}`}`);
      const worker = await counted;
      await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 240_000 });
      const run = await page.evaluate(() => ({ path: window.explorable.run.path, steps: window.explorable.run.steps, losses: Array.from(window.explorable.run.losses) }));
      const counts = await worker.evaluate(() => self.__calls);
      const perStep = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / run.steps]));
      console.log(`# step=${step}: path ${run.path}, ${run.steps} steps, per step ${perStep.dispatches.toFixed(2)} dispatches, ${perStep.submits.toFixed(2)} submits, ${perStep.maps.toFixed(3)} maps (snapshots included)`);
      assert.equal(run.path, path);
      assert.equal(run.steps, 300);
      assert.ok(run.losses.every(Number.isFinite));
      const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
      assert.ok(mean(run.losses.slice(-50)) < mean(run.losses.slice(0, 50)), 'the loss did not fall');
      if (path === 'fused') {
        assert.ok(perStep.dispatches <= 6, `${perStep.dispatches} dispatches a step`);
        assert.ok(perStep.maps <= 1 / 25, `${perStep.maps} buffer maps a step`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  }
});
