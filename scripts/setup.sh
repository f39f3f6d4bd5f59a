#!/usr/bin/env bash
# Installs everything spexlens needs on a bare Debian bookworm machine. Idempotent: a second
# run installs nothing and takes about a second.
#
#   scripts/setup.sh
#
# Needs root (or sudo) only when something is missing. Network: Debian's archive only.
set -euo pipefail

# Compilers and build tools, the engine's libraries, the WebAssembly toolchain, Node (runs
# the wasm test suite), python3 (the CLI tests read JSON with it), clang-format (style).
APT_PACKAGES=(
  build-essential cmake
  libeigen3-dev nlohmann-json3-dev catch2
  emscripten nodejs
  python3
  clang-format
)

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
