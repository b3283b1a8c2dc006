// Figure 5: the training loss per step, its moving average, and the irreducible floor (computed
// from the target by the math module, not typed in).

import { TARGET } from '../colors.js';
import { Frame, legend, legendWidth, prepare } from '../plot.js';
import { fmt } from './caption.js';

const WINDOW = 100;

/** Mean of the last `n` losses (NaN if there are none). */
export function recentMean(losses, n = WINDOW) {
  const k = Math.min(n, losses.length);
  let s = 0;
  for (let i = losses.length - k; i < losses.length; i++) s += losses[i];
  return k ? s / k : NaN;
}

/**
 * Losses per step, their moving average and a dashed floor in `box`, on a scale from 0 to the largest
 * loss (at least `minTop`). Shared with the reflow figure, whose rounds train on the same loss.
 */
export function drawLoss(ctx, box, losses, total, floor, { title = 'Training loss', floorLabel = `floor ${floor.toFixed(3)} (independent pairs)`, minTop = 4 } = {}) {
  let top = minTop;
  for (let i = 0; i < losses.length; i++) if (Number.isFinite(losses[i])) top = Math.max(top, losses[i]);
  top = Math.min(top, 12);
  const frame = new Frame(ctx, box, [0, Math.max(total, 1)], [0, top * 1.05]);
  frame.clip((c) => {
    const stride = Math.max(1, Math.floor(losses.length / (frame.box.width * 2)));
    c.strokeStyle = 'rgba(31,119,180,0.35)';
    c.lineWidth = 1;
    c.beginPath();
    for (let i = 0; i < losses.length; i += stride) {
      const x = frame.px(i + 1);
      const y = frame.py(losses[i]);
      if (i === 0) c.moveTo(x, y);
      else c.lineTo(x, y);
    }
    c.stroke();
    if (losses.length >= WINDOW) {
      c.strokeStyle = TARGET;
      c.lineWidth = 2;
      c.beginPath();
      let sum = 0;
      for (let i = 0; i < losses.length; i++) {
        sum += losses[i];
        if (i >= WINDOW) sum -= losses[i - WINDOW];
        if (i >= WINDOW - 1 && ((i - WINDOW + 1) % stride === 0 || i === losses.length - 1)) {
          const x = frame.px(i + 1);
          const y = frame.py(sum / WINDOW);
          if (i === WINDOW - 1) c.moveTo(x, y);
          else c.lineTo(x, y);
        }
      }
      c.stroke();
    }
    if (Number.isFinite(floor)) {
      c.strokeStyle = '#c0392b';
      c.setLineDash([6, 4]);
      c.beginPath();
      c.moveTo(frame.box.left, frame.py(floor));
      c.lineTo(frame.box.left + frame.box.width, frame.py(floor));
      c.stroke();
      c.setLineDash([]);
    }
  });
  frame.axes({ xLabel: 'training step', yLabel: 'loss', title });
  const rows = [
    ['rgba(31,119,180,0.5)', 'loss per step'],
    [TARGET, `moving average (${WINDOW} steps)`],
    ...(Number.isFinite(floor) ? [['#c0392b', floorLabel]] : []),
  ];
  legend(ctx, frame.box.left + frame.box.width - legendWidth(ctx, rows) - 8, frame.box.top + 8, rows, { within: frame.box });
}

/** Whose floor the dashed line is: independent pairs' (exact) or this run's minibatch OT (estimated). */
const floorSource = (state) => (state.coupling === 'ot' ? `minibatch OT, batch ${state.batch}, estimated` : 'independent pairs');

export default {
  name: 'loss',
  // The floor under the run's coupling and batch size (exact, or under OT a binned estimate).
  needs: { jobs: [{ kind: 'lossFloor', into: 'computed', inputs: ['target', 'coupling', 'batch'] }], progress: true },

  draw(canvas, page) {
    const { ctx, width, height } = prepare(canvas);
    const floorLabel = `floor ${fmt(page.lossFloor)} (${floorSource(page.state)})`;
    drawLoss(ctx, { left: 52, top: 28, width: width - 70, height: height - 74 }, page.run.losses, page.run.total, page.lossFloor, {
      floorLabel,
      // OT losses start far lower: a scale from 0 to 4 would flatten them.
      minTop: page.state.coupling === 'ot' ? 0.2 : 4,
    });
  },

  data(page) {
    const { losses } = page.run;
    let sum = 0;
    const rows = Array.from(losses, (loss, i) => {
      sum += loss - (i >= WINDOW ? losses[i - WINDOW] : 0);
      return [i + 1, loss, i >= WINDOW - 1 ? sum / WINDOW : NaN];
    });
    return { columns: ['step', 'loss', `moving_average_${WINDOW}`], rows };
  },

  describe(page) {
    const { losses, total } = page.run;
    const mean = recentMean(losses);
    const floor = fmt(page.lossFloor);
    return {
      label: `Training loss over ${losses.length} of ${total} steps; mean of the last ${WINDOW}: ${fmt(mean)}; floor ${floor}`,
      caption: `Loss per step, its ${WINDOW}-step moving average, and the irreducible floor ${floor} (dashed; ${floorSource(page.state)}). Mean of the last ${WINDOW} steps: ${fmt(mean)}.${
        page.state.coupling === 'ot' ? ' This run pairs each batch by optimal transport: its paths do not cross, so the floor is far below the 1.837 of independent pairs, and falls towards 0 as batches grow.' : ''
      }`,
    };
  },
};
