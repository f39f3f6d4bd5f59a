#!/usr/bin/env bash
# Installs everything spexlens needs on a bare Debian bookworm machine. Idempotent: a second
# run installs nothing and takes about a second.
#
#   scripts/setup.sh           what building, running and testing need
#   scripts/setup.sh --train   also what retraining the shipped model needs (PyTorch, ONNX)
#
# Needs root (or sudo) only when something is missing. Network: Debian's archive and the npm
# registry (model runtimes and the datasets the model scripts read, into node_modules/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRAIN=0
for arg in "$@"; do
  case "$arg" in
    --train) TRAIN=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

# Compilers and build tools, the engine's libraries, the WebAssembly toolchain, Node (runs
# the wasm test suite and the command-line text explainer), python3 (tests read JSON with it
# and check the tokenizer vectors against the Python reference), clang-format (style).
APT_PACKAGES=(
  build-essential cmake
  libeigen3-dev nlohmann-json3-dev catch2
  emscripten nodejs
  python3
  clang-format
)
# Regenerating the models (scripts/train-model.sh, scripts/model/make_known_answer_models.py)
# and the quality benchmark's plot. Without libopenblas0-pthread torch falls back to a
# reference BLAS about 30x slower.
if [ "$TRAIN" = 1 ]; then
  APT_PACKAGES+=(python3-torch python3-onnx python3-numpy libopenblas0-pthread python3-matplotlib)
fi
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q "${missing[@]}"
else
  echo "setup: all packages present"
fi

# Emscripten from Debian needs acorn from Debian's node modules and Debian's python.
if [ ! -d /usr/share/nodejs/acorn ]; then
  echo "setup: /usr/share/nodejs/acorn is missing (package node-acorn); emscripten's JS optimizer needs it" >&2
  exit 1
fi

# Node packages (package-lock.json pins them): onnxruntime-node/-web run the models, the
# @stdlib datasets feed the model scripts. onnxruntime-node's install script would download a
# GPU build and fails offline; its CPU library is inside the package, so skip the script.
stamp="$ROOT/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
  echo "setup: installing node packages"
  (cd "$ROOT" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
else
  echo "setup: node packages present"
fi
