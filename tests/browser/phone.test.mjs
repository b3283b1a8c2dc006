// The article on a phone held upright (390 × 844): the status bar is one short line whose controls
// are all on screen, the figures drawn as several panels stack them one per row across the canvas,
// and no figure is wider than the screen. At 1280 the same figures keep their panels side by side.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bringUp, openAt, STACKED, statusBar, wideFrames } from './phone.mjs';
import { SHOTS, useSite } from './site.mjs';

const server = useSite();

describe('phone (390 × 844)', () => {
  test('one-line status bar, stacked panels, nothing wider than the screen', { timeout: 240_000 }, async () => {
    const { browser, page, errors } = await openAt(server, 390, 844);
    try {
      const { bar, viewport, parts } = await statusBar(page);
      assert.ok(bar.height <= 60, `the status bar is ${bar.height.toFixed(0)} px tall`);
      for (const [id, box] of Object.entries(parts)) {
        assert.ok(box.width >= 20 && box.left >= 0 && box.right <= viewport + 0.5, `#${id} is not all on screen: ${JSON.stringify(box)}`);
        assert.ok(box.top >= bar.top && box.bottom <= bar.bottom + 0.5, `#${id} is outside the status bar`);
      }

      for (const [name, panels] of Object.entries(STACKED)) {
        await bringUp(page, name);
        // The couplings' path panels wait for their job: poll until every panel is drawn.
        let probe;
        const until = Date.now() + 90_000;
        do {
          probe = await wideFrames(page, `fig-${name}`);
          if (probe.frames >= panels) break;
          await page.waitForTimeout(500);
        } while (Date.now() < until);
        assert.ok(probe.width >= viewport - 40, `${name}: the canvas is ${probe.width} px wide on a ${viewport} px screen`);
        assert.ok(probe.height > probe.width * 1.2, `${name}: the canvas (${probe.width} × ${probe.height}) is not tall enough to stack`);
        assert.equal(probe.frames, panels, `${name}: ${probe.frames} frames span 70 % of the canvas, not ${panels}`);
        await page.locator(`#fig-${name}`).screenshot({ path: `${SHOTS}phone-390-${name}.png` });
      }

      const names = await page.$$eval('.step', (steps) => steps.map((s) => s.dataset.figure));
      for (const name of names) {
        await bringUp(page, name);
        const { right, scrollWidth } = await page.evaluate((name) => {
          const fig = document.querySelector(`.fig[data-figure="${name}"]`);
          const target = fig.querySelector('canvas') || fig;
          return { right: target.getBoundingClientRect().right, scrollWidth: document.documentElement.scrollWidth };
        }, name);
        assert.ok(right <= viewport + 0.5, `${name}: its canvas ends at ${right.toFixed(0)} px on a ${viewport} px screen`);
        assert.ok(scrollWidth <= viewport, `${name}: the page scrolls sideways (${scrollWidth} px)`);
      }
      assert.deepEqual(errors, [], 'console errors');
    } finally {
      await browser.close();
    }
  });
});

describe('desktop (1280 × 900)', () => {
  test('the multi-panel figures keep their panels side by side', { timeout: 120_000 }, async () => {
    const { browser, page, errors } = await openAt(server, 1280, 900);
    try {
      for (const name of Object.keys(STACKED)) {
        await bringUp(page, name);
        const probe = await wideFrames(page, `fig-${name}`);
        assert.ok(probe.height < probe.width, `${name}: the canvas is ${probe.width} × ${probe.height}`);
        assert.equal(probe.frames, 0, `${name}: ${probe.frames} frames span 70 % of the canvas`);
      }
      assert.deepEqual(errors, [], 'console errors');
    } finally {
      await browser.close();
    }
  });
});
