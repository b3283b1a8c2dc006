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
