// Prints chapter four's numbers as a reader gets them in Chromium on the CPU, with the default
// settings (20,000 steps): for `eight` and `moons`, under independent pairs, exact minibatch OT and
// one reflow round, exact W₂ (1,000 points, to a fixed target set) after 100 Euler steps at the end
// of training, and after one and four Euler steps, straightness, beside the exact field's and the
// floor; the plane's steps/s beside the line's in the same page; the time from opening the chapter
// to its first drawn flow. Usage (after `trunk build`): node tests/browser/chapter-four-numbers.mjs
// Asserts nothing.

import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const server = await serve(DIST);
const { browser, page } = await launch('cpu');
const wait = (f, arg) => page.waitForFunction(f, arg, { timeout: 1_200_000 });
const show = (name) => page.evaluate((n) => document.querySelector(`.step[data-figure="${n}"]`).scrollIntoView({ block: 'center' }), name);

/** The finished run's numbers, once every figure of the chapter has measured its final network. */
async function measure() {
  await wait(() => window.explorable.plane.run.status === 'finished');
  const total = await page.evaluate(() => window.explorable.plane.run.total);
  const speed = await page.evaluate(() => window.explorable.plane.run.stepsPerSecond);
  await show('plane-measures');
  await wait((t) => window.explorable.plane.results['plane-measures']?.steps === t && window.explorable.plane.metrics.points.at(-1)?.steps === t && window.explorable.computed['plane-measures'], total);
  const m = await page.evaluate(() => {
    const p = window.explorable;
    const euler = (e) => p.plane.results['plane-measures'].points.find((x) => x.solver === 'euler' && x.evaluations === e).w2;
    return { w2: p.plane.metrics.points.at(-1).averaged, one: euler(1), four: euler(4), label: p.plane.run.label };
  });
  await show('plane-couplings');
  await wait((t) => window.explorable.plane.results['plane-couplings']?.steps === t, total);
  m.straightness = await page.evaluate(() => window.explorable.plane.results['plane-couplings'].straightness);
  m.speed = speed;
  return m;
}

const row = (target, m) =>
  `${target.padEnd(8)} ${m.label.padEnd(12)} W₂ ${m.w2.toFixed(4)} (100 Euler)  ${m.four.toFixed(4)} (4)  ${m.one.toFixed(4)} (1)  straightness ${m.straightness.toFixed(4)}  ${m.speed.toFixed(0)} steps/s`;

try {
  // The line's speed, then the plane's, in the same page.
  await page.goto(`${server.url}#figure=densities`);
  await wait(() => window.explorable.run.steps > 3000);
  const line = await page.evaluate(() => window.explorable.run.stepsPerSecond);
  const opened = await page.evaluate(() => performance.now());
  await show('plane-flow');
  await wait(() => window.explorable.plane.results['plane-flow']);
  const first = (await page.evaluate(() => performance.now())) - opened;
  console.log(`line steps/s ${line.toFixed(0)} (2 → 64 × 2 → 1); first drawn flow ${(first / 1000).toFixed(2)} s after scrolling to the chapter`);
  for (const target of ['eight', 'moons']) {
    if (target !== 'eight') {
      await page.click('[data-action="preset:moons"]').catch(async () => {
        await show('plane-target');
        await page.click('[data-action="preset:moons"]');
      });
    }
    const independent = await measure();
    console.log(row(target, independent));
    await page.click('.fig[data-figure="plane-couplings"] [data-action="reflow"]');
    await wait(() => window.explorable.plane.run.label === 'reflow 1');
    console.log(row(target, await measure()));
    await page.click('.fig[data-figure="plane-couplings"] [data-action="switch"]');
    await wait(() => window.explorable.plane.run.label === 'ot');
    console.log(row(target, await measure()));
    const exact = await page.evaluate(() => {
      const r = window.explorable.computed['plane-measures'];
      const euler = (e) => r.points.find((x) => x.solver === 'euler' && x.evaluations === e).w2;
      return { one: euler(1), four: euler(4), thirtyTwo: euler(32), floor: r.floor };
    });
    console.log(`${target.padEnd(8)} exact field  W₂ ${exact.thirtyTwo.toFixed(4)} (32 Euler)  ${exact.four.toFixed(4)} (4)  ${exact.one.toFixed(4)} (1); floor ${exact.floor.toFixed(4)}`);
    // Back to independent pairs for the next target.
    await page.click('.fig[data-figure="plane-couplings"] [data-action="switch"]');
    await show('plane-target');
  }
} finally {
  await browser.close();
  server.close();
}
