// Deploying the built site: a returning reader whose browser cached an earlier build never runs it
// mixed with a new one, and the site works under any path of a static host.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const DIST = process.env.DIST || new URL('../../dist/', import.meta.url).pathname;
const HASH = new URL('../trunk-hash.mjs', import.meta.url).pathname;

const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

/**
 * Build B from build A as a rebuild would make it: A's files back under their source names (each
 * hashed name in the text replaced by its source name), one module changed, hashed again.
 */
function rebuildWithChange(a, b, change) {
  cpSync(a, b, { recursive: true });
  const manifest = manifestOf(b);
  const names = Object.entries(manifest).map(([from, to]) => [basename(to), basename(from)]);
  const unhash = (text) => names.reduce((t, [hashed, source]) => t.replaceAll(hashed, source), text);
  for (const [from, to] of Object.entries(manifest)) {
    if (to.endsWith('.js')) writeFileSync(join(b, from), unhash(readFileSync(join(b, to), 'utf8')));
    else cpSync(join(b, to), join(b, from));
    rmSync(join(b, to));
  }
  writeFileSync(join(b, 'index.html'), unhash(readFileSync(join(b, 'index.html'), 'utf8')));
  rmSync(join(b, 'manifest.json'));
  change(b);
  execFileSync('node', [HASH, b]);
}

/** Every resource the page and its workers fetched, as paths relative to the site. */
async function fetched(page, origin) {
  const paths = (entries) => entries.map((u) => new URL(u).pathname.replace(origin, ''));
  const main = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const workers = [];
  for (const w of page.workers()) workers.push(...(await w.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)).catch(() => [])));
  return paths([...main, ...workers]).filter((p) => p && p !== '/');
}

test('a redeploy with a changed module: after a reload only the new build runs, from cache where unchanged', { timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'deploy-'));
  const [a, b, live] = ['a', 'b', 'live'].map((n) => join(work, n));
  try {
    cpSync(DIST, a, { recursive: true });
    const marked = 'js/status-bar.js';
    rebuildWithChange(a, b, (dir) => writeFileSync(join(dir, marked), `${readFileSync(join(dir, marked), 'utf8')}\ndocument.body.dataset.build = 'B';\n`));
    const [ma, mb] = [manifestOf(a), manifestOf(b)];
    assert.notEqual(ma[marked], mb[marked], 'the changed module has a new name');
    assert.notEqual(ma['js/main.js'], mb['js/main.js'], 'so do the modules that import it, up to main.js');
    assert.equal(ma['pkg/flow-web-engine_bg.wasm'], mb['pkg/flow-web-engine_bg.wasm'], 'an unchanged file keeps its name');

    cpSync(a, live, { recursive: true });
    const server = await serve(live, 0, { cache: true });
    const { browser, page, errors } = await launch('cpu');
    try {
      await page.goto(server.url);
      await page.waitForFunction(() => window.explorable?.run.steps > 0, null, { timeout: 120_000 });
      assert.equal(await page.evaluate(() => document.body.dataset.build), undefined);
      // The host swaps in build B while the reader's tab is open, and the reader reloads.
      rmSync(live, { recursive: true });
      cpSync(b, live, { recursive: true });
      await server.reload();
      const before = server.requests.length;
      await page.reload();
      await page.waitForFunction(() => window.explorable?.run.steps > 0, null, { timeout: 120_000 });
      assert.equal(await page.evaluate(() => document.body.dataset.build), 'B');
      const origin = new URL(server.url).pathname.replace(/\/$/, '');
      const bFiles = new Set(Object.values(mb).map((p) => `/${p}`));
      const used = await fetched(page, origin);
      const foreign = used.filter((p) => !bFiles.has(p) && !/\/style-[0-9a-f]+\.css$/.test(p));
      assert.deepEqual(foreign, [], 'every file the page and its workers use is one of build B');
      // Unchanged files came from the browser's cache, not the server. (Not the 12 MB engine: a
      // headless context's in-memory cache keeps no entry that large.)
      const asked = server.requests.slice(before);
      for (const unchanged of ['pkg/flow-web-math_bg.wasm', 'js/plot.js', 'js/workers/kinds.js']) {
        assert.equal(ma[unchanged], mb[unchanged], unchanged);
        assert.ok(!asked.some((u) => u.includes(mb[unchanged])), `${unchanged} asked again: ${asked.join(', ')}`);
      }
      assert.ok(asked.some((u) => u.includes(mb[marked])), 'the changed module is fetched');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('served under a sub-path, the site loads, trains and embeds a figure', { timeout: 180_000 }, async () => {
  const base = '/some/sub/path/';
  const server = await serve(DIST, 0, { base });
  const { browser, page, errors } = await launch('cpu');
  try {
    await page.goto(`${server.url}#iterations=200`);
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 120_000 });
    await page.goto('about:blank');
    await page.goto(`${server.url}#figure=loss&embed&iterations=100`);
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="loss"]')?.dataset.drawn === 'true' && document.body.dataset.training === 'finished', null, { timeout: 120_000 });
    const outside = server.requests.filter((u) => !u.startsWith(base));
    assert.deepEqual(outside, [], 'nothing is asked for outside the sub-path');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
