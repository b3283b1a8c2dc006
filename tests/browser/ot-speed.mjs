// Prints what exact minibatch OT costs a reader in Chromium on the CPU: the assignment of one
// 256-point batch in the math module (flow-core's solver against the `lsap` crate, same matrices,
// same page), then the plane network's steps/s in one page under independent pairs and under OT
// paired ahead by the pairing worker, and OT paired inline (?inlinePairs, the baseline) in a second
// page right after. Usage (after `trunk build`): node tests/browser/ot-speed.mjs. Asserts nothing.

import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const server = await serve(DIST);
const HASH = '#figure=plane-flow&plane=moons&planeSteps=100000';

/** The plane run's steps/s, averaged over `seconds` once it has run for 3 s. */
async function planeSpeed(page, label) {
  await page.waitForFunction((l) => window.explorable?.plane?.run.label === l && window.explorable.plane.run.steps > 0, label, { timeout: 120_000 });
  await page.waitForTimeout(3000);
  const [s0, t0] = await page.evaluate(() => [window.explorable.plane.run.steps, performance.now()]);
  await page.waitForTimeout(10_000);
  const [s1, t1, ahead] = await page.evaluate(() => [window.explorable.plane.run.steps, performance.now(), window.explorable.plane.run.pairedAhead]);
  return { stepsPerSecond: ((s1 - s0) * 1000) / (t1 - t0), pairedAhead: ahead };
}

const { browser, page } = await launch('cpu');
try {
  await page.goto(`${server.url}${HASH}`);
  const assignment = await page.evaluate(async () => {
    const math = await import('./pkg/flow-web-math.js');
    await math.default();
    const out = {};
    for (const preset of ['eight', 'moons', 'checkerboard', 'rings']) {
      math.assignmentMs('ours', preset, 256, 5); // warm up
      out[preset] = { ours: math.assignmentMs('ours', preset, 256, 100), lsap: math.assignmentMs('lsap', preset, 256, 100) };
    }
    return out;
  });
  console.log('exact assignment of a 256-point batch in wasm (Chromium, main thread), ms:');
  for (const [preset, { ours, lsap }] of Object.entries(assignment)) console.log(`  ${preset.padEnd(12)} ours ${ours.toFixed(2)}, lsap ${lsap.toFixed(2)} (${(lsap / ours).toFixed(1)}×)`);

  const independent = await planeSpeed(page, 'independent');
  await page.evaluate(() => document.querySelector('.step[data-figure="plane-couplings"]').scrollIntoView({ block: 'center' }));
  await page.click('.fig[data-figure="plane-couplings"] [data-action="switch"]');
  const ot = await planeSpeed(page, 'ot');
  await page.goto('about:blank');
  await page.goto(`${server.url}?inlinePairs${HASH}&planeCoupling=ot`);
  const inline = await planeSpeed(page, 'ot');
  console.log('the plane network (3 → 64 × 3 → 2, batch 256) training in the page, CPU:');
  console.log(`  independent pairs ${independent.stepsPerSecond.toFixed(0)} steps/s`);
  console.log(`  exact OT, paired ahead by the pairing worker ${ot.stepsPerSecond.toFixed(0)} steps/s (${((100 * ot.stepsPerSecond) / independent.stepsPerSecond).toFixed(0)} % of independent; paired ahead: ${ot.pairedAhead})`);
  console.log(`  exact OT, paired inline between steps ${inline.stepsPerSecond.toFixed(0)} steps/s (${((100 * inline.stepsPerSecond) / independent.stepsPerSecond).toFixed(0)} %; paired ahead: ${inline.pairedAhead})`);
} finally {
  await browser.close();
  server.close();
}
