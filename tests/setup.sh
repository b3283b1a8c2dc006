#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already there.
# Safe to run again: each step checks first. Versions are pinned to what Cargo.lock and Trunk.toml expect.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14 # 0.22 needs a newer rustc than the workspace's 1.95
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if [ "${SETUP_BROWSER:-1}" = 1 ] && ! command -v chromium >/dev/null; then
  say "installing Chromium from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# Vulkan's software driver (lavapipe): where a machine has no GPU, the native tests of the fused
# WebGPU kernels run on it through wgpu (crates/flow-train/tests/fused.rs).
if [ "${SETUP_VULKAN:-1}" = 1 ] && ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1; then
  say "installing Vulkan's software driver (mesa-vulkan-drivers) from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
fi

# Node packages: binaryen's wasm-opt (Debian's version 108 corrupts wasm-bindgen's externref table) and playwright-core.
if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ ! -d tests/node_modules/playwright-core ]; then
  say "installing node packages (binaryen, playwright-core)"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: its lock file pins a webpki-roots version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# Trunk builds offline (Trunk.toml), and a native build downloads no wasm-only crate: fetch every
# crate of the lock file, for every target, now.
cargo fetch --locked --quiet

say "tools ready"
