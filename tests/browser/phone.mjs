// What the phone checks share: open the article at a given screen size, bring a figure on screen, and
// read back from a canvas's pixels how wide its plot frames are.

import { launch } from './chromium.mjs';

/** The figures drawn as several panels: one per row on a phone. `panels`: how many frames each draws. */
export const STACKED = { metrics: 5, couplings: 5, reflow: 4 };

/** Opens the article at `width` × `height` (CSS pixels, device pixel ratio 1) on the CPU path. */
export async function openAt(server, width, height, hash = '#iterations=500') {
  const session = await launch('cpu', { viewport: { width, height } });
  await session.page.goto(`${server.url}${hash}`);
  await session.page.waitForFunction(() => document.querySelector('.fig[data-figure="densities"]')?.dataset.drawn === 'true', null, { timeout: 60_000 });
  return session;
}

/** Scrolls to the section of figure `name` and waits until the figure is shown and drawn. */
export async function bringUp(page, name) {
  await page.evaluate((name) => document.querySelector(`.step[data-figure="${name}"]`).scrollIntoView({ block: 'center' }), name);
  await page.waitForFunction(
    (name) => {
      const fig = document.querySelector(`.fig[data-figure="${name}"]`);
      return fig && getComputedStyle(fig).display !== 'none' && fig.dataset.drawn === 'true';
    },
    name,
    { timeout: 20_000 },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * The plot frames of a canvas, from its pixels: every row that holds an unbroken run of the frames'
 * grey (#666) at least `share` of the canvas wide is the top or bottom edge of a frame that wide.
 * Returns { width, height, edges, frames } (frames = edges / 2), in CSS pixels.
 */
export function wideFrames(page, canvasId, share = 0.7) {
  return page.evaluate(
    ({ canvasId, share }) => {
      const canvas = document.getElementById(canvasId);
      const ratio = canvas.width / canvas.clientWidth;
      const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const grey = (i) => data[i + 3] > 200 && Math.abs(data[i] - 0x66) < 24 && Math.abs(data[i + 1] - 0x66) < 24 && Math.abs(data[i + 2] - 0x66) < 24;
      let edges = 0;
      let previous = false;
      for (let y = 0; y < height; y++) {
        let run = 0;
        let longest = 0;
        for (let x = 0; x < width; x++) {
          run = grey((y * width + x) * 4) ? run + 1 : 0;
          longest = Math.max(longest, run);
        }
        const wide = longest >= share * width;
        if (wide && !previous) edges++;
        previous = wide;
      }
      return { width: width / ratio, height: height / ratio, edges, frames: edges / 2 };
    },
    { canvasId, share },
  );
}

/** The status bar's height and the boxes of its parts (CSS pixels). */
export function statusBar(page) {
  return page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    };
    const bar = document.querySelector('.status');
    return {
      bar: box(bar),
      viewport: window.innerWidth,
      parts: Object.fromEntries(['backend-badge', 'progress', 'pause', 'retrain', 'settings-toggle'].map((id) => [id, box(document.getElementById(id))])),
    };
  });
}
