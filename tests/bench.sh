#!/usr/bin/env bash
# Benchmarks what a reader gets: the article in headless Chromium (first paint, bytes before it,
# long tasks, training speed, sampling speed, module sizes), as ratios against native figures
# measured in the same run. Prints figures; asserts nothing about speed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
./tests/setup.sh
trunk build
# The same features as tests/run.sh, so that burn compiled for the tests serves here too.
cargo bench --workspace --features flow-train/gpu --bench speed
node tests/browser/bench.mjs
# Chapter four as a reader gets it: the default runs on eight and moons, independent, reflow and OT (~15 min).
node tests/browser/chapter-four-numbers.mjs
# Exact OT: the assignment natively and in wasm against lsap, and OT steps/s in the page (~2 min).
cargo run --release -p flow-core --example assignment_speed
node tests/browser/ot-speed.mjs
