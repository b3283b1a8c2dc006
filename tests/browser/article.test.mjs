// The article in a real browser (CPU backend, so that it runs anywhere): every step, every figure,
// every control, the URL state and the embed and reduced-motion modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { SHOTS, useSite } from './site.mjs';

const server = useSite();

async function open(hash, options = {}) {
  const session = await launch('cpu', options);
  await session.page.goto(`${server.url}${hash}`);
  await session.page.waitForFunction(() => window.explorable && window.explorable.run.id > 0, null, { timeout: 60_000 });
  return session;
}

/** Fraction of a canvas's pixels that differ from its top-left corner: 0 for a blank canvas. */
function inked(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById(id);
    if (!c.width || !c.height) return 0;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let differ = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) differ++;
    }
    return differ / (data.length / 28);
  }, id);
}

test('scrolling activates every step in order and draws every figure', { timeout: 420_000 }, async () => {
  const { browser, page, errors, offOrigin } = await open('#iterations=200');
  try {
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 120_000 });
    const figures = await page.$$eval('.step', (steps) => steps.map((s) => s.dataset.figure));
    assert.equal(figures.length, 20);
    for (const [i, name] of figures.entries()) {
      await page.evaluate((i) => {
        const step = document.querySelectorAll('.step')[i];
        window.scrollTo(0, step.offsetTop + step.offsetHeight / 2 - window.innerHeight / 2);
      }, i);
      await page.waitForFunction((name) => document.body.dataset.activeFigure === name, name, { timeout: 10_000 });
      // Figures computed in the figure worker: wait until their picture belongs to the final network.
      await page.waitForFunction(
        (name) => {
          const p = window.explorable;
          const fig = document.querySelector(`.fig[data-figure="${name}"]`);
          const sample = p.samples[name];
          return (
            fig.dataset.drawn === 'true' &&
            (!(name in p.samples) || (sample.result && sample.result.trainedSteps === p.run.steps && sample.progress == null)) &&
            (!['reference-paths', 'average-field', 'solvers', 'couplings'].includes(name) || p.computed[name]) &&
            (name !== 'reflow' || p.reflow.rounds[0]?.stats) &&
            (!['learned-field', 'euler-animation', 'field-error'].includes(name) || (p.learned && p.learned.steps === p.run.steps)) &&
            (name !== 'metrics' || p.metrics.points.at(-1)?.steps === p.run.steps) &&
            // Chapter four: its fixed results, and the plane network's flow once it has one.
            (!['plane-target', 'plane-flow'].includes(name) || p.computed['plane-flow']) &&
            (name !== 'plane-flow' || p.plane.results['plane-flow']) &&
            (!['plane-couplings', 'plane-measures'].includes(name) || p.computed[name])
          );
        },
        name,
        { timeout: 120_000 },
      );
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const canvas = await page.$(`.fig[data-figure="${name}"] canvas`);
      if (canvas) {
        const id = await canvas.getAttribute('id');
        const ink = await inked(page, id);
        assert.ok(ink > 0.02, `figure ${name} looks blank (${(ink * 100).toFixed(1)} % inked)`);
        const label = await canvas.getAttribute('aria-label');
        assert.match(label, /\d/, `figure ${name} has no numbers in its aria-label: ${label}`);
      } else {
        const rows = await page.$$eval('#path-table tbody tr', (r) => r.length);
        assert.equal(rows, 16, 'the path table has 15 steps plus the start');
      }
      const visible = await page.$$eval('.fig', (els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.dataset.figure));
      assert.deepEqual(visible, [name]);
      await page.screenshot({ path: `${SHOTS}article-${String(i + 1).padStart(2, '0')}-${name}.png` });
    }
    // Scrolling back restores the earlier figure.
    await page.evaluate(() => {
      const step = document.querySelector('.step[data-figure="reference-paths"]');
      window.scrollTo(0, step.offsetTop + step.offsetHeight / 2 - window.innerHeight / 2);
    });
    await page.waitForFunction(() => document.body.dataset.activeFigure === 'reference-paths', null, { timeout: 10_000 });
    const recon = await page.evaluate(() => window.explorable.samples.reconstructed.result);
    console.log(`# reconstructed samples after 200 steps: W1 ${recon.w1.toFixed(3)}, KS ${recon.ks.toFixed(3)} (${recon.count} samples)`);
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('dragging in figure 3 moves x_t', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=20&figure=velocity-target');
  try {
    // The backend's note in the status bar moves the figure down: measure after it is shown.
    await page.waitForFunction(() => document.body.dataset.activeFigure === 'velocity-target' && window.explorable.backend);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const before = Number(await page.getAttribute('#fig-velocity-target', 'data-xt'));
    // Grab x₁ (right edge, at x = −1.92) and drag it up to about x = +1.5.
    const handle = await page.evaluate(async () => {
      const { layout } = await import('./js/figures/velocity-target.js');
      const c = document.getElementById('fig-velocity-target');
      const r = c.getBoundingClientRect();
      const box = layout(c.clientWidth, c.clientHeight);
      const py = (x) => box.top + box.height - ((x + 2.5) / 5) * box.height;
      return { x: r.left + box.left + box.width, y: r.top + py(-1.92), up: r.top + py(1.5) };
    });
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move(handle.x, handle.up, { steps: 5 });
    await page.mouse.up();
    const afterDrag = Number(await page.getAttribute('#fig-velocity-target', 'data-xt'));
    // x_t = 0.33·1.32 + 0.67·x₁ moves by 0.67 × 3.42 ≈ 2.3.
    assert.ok(afterDrag - before > 1.5, `x_t moved from ${before} to ${afterDrag}`);
    assert.match(await page.getAttribute('#fig-velocity-target', 'aria-label'), /x_t = /);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the scrubber moves t and the path table, from the keyboard', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=100&figure=path-table');
  try {
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 60_000 });
    await page.waitForSelector('#path-table tbody tr.current');
    // The table redraws on the next animation frame after each change.
    const current = async () => {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      return page.$eval('#path-table tbody tr.current td', (td) => Number(td.textContent));
    };
    assert.equal(await current(), 15);
    await page.focus('#scrubber');
    await page.keyboard.press('Home');
    assert.equal(await current(), 0);
    assert.match(await page.textContent('#scrubber-readout'), /t = 0\.00/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await current(), 2);
    assert.match(location(await page.url()), /t=0\.13/);
    await page.keyboard.press('End');
    assert.equal(await current(), 15);
    // More Euler steps: the table grows and the scrubber's range follows.
    await page.fill('#euler-steps', '40');
    await page.press('#euler-steps', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#path-table tbody tr').length === 41);
    await page.fill('#euler-steps', '500');
    await page.press('#euler-steps', 'Enter');
    assert.match(await page.textContent('#euler-steps-error'), /from 1 to 200/);
    assert.equal(await page.$$eval('#path-table tbody tr', (r) => r.length), 41);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('dragging the start point in figure 8 moves x₀, the path and the link', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=100&figure=euler-animation');
  try {
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 60_000 });
    const start = await page.evaluate(async () => {
      const { fieldLayout, FIELD } = await import('./js/figures/field-figure.js');
      const c = document.getElementById('fig-euler-animation');
      const r = c.getBoundingClientRect();
      const box = fieldLayout(c.clientWidth, c.clientHeight).main;
      const py = (x) => box.top + box.height - ((x - FIELD.lo) / (FIELD.hi - FIELD.lo)) * box.height;
      return { x: r.left + box.left + 2, y: r.top + py(0.85), to: r.top + py(-1.5) };
    });
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x, start.to, { steps: 4 });
    await page.mouse.up();
    const x0 = await page.evaluate(() => window.explorable.state.x0);
    assert.ok(Math.abs(x0 + 1.5) < 0.1, `x₀ is ${x0} after dragging to −1.5`);
    const path = await page.evaluate(() => window.explorable.integration.path);
    assert.equal(path[0], x0);
    assert.match(location(page.url()), /x0=-1\.[45]/);
    assert.match(await page.getAttribute('#fig-euler-animation', 'aria-label'), /x0 = -1\.[45]/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

function location(url) {
  return decodeURIComponent(new URL(url).hash);
}

test('Retrain starts a new run with a new seed and resets the loss curve', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=100000&figure=loss');
  try {
    await page.waitForFunction(() => window.explorable.run.losses.length > 300, null, { timeout: 60_000 });
    const seedBefore = await page.evaluate(() => window.explorable.state.seed);
    await page.click('#retrain');
    const after = await page.evaluate(() => ({ n: window.explorable.run.losses.length, seed: window.explorable.state.seed }));
    assert.ok(after.n < 50, `loss curve not reset (${after.n} points)`);
    assert.equal(after.seed, seedBefore + 1);
    assert.match(location(page.url()), new RegExp(`seed=${seedBefore + 1}`));
    await page.waitForFunction(() => window.explorable.run.losses.length > 20);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('Pause stops training and Resume continues it', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=100000&figure=loss');
  try {
    await page.waitForFunction(() => window.explorable.run.steps > 50, null, { timeout: 60_000 });
    await page.click('#pause');
    assert.equal(await page.getAttribute('#pause', 'aria-pressed'), 'true');
    await page.waitForTimeout(300); // a chunk already in flight may still land
    const paused = await page.evaluate(() => window.explorable.run.steps);
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => window.explorable.run.steps), paused, 'steps advanced while paused');
    await page.click('#pause');
    assert.equal(await page.textContent('#pause'), 'Pause');
    await page.waitForFunction((s) => window.explorable.run.steps > s + 20, paused, { timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('an invalid setting shows its message and training continues with the old value', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=100000&figure=loss');
  try {
    await page.waitForFunction(() => window.explorable.run.steps > 50, null, { timeout: 60_000 });
    await page.click('#settings-toggle');
    await page.fill('#setting-lr', 'fast');
    await page.fill('#setting-batch', '0');
    await page.click('#settings button[type="submit"]');
    assert.match(await page.textContent('#setting-lr-error'), /not a number/);
    assert.match(await page.textContent('#setting-batch-error'), /from 1 to 4096/);
    assert.equal(await page.getAttribute('#setting-lr', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#message'), /Not applied/);
    const steps = await page.evaluate(() => window.explorable.run.steps);
    await page.waitForFunction((s) => window.explorable.run.steps > s + 50, steps, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.explorable.state.lr), 0.001);
    assert.equal(await page.evaluate(() => document.body.dataset.training), 'running');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a diverging run is stopped and explained, and the tutorial settings recover', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#lr=10&iterations=2000&figure=loss');
  try {
    await page.waitForFunction(() => document.body.dataset.training === 'diverged', null, { timeout: 60_000 });
    assert.match(await page.textContent('#message'), /diverged/);
    await page.click('#settings-toggle');
    await page.click('#settings-reset');
    assert.equal(await page.evaluate(() => document.body.dataset.training), 'running');
    assert.equal(await page.evaluate(() => window.explorable.state.lr), 0.001);
    await page.waitForFunction(() => window.explorable.run.steps > 20);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a malformed link falls back to defaults with a message', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#lr=banana&batch=%E0%A4%A&hidden=9999&<img src=x onerror=alert(1)>=1&figure=nope');
  try {
    const message = await page.textContent('#message');
    assert.match(message, /learning rate/);
    assert.match(message, /hidden width/);
    assert.match(message, /unknown setting/);
    const state = await page.evaluate(() => window.explorable.state);
    assert.equal(state.lr, 0.001);
    assert.equal(state.batch, 256);
    assert.equal(state.hidden, 64);
    assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'URL text became HTML');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('embed mode shows exactly one figure', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#figure=learned-field&embed&iterations=200', { viewport: { width: 640, height: 480 } });
  try {
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="learned-field"]').dataset.drawn === 'true', null, { timeout: 60_000 });
    const visible = await page.$$eval('.fig', (els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.dataset.figure));
    assert.deepEqual(visible, ['learned-field']);
    assert.equal(await page.$$eval('.step', (els) => els.filter((e) => e.checkVisibility()).length), 0);
    const box = await page.$eval('#fig-learned-field', (c) => c.getBoundingClientRect().height);
    assert.ok(box > 300, `embedded figure is only ${box}px tall in a 480px frame`);
    await page.screenshot({ path: `${SHOTS}embed-learned-field.png` });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('with reduced motion, Play shows the final frame without animating', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=50&figure=euler-animation&t=0', { reducedMotion: 'reduce' });
  try {
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 60_000 });
    assert.equal(await page.inputValue('#scrubber'), '0');
    await page.click('#play');
    assert.equal(await page.inputValue('#scrubber'), '15');
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.body.dataset.animating), undefined);
    assert.equal(await page.inputValue('#scrubber'), '15');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('on a phone-sized screen the figure sits above the text', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await open('#iterations=50', { viewport: { width: 390, height: 844 } });
  try {
    const fig = await page.$eval('.figures', (e) => e.getBoundingClientRect());
    const step = await page.$eval('.step', (e) => e.getBoundingClientRect());
    assert.ok(fig.width <= 390 && fig.top < step.top, 'figure column should stack above the steps');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'page scrolls sideways');
    await page.screenshot({ path: `${SHOTS}phone.png` });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
