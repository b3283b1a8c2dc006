#!/usr/bin/env bash
# Builds the site into dist/: the two wasm modules (cargo → wasm-bindgen → wasm-opt) and www/.
# A module whose wasm has not changed since the last build is not processed again, so a warm build
# takes seconds. Usage: tests/build.sh [--fast]   (--fast skips wasm-opt: quicker, larger modules)
#
#   dist/index.html, style.css, js/           the page (copied from www/)
#   dist/pkg/flow_web_math{.js,_bg.wasm}      loaded first, by the page and the figure worker
#   dist/pkg/flow_web_engine{.js,_bg.wasm}    loaded by the engine worker (burn)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"

OPTIMISE=1
[ "${1:-}" = "--fast" ] && OPTIMISE=0
TARGET=wasm32-unknown-unknown
OUT=target/$TARGET/web
WORK=target/site

cargo build --target "$TARGET" --profile web -p flow-web-math -p flow-web-engine
mkdir -p "$WORK" dist/pkg

# The features rustc emits for wasm32 with +simd128 (see .cargo/config.toml); wasm-opt must keep them.
FEATURES=(--enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
          --enable-mutable-globals --enable-reference-types --enable-multivalue)
# The math module runs the figures' hot loops: optimise it for speed. The engine is mostly CubeCL's
# kernel generator: optimise it for size (its hot crates are already -O3 from the cargo profile).
declare -A LEVEL=([flow_web_math]=-O3 [flow_web_engine]=-Oz)

for module in flow_web_math flow_web_engine; do
  stamp="$WORK/$module.stamp"
  want="$(sha256sum "$OUT/$module.wasm" | cut -d' ' -f1) opt=$OPTIMISE"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "dist/pkg/${module}_bg.wasm" ]; then
    continue
  fi
  echo "[build] $module: wasm-bindgen$([ "$OPTIMISE" = 1 ] && echo " and wasm-opt ${LEVEL[$module]}")"
  wasm-bindgen --target web --no-typescript --out-dir "$WORK/$module" "$OUT/$module.wasm"
  if [ "$OPTIMISE" = 1 ]; then
    wasm-opt "${LEVEL[$module]}" "${FEATURES[@]}" "$WORK/$module/${module}_bg.wasm" -o "$WORK/$module/${module}_bg.wasm"
  fi
  cp "$WORK/$module/${module}.js" "$WORK/$module/${module}_bg.wasm" dist/pkg/
  echo "$want" > "$stamp"
done

# The page itself: replace what was there, so a file deleted from www/ disappears from dist/ too.
find dist -mindepth 1 -maxdepth 1 ! -name pkg -exec rm -rf {} +
cp -r www/. dist/
echo "[build] dist/ ready: $(du -sh dist | cut -f1)"
