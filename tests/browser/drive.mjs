// Small steps the browser tests share: open the built page, wait for training to end, let two
// frames pass, scroll a figure into view.

import { launch } from './chromium.mjs';

/** Opens `hash` on the served site in a fresh browser; resolves once the first run has started. */
export async function open(server, hash, mode = 'cpu') {
  const session = await launch(mode);
  await session.page.goto(`${server.url}${hash}`);
  await session.page.waitForFunction(() => window.explorable && window.explorable.run.id > 0, null, { timeout: 60_000 });
  return session;
}

export const finished = (page, timeout = 180_000) => page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout });

export const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

export async function show(page, name) {
  await page.evaluate((name) => document.querySelector(`.step[data-figure="${name}"]`).scrollIntoView({ block: 'center' }), name);
  await page.waitForFunction((name) => document.body.dataset.activeFigure === name, name, { timeout: 10_000 });
}

/**
 * Opens each figure of `ready` ({ name: predicate run in the page }) alone in embed mode on `page`,
 * waits for its run to finish and the predicate to hold, checks that it is the only figure shown and
 * describes itself with numbers, and saves a screenshot `{prefix}-{name}.png`. `check(name)` adds
 * a figure's own checks.
 */
export async function checkEmbedded(server, page, ready, prefix, check = async () => {}) {
  for (const [name, done] of Object.entries(ready)) {
    await page.goto(`${server.url}#figure=${name}&embed&iterations=100`);
    await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 120_000 });
    await page.waitForFunction(done, null, { timeout: 120_000 });
    await frames(page);
    const visible = await page.$$eval('.fig', (els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.dataset.figure));
    if (JSON.stringify(visible) !== JSON.stringify([name])) throw new Error(`embedding ${name} shows ${visible.join(', ')}`);
    if (!/\d/.test(await page.getAttribute(`#fig-${name}`, 'aria-label'))) throw new Error(`${name} describes no numbers`);
    await check(name);
    await page.screenshot({ path: `${prefix}-${name}.png` });
    // A new hash would be applied in place; reload so that each figure starts from nothing.
    await page.goto('about:blank');
  }
}
