#!/usr/bin/env bash
# Sets up the machine, builds the page and serves it on this machine only:
#   http://127.0.0.1:8080/   (Ctrl+C stops; the folder build/wasm-release/site/ is the whole page)
#
#   scripts/run.sh [--port N]
# The command-line explainer's demo is scripts/explain-demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset wasm-release >/dev/null
cmake --build --preset wasm-release -j "$(nproc 2>/dev/null || echo 2)" --target spexlens_site
exec /usr/bin/python3 scripts/serve_site.py "$@"
