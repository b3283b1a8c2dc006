// Loads the built math module (dist/pkg, under its hashed name from dist/manifest.json) into Node,
// so unit tests use the one settings table that Rust defines rather than a copy.
import { readFileSync } from 'node:fs';

const DIST = new URL('../../dist/', import.meta.url);

export async function loadMath() {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', DIST), 'utf8'));
  const math = await import(new URL(manifest['pkg/flow-web-math.js'], DIST));
  math.initSync({ module: readFileSync(new URL(manifest['pkg/flow-web-math_bg.wasm'], DIST)) });
  return math;
}
