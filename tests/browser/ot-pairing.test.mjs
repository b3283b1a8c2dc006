// Exact minibatch OT in the plane, paired ahead: the pairing worker computes an OT run's batches on
// another core and the engine trains on them in order. In a real browser, on the CPU and on WebGPU
// (SwiftShader): the run is paired ahead and finishes; on the CPU its losses equal, step for step,
// those of the same run paired inline (?inlinePairs) and those of the run paired by three workers
// taking every third batch each, so the workers change the speed and nothing else. Prints both
// runs' steps/s.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { useSite } from './site.mjs';

const server = useSite();
const HASH = '#figure=plane-flow&plane=moons&planeCoupling=ot&planeSteps=600&planeSeed=5';

async function otRun(mode, query = '') {
  const { browser, page, errors } = await launch(mode);
  try {
    await page.goto(`${server.url}${query}${HASH}`);
    await page.waitForFunction(() => window.explorable?.plane?.run.status === 'finished', null, { timeout: 300_000 });
    const run = await page.evaluate(() => {
      const r = window.explorable.plane.run;
      return { losses: Array.from(r.losses), pairedAhead: r.pairedAhead, label: r.label, stepsPerSecond: r.stepsPerSecond, path: r.path };
    });
    assert.deepEqual(errors, [], 'no error in the console');
    return run;
  } finally {
    await browser.close();
  }
}

test('an OT run in the plane is paired ahead by its own worker, and is the run paired inline', { timeout: 900_000 }, async () => {
  const ahead = await otRun('cpu');
  const inline = await otRun('cpu', '?inlinePairs');
  // Three workers, each pairing every third batch: the engine still takes them in order.
  const three = await otRun('cpu', '?pairingWorkers=3');
  console.log(`OT in the plane (CPU): paired ahead ${ahead.stepsPerSecond.toFixed(0)} steps/s, by three workers ${three.stepsPerSecond.toFixed(0)}, paired inline ${inline.stepsPerSecond.toFixed(0)} (one page after the other; 600-step runs, steps/s of their last 2 s)`);
  assert.equal(ahead.label, 'ot');
  assert.equal(ahead.pairedAhead, true, 'the pairing worker fed the run');
  assert.equal(inline.pairedAhead, false);
  assert.equal(ahead.losses.length, 600);
  assert.ok(ahead.losses.every(Number.isFinite));
  assert.deepEqual(ahead.losses, inline.losses, 'the same run, loss for loss');
  assert.equal(three.pairedAhead, true);
  assert.deepEqual(three.losses, inline.losses, 'three workers: the same run again');

  const gpu = await otRun('webgpu');
  console.log(`OT in the plane (WebGPU, SwiftShader): paired ahead ${gpu.stepsPerSecond.toFixed(0)} steps/s on the ${gpu.path} step`);
  assert.equal(gpu.pairedAhead, true);
  assert.equal(gpu.losses.length, 600);
  // Same batches, another device: the first 100 losses agree to float rounding (the fused kernels'
  // equivalence tests hold them to burn's step as closely), not bit for bit.
  const worst = Math.max(...gpu.losses.slice(0, 100).map((l, i) => Math.abs(l - ahead.losses[i]) / Math.abs(ahead.losses[i])));
  assert.ok(worst < 1e-2, `WebGPU and CPU runs on the same pairs part by ${worst} within 100 steps`);
});
