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
# the wasm test suite and the command-line text explainer), python3 (tests read JSON with it,
# check the tokenizer vectors against the Python reference, and serve the page),
# clang-format (style), dpkg-dev (apt-get source, for Dear ImGui's sources), the DejaVu font
# the page ships so accented and non-Latin text renders, and Chromium (the page's tests).
APT_PACKAGES=(
  build-essential cmake
  libeigen3-dev nlohmann-json3-dev catch2
  emscripten nodejs
  python3
  clang-format
  dpkg-dev fonts-dejavu-core
  chromium
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

# Dear ImGui's sources (libimgui-dev has headers only): `apt-get source imgui` needs a deb-src
# entry for bookworm main; the sources land in third_party/ (ignored, never committed).
IMGUI_DIR="$ROOT/third_party/imgui"
if [ ! -f "$IMGUI_DIR/imgui.cpp" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src ' /etc/apt/sources.list; then
    echo "setup: adding a deb-src entry for bookworm main (Dear ImGui's sources)"
    printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
      $SUDO tee /etc/apt/sources.list.d/spexlens-deb-src.sources >/dev/null
    $SUDO apt-get update -q
  fi
  echo "setup: fetching Dear ImGui's sources into third_party/"
  tmp="$ROOT/third_party/.imgui-fetch"
  rm -rf "$tmp" && mkdir -p "$tmp"
  (cd "$tmp" && apt-get source -q imgui >/dev/null)
  src=$(find "$tmp" -mindepth 2 -maxdepth 2 -name imgui.cpp -printf '%h\n' | head -n1)
  [ -n "$src" ] || { echo "setup: apt-get source imgui gave no imgui.cpp" >&2; exit 1; }
  rm -rf "$IMGUI_DIR" && mv "$src" "$IMGUI_DIR" && rm -rf "$tmp"
fi

# Emscripten from Debian needs acorn from Debian's node modules and Debian's python.
if [ ! -d /usr/share/nodejs/acorn ]; then
  echo "setup: /usr/share/nodejs/acorn is missing (package node-acorn); emscripten's JS optimizer needs it" >&2
  exit 1
fi

# Node packages (package-lock.json pins them): onnxruntime-node/-web run the models, the
# @stdlib datasets feed the model scripts, playwright-core drives Debian's Chromium in the
# page's tests (it downloads no browser). onnxruntime-node's install script would download a
# GPU build and fails offline; its CPU library is inside the package, so skip the script.
stamp="$ROOT/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
  echo "setup: installing node packages"
  (cd "$ROOT" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
else
  echo "setup: node packages present"
fi
