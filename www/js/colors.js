// Colour conventions shared by every figure: noise orange, target blue (matplotlib's tab10),
// viridis for densities, a diverging blue–white–red map centred on zero for velocities.

export const NOISE = '#ff7f0e';
export const TARGET = '#1f77b4';
export const RECONSTRUCTED = '#9467bd';
export const INK = '#222';
export const MUTED = '#666';

// Anchor colours sampled from matplotlib's maps, interpolated linearly in between.
const VIRIDIS = [
  [68, 1, 84], [72, 36, 117], [65, 68, 135], [53, 95, 141], [42, 120, 142],
  [33, 145, 140], [34, 168, 132], [68, 191, 112], [122, 209, 81], [189, 223, 38], [253, 231, 37],
];
const COOLWARM = [
  [59, 76, 192], [98, 130, 234], [141, 176, 254], [184, 208, 249], [221, 221, 221],
  [245, 196, 173], [244, 154, 123], [222, 96, 77], [180, 4, 38],
];

function sample(anchors, u) {
  const v = Math.min(1, Math.max(0, Number.isFinite(u) ? u : 0)) * (anchors.length - 1);
  const i = Math.min(anchors.length - 2, Math.floor(v));
  const f = v - i;
  const a = anchors[i];
  const b = anchors[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}


/** Diverging colour for a velocity v with the scale ±vmax: blue below zero, red above. */
export const diverging = (v, vmax) => sample(COOLWARM, 0.5 + 0.5 * v / vmax);

/** A colour map as a 256-entry table (r, g, b bytes), so that painting a grid looks colours up. */
function table(anchors) {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(sample(anchors, i / 255), 3 * i);
  return lut;
}

export const VIRIDIS_TABLE = table(VIRIDIS);
export const DIVERGING_TABLE = table(COOLWARM);

export function rgb([r, g, b]) {
  return `rgb(${r | 0},${g | 0},${b | 0})`;
}
