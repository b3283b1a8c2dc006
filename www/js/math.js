// Loads the small math module (flow-core without burn) on the main thread: what figure 1 and the
// integration figures need at once. The figure worker loads the same module for the heavy work.

import init, * as math from '../pkg/flow-web-math.js';

export async function loadMath() {
  await init();
  return math;
}
