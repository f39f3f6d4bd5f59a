#!/usr/bin/env bash
# Builds llama.cpp's llama-server from the sources that ship inside the npm package
# node-llama-cpp (pinned below; llama/gitRelease.bundle is a git bundle of the llama.cpp tree),
# for the remote-scoring tests (issue 16). Nothing else is downloaded: the web UI's prebuilt
# assets (a Hugging Face download) are switched off. Idempotent: when the binary exists and
# was built from the pinned version with the same flags, it only prints the binary's path.
#
#   scripts/remote/setup_llama_server.sh            build with -j1 (the default; shared machine)
#   scripts/remote/setup_llama_server.sh -j2        build with 2 jobs
#   scripts/remote/setup_llama_server.sh --force    rebuild even when the stamp matches
#
# Everything lands in third_party/llama/ (ignored by git):
#   node-llama-cpp-<ver>.tgz, llama.cpp/ (the cloned tree, gguf-py included), build/bin/llama-server
# Needs what scripts/setup.sh installs: npm (the registry), git, cmake, g++, python3-numpy (for
# make_tiny_gguf.py). The last line printed is the absolute path of the llama-server binary.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NLC_VERSION="3.21.1"
DEST="$ROOT/third_party/llama"
SRC="$DEST/llama.cpp"
BUILD="$DEST/build"
BIN="$BUILD/bin/llama-server"
JOBS=1
FORCE=0
for arg in "$@"; do
  case "$arg" in
    -j[0-9]*) JOBS="${arg#-j}" ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "setup_llama_server: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

# CMake flags: Release, static libraries (one self-contained binary), only what llama-server
# needs; no HTTPS (LLAMA_OPENSSL), no tests/examples, no web UI download. GGML_NATIVE stays at
# its default (ON: tuned for this CPU; the binary is a local test fixture, never shipped).
CMAKE_FLAGS=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  -DLLAMA_OPENSSL=OFF
  -DLLAMA_BUILD_TESTS=OFF
  -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_APP=OFF
  -DLLAMA_BUILD_UI=OFF
  -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_BUILD_SERVER=ON
  -DLLAMA_BUILD_TOOLS=ON
)
STAMP_WANT="node-llama-cpp@$NLC_VERSION ${CMAKE_FLAGS[*]}"
STAMP="$BUILD/.spexlens-stamp"

need() { command -v "$1" >/dev/null 2>&1 || { echo "setup_llama_server: $1 is missing; run scripts/setup.sh first" >&2; exit 1; }; }
need npm; need git; need cmake; need g++; need tar

# python3-numpy: gguf-py (the model writer of make_tiny_gguf.py, run with Debian's
# /usr/bin/python3, not whatever python3 comes first on PATH) needs it; scripts/setup.sh installs it.
if ! dpkg-query -W -f='${Status}' python3-numpy 2>/dev/null | grep -q "install ok installed"; then
  echo "setup_llama_server: python3-numpy is missing (for scripts/remote/make_tiny_gguf.py); run scripts/setup.sh first" >&2
  exit 1
fi

if [ "$FORCE" = 0 ] && [ -x "$BIN" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_WANT" ]; then
  echo "setup_llama_server: llama-server already built from node-llama-cpp@$NLC_VERSION"
  echo "$BIN"
  exit 0
fi

mkdir -p "$DEST"
TGZ="$DEST/node-llama-cpp-$NLC_VERSION.tgz"
if [ ! -f "$TGZ" ]; then
  echo "setup_llama_server: npm pack node-llama-cpp@$NLC_VERSION (about 35 MB)"
  (cd "$DEST" && npm pack "node-llama-cpp@$NLC_VERSION" --silent >/dev/null)
  [ -f "$TGZ" ] || { echo "setup_llama_server: npm pack did not produce $TGZ" >&2; exit 1; }
fi

# The clone is tied to the tarball's version through a marker file; a different version
# (after a change of NLC_VERSION) is re-cloned from scratch.
if [ ! -f "$SRC/.spexlens-version" ] || [ "$(cat "$SRC/.spexlens-version")" != "$NLC_VERSION" ]; then
  echo "setup_llama_server: cloning llama.cpp from the package's git bundle"
  tmp="$DEST/.unpack"
  rm -rf "$tmp" "$SRC" && mkdir -p "$tmp"
  tar -xzf "$TGZ" -C "$tmp" package/llama/gitRelease.bundle
  git -c advice.detachedHead=false clone -q "$tmp/package/llama/gitRelease.bundle" "$SRC"
  rm -rf "$tmp"
  echo "$NLC_VERSION" >"$SRC/.spexlens-version"
  rm -rf "$BUILD"
fi

echo "setup_llama_server: configuring ($BUILD)"
cmake -S "$SRC" -B "$BUILD" "${CMAKE_FLAGS[@]}" >"$DEST/configure.log" 2>&1 ||
  { tail -n 30 "$DEST/configure.log" >&2; echo "setup_llama_server: configure failed (full log: $DEST/configure.log)" >&2; exit 1; }
echo "setup_llama_server: building llama-server with -j$JOBS (several minutes; log: $DEST/build.log)"
start=$(date +%s)
nice -n 5 cmake --build "$BUILD" --target llama-server -j"$JOBS" >"$DEST/build.log" 2>&1 ||
  { tail -n 30 "$DEST/build.log" >&2; echo "setup_llama_server: build failed (full log: $DEST/build.log)" >&2; exit 1; }
echo "setup_llama_server: built in $(($(date +%s) - start)) s"
[ -x "$BIN" ] || { echo "setup_llama_server: the build finished but $BIN is missing" >&2; exit 1; }
echo "$STAMP_WANT" >"$STAMP"
echo "$BIN"
