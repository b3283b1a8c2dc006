#!/usr/bin/env bash
# Runs every test: formatting and lints, the native tests (the core's math, and the tutorial's
# network trained for its full 10,000 steps), the site's pure JS modules under Node, then the built
# site in headless Chromium with and without WebGPU. Installs whatever is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"
# The native tests of the fused WebGPU kernels fail rather than skip when no wgpu adapter is found
# (lavapipe is installed by setup.sh); FLOW_SKIP_GPU=1 opts out explicitly.
export FLOW_REQUIRE_GPU=1
# Trunk asks the internet for a newer version of itself unless told not to.
export TRUNK_SKIP_VERSION_CHECK=true

step() { printf '\n\033[1m== %s (%d s)\033[0m\n' "$*" $((SECONDS - started)); }
started=$SECONDS

step "tools"
./tests/setup.sh

step "format"
cargo fmt --all --check

# Clippy runs inside the real builds: clippy-driver is the compiler of the workspace's own crates
# (what `cargo clippy` does in check mode), with -D warnings. So every lint of `cargo clippy
# --all-targets` is checked on the code that is built and tested, natively and for wasm32 with the
# site's profile, and burn is compiled once for each target instead of twice.
export RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

step "native build and lints (release; flow-train/gpu: the fused CubeCL kernels, natively on wgpu)"
# One feature set for the whole workspace, so that burn is compiled once.
cargo build --workspace --release --features flow-train/gpu --all-targets

step "native tests (the training tests run 10,000 real steps, on the CPU and on wgpu: lavapipe where there is no GPU)"
cargo test --workspace --release --features flow-train/gpu

step "build the site and lint the wasm crates (trunk build: both modules optimised, every file content-hashed)"
trunk build

step "unit tests of the page's modules (Node)"
node --test tests/unit/

step "browser tests (headless Chromium, WebGPU on and off)"
node --test --test-concurrency=1 tests/browser/

printf '\nall tests passed in %d s\n' $((SECONDS - started))
