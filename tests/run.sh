#!/usr/bin/env bash
# Runs every test: formatting and lints, the native tests (the core's math, and the tutorial's
# network trained for its full 10,000 steps), the site's pure JS modules under Node, then the built
# site in headless Chromium with and without WebGPU. Installs whatever is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"

step() { printf '\n\033[1m== %s (%d s)\033[0m\n' "$*" $((SECONDS - started)); }
started=$SECONDS

step "tools"
./tests/setup.sh

step "format and lints"
cargo fmt --all --check
# flow-train/gpu: the fused CubeCL kernels, natively on wgpu (lavapipe where there is no GPU). One
# feature set for the whole workspace, so that burn is compiled once.
cargo clippy --workspace --all-targets --release --quiet --features flow-train/gpu -- -D warnings
# The browser-only code (WebGPU start-up) compiles only for wasm32: lint the web crates there too,
# with the profile the site is built with.
cargo clippy --target wasm32-unknown-unknown -p flow-web-math -p flow-web-engine --profile web --quiet -- -D warnings

step "native tests (release: the training tests run 10,000 real steps, on the CPU and on wgpu)"
cargo test --workspace --release --features flow-train/gpu

step "build the site (tests/build.sh)"
./tests/build.sh

step "unit tests of the page's modules (Node)"
node --test tests/unit/

step "browser tests (headless Chromium, WebGPU on and off)"
node --test --test-concurrency=1 tests/browser/

printf '\nall tests passed in %d s\n' $((SECONDS - started))
