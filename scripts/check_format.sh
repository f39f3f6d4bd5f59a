#!/usr/bin/env bash
# Checks that every C++ source under src/ and tests/ is formatted by the root .clang-format
# (clang-format --dry-run --Werror); run by CTest as the `clang_format` test. Fix with:
#
#   clang-format -i $(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h')
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v clang-format >/dev/null || { echo "check_format: clang-format is not installed; run scripts/setup.sh" >&2; exit 1; }
mapfile -t files < <(find "$ROOT/src" "$ROOT/tests" -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
[ ${#files[@]} -gt 0 ] || { echo "check_format: no sources found under $ROOT/src and $ROOT/tests" >&2; exit 1; }
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "check_format: the files above are not clang-formatted (fix: clang-format -i FILE)" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
