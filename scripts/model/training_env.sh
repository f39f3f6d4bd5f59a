# training_env.sh: sourced by the scripts/train-*.sh scripts. Checks that what
# `scripts/setup.sh --train` installs is present (Debian's python3-torch, python3-onnx, numpy,
# OpenBLAS, Node, and the npm folders the caller names), and sets the environment every training
# run uses. Defines ROOT (the project root) and PYTHON.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/model/training_env.sh"
#   require_training_packages train-bert-model node_modules/onnxruntime-node ...
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON=/usr/bin/python3  # Debian's python: the one python3-torch and python3-onnx install into

# require_training_packages NAME [DIR...]: exits with a message naming what is missing (DIRs are
# relative to the project root), or sets the environment and changes to the project root.
require_training_packages() {
  local name="$1"
  shift
  local missing=() pkg dir
  for pkg in python3-torch python3-onnx python3-numpy libopenblas0-pthread nodejs; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  for dir in "$@"; do
    [ -d "$ROOT/$dir" ] || missing+=("$dir")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "$name: missing ${missing[*]}; run scripts/setup.sh --train" >&2
    exit 1
  fi
  # One BLAS thread: torch's own threads on top of OpenBLAS's made epochs far slower (~20x for
  # the small transformer) on 2 cores.
  export OPENBLAS_NUM_THREADS=1
  cd "$ROOT"
}
