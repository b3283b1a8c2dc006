// Crossing counts of a batch's pairs in the plane, on cases worked by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossingCounts } from '../../www/js/plane-crossings.js';

test('two segments that cross and paths that meet: counted as both', () => {
  const x0 = [-1, -1, 1, -1];
  const x1 = [1, 1, -1, 1];
  // The two paths meet at (0, 0) at t = ½: ⟨x0¹ − x0², x1¹ − x1²⟩ = (−2)(2) + 0 = −4 < 0.
  assert.deepEqual(crossingCounts(x0, x1), { crossings: 1, reversed: 1, pairs: 1 });
});

test('the optimal pairing of the same points: no crossing, no meeting', () => {
  const x0 = [-1, -1, 1, -1];
  const x1 = [-1, 1, 1, 1];
  assert.deepEqual(crossingCounts(x0, x1), { crossings: 0, reversed: 0, pairs: 1 });
});

test('segments that cross at different times do not meet', () => {
  // A long path that passes the crossing point late, a short one that passes it early, both going
  // the same way: the segments cross, the paths never share a place at one time.
  // Path 1 runs (−1, 0) → (0.01, 0), past the origin only at its end; path 2 (−0.01, −0.005) →
  // (0.88, 0.48), past it at its start. ⟨x0¹ − x0², x1¹ − x1²⟩ = (−0.99)(−0.87) + (0.005)(−0.48) > 0.
  const x0 = [-1, 0, -0.01, -0.005];
  const x1 = [0.01, 0, 0.88, 0.48];
  assert.deepEqual(crossingCounts(x0, x1), { crossings: 1, reversed: 0, pairs: 1 });
});
