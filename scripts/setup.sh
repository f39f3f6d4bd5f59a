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
# clang-format (style), dpkg-dev (apt-get source: Dear ImGui, utf8proc, Oniguruma, zlib), unicode-data
# (the tokenizer parity test tells characters newer than utf8proc's Unicode 15 apart), the DejaVu font
# the page ships so accented and non-Latin text renders, Chromium and Firefox ESR (the page's
# tests; Firefox runs headful under Xvfb, which has WebGL where headless Firefox has none), and clang
# with its runtime libraries (libFuzzer, for the fuzz targets of scripts/fuzz.sh).
APT_PACKAGES=(
  build-essential cmake clang libclang-rt-14-dev
  libeigen3-dev nlohmann-json3-dev catch2
  emscripten nodejs
  python3
  clang-format
  dpkg-dev fonts-dejavu-core fonts-droid-fallback fonts-nanum python3-fonttools unicode-data
  chromium
  firefox-esr xvfb xauth
  python3-numpy
)
# Regenerating the models (scripts/train-model.sh, scripts/model/make_known_answer_models.py)
# and the quality benchmark's plot. Without libopenblas0-pthread torch falls back to a
# reference BLAS about 30x slower.
if [ "$TRAIN" = 1 ]; then
  APT_PACKAGES+=(python3-torch python3-onnx libopenblas0-pthread python3-matplotlib)
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

# Sources built into both the native and the WebAssembly build, from Debian's source packages
# (`apt-get source` needs a deb-src entry for bookworm main); they land in third_party/
# (ignored, never committed): Dear ImGui (libimgui-dev has headers only), utf8proc and
# Oniguruma (Unicode data and the regex engine of the Hugging Face tokenizers, src/text/hf),
# zlib (inflating a model folder brought as a .zip, src/text/zip_archive).
fetch_source() {  # fetch_source PACKAGE FILE-IN-ITS-TREE DEST
  local package="$1" marker="$2" dest="$3"
  [ -f "$dest/$marker" ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src ' /etc/apt/sources.list; then
    echo "setup: adding a deb-src entry for bookworm main (sources of Dear ImGui, utf8proc, Oniguruma, zlib)"
    printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
      $sudo tee /etc/apt/sources.list.d/spexlens-deb-src.sources >/dev/null
    $sudo apt-get update -q
  fi
  echo "setup: fetching the sources of $package into third_party/"
  local tmp="$ROOT/third_party/.fetch-$package"
  rm -rf "$tmp" && mkdir -p "$tmp"
  (cd "$tmp" && apt-get source -q "$package" >/dev/null)
  local src
  src=$(find "$tmp" -mindepth 2 -maxdepth 3 -path "*/$marker" | head -n1)
  [ -n "$src" ] || { echo "setup: apt-get source $package gave no $marker" >&2; exit 1; }
  src="${src%/"$marker"}"
  rm -rf "$dest" && mv "$src" "$dest" && rm -rf "$tmp"
}
fetch_source imgui imgui.cpp "$ROOT/third_party/imgui"
fetch_source utf8proc utf8proc.c "$ROOT/third_party/utf8proc"
fetch_source libonig src/regexec.c "$ROOT/third_party/oniguruma"
fetch_source zlib inflate.c "$ROOT/third_party/zlib"

# Emscripten from Debian needs acorn from Debian's node modules and Debian's python.
if [ ! -d /usr/share/nodejs/acorn ]; then
  echo "setup: /usr/share/nodejs/acorn is missing (package node-acorn); emscripten's JS optimizer needs it" >&2
  exit 1
fi

# Node packages (package-lock.json pins them): onnxruntime-node/-web run the models, the
# @stdlib datasets feed the model scripts, playwright-core and puppeteer-core drive Debian's
# Chromium and Firefox in the page's tests (they download no browser), esbuild bundles the
# one-file page (spexlens.html). onnxruntime-node's install script would download a
# GPU build and fails offline; its CPU library is inside the package, so skip the script.
stamp="$ROOT/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
  echo "setup: installing node packages"
  (cd "$ROOT" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
else
  echo "setup: node packages present"
fi
