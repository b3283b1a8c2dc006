// A reader's tab never ends blank or frozen: a lost GPU or a panicking engine is replaced and
// training resumes; links pasted into an open tab are applied with the same validation; a hidden
// tab stops training and resumes; the page runs under a strict Content-Security-Policy; memory
// stays flat across retrains.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { useSite } from './site.mjs';

const server = useSite();

// The engine's worker, under its content-hashed name (workers/engine-<hash>.js).
const engineWorker = (page) => page.workers().find((w) => /workers\/engine(-[0-9a-f]+)?\.js/.test(w.url()));

/** Chromium flags for exact heap figures and a `gc()` the page can call. */
const MEMORY_FLAGS = ['--js-flags=--expose-gc', '--enable-precise-memory-info'];

/** The page's JS heap after two collections, and the engine worker's wasm memory, at the current step. */
const measureMemory = (page) =>
  page.evaluate(async () => {
    window.gc();
    await new Promise((r) => setTimeout(r, 100));
    window.gc();
    return { steps: window.explorable.run.steps, js: performance.memory.usedJSHeapSize, wasm: window.explorable.run.engineMemory };
  });

const mb = (m) => `JS ${(m.js / 1e6).toFixed(2)} MB, engine wasm ${(m.wasm / 1e6).toFixed(1)} MB`;
const expected = (e) => !/a panic forced by a test|device was lost|Device( is)? lost|destroyed/i.test(e);

test('a lost GPU device: training continues on the CPU within 5 s', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('webgpu');
  try {
    await page.goto(`${server.url}#iterations=100000&lr=0.01&figure=loss`);
    await page.waitForFunction(() => window.explorable.backend?.kind === 'webgpu' && window.explorable.run.steps >= 2, null, { timeout: 180_000 });
    const runBefore = await page.evaluate(() => window.explorable.run.id);
    const lost = Date.now();
    await engineWorker(page).evaluate(() => self.__engineDevices.at(-1).destroy());
    await page.waitForFunction((run) => window.explorable.run.id > run && window.explorable.backend?.kind === 'cpu' && window.explorable.run.steps > 0, runBefore, { timeout: 30_000 });
    const recovered = Date.now() - lost;
    console.log(`# lost GPU device → training on the CPU after ${recovered} ms`);
    assert.match(await page.textContent('#message'), /GPU stopped responding.*restarted on the CPU/);
    assert.match(await page.textContent('#backend-badge'), /CPU/);
    assert.ok(recovered < 5000, `recovery took ${recovered} ms`);
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="loss"]').dataset.drawn === 'true');
    assert.deepEqual(errors.filter(expected), []);
  } finally {
    await browser.close();
  }
});

test('a panic in the engine: the worker is replaced and training restarts', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.goto(`${server.url}#iterations=100000&figure=loss`);
    await page.waitForFunction(() => window.explorable.run.steps > 20, null, { timeout: 60_000 });
    const runBefore = await page.evaluate(() => window.explorable.run.id);
    await engineWorker(page).evaluate(() => self.dispatchEvent(new MessageEvent('message', { data: { type: 'panic' } })));
    await page.waitForFunction((run) => window.explorable.run.id > run && window.explorable.run.steps > 20, runBefore, { timeout: 30_000 });
    assert.match(await page.textContent('#message'), /training engine stopped.*restarted with the same settings/);
    assert.equal(await page.evaluate(() => document.body.dataset.training), 'running');
    assert.deepEqual(errors.filter(expected), []);
  } finally {
    await browser.close();
  }
});

test('a link pasted into the open tab is applied, and hostile ones are refused safely', { timeout: 180_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.goto(`${server.url}#iterations=100000&figure=loss`);
    await page.waitForFunction(() => window.explorable.run.steps > 10, null, { timeout: 60_000 });
    const runBefore = await page.evaluate(() => window.explorable.run.id);
    await page.evaluate(() => (location.hash = '#lr=0.003&iterations=500&eulerSteps=40'));
    await page.waitForFunction((run) => window.explorable.run.id === run + 1, runBefore);
    assert.equal(await page.inputValue('#setting-lr'), '0.003');
    assert.equal(await page.inputValue('#euler-steps'), '40');
    const hostile = ['#lr=<img src=x onerror=alert(1)>', '#%E0%A4%A', '#hidden=1e999&batch=-1', `#seed=${'9'.repeat(5000)}`, '#figure=<script>alert(1)</script>', '#__proto__=1&constructor=2', '#x0=NaN&t=Infinity', '#💥=💥'];
    for (let i = 0; i < 50; i++) {
      const hash = hostile[i % hostile.length] + (i >= hostile.length ? `&eulerSteps=${i}` : '');
      await page.evaluate((h) => (location.hash = h), hash);
      await page.waitForTimeout(20);
    }
    const state = await page.evaluate(() => window.explorable.state);
    assert.equal(state.lr, 0.001);
    assert.ok(Number.isInteger(state.eulerSteps) && state.eulerSteps >= 1 && state.eulerSteps <= 200);
    assert.equal(await page.$$eval('img, script:not([src])', (els) => els.length), 0, 'text from a link became HTML');
    assert.ok((await page.textContent('#message')).length < 1200);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a hidden tab pauses training after its grace period and resumes when shown', { timeout: 120_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.goto(`${server.url}#iterations=100000&figure=loss`);
    await page.waitForFunction(() => window.explorable.run.steps > 10, null, { timeout: 60_000 });
    const setHidden = (hidden) =>
      page.evaluate((hidden) => {
        Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
        Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await page.waitForFunction(() => document.body.dataset.hiddenPause === 'true', null, { timeout: 20_000 });
    await page.waitForTimeout(500);
    const paused = await page.evaluate(() => window.explorable.run.steps);
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.explorable.run.steps), paused, 'training went on in a hidden tab');
    await setHidden(false);
    await page.waitForFunction((s) => window.explorable.run.steps > s + 20, paused, { timeout: 20_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the article runs under its Content-Security-Policy with no violation', { timeout: 180_000 }, async () => {
  const { browser, context, page, errors } = await launch('cpu');
  try {
    await context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${server.url}#iterations=300`);
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 90_000 });
    for (const name of await page.$$eval('.step', (steps) => steps.map((s) => s.dataset.figure))) {
      await page.evaluate((name) => document.querySelector(`.step[data-figure="${name}"]`).scrollIntoView({ block: 'center' }), name);
      await page.waitForFunction((name) => document.querySelector(`.fig[data-figure="${name}"]`).dataset.drawn === 'true', name);
    }
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('memory stays flat across 30 retrains', { timeout: 300_000 }, async () => {
  const { browser, page, errors } = await launch('cpu', { args: MEMORY_FLAGS });
  try {
    await page.goto(`${server.url}#iterations=300&figure=loss`);
    const finished = (run) => page.waitForFunction((run) => window.explorable.run.id === run && document.body.dataset.training === 'finished', run, { timeout: 60_000 });
    await finished(1);
    const first = await measureMemory(page);
    const levels = [];
    for (let run = 2; run <= 31; run++) {
      await page.click('#retrain');
      await finished(run);
      if (run % 10 === 1) levels.push(await measureMemory(page));
    }
    console.log(`# memory after the first run: ${mb(first)}; after 10, 20, 30 retrains: ${levels.map(mb).join('; ')}`);
    // The first retrain warms up code that one run never ran; after that nothing may grow with runs.
    const [ten, , thirty] = levels;
    assert.ok(thirty.wasm <= first.wasm * 1.1, `engine wasm memory grew from ${first.wasm} to ${thirty.wasm}`);
    assert.ok(thirty.js <= ten.js * 1.1, `JS heap grew from ${ten.js} after 10 retrains to ${thirty.js} after 30`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('memory stays flat over a 100,000-step run', { timeout: 300_000 }, async () => {
  // A small network (8 units, batch 32) takes every per-step code path of the default one at a
  // fraction of its cost, so 100,000 steps fit in a test.
  const { browser, page, errors } = await launch('cpu', { args: MEMORY_FLAGS });
  try {
    await page.goto(`${server.url}#iterations=100000&hidden=8&batch=32&figure=loss`);
    await page.waitForFunction(() => window.explorable.run.steps >= 5000, null, { timeout: 120_000 });
    const early = await measureMemory(page);
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 280_000 });
    const end = await measureMemory(page);
    console.log(`# memory at step ${early.steps}: ${mb(early)}; at step ${end.steps}: ${mb(end)}`);
    assert.equal(end.steps, 100_000);
    assert.ok(end.wasm <= early.wasm * 1.1, `engine wasm memory grew from ${early.wasm} to ${end.wasm}`);
    assert.ok(end.js <= early.js * 1.1, `JS heap grew from ${early.js} to ${end.js}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('settings at the edges of their ranges run without a crash', { timeout: 180_000 }, async () => {
  const { browser, page, errors } = await launch('cpu');
  try {
    // The widest network on the largest batch at the smallest learning rate: slow steps, no crash.
    await page.goto(`${server.url}#hidden=256&batch=4096&iterations=3&lr=0.000001&figure=learned-field`);
    await page.waitForFunction(() => document.body.dataset.training === 'finished' && window.explorable.learned, null, { timeout: 150_000 });
    const run = await page.evaluate(() => ({ steps: window.explorable.run.steps, losses: Array.from(window.explorable.run.losses), hidden: window.explorable.snapshot.hidden }));
    assert.equal(run.steps, 3);
    assert.equal(run.hidden, 256);
    assert.ok(run.losses.every(Number.isFinite));
    // The longest run starts as well as any other.
    await page.evaluate(() => (location.hash = '#iterations=100000&batch=1&hidden=1&figure=loss'));
    await page.waitForFunction(() => window.explorable.run.total === 100000 && window.explorable.run.steps > 100, null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
