// The walking skeleton in a real browser: the page loads, names its backend, trains, and draws a
// learned field whose colours agree with the exact field's sign. Runs once with WebGPU (SwiftShader)
// and once without (burn's CPU backend).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { heatmapAgreement } from './heatmap-probe.mjs';
import { launch } from './chromium.mjs';
import { SHOTS, useSite } from './site.mjs';

// SwiftShader (software WebGPU) manages a few steps a second, so that mode trains 60 steps at a
// learning rate of 0.01, enough for the field's shape; the CPU mode trains 300 at the tutorial's 1e-3.
const PLAN = {
  webgpu: { steps: 60, hash: 'lr=0.01', badge: /WebGPU/, timeout: 240_000 },
  cpu: { steps: 300, hash: 'lr=0.001', badge: /CPU/, timeout: 180_000 },
};

const server = useSite();

for (const mode of Object.keys(PLAN)) {
  const plan = PLAN[mode];
  describe(`skeleton (${mode})`, () => {
    test('trains in the page and draws the learned field', { timeout: plan.timeout }, async () => {
      const { browser, page, errors, offOrigin } = await launch(mode);
      try {
        await page.goto(`${server.url}#iterations=${plan.steps}&${plan.hash}&figure=learned-field`);
        // The engine worker reports its backend once burn has started.
        await page.waitForFunction(() => window.explorable && window.explorable.backend, null, { timeout: 60_000 });
        const badge = await page.locator('#backend-badge').textContent();
        assert.match(badge, plan.badge, `badge says "${badge}"`);
        assert.equal(await page.locator('#backend-badge').getAttribute('data-kind'), mode);

        await page.waitForFunction(() => document.body.dataset.training === 'finished', null, { timeout: plan.timeout - 30_000 });
        const losses = await page.evaluate(() => Array.from(window.explorable.run.losses));
        assert.equal(losses.length, plan.steps);
        const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const head = mean(losses.slice(0, 10));
        const tail = mean(losses.slice(-10));
        assert.ok(tail < head, `loss did not fall: first 10 steps ${head.toFixed(3)}, last 10 ${tail.toFixed(3)}`);

        const progress = await page.locator('#progress').textContent();
        assert.match(progress, new RegExp(`${plan.steps} / ${plan.steps} steps`));

        // The learned field drawn is the one of the final network.
        await page.waitForFunction(
          () => {
            const p = window.explorable;
            return p.learned && p.learned.steps === p.run.steps && document.querySelector('.fig[data-figure="learned-field"]').dataset.drawn === 'true';
          },
          null,
          { timeout: 60_000 },
        );
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const { checked, agree } = await heatmapAgreement(page, 'fig-learned-field', 'exact');
        assert.ok(checked > 50, `too few strong cells checked (${checked})`);
        assert.ok(agree / checked > 0.85, `heatmap sign agrees with the exact field on ${agree}/${checked} strong cells`);
        console.log(`# ${mode}: loss ${head.toFixed(3)} → ${tail.toFixed(3)}; heatmap sign agreement ${agree}/${checked}`);

        await page.screenshot({ path: `${SHOTS}skeleton-${mode}.png`, fullPage: true });
        assert.deepEqual(offOrigin, [], 'requests left the page origin');
        assert.deepEqual(errors, [], 'console errors');
      } finally {
        await browser.close();
      }
    });
  });
}
