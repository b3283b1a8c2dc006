#!/usr/bin/env bash
# Builds the explorable and serves it at http://127.0.0.1:8080, installing what is missing first.
# When nothing changed since the last build this is serving within seconds.
# Usage: tests/serve.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_BROWSER=0 SETUP_VULKAN=0 ./tests/setup.sh
./tests/build.sh
exec node tests/browser/server.mjs dist "${1:-8080}"
