#!/usr/bin/env bash
# Reproduces models/clinical-readmission/ (a small BERT in the Hugging Face layout, trained on
# synthetic clinical notes with a planted shortcut): generates the notes
# (scripts/model/clinical_notes.py, seeded, no patient data), builds the WordPiece vocabulary,
# trains, exports onnx/model.onnx and onnx/model_internals.onnx, and checks both against the
# training code with onnxruntime-node and onnxruntime-web. About 15 minutes on two idle cores.
#
#   scripts/train-clinical-model.sh [--threads 1]   (extra arguments go to train_clinical.py)
#
# Needs what `scripts/setup.sh --train` installs (python3-torch, python3-onnx,
# libopenblas0-pthread, and the npm packages in node_modules/, @huggingface/tokenizers among them).
set -euo pipefail

SEED=1
source "$(dirname "${BASH_SOURCE[0]}")/model/training_env.sh"
require_training_packages train-clinical-model node_modules/@huggingface/tokenizers \
  node_modules/onnxruntime-node \
  node_modules/onnxruntime-web
"$PYTHON" scripts/model/train_clinical.py --seed "$SEED" "$@"
for runtime in node web; do
  node scripts/model/check_hf_reference.mjs models/clinical-readmission --runtime "$runtime"
  node scripts/model/check_internals.mjs models/clinical-readmission --runtime "$runtime"
done
