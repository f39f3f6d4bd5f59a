#!/usr/bin/env bash
# Sets up the machine, then builds and runs every test:
#   1. native debug build with AddressSanitizer + UndefinedBehaviorSanitizer: the engine
#      suite (Catch2) and the CLI tests, through CTest;
#   2. the same engine suite compiled to WebAssembly with Emscripten, run under Node, with the
#      page, the Node command-line tools and the remote backends (against a real llama-server,
#      built first from the llama.cpp sources inside the npm package node-llama-cpp); then the
#      unit suites again under Emscripten's checks (-sASSERTIONS=2 -sSAFE_HEAP=1, wasm-checked);
#   3. a native release build (the CLI users run and the benchmark), so a broken release
#      configuration cannot slip through;
#   4. the fuzz targets (clang, libFuzzer + ASan + UBSan), a fixed pass of about 30 s each
#      (scripts/fuzz.sh runs them for longer).
#
#   scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)

echo "== native-debug (ASan + UBSan)"
cmake --preset native-debug
cmake --build --preset native-debug -j "$jobs"
ctest --preset native-debug -j "$jobs"

echo "== llama-server for the remote-scoring tests (scripts/remote/setup_llama_server.sh)"
scripts/remote/setup_llama_server.sh -j"$jobs"
export SPEXLENS_REQUIRE_LLAMA_SERVER=1  # the llama-server tests fail rather than skip

echo "== wasm-release (Emscripten, tests under Node)"
cmake --preset wasm-release
cmake --build --preset wasm-release -j "$jobs"
ctest --preset wasm-release

echo "== wasm-checked (the unit suites under -sASSERTIONS=2 -sSAFE_HEAP=1)"
cmake --preset wasm-checked
cmake --build --preset wasm-checked -j "$jobs"
ctest --preset wasm-checked

echo "== native-release"
cmake --preset native-release
cmake --build --preset native-release -j "$jobs"
ctest --preset native-release -j "$jobs"

echo "== fuzz (libFuzzer, a fixed pass of about 30 s per target)"
scripts/fuzz.sh ci

echo "all tests passed"
