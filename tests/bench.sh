#!/usr/bin/env bash
# Benchmarks: the seed configuration's training and sampling speed natively (burn's CPU backend,
# beside a plain-Rust baseline measured in the same run) and in headless Chromium (CPU and WebGPU).
# Prints figures; asserts nothing about speed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"
./tests/setup.sh
cargo bench -p flow-core --bench speed
trunk build --release
node tests/browser/bench.mjs
