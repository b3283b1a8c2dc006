// What moving the engine and the heavy figure work into workers must guarantee, checked in the page:
// the first figure does not wait for burn, the main thread answers the reader while training and
// sampling run, the worker trains exactly what the engine trains alone, a cancelled sampling job
// leaves nothing behind, and figures stay legible at phone and embed widths.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { SHOTS, useSite } from './site.mjs';

const server = useSite();

test('a reader without WebGPU never fetches burn: the math module trains, and figure 1 does not wait for it', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    const fetched = [];
    page.on('request', (req) => fetched.push(new URL(req.url()).pathname));
    await page.goto(`${server.url}#iterations=50`);
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="densities"]')?.dataset.drawn === 'true', null, { timeout: 20_000 });
    const label = await page.getAttribute('#fig-densities', 'aria-label');
    assert.match(label, /noise peaks at 0\.399/);
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 60_000 });
    assert.equal(await page.textContent('#backend-badge'), 'CPU · fused step');
    assert.equal(await page.getAttribute('#backend-badge', 'data-path'), 'fused');
    assert.deepEqual(fetched.filter((p) => /flow-web-engine/.test(p)), [], 'the burn engine was fetched');
    assert.ok(fetched.some((p) => /flow-web-math-[0-9a-f]+_bg\.wasm$/.test(p)));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('with WebGPU, figure 1 is drawn before the burn engine has loaded', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await launch('webgpu');
  try {
    let engineAsked = false;
    let engineServed = false;
    // Hold the engine's wasm (under its content-hashed name) back for four seconds.
    await page.route(/flow-web-engine-[0-9a-f]+_bg\.wasm$/, async (route) => {
      engineAsked = true;
      await new Promise((r) => setTimeout(r, 4000));
      engineServed = true;
      await route.continue();
    });
    await page.goto(`${server.url}#iterations=50`);
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="densities"]')?.dataset.drawn === 'true', null, { timeout: 20_000 });
    assert.equal(engineServed, false, 'figure 1 waited for the engine');
    assert.equal(await page.textContent('#backend-badge'), 'starting…');
    await page.waitForFunction(() => window.explorable.run.steps > 0, null, { timeout: 90_000 });
    assert.ok(engineAsked && engineServed);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the main thread answers clicks within 100 ms while training and sampling run', { timeout: 240_000 }, async () => {
  const { browser, context, page, errors } = await launch('cpu');
  try {
    await context.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
      window.__clickDelays = [];
      addEventListener('click', (e) => window.__clickDelays.push(performance.now() - e.timeStamp), true);
    });
    await page.goto(`${server.url}#iterations=100000&figure=sampled-density`);
    await page.waitForFunction(() => window.explorable.samples['sampled-density'].progress > 0, null, { timeout: 60_000 });
    const [from, stepsBefore] = await page.evaluate(() => [performance.now(), window.explorable.run.steps]);
    for (let i = 0; i < 10; i++) {
      await page.click('#settings-toggle');
      await page.waitForTimeout(300);
    }
    const { delays, longTasks, steps, sampling } = await page.evaluate((from) => ({
      delays: window.__clickDelays,
      longTasks: window.__longTasks.filter((t) => t.startTime >= from).map((t) => t.duration),
      steps: window.explorable.run.steps,
      sampling: window.explorable.samples['sampled-density'].progress,
    }), from);
    assert.equal(delays.length, 10);
    const worst = Math.max(...delays);
    console.log(`# click delays: worst ${worst.toFixed(1)} ms; long tasks meanwhile: ${longTasks.length} (max ${Math.max(0, ...longTasks).toFixed(0)} ms); training went ${stepsBefore} → ${steps} steps; sampling ${Math.round((sampling ?? 1) * 100)} %`);
    assert.ok(worst < 100, `a click waited ${worst.toFixed(0)} ms`);
    assert.ok(steps > stepsBefore, 'training stalled while sampling');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the worker trains exactly what the engine trains on the main thread', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.goto(`${server.url}#iterations=40&seed=3&figure=loss`);
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 60_000 });
    const { worker, alone } = await page.evaluate(async () => {
      const { default: init, CpuEngine } = await import('./pkg/flow-web-math.js');
      await init();
      const engine = CpuEngine.onCpu();
      engine.startTraining(1, { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 40, seed: 3 }, '');
      engine.trainSteps(40);
      const r = await engine.readLosses();
      return { worker: Array.from(window.explorable.run.losses), alone: Array.from(r.losses) };
    });
    assert.equal(worker.length, 40);
    assert.deepEqual(worker, alone);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a sampling job cancelled by a retrain leaves no stale result', { timeout: 180_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.goto(`${server.url}#iterations=300&figure=sampled-density`);
    await page.waitForFunction(() => window.explorable.samples['sampled-density'].progress > 0.05, null, { timeout: 60_000 });
    const oldRun = await page.evaluate(() => window.explorable.run.id);
    await page.click('#retrain');
    // Watch every frame until the new run's result arrives: nothing from the old run may appear.
    const seen = await page.evaluate(async (oldRun) => {
      const runs = [];
      const until = performance.now() + 90_000;
      while (performance.now() < until) {
        const r = window.explorable.samples['sampled-density'].result;
        if (r) {
          runs.push(r.run);
          if (r.run !== oldRun) break;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return runs;
    }, oldRun);
    assert.ok(seen.length > 0, 'no result arrived for the new run');
    assert.ok(seen.every((run) => run === oldRun + 1), `results seen for runs ${[...new Set(seen)]}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the figure on screen pre-empts sampling for a figure the reader has left', { timeout: 180_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.goto(`${server.url}#iterations=300&figure=sampled-density`);
    // Figure 10 samples 100k paths × 200 steps for the final network; the reader moves on to figure 9.
    await page.waitForFunction(
      () => {
        const p = window.explorable;
        const s = p.samples['sampled-density'];
        return p.run.status === 'finished' && s.job && s.job.trainedSteps === 300 && s.progress > 0.05 && s.progress < 0.5;
      },
      null,
      { timeout: 90_000 },
    );
    const order = await page.evaluate(async () => {
      const step = document.querySelector('.step[data-figure="reconstructed"]');
      window.scrollTo(0, step.offsetTop + step.offsetHeight / 2 - innerHeight / 2);
      const done = [];
      const until = performance.now() + 90_000;
      while (done.length < 2 && performance.now() < until) {
        for (const name of ['reconstructed', 'sampled-density']) {
          const r = window.explorable.samples[name].result;
          if (r && r.trainedSteps === 300 && !done.includes(name)) done.push(name);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return done;
    });
    assert.deepEqual(order, ['reconstructed', 'sampled-density'], 'figure 9 waited behind figure 10');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('figures stay legible at 360, 390 and 1280 pixels', { timeout: 180_000 }, async () => {
  for (const width of [360, 390, 1280]) {
    const { browser, page, errors } = await launch('cpu', { viewport: { width, height: 700 } });
    try {
      await page.goto(`${server.url}#figure=euler-animation&embed&iterations=100`);
      await page.waitForFunction(() => window.explorable.learned && window.explorable.integration.path, null, { timeout: 60_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `page scrolls sideways at ${width}px`);
      await page.screenshot({ path: `${SHOTS}width-${width}-euler-animation.png` });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  }
});
