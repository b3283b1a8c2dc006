// Loads the built math module (dist/pkg) into Node, so unit tests use the one settings table that
// Rust defines rather than a copy.
import { readFileSync } from 'node:fs';

const PKG = new URL('../../dist/pkg/', import.meta.url);

export async function loadMath() {
  const math = await import(new URL('flow_web_math.js', PKG));
  math.initSync({ module: readFileSync(new URL('flow_web_math_bg.wasm', PKG)) });
  return math;
}
