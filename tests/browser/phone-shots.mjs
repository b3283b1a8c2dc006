// Screenshots of the article at phone and desktop sizes, to look at by eye:
//   node tests/browser/phone-shots.mjs [out-dir (/tmp/shots)] [figure,figure,…]
// For each size (360 × 800, 390 × 844, 1280 × 900): the screen with each figure on it, as a reader
// sees it (`{size}-{figure}-screen.png`), and the whole figure (`{size}-{figure}.png`, the figure
// column let out to its full height). Serves dist/ (build it first: `trunk build`).

import { mkdir } from 'node:fs/promises';
import { serve } from './server.mjs';
import { bringUp, openAt } from './phone.mjs';

const out = process.argv[2] || '/tmp/shots';
const only = process.argv[3] ? process.argv[3].split(',') : null;
const SIZES = [
  [360, 800],
  [390, 844],
  [1280, 900],
];

await mkdir(out, { recursive: true });
const server = await serve(new URL('../../dist/', import.meta.url).pathname);
try {
  for (const [width, height] of SIZES) {
    const { browser, page, errors } = await openAt(server, width, height, '#iterations=1000');
    try {
      await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: 180_000 }).catch(() => console.log('training did not finish in 3 minutes'));
      const names = only || (await page.$$eval('.step', (steps) => steps.map((s) => s.dataset.figure)));
      for (const name of names) {
        await bringUp(page, name);
        await page.waitForTimeout(name === 'couplings' || name === 'reflow' || name === 'solvers' ? 4000 : 500);
        await page.screenshot({ path: `${out}/${width}-${name}-screen.png` });
        await page.evaluate(() => Object.assign(document.querySelector('.figures').style, { maxHeight: 'none', overflow: 'visible' }));
        await page.locator(`.fig[data-figure="${name}"]`).screenshot({ path: `${out}/${width}-${name}.png` });
        await page.evaluate(() => Object.assign(document.querySelector('.figures').style, { maxHeight: '', overflow: '' }));
      }
      const status = await page.evaluate(() => document.querySelector('.status').getBoundingClientRect().height);
      console.log(`${width} × ${height}: status bar ${status.toFixed(0)} px; ${errors.length} console errors${errors.length ? `: ${errors.join(' | ')}` : ''}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
