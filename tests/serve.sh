#!/usr/bin/env bash
# Builds the explorable and serves it at http://127.0.0.1:8080, installing what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/node_modules/.bin:$PATH"
SETUP_BROWSER=0 ./tests/setup.sh
exec trunk serve --release "$@"
