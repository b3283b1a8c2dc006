// Checks `trunk serve` as a developer uses it: how long a warm start takes to serve, that the page
// runs there under its strict Content-Security-Policy with no violation, and that an edit to www/
// reloads the open page by itself. Not part of the test suite (it edits www/ for a moment and takes
// the cargo lock); run it by hand: node tests/browser/live-reload.mjs [port]
// Prints what it measured; exits non-zero if the page did not reload or a violation was reported.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { launch } from './chromium.mjs';

const port = Number(process.argv[2] || 8091);
const url = `http://127.0.0.1:${port}/`;
const PROSE = new URL('../../www/style.css', import.meta.url);

async function servedWithin(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok && (await r.text()).includes('live-reload-')) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const started = Date.now();
const trunk = spawn('trunk', ['serve', '--release', 'false', '--port', String(port)], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, TRUNK_SKIP_VERSION_CHECK: 'true' } });
const original = readFileSync(PROSE, 'utf8');
let failed = false;
try {
  if (!(await servedWithin(600_000))) throw new Error('trunk serve did not serve the page');
  console.log(`# trunk serve: serving after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const { browser, context, page, errors } = await launch('cpu');
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.explorable?.run.steps > 0, null, { timeout: 120_000 });
    await page.evaluate(() => (window.__before = true));
    const edited = Date.now();
    writeFileSync(PROSE, `${original}\n/* live-reload check */\n`);
    await page.waitForFunction(() => !window.__before && window.explorable?.run.id > 0, null, { timeout: 300_000, polling: 500 });
    console.log(`# an edit to www/ reloaded the page after ${((Date.now() - edited) / 1000).toFixed(1)} s`);
    const violations = await page.evaluate(() => window.__violations);
    console.log(`# CSP violations: ${violations.length}${violations.length ? `: ${violations.join('; ')}` : ''}; console errors: ${errors.length}`);
    failed = violations.length > 0 || errors.length > 0;
  } finally {
    await browser.close();
  }
} catch (e) {
  console.error(e.message);
  failed = true;
} finally {
  writeFileSync(PROSE, original);
  trunk.kill();
}
process.exit(failed ? 1 : 0);
