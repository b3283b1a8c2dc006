// Chapter two, part two in a real browser: the reader's own target (figure 14), the couplings
// (15) and reflow (16), on the CPU and on WebGPU, and each of them embedded alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { checkEmbedded, finished, frames, open as openSite, show } from './drive.mjs';
import { SHOTS, useSite } from './site.mjs';

const server = useSite();
const open = (hash, mode) => openSite(server, hash, mode);
const TUTORIAL = '0.55:-0.85:0.65,0.45:1.5:0.25';

/** What the target figure's numbers are now. */
const snapshotOfTarget = (page) =>
  page.evaluate(() => {
    const p = window.explorable;
    const sum = (a) => (a ? Array.from(a).reduce((s, v) => s + Math.abs(v), 0) : NaN);
    return {
      text: p.state.target,
      means: Array.from(p.target.means),
      run: p.run.id,
      runTarget: p.run.target,
      floor: p.lossFloor,
      entropy: p.entropy,
      exact: p.exact && p.exact.target === p.state.target ? sum(p.exact.grid) : NaN,
      pdf: sum(p.curves['your-target'].target.slice(250, 300)),
      hash: location.hash,
    };
  });

test('dragging a bump changes the target, its exact field and densities, and restarts training on it', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=600&figure=your-target');
  try {
    // The backend's note in the status bar moves the figure down: measure after it is shown.
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="your-target"]').dataset.drawn === 'true' && window.explorable.exact && window.explorable.backend);
    // The loss floor is a figure-worker job of the loss figure's, in the background from here.
    const floorKnown = () => page.waitForFunction(() => Number.isFinite(window.explorable.lossFloor), null, { timeout: 60_000 });
    await floorKnown();
    await frames(page);
    const before = await snapshotOfTarget(page);
    assert.equal(before.text, TUTORIAL);
    const box = await page.locator('#fig-your-target').boundingBox();
    const handles = await page.evaluate(async () => {
      const { handlesOnScreen } = await import('./js/figures/your-target.js');
      return handlesOnScreen(document.getElementById('fig-your-target'), window.explorable);
    });
    // The narrow bump's top (at x = 1.5): drag it left to about x = 0.3, and down.
    const top = handles.find((h) => h.i === 1 && h.kind === 'top');
    const left = handles.find((h) => h.i === 0 && h.kind === 'top');
    const perUnit = (top.x - left.x) / (1.5 - -0.85);
    await page.mouse.move(box.x + top.x, box.y + top.y);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++) await page.mouse.move(box.x + top.x - (k / 8) * 1.2 * perUnit, box.y + top.y + k * 6);
    await page.mouse.up();
    await page.waitForFunction((run) => window.explorable.run.id > run && window.explorable.run.target === window.explorable.state.target, before.run, { timeout: 10_000 });
    await floorKnown();
    await frames(page);
    const after = await snapshotOfTarget(page);
    assert.ok(Math.abs(after.means[1] - 0.3) < 0.08, `dragged mean ${after.means[1]}`);
    assert.match(after.hash, /target=/);
    assert.notEqual(after.exact, before.exact, 'the exact field follows the target');
    assert.notEqual(after.pdf, before.pdf, 'the density follows the target');
    assert.notEqual(after.floor, before.floor);
    assert.equal(after.runTarget, after.text, 'training restarted on the new target');
    // The engine trains on the new target: the metrics (measured against it) say it samples it.
    await finished(page);
    await page.waitForFunction(() => window.explorable.metrics.points.at(-1)?.steps === 600, null, { timeout: 120_000 });
    const w1 = await page.evaluate(() => window.explorable.metrics.points.at(-1).averaged.w1);
    assert.ok(w1 < 0.2, `W1 against the dragged target after 600 steps: ${w1}`);
    // The reference paths were recomputed for it.
    await show(page, 'reference-paths');
    await page.waitForFunction(() => window.explorable.computed['reference-paths'], null, { timeout: 60_000 });
    await show(page, 'your-target');
    await frames(page);
    await page.screenshot({ path: `${SHOTS}chapter3-14-your-target.png` });

    // Buttons: add a bump, remove it, back to the tutorial's target.
    await page.click('[data-action="add"]');
    assert.equal(await page.evaluate(() => window.explorable.target.weights.length), 3);
    await page.click('[data-action="remove"]');
    assert.equal(await page.evaluate(() => window.explorable.target.weights.length), 2);
    await page.click('[data-action="tutorial"]');
    // The floor is computed in the figure worker for the new run's target.
    await page.waitForFunction(() => Number.isFinite(window.explorable.lossFloor), null, { timeout: 30_000 });
    const restored = await snapshotOfTarget(page);
    assert.equal(restored.text, TUTORIAL);
    assert.doesNotMatch(restored.hash, /target=/);
    // The floor the page shows for the restored target is the tutorial's, as Rust computes it.
    assert.ok(Math.abs(restored.floor - (await page.evaluate(() => window.explorable.math.lossFloor('')))) < 1e-9);
    assert.deepEqual(errors, []);

    // A bad target in a link: a clear message, and the tutorial's target.
    await page.goto('about:blank');
    await page.goto(`${server.url}#target=1:0:0.01,1:1:0.3&iterations=100`);
    await page.waitForFunction(() => window.explorable && window.explorable.run.id > 0);
    assert.match(await page.textContent('#message'), /target: component 1: the width must be from 0\.05 to 1\.5/);
    assert.equal(await page.evaluate(() => window.explorable.state.target), TUTORIAL);
    // A good one from a link is used as given (weights normalised).
    await page.goto('about:blank');
    await page.goto(`${server.url}#target=1:-1:0.4,3:1:0.3&iterations=100&figure=your-target`);
    await page.waitForFunction(() => window.explorable && window.explorable.run.id > 0);
    assert.equal(await page.evaluate(() => window.explorable.state.target), '0.25:-1:0.4,0.75:1:0.3');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('couplings: OT pairs do not cross, their floor falls with the batch, and an OT network samples in fewer steps', { timeout: 420_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=1500&figure=couplings');
  try {
    await page.waitForFunction(() => window.explorable.computed.couplings, null, { timeout: 60_000 });
    const c = await page.evaluate(() => {
      const d = window.explorable.computed.couplings;
      const crossings = (p) => {
        let n = 0;
        for (let i = 0; i < p.starts.length; i++) for (let j = 0; j < i; j++) if ((p.starts[i] - p.starts[j]) * (p.ends[i] - p.ends[j]) < 0) n++;
        return n;
      };
      return { independent: crossings(d.pairs.independent), ot: crossings(d.pairs.ot), floors: Array.from(d.otFloors), batchSizes: Array.from(d.batchSizes), independentFloor: d.independentFloor };
    });
    assert.equal(c.ot, 0, 'OT paths of a batch never cross');
    assert.ok(c.independent > 20, `independent pairs cross ${c.independent} times`);
    // 1.837: the tutorial target's loss floor E Var(x₁ − x₀ | x_t), by flow-core's quadrature of the
    // exact field (crates/flow-core/src/exact_field.rs tests it against a Monte-Carlo estimate).
    assert.ok(Math.abs(c.independentFloor - 1.837) < 0.001);
    const at256 = c.floors[c.batchSizes.indexOf(256)];
    assert.ok(Math.abs(c.floors[0] / c.independentFloor - 1) < 0.03, `batch of 1: ${c.floors[0]}`);
    assert.ok(c.floors.at(-1) < 0.01 && at256 < 0.05, `floors ${c.floors.map((f) => f.toFixed(3))}`);

    const oneStep = (r) => r.w1[Array.from(r.solvers).findIndex((s, i) => s === 'euler' && r.steps[i] === 1)];
    await finished(page);
    await page.waitForFunction(() => window.explorable.samples.couplings.result?.trainedSteps === 1500, null, { timeout: 120_000 });
    const independent = await page.evaluate(() => ({ w1: Array.from(window.explorable.samples.couplings.result.w1), solvers: window.explorable.samples.couplings.result.solvers, steps: Array.from(window.explorable.samples.couplings.result.steps) }));
    // The reference paths (figure 2) are drawn as training pairs them, and the floor is the coupling's.
    const sorted = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);
    const examples = () => page.evaluate(() => window.explorable.computed['reference-paths'] && { starts: Array.from(window.explorable.computed['reference-paths'].starts), ends: Array.from(window.explorable.computed['reference-paths'].ends), floor: window.explorable.lossFloor });
    const floorReady = () => page.waitForFunction(() => window.explorable.computed['reference-paths'] && Number.isFinite(window.explorable.lossFloor), null, { timeout: 60_000 });
    await floorReady();
    const pairedIndependently = await examples();
    assert.ok(!(sorted(pairedIndependently.starts) && sorted(pairedIndependently.ends)), 'independent examples are not paired by rank');
    assert.ok(Math.abs(pairedIndependently.floor - c.independentFloor) < 1e-9);
    await page.click('[data-action="switch"]');
    assert.equal(await page.evaluate(() => window.explorable.state.coupling), 'ot');
    await floorReady();
    const pairedByRank = await examples();
    assert.ok(sorted(pairedByRank.starts) && sorted(pairedByRank.ends), JSON.stringify(pairedByRank));
    assert.ok(Math.abs(pairedByRank.floor - at256) < 1e-9, `the loss floor under OT at batch 256: ${pairedByRank.floor}`);
    const lossCaption = await page.evaluate(async () => (await import('./js/figures/loss-curve.js')).default.describe(window.explorable).caption);
    assert.match(lossCaption, /minibatch OT, batch 256, estimated/);
    assert.match(await page.evaluate(() => location.hash), /coupling=ot/);
    await finished(page);
    await page.waitForFunction(() => window.explorable.samples.couplings.result?.trainedSteps === 1500 && window.explorable.samples.couplings.kept[`independent|${window.explorable.state.target}`] && window.explorable.computed.solvers, null, { timeout: 120_000 });
    const ot = await page.evaluate(() => ({ w1: Array.from(window.explorable.samples.couplings.result.w1), solvers: window.explorable.samples.couplings.result.solvers, steps: Array.from(window.explorable.samples.couplings.result.steps) }));
    const loss = await page.evaluate(() => Array.from(window.explorable.run.losses.slice(-100)).reduce((a, b) => a + b, 0) / 100);
    console.log(`# one Euler step: W1 ${oneStep(independent).toFixed(3)} (independent) vs ${oneStep(ot).toFixed(3)} (OT); OT loss ${loss.toFixed(3)}; OT floors ${c.floors.map((f) => f.toFixed(3)).join(' ')}`);
    assert.ok(oneStep(ot) < 0.5 * oneStep(independent), 'an OT network samples far better in one step');
    assert.ok(loss < 0.3, `OT loss ${loss}`);
    await frames(page);
    assert.match(await page.textContent('#cap-couplings'), /last run \(independent pairs/);
    // Beside the networks: the exact field's own Euler line (figure 13's reference), in the CSV too.
    const exactRows = await page.evaluate(async () => {
      const { default: fig } = await import('./js/figures/couplings.js');
      return fig.data(window.explorable).rows.filter((r) => r[0] === 'exact_field_w1').length;
    });
    assert.equal(exactRows, 10);
    await page.screenshot({ path: `${SHOTS}chapter3-15-couplings.png` });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

async function reflowRound(page, round, timeout) {
  await page.click('[data-action="rectify"]');
  await page.waitForFunction((k) => window.explorable.reflow.rounds[k - 1]?.stats, round, { timeout });
}

test('reflow: a second network trained on the first one\'s pairs is straighter and samples better in one step', { timeout: 420_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=1500&figure=reflow');
  try {
    await finished(page);
    await page.waitForFunction(() => window.explorable.reflow.rounds[0]?.stats, null, { timeout: 120_000 });
    await reflowRound(page, 2, 180_000);
    const rounds = await page.evaluate(() => window.explorable.reflow.rounds.map((r) => ({ s: r.stats.straightness, w1: Array.from(r.stats.w1), steps: r.losses ? r.losses.length : 0 })));
    console.log(`# reflow: straightness ${rounds.map((r) => r.s.toFixed(4)).join(' -> ')}; one-step W1 ${rounds.map((r) => r.w1[0].toFixed(3)).join(' -> ')}; two-step ${rounds.map((r) => r.w1[1].toFixed(3)).join(' -> ')}`);
    assert.ok(rounds[1].s < 0.2 * rounds[0].s, 'straightness falls');
    assert.ok(rounds[1].w1[0] < 0.5 * rounds[0].w1[0], 'one-step W1 falls');
    assert.equal(rounds[1].steps, 1500, 'the round trained as long as the run (its loss curve is complete)');
    await frames(page);
    assert.match(await page.textContent('#cap-reflow'), /2-rectified: straightness/);
    await page.screenshot({ path: `${SHOTS}chapter3-16-reflow.png` });
    // Retraining starts over: the rounds belong to the run they came from.
    await page.click('#retrain');
    assert.equal(await page.evaluate(() => window.explorable.reflow.rounds.length), 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('WebGPU: a run on OT pairs and a target from the link, then a reflow round, trained on the GPU', { timeout: 420_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=60&lr=0.01&figure=reflow&coupling=ot&target=0.5:-1:0.4,0.5:1:0.4', 'webgpu');
  try {
    await page.waitForFunction(() => window.explorable.backend, null, { timeout: 60_000 });
    assert.equal(await page.getAttribute('#backend-badge', 'data-kind'), 'webgpu');
    await finished(page, 240_000);
    const run = await page.evaluate(() => ({ target: window.explorable.run.target, losses: Array.from(window.explorable.run.losses) }));
    assert.equal(run.target, '0.5:-1:0.4,0.5:1:0.4');
    assert.ok(run.losses.length === 60 && run.losses.every(Number.isFinite));
    await page.waitForFunction(() => window.explorable.reflow.rounds[0]?.stats, null, { timeout: 120_000 });
    await reflowRound(page, 2, 300_000);
    const stats = await page.evaluate(() => window.explorable.reflow.rounds.map((r) => r.stats));
    for (const s of stats) assert.ok(Number.isFinite(s.straightness) && s.w1.every(Number.isFinite), JSON.stringify(s));
    await frames(page);
    await page.screenshot({ path: `${SHOTS}chapter3-webgpu-reflow.png` });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('figures 14 to 16 work alone in embed mode', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    const ready = {
      'your-target': () => window.explorable.exact,
      couplings: () => window.explorable.computed.couplings && window.explorable.samples.couplings.result?.trainedSteps === 100,
      reflow: () => window.explorable.reflow.rounds[0]?.stats,
    };
    await checkEmbedded(server, page, ready, `${SHOTS}chapter3-embed`, async (name) => assert.ok(await page.isVisible(`.fig[data-figure="${name}"] .fig-actions button`), 'its buttons are there'));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
