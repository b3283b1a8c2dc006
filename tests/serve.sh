#!/usr/bin/env bash
# Serves the explorable at http://127.0.0.1:8080 with `trunk serve`, installing what is missing
# first: every change to www/ or the crates rebuilds the site and reloads the page. The wasm is
# not optimised here (`--release false`: wasm-opt takes minutes); `trunk build` makes the release.
# Usage: tests/serve.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"
# Trunk asks the internet for a newer version of itself unless told not to.
export TRUNK_SKIP_VERSION_CHECK=true
SETUP_BROWSER=0 SETUP_VULKAN=0 ./tests/setup.sh
exec trunk serve --release false --port "${1:-8080}"
