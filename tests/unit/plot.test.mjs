// Plot helpers that need no canvas: tick placement, number formatting, and titles fitted to their
// panel (a fake context measures 0.6 × font size per character).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitText, format, linspace, ticks } from '../../www/js/plot.js';

test('ticks are round, cover the range and stay inside it', () => {
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
  assert.deepEqual(ticks(-2.2, 2.2, 4), [-2, 0, 2]);
  assert.deepEqual(ticks(0, 10_000, 5), [0, 2000, 4000, 6000, 8000, 10000]);
  assert.deepEqual(ticks(3, 3), [3]);
  for (const [lo, hi] of [[-3, 3], [0, 1.837], [1e-4, 3e-4]]) {
    for (const v of ticks(lo, hi)) assert.ok(v >= lo - 1e-9 && v <= hi + 1e-9);
  }
});

test('numbers are formatted for axes', () => {
  assert.equal(format(0), '0');
  assert.equal(format(12000), '12,000');
  assert.equal(format(2.5), '2.5');
  assert.equal(format(0.12345), '0.123');
  assert.deepEqual(linspace(-1, 1, 3), [-1, 0, 1]);
});

function fakeContext() {
  const drawn = [];
  return {
    drawn,
    font: '',
    measureText(text) {
      const size = Number(/(\d+)px/.exec(this.font)[1]);
      return { width: [...text].length * size * 0.6 };
    },
    fillText(text) {
      drawn.push({ text, width: this.measureText(text).width, font: this.font });
    },
  };
}

test('titles shrink, then shorten, to fit their panel', () => {
  const ctx = fakeContext();
  fitText(ctx, 'Noise π₀', 0, 0, 100);
  assert.equal(ctx.drawn[0].text, 'Noise π₀');
  assert.match(ctx.drawn[0].font, /13px/);
  fitText(ctx, 'Noise π₀', 0, 0, 50);
  assert.equal(ctx.drawn[1].text, 'Noise π₀');
  assert.match(ctx.drawn[1].font, /10px/);
  fitText(ctx, 'Euler integration of FM_θ, 15 steps', 0, 0, 120);
  assert.ok(ctx.drawn[2].width <= 120 && ctx.drawn[2].text.endsWith('…'), JSON.stringify(ctx.drawn[2]));
});
