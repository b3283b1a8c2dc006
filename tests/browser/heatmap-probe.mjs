// Reads a field heatmap's pixels back and compares each strongly coloured cell with the sign of the
// field it should show: red where the values are clearly positive, blue where clearly negative.

/**
 * `which`: 'exact' (the exact field) or 'difference' (network − exact, figure 11). Cells whose
 * |value| is below `strong` × the largest are skipped.
 */
export function heatmapAgreement(page, canvasId, which, strong = 0.3) {
  return page.evaluate(
    async ({ canvasId, which, strong }) => {
      const { fieldLayout, FIELD } = await import('./js/figures/field-figure.js');
      const { fieldDifference } = await import('./js/figures/field-error.js');
      const p = window.explorable;
      const grid = which === 'exact' ? p.math.exactVelocityGrid(p.state.target, FIELD.times, FIELD.lo, FIELD.hi, FIELD.bins) : fieldDifference(p);
      const largest = grid.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const canvas = document.getElementById(canvasId);
      const ratio = canvas.width / canvas.clientWidth;
      const box = fieldLayout(canvas.clientWidth, canvas.clientHeight).main;
      const ctx = canvas.getContext('2d');
      let checked = 0;
      let agree = 0;
      for (let c = 2; c < FIELD.times; c += 4) {
        for (let r = 2; r < FIELD.bins; r += 6) {
          const u = grid[c * FIELD.bins + r];
          if (Math.abs(u) < strong * largest) continue;
          const px = box.left + ((c + 0.5) / FIELD.times) * box.width;
          const py = box.top + box.height - ((r + 0.5) / FIELD.bins) * box.height;
          const [red, , blue] = ctx.getImageData(Math.round(px * ratio), Math.round(py * ratio), 1, 1).data;
          checked++;
          if ((u > 0 && red > blue + 20) || (u < 0 && blue > red + 20)) agree++;
        }
      }
      return { checked, agree };
    },
    { canvasId, which, strong },
  );
}
