// How a batch's pairs (x₀ → x₁, interleaved points) sit in the plane: how many pairs of their straight
// segments cross as drawn, and in how many pairs of paths the relative position x_tⁱ − x_tʲ turns by
// more than a right angle, ⟨x₀ⁱ − x₀ʲ, x₁ⁱ − x₁ʲ⟩ < 0 ("reversed"). Two paths x_t = (1 − t) x₀ + t x₁
// can be at one place at one time only if that product is negative, so an optimal (squared-distance)
// pairing, which makes every product ≥ 0, never lets two paths meet; its segments may still cross as
// drawn, at different times. Pure: tested under Node.

/** Whether segments ab and cd cross (proper intersection). */
function cross(ax, ay, bx, by, cx, cy, dx, dy) {
  const side = (px, py, qx, qy, rx, ry) => (qx - px) * (ry - py) - (qy - py) * (rx - px);
  const d1 = side(cx, cy, dx, dy, ax, ay);
  const d2 = side(cx, cy, dx, dy, bx, by);
  const d3 = side(ax, ay, bx, by, cx, cy);
  const d4 = side(ax, ay, bx, by, dx, dy);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/** { crossings, reversed, pairs }: segment pairs that cross, path pairs whose order reverses, of n(n − 1)/2 in all. */
export function crossingCounts(x0, x1) {
  const n = x0.length / 2;
  let crossings = 0;
  let reversed = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const [ax, ay, bx, by] = [x0[2 * i], x0[2 * i + 1], x1[2 * i], x1[2 * i + 1]];
      const [cx, cy, dx, dy] = [x0[2 * j], x0[2 * j + 1], x1[2 * j], x1[2 * j + 1]];
      if (cross(ax, ay, bx, by, cx, cy, dx, dy)) crossings++;
      if ((ax - cx) * (bx - dx) + (ay - cy) * (by - dy) < -1e-12) reversed++;
    }
  }
  return { crossings, reversed, pairs: (n * (n - 1)) / 2 };
}
