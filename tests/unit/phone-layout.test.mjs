// The layout helpers that make the figures fit a phone: when a canvas stacks its panels, the boxes of
// stacked panels, legends kept inside their plot, two-line titles, and the narrow three-panel layout
// (a fake context measures 0.6 × font size per character).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitText, isStacked, legend, stackBoxes } from '../../www/js/plot.js';
import { threePanels } from '../../www/js/sides.js';

function fakeContext() {
  const drawn = [];
  const rects = [];
  return {
    drawn,
    rects,
    font: '11px x',
    save() {},
    restore() {},
    measureText(text) {
      const size = Number(/(\d+)px/.exec(this.font)[1]);
      return { width: [...text].length * size * 0.6 };
    },
    fillText(text, x, y) {
      drawn.push({ text, x, y, width: this.measureText(text).width, font: this.font });
    },
    fillRect(x, y, width, height) {
      rects.push({ x, y, width, height });
    },
  };
}

test('a phone-sized, tall canvas stacks; a desktop or a short one does not', () => {
  assert.equal(isStacked(358, 1250), true);
  assert.equal(isStacked(328, 1050), true);
  assert.equal(isStacked(701, 470), false);
  assert.equal(isStacked(358, 321), false); // a one-panel figure on a phone
  assert.equal(isStacked(766, 1250), false);
});

test('stacked panels span the width and share the height', () => {
  const boxes = stackBoxes(358, 1250, [1, 1, 1, 1, 1], { left: 50, reserve: 190 });
  assert.equal(boxes.length, 5);
  for (const b of boxes) assert.equal(b.left + b.width, 358 - 20);
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].top >= boxes[i - 1].top + boxes[i - 1].height + 40, 'room for the axis and the title between panels');
  assert.equal(boxes.end, 1250 - 190);
  assert.ok(boxes.at(-1).top + boxes.at(-1).height <= boxes.end);
});

test('a legend within a box stays inside it: moved in, smaller, then shortened', () => {
  const box = { left: 50, top: 20, width: 150, height: 100 };
  const rows = [['#000', 'a label of some thirty letters'], ['#111', 'short']];
  const ctx = fakeContext();
  const drawn = legend(ctx, 500, 500, rows, { within: box });
  assert.ok(drawn.left >= box.left && drawn.left + drawn.width <= box.left + box.width, JSON.stringify(drawn));
  assert.ok(drawn.top >= box.top && drawn.top + drawn.height <= box.top + box.height, JSON.stringify(drawn));
  assert.ok(ctx.drawn[0].text.endsWith('…'), ctx.drawn[0].text);
  assert.match(ctx.drawn[0].font, /10px/);
  assert.equal(ctx.drawn[1].text, 'short');
  // Without `within`, where it is asked to go, as before.
  const free = legend(fakeContext(), 500, 500, rows);
  assert.deepEqual([free.left, free.top], [500, 500]);
});

test('a title allowed two lines splits at a space before it is shortened', () => {
  const ctx = fakeContext();
  fitText(ctx, 'Density of 100,000 straight paths', 100, 30, 120, { lines: 2 });
  assert.equal(ctx.drawn.length, 2);
  assert.ok(ctx.drawn.every((d) => d.width <= 120 && !d.text.endsWith('…')), JSON.stringify(ctx.drawn));
  assert.equal(`${ctx.drawn[0].text} ${ctx.drawn[1].text}`, 'Density of 100,000 straight paths');
  assert.ok(ctx.drawn[0].y < ctx.drawn[1].y);
  // One line unless asked.
  const one = fakeContext();
  fitText(one, 'Density of 100,000 straight paths', 100, 30, 120);
  assert.equal(one.drawn.length, 1);
  assert.ok(one.drawn[0].text.endsWith('…'));
});

test('the three-panel layout gives the main panel more room on a phone, and the desktop its old boxes', () => {
  const phone = threePanels(328, 304);
  assert.ok(phone.main.width >= 140, `main panel ${phone.main.width} px`);
  assert.equal(phone.main.titleLines, 2);
  assert.ok(phone.right.left + phone.right.width <= 328);
  const desk = threePanels(701, 470);
  assert.equal(desk.main.titleLines, undefined);
  assert.deepEqual([desk.left.left, desk.left.width], [52, Math.max(50, (701 - 52 - 44 - 12) * 0.14)]);
});
