// Chapter two in a real browser: the network against the exact field (figure 11), the live metrics
// (12), the solver sweep (13), the solver choice and the exact-field toggle, the share menu's
// downloads, and an embedded figure telling its parent its height. CPU backend unless named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { heatmapAgreement } from './heatmap-probe.mjs';
import { launch } from './chromium.mjs';
import { checkEmbedded, finished, frames, open as openSite, show } from './drive.mjs';
import { SHOTS, useSite } from './site.mjs';

const server = useSite();

const open = (hash, mode) => openSite(server, hash, mode);

test('figures 11-13 measure the network against the exact field as it trains', { timeout: 420_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=1500&figure=field-error');
  try {
    await finished(page);
    // Figure 11: the picture is network − exact, cell by cell, with its sign in the colours.
    await page.waitForFunction(() => window.explorable.learned?.steps === 1500 && document.querySelector('.fig[data-figure="field-error"]').dataset.drawn === 'true', null, { timeout: 60_000 });
    await frames(page);
    const { checked, agree } = await heatmapAgreement(page, 'fig-field-error', 'difference');
    assert.ok(checked > 30 && agree / checked > 0.9, `difference colours agree on ${agree}/${checked} strong cells`);
    assert.match(await page.getAttribute('#fig-field-error', 'aria-label'), /largest difference -?\d/);
    await page.screenshot({ path: `${SHOTS}chapter2-11-field-error.png` });

    // Figure 12: a measurement at every 500 steps, for both networks, above the exact floors.
    await show(page, 'metrics');
    await page.waitForFunction(() => window.explorable.metrics.points.length === 3, null, { timeout: 120_000 });
    const m = await page.evaluate(() => ({ points: window.explorable.metrics.points, entropy: window.explorable.entropy }));
    assert.deepEqual(m.points.map((p) => p.steps), [500, 1000, 1500]);
    for (const p of m.points) {
      for (const net of ['averaged', 'latest']) {
        const v = p[net];
        assert.ok(v.fieldError > 0 && v.fieldError < 1, `field error ${v.fieldError}`);
        assert.ok(v.w1 > 0 && v.w1 < 0.5 && v.ks > 0 && v.ks < 0.5, JSON.stringify(v));
        // No model beats the entropy (on the same quadrature as the NLL's, to 2e-4 for the exact field).
        assert.ok(v.nll > m.entropy - 0.01 && v.nll < m.entropy + 1, `NLL ${v.nll} vs entropy ${m.entropy}`);
      }
    }
    const first = m.points[0].averaged;
    const last = m.points[2].averaged;
    assert.ok(last.fieldError < first.fieldError, `field error did not fall: ${first.fieldError} → ${last.fieldError}`);
    console.log(`# step 1500: field error ${last.fieldError.toFixed(4)}, W1 ${last.w1.toFixed(3)}, KS ${last.ks.toFixed(3)}, NLL ${last.nll.toFixed(3)} (entropy ${m.entropy.toFixed(3)})`);
    await frames(page);
    await page.screenshot({ path: `${SHOTS}chapter2-12-metrics.png` });

    // Figure 13: the exact field's Euler line reproduces the reference table within 10 %.
    await show(page, 'solvers');
    await page.waitForFunction(() => window.explorable.computed.solvers && window.explorable.samples.solvers.result?.trainedSteps === 1500, null, { timeout: 120_000 });
    const sweep = await page.evaluate(() => {
      const pick = (r) => Object.fromEntries(Array.from(r.solvers, (s, i) => [`${s}:${r.evaluations[i]}`, r.w1[i]]));
      return { exact: pick(window.explorable.computed.solvers), network: pick(window.explorable.samples.solvers.result), count: window.explorable.samples.solvers.result.solvers.length };
    });
    assert.equal(sweep.count, 31, 'Euler 10 budgets, midpoint 8, Heun 8, RK4 5');
    // W₁ against the exact CDF of 100k samples carried by Euler on the exact field, from the project's
    // PyTorch re-run of the tutorial (float64, the tutorial's two-Gaussian target, N(0, 1) noise).
    const PYTORCH_EULER = { 5: 0.195, 10: 0.099, 20: 0.05, 50: 0.02, 100: 0.0095 };
    for (const [steps, reference] of Object.entries(PYTORCH_EULER)) {
      const got = sweep.exact[`euler:${steps}`];
      assert.ok(Math.abs(got / reference - 1) < 0.1, `Euler × ${steps} on the exact field: ${got} vs ${reference}`);
    }
    assert.ok(sweep.exact['rk4:100'] < 1e-3, `RK4 on the exact field: ${sweep.exact['rk4:100']}`);
    // The network levels off at its own error: 200 RK4 evaluations do no better than half of 50 Euler's.
    assert.ok(sweep.network['rk4:200'] > 0.3 * sweep.network['euler:50'], JSON.stringify(sweep.network));
    await frames(page);
    await page.screenshot({ path: `${SHOTS}chapter2-13-solvers.png` });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the solver menu and the exact-field toggle change the figures and the link', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=400&figure=learned-field');
  try {
    await finished(page);
    await page.waitForFunction(() => window.explorable.learned?.steps === 400, null, { timeout: 60_000 });
    // The toggle: figure 6 shows the exact field, and the link remembers it.
    await page.check('.fig[data-figure="learned-field"] [data-toggle="exact"]');
    await page.waitForFunction(() => location.hash.includes('exact'));
    await frames(page);
    const { checked, agree } = await heatmapAgreement(page, 'fig-learned-field', 'exact');
    assert.ok(checked > 30 && agree / checked > 0.95, `exact field colours agree on ${agree}/${checked}`);
    assert.equal(await page.isChecked('.fig[data-figure="euler-animation"] [data-toggle="exact"]'), true, 'figure 8 shares the toggle');
    await page.screenshot({ path: `${SHOTS}chapter2-06-exact.png` });

    // The solver: RK4 for the path table and the sampled figures, kept in the link.
    await show(page, 'path-table');
    await page.selectOption('#solver', 'rk4');
    await page.waitForFunction(() => location.hash.includes('solver=rk4'));
    assert.match(await page.textContent('#cap-path-table'), /RK4 steps of the network/);
    await show(page, 'reconstructed');
    await page.waitForFunction(() => window.explorable.samples.reconstructed.result?.solver === 'rk4', null, { timeout: 120_000 });
    assert.match(await page.textContent('#cap-reconstructed'), /50 RK4 steps/);

    // A fresh load of that link restores both.
    const hash = await page.evaluate(() => location.hash);
    await page.goto(`${server.url}${hash.replace('figure=reconstructed', 'figure=euler-animation')}`);
    await page.waitForFunction(() => window.explorable?.state?.solver === 'rk4');
    assert.equal(await page.inputValue('#solver'), 'rk4');
    assert.equal(await page.isChecked('.fig[data-figure="euler-animation"] [data-toggle="exact"]'), true);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function downloadFrom(page, name, action) {
  await page.click(`.fig[data-figure="${name}"] .share summary`);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`.fig[data-figure="${name}"] [data-share="${action}"]`)]);
  const bytes = await readFile(await file.path());
  await page.click(`.fig[data-figure="${name}"] .share summary`);
  return { bytes, filename: file.suggestedFilename() };
}

test('the share menu: link, embed code, a 2x PNG and a CSV of what is drawn', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=300&figure=learned-field');
  try {
    await finished(page);
    await page.waitForFunction(() => window.explorable.learned?.steps === 300, null, { timeout: 60_000 });
    const png = await downloadFrom(page, 'learned-field', 'png');
    assert.equal(png.filename, 'learned-field.png');
    const css = await page.evaluate(() => ({ w: document.getElementById('fig-learned-field').clientWidth, h: document.getElementById('fig-learned-field').clientHeight }));
    assert.deepEqual(pngSize(png.bytes), { width: 2 * css.w, height: 2 * css.h });

    const csv = (await downloadFrom(page, 'learned-field', 'csv')).bytes.toString('utf8').trim().split('\n');
    assert.equal(csv[0], 't,x,network_velocity');
    assert.equal(csv.length - 1, 101 * 200, 'one row per heatmap cell');
    const grid = await page.evaluate(() => Array.from(window.explorable.learned.grid.slice(0, 3)));
    csv.slice(1, 4).forEach((row, i) => assert.ok(Math.abs(Number(row.split(',')[2]) - grid[i]) < 1e-5, row));

    await page.click('.fig[data-figure="learned-field"] .share summary');
    await page.click('.fig[data-figure="learned-field"] [data-share="link"]');
    const link = await page.getAttribute('.fig[data-figure="learned-field"] .share', 'data-copied');
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#iterations=300&figure=learned-field$/);
    await page.click('.fig[data-figure="learned-field"] [data-share="embed"]');
    const embed = await page.getAttribute('.fig[data-figure="learned-field"] .share', 'data-copied');
    assert.match(embed, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#iterations=300&amp;figure=learned-field&amp;embed" title="Figure 6: [^"]+" style="width:100%;height:\d+px;border:0" loading="lazy"><\/iframe>$/);

    // The table figure: its CSV has one row per step, its PNG is the table drawn.
    await show(page, 'path-table');
    const table = (await downloadFrom(page, 'path-table', 'csv')).bytes.toString('utf8').trim().split('\n');
    assert.equal(table.length, 1 + 16);
    assert.ok(pngSize((await downloadFrom(page, 'path-table', 'png')).bytes).width > 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('an embedded figure sizes its iframe through postMessage', { timeout: 240_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.setContent(`<!doctype html><body><iframe id="f" src="${server.url}#figure=metrics&embed&iterations=500" style="width:900px;height:200px;border:0"></iframe>
      <script>window.heights = []; addEventListener('message', (e) => {
        const f = document.getElementById('f');
        if (e.source === f.contentWindow && e.data?.type === 'flow-matching-explorable:height') { window.heights.push(e.data); f.style.height = e.data.height + 'px'; }
      });</script></body>`);
    await page.waitForFunction(() => window.heights.length > 0, null, { timeout: 60_000 });
    const frame = page.frames().find((f) => f.url().includes('embed'));
    await frame.waitForFunction(() => window.explorable.metrics.points.length === 1, null, { timeout: 150_000 });
    await frames(frame);
    // The caption grows as numbers arrive: the latest message is the one that counts.
    const { figure, height } = await page.evaluate(() => window.heights.at(-1));
    assert.equal(figure, 'metrics');
    assert.ok(height > 450, `reported height ${height}`);
    assert.equal(await page.evaluate(() => document.getElementById('f').style.height), `${height}px`);
    assert.equal(await frame.evaluate(() => document.documentElement.scrollHeight), height, 'the iframe fits its content');
    await page.screenshot({ path: `${SHOTS}chapter2-embed-metrics.png` });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('WebGPU: the metrics and the solver sweep follow a GPU-trained network', { timeout: 300_000 }, async () => {
  // SwiftShader manages a few steps a second: 60 steps, and the final snapshot is a checkpoint.
  const { browser, page, errors } = await open('#iterations=60&lr=0.01&figure=metrics', 'webgpu');
  try {
    await page.waitForFunction(() => window.explorable.backend, null, { timeout: 60_000 });
    assert.equal(await page.getAttribute('#backend-badge', 'data-kind'), 'webgpu');
    await finished(page, 240_000);
    await page.waitForFunction(() => window.explorable.metrics.points.at(-1)?.steps === 60, null, { timeout: 60_000 });
    const point = await page.evaluate(() => window.explorable.metrics.points.at(-1));
    for (const net of ['averaged', 'latest']) assert.ok(Number.isFinite(point[net].w1) && Number.isFinite(point[net].nll), JSON.stringify(point));
    await show(page, 'solvers');
    await page.waitForFunction(() => window.explorable.samples.solvers.result?.trainedSteps === 60, null, { timeout: 120_000 });
    await page.screenshot({ path: `${SHOTS}chapter2-webgpu-solvers.png` });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('each new figure works alone in embed mode', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    const ready = {
      'field-error': () => window.explorable.learned?.steps === 100 && window.explorable.exact,
      metrics: () => window.explorable.metrics.points.at(-1)?.steps === 100,
      solvers: () => window.explorable.computed.solvers && window.explorable.samples.solvers.result?.trainedSteps === 100,
    };
    await checkEmbedded(server, page, ready, `${SHOTS}chapter2-embed`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('training on optimal-transport pairs: the loss drops far below the independent floor', { timeout: 240_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=400&coupling=ot&figure=loss');
  try {
    await finished(page);
    const losses = await page.evaluate(() => Array.from(window.explorable.run.losses));
    const tail = losses.slice(-50).reduce((a, b) => a + b, 0) / 50;
    // Independent pairs cannot go below 1.837; paired by rank, the paths of a batch never cross.
    assert.ok(tail < 1.0, `mean of the last 50 losses ${tail}`);
    assert.equal(await page.inputValue('#setting-coupling'), 'ot');
    assert.match(await page.textContent('#cap-loss'), /optimal transport/);
    console.log(`# OT pairs, 400 steps: mean loss of the last 50 steps ${tail.toFixed(3)} (independent floor 1.837)`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
