// The fused WebGPU training step and sampler in Chromium (SwiftShader): equal to burn's autodiff step
// parameter by parameter, two dispatches a step in the article's own worker, chosen by
// default on WebGPU, and `step=generic` brings back burn's own step. (The CPU's fused step is
// tests/browser/cpu-step.test.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { useSite } from './site.mjs';

const server = useSite();

/** Opens a page of the site whose own scripts may import the engine module (what a test evaluates
 * there starts its own engine: the page's Content-Security-Policy forbids building functions from text). */
async function openEngineHost(page) {
  await page.goto(`${server.url}#figure=densities&embed&iterations=1`);
}

const SETTINGS = { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 100, seed: 7, average: true };

test('on WebGPU the fused step equals burn autodiff to 1e-4 after 1, 10 and 100 steps', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('webgpu');
  try {
    await openEngineHost(page);
    const compare = ([settings, checkpoints]) =>
      (async () => {
        // One engine per page: a module instance registers its WebGPU device once.
        if (!window.__engine) {
          const { default: init, Engine } = await import('./pkg/flow-web-engine.js');
          await init();
          window.__engine = await Engine.onWebGpu();
        }
        return window.__engine.comparePaths(settings, checkpoints, 'cpu');
      })();
    const gaps = await page.evaluate(compare, [SETTINGS, [1, 10, 100]]);
    for (const g of gaps) console.log(`# fused (WebGPU) vs burn autodiff (CPU), ${g.steps} steps: relative ${g.relative.toExponential(2)}, absolute ${g.absolute.toExponential(2)}, loss ${g.loss.toExponential(2)}`);
    assert.deepEqual(gaps.map((g) => g.steps), [1, 10, 100]);
    for (const g of gaps) {
      assert.ok(g.relative <= 1e-4, `after ${g.steps} steps the parameters differ by ${g.relative} (relative)`);
      assert.ok(g.loss <= 1e-4, `after ${g.steps} steps the losses differ by ${g.loss} (relative)`);
    }
    // An odd batch and width (no workgroup filled evenly) and a larger learning rate.
    const odd = await page.evaluate(compare, [{ ...SETTINGS, batchSize: 100, hidden: 24, learningRate: 0.01, seed: 5 }, [10]]);
    console.log(`# batch 100, width 24: relative ${odd[0].relative.toExponential(2)}`);
    assert.ok(odd[0].relative <= 1e-4, `odd shapes: ${odd[0].relative}`);
    // Wider than the register kernels take (128): the record kernels, still two dispatches a step.
    const wide = await page.evaluate(compare, [{ ...SETTINGS, batchSize: 64, hidden: 160, seed: 3 }, [1, 10]]);
    for (const g of wide) console.log(`# width 160 (record kernels), ${g.steps} steps: relative ${g.relative.toExponential(2)}, loss ${g.loss.toExponential(2)}`);
    for (const g of wide) assert.ok(g.relative <= 1e-4 && g.loss <= 1e-4, `width 160 after ${g.steps}: ${g.relative}, loss ${g.loss}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the fused sampler on WebGPU lands where burn generic sampling does', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('webgpu');
  try {
    await openEngineHost(page);
    const result = await page.evaluate(async () => {
      const { default: init, Engine } = await import('./pkg/flow-web-engine.js');
      await init();
      const engine = await Engine.onWebGpu();
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

/** Counts, in every worker of the page, the calls a training step makes to the GPU. */
function countCalls(page) {
  const workers = [];
  page.on('worker', (worker) => {
    workers.push(worker);
    worker
      .evaluate(() => {
        self.__calls = { dispatches: 0, submits: 0, maps: 0 };
        if (!self.GPUComputePassEncoder) return;
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
      })
      .catch(() => {});
  });
  return async () => {
    const total = { dispatches: 0, submits: 0, maps: 0 };
    for (const w of workers) {
      const c = await w.evaluate(() => self.__calls).catch(() => null);
      for (const k of Object.keys(total)) total[k] += c?.[k] ?? 0;
    }
    return total;
  };
}

test('the article trains with the fused step on WebGPU: 2 dispatches a step, burn\'s step many more', { timeout: 300_000 }, async () => {
  for (const [step, path] of [['auto', 'fused'], ['generic', 'generic']]) {
    const { browser, context, page, errors } = await launch('webgpu');
    try {
      // Count the workers' messages by type: each of the engine's progress messages is one read of the losses.
      await context.addInitScript(() => {
        window.__messages = {};
        const Base = window.Worker;
        window.Worker = class extends Base {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', ({ data }) => {
              // The figure worker posts progress too, without losses.
              const kind = data.type === 'progress' && data.losses ? 'losses' : data.type;
              window.__messages[kind] = (window.__messages[kind] ?? 0) + 1;
            });
          }
        };
      });
      const calls = countCalls(page);
      await page.goto(`${server.url}#figure=loss&embed&iterations=600${step === 'auto' ? '' : `&step=${step}`}`);
      // Counted from the first progress on, when every pipeline exists, to the end of the run.
      await page.waitForFunction(() => window.explorable.run.steps > 0, null, { timeout: 120_000 });
      const [before, stepsBefore] = [await calls(), await page.evaluate(() => window.explorable.run.steps)];
      await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 240_000 });
      const after = await calls();
      const run = await page.evaluate(() => ({ path: window.explorable.run.path, steps: window.explorable.run.steps, losses: Array.from(window.explorable.run.losses), messages: window.__messages }));
      const perStep = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) / (run.steps - stepsBefore)]));
      const reads = run.messages.losses;
      console.log(`# step=${step}: path ${run.path}, ${run.steps} steps, ${reads} loss reads, ${run.messages.snapshot} weight snapshots; per step ${perStep.dispatches.toFixed(2)} dispatches, ${perStep.submits.toFixed(2)} submits, ${perStep.maps.toFixed(3)} buffer maps (snapshots included)`);
      assert.equal(run.path, path);
      assert.equal(run.steps, 600);
      assert.ok(run.losses.every(Number.isFinite));
      const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
      assert.ok(mean(run.losses.slice(-50)) < mean(run.losses.slice(0, 50)), 'the loss did not fall');
      if (path === 'fused') {
        // Two kernels a step (README); the weight snapshots' reads add copies, not dispatches.
        assert.ok(perStep.dispatches <= 2.05, `${perStep.dispatches} dispatches a step`);
        // Losses come back once per 50 steps at most (a run's last chunk and the chunks cut at a
        // 500-step checkpoint may be shorter: at most two more reads per checkpoint).
        assert.ok(reads <= run.steps / 50 + 2 * Math.ceil(run.steps / 500), `${reads} loss reads for ${run.steps} steps`);
      }
      // burn's generic step: its autodiff graph issues 34 dispatches a step here (README's bench).
      else assert.ok(perStep.dispatches > 10, `burn's step: ${perStep.dispatches} dispatches a step`);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  }
});
