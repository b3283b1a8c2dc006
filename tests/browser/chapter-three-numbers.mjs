// Prints the numbers of chapter two, part two for the default settings (10,000 steps), as a reader
// gets them in Chromium on the CPU: W₁ against Euler steps under both couplings, the loss each
// reaches beside its floor, and reflow's straightness and one- and two-step W₁ round by round.
// Usage (after `trunk build`): node tests/browser/chapter-three-numbers.mjs   Asserts nothing.

import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const server = await serve(DIST);
const { browser, page } = await launch('cpu');
const wait = (f, arg) => page.waitForFunction(f, arg, { timeout: 600_000 });
const finished = () => wait(() => document.body.dataset.training === 'finished');
const sweepOf = () =>
  page.evaluate(() => {
    const r = window.explorable.samples.couplings.result;
    const euler = {};
    r.solvers.forEach((s, i) => s === 'euler' && (euler[r.steps[i]] = r.w1[i]));
    const losses = window.explorable.run.losses;
    return { euler, loss: Array.from(losses.slice(-200)).reduce((a, b) => a + b, 0) / 200 };
  });
const line = (name, s) => `${name}: loss (last 200 steps) ${s.loss.toFixed(3)}; W1 by Euler steps ${Object.entries(s.euler).map(([k, w]) => `${k}: ${w.toFixed(4)}`).join(', ')}`;

try {
  await page.goto(`${server.url}#figure=couplings`);
  await finished();
  await wait(() => window.explorable.samples.couplings.result?.trainedSteps === 10000 && window.explorable.computed.couplings && window.explorable.computed.solvers);
  const independent = await sweepOf();
  const fixed = await page.evaluate(() => {
    const d = window.explorable.computed.couplings;
    const r = window.explorable.computed.solvers;
    const exact = {};
    r.solvers.forEach((s, i) => s === 'euler' && (exact[r.steps[i]] = r.w1[i]));
    return { floors: Object.fromEntries(Array.from(d.batchSizes, (b, i) => [b, d.otFloors[i]])), independentFloor: d.independentFloor, exact };
  });
  console.log(`loss floor: independent ${fixed.independentFloor.toFixed(3)}; OT by batch size ${Object.entries(fixed.floors).map(([b, f]) => `${b}: ${f.toFixed(3)}`).join(', ')}`);
  console.log(line('exact field (independent)', { loss: NaN, euler: fixed.exact }));
  console.log(line('network, independent pairs', independent));

  // Reflow from the independent run: two further rounds.
  await page.evaluate(() => document.querySelector('.step[data-figure="reflow"]').scrollIntoView({ block: 'center' }));
  await wait(() => window.explorable.reflow.rounds[0]?.stats);
  for (const k of [2, 3]) {
    await page.click('[data-action="rectify"]');
    await wait((k) => window.explorable.reflow.rounds[k - 1]?.stats, k);
  }
  const rounds = await page.evaluate(() => window.explorable.reflow.rounds.map((r) => r.stats));
  rounds.forEach((s, i) => console.log(`${i + 1}-rectified: straightness ${s.straightness.toFixed(4)}, W1 one Euler step ${s.w1[0].toFixed(4)}, two ${s.w1[1].toFixed(4)}`));

  // The same settings under minibatch OT.
  await page.evaluate(() => document.querySelector('.step[data-figure="couplings"]').scrollIntoView({ block: 'center' }));
  await page.click('[data-action="switch"]');
  await finished();
  await wait(() => window.explorable.samples.couplings.result?.trainedSteps === 10000 && window.explorable.state.coupling === 'ot');
  console.log(line('network, minibatch OT', await sweepOf()));
} finally {
  await browser.close();
  await server.close();
}
