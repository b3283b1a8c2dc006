// The engine worker's feed of paired batches (www/js/workers/pair-feed.js), with fake workers that
// answer in a shuffled order: the engine gets the stream's batches in order whatever the order
// they arrive in, each worker gets room back for exactly the batches of its that were taken, late
// batches of an earlier run are dropped, and a failing worker hands the run back to the engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.self ??= globalThis;
const { PairFeed } = await import('../../www/js/workers/pair-feed.js');

class FakeWorker {
  constructor() {
    this.sent = [];
    this.onmessage = null;
    this.onerror = null;
    this.terminated = false;
  }
  postMessage(m) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  answer(data) {
    this.onmessage({ data });
  }
}

class FakeEngine {
  constructor() {
    this.fed = [];
    this.inline = false;
  }
  pairsFromOutside() {
    return true;
  }
  feedPairs(numbers) {
    this.fed.push(numbers[0]);
  }
  pairInline() {
    this.inline = true;
  }
}

function seeded(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

test('batches from several workers reach the engine in the stream order, with room given back per worker', () => {
  const random = seeded(7);
  for (const count of [1, 2, 3]) {
    for (let trial = 0; trial < 50; trial++) {
      const workers = [];
      const feed = new PairFeed(null, count, () => workers[workers.push(new FakeWorker()) - 1]);
      const engine = new FakeEngine();
      let wakes = 0;
      assert.equal(feed.attach(engine, { seed: 1 }, 'moons', () => wakes++), true);
      const token = workers[0].sent.at(-1).token;
      workers.forEach((w, first) => assert.deepEqual({ ...w.sent.at(-1), settings: null }, { type: 'start', token, settings: null, target: 'moons', first, every: count, credit: Math.ceil(32 / count) }));
      // 60 batches, each posted by its worker (index % count), in a shuffled order.
      const order = Array.from({ length: 60 }, (_, i) => i).sort(() => random() - 0.5);
      for (const index of order) workers[index % count].answer({ type: 'pairs', token, index, numbers: new Float64Array([index]) });
      assert.deepEqual(engine.fed, Array.from({ length: 60 }, (_, i) => i), `${count} workers: in order`);
      assert.ok(wakes >= 1);
      // The engine takes 7 batches, then 50 more: each worker gets room for its own among them.
      feed.consumed(engine, 7, 7);
      feed.consumed(engine, 50, 57);
      const room = workers.map((w) => w.sent.filter((m) => m.type === 'credit').reduce((sum, m) => sum + m.batches, 0));
      const expected = workers.map((_, w) => Array.from({ length: 57 }, (_, i) => i).filter((i) => i % count === w).length);
      assert.deepEqual(room, expected);
    }
  }
});

test('a new run drops the last one\'s late batches; a failing worker hands the run to the engine', () => {
  const workers = [];
  const feed = new PairFeed(null, 2, () => workers[workers.push(new FakeWorker()) - 1]);
  const first = new FakeEngine();
  feed.attach(first, {}, 'eight', () => {});
  const old = workers[0].sent.at(-1).token;
  const second = new FakeEngine();
  // The same engine starts again (a new run on the lane): the old stream stops.
  feed.attach(first, {}, 'eight', () => {});
  assert.ok(workers.every((w) => w.sent.some((m) => m.type === 'stop')));
  workers[0].answer({ type: 'pairs', token: old, index: 0, numbers: new Float64Array([9]) });
  assert.deepEqual(first.fed, [], 'a batch of the replaced run is not fed');
  assert.equal(feed.feeds(first), true);
  assert.equal(feed.feeds(second), false);
  let woken = false;
  feed.job.wake = () => (woken = true);
  workers[1].onerror({ message: 'boom', preventDefault() {} });
  assert.equal(first.inline, true, 'the engine pairs its batches itself from here');
  assert.equal(woken, true, 'and the waiting run is woken');
  assert.ok(workers.every((w) => w.terminated));
  assert.equal(feed.feeds(first), false);
  // Later runs pair inline: the feed is broken for good.
  const third = new FakeEngine();
  assert.equal(feed.attach(third, {}, 'eight', () => {}), false);
  assert.equal(third.inline, true);
});
