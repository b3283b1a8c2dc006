// Loads the small math module (flow-core without burn) on the main thread: what figure 1 and the
// integration figures need at once. It is compiled once, here: both workers (the figures', and the
// engine's when it trains on the CPU) are handed the compiled module rather than each fetching and
// compiling the same file again.

import init, * as math from '../pkg/flow-web-math.js';

const WASM = new URL('../pkg/flow-web-math_bg.wasm', import.meta.url);
let compiled = null;

/** The compiled math module, once `loadMath` has run (null before: a worker then fetches it itself). */
export function compiledMath() {
  return compiled;
}

async function compile() {
  try {
    return await WebAssembly.compileStreaming(fetch(WASM));
  } catch {
    // A host that serves wasm without its MIME type: compile from the bytes instead.
    return WebAssembly.compile(await (await fetch(WASM)).arrayBuffer());
  }
}

export async function loadMath() {
  compiled = await compile();
  await init({ module_or_path: compiled });
  return math;
}
