// Speed of the seed configuration inside headless Chromium, for each backend that runs there:
// milliseconds per training step and seconds to sample with 50 Euler steps. Prints figures only.
// Usage: node tests/browser/bench.mjs  (after `trunk build --release`)

import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const DIST = process.env.DIST || new URL('../../dist/', import.meta.url).pathname;

// SwiftShader computes on the CPU and is slow: time fewer steps and samples there, and say so.
const PLANS = {
  cpu: { warm: 50, steps: 1000, samples: 100_000 },
  webgpu: { warm: 20, steps: 60, samples: 10_000 },
};

async function measure(mode) {
  const plan = PLANS[mode];
  const { browser, page, errors } = await launch(mode);
  try {
    // An embedded figure that needs no network, with a one-step run, keeps the page itself quiet.
    await page.goto(`${server.url}#figure=densities&embed&iterations=1`);
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 120_000 });
    return await page.evaluate(async ({ mode, plan }) => {
      const w = window.wasmBindings;
      const engine = mode === 'webgpu' ? window.explorable.backend.engine : w.Explorable.onCpu();
      const settings = w.Explorable.tutorialSettings();
      engine.startTraining(settings);
      const run = async (n) => {
        for (let done = 0; done < n; ) {
          done += engine.trainSteps(Math.min(20, n - done));
          await engine.readLosses();
        }
      };
      await run(plan.warm); // kernel compilation and allocation happen here
      let t0 = performance.now();
      await run(plan.steps);
      const msPerStep = (performance.now() - t0) / plan.steps;
      t0 = performance.now();
      engine.startSampling(plan.samples, 50, 1, 0, 0, 0);
      let done = 0;
      while (done < 50) done = await engine.advanceSampling(10);
      await engine.samplingResult();
      const sampling = (performance.now() - t0) / 1000;
      return { mode, label: window.explorable.backend.label, msPerStep, sampling, samples: plan.samples, steps: plan.steps };
    }, { mode, plan });
  } finally {
    if (errors.length) console.log(`  (console errors: ${errors.join('; ')})`);
    await browser.close();
  }
}

const server = await serve(DIST);
try {
  console.log('headless Chromium, seed config (batch 256, 2→64→64→1)');
  for (const mode of ['cpu', 'webgpu']) {
    const r = await measure(mode);
    const backend = mode === 'cpu' ? 'burn flex (CPU, wasm)' : `burn wgpu + fusion (${r.label})`;
    console.log(`  ${backend}`);
    console.log(`    training: ${r.msPerStep.toFixed(2)} ms/step (${r.steps} timed steps)`);
    const scale = 100_000 / r.samples;
    const note = scale === 1 ? '' : ` (timed on ${r.samples.toLocaleString('en-US')} samples; x${scale} ≈ ${(r.sampling * scale).toFixed(0)} s for 100k)`;
    console.log(`    sampling ${r.samples.toLocaleString('en-US')} x 50 Euler steps: ${r.sampling.toFixed(2)} s${note}`);
  }
} finally {
  await server.close();
}
