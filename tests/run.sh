#!/usr/bin/env bash
# Runs every test: formatting and lints, the native tests of the core (which train the tutorial's
# network for its full 10,000 steps), then the built site in headless Chromium with and without WebGPU.
# Installs whatever is missing first (tests/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$SECONDS

step "tools"
./tests/setup.sh

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --release --quiet -- -D warnings
# The browser-only code (WebGPU start-up) compiles only for wasm32: lint it there too.
cargo clippy --target wasm32-unknown-unknown -p flow-web --profile web --quiet -- -D warnings

step "native tests (release: the training test runs 10,000 real steps)"
cargo test --workspace --release

step "build the site (trunk build --release)"
trunk build --release

step "browser tests (headless Chromium, WebGPU on and off)"
node --test --test-concurrency=1 tests/browser/

printf '\nall tests passed in %d s\n' $((SECONDS - started))
