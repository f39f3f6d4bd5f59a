#!/usr/bin/env python3
"""Writes nan-model/: a two-word lexicon model whose output is NaN whenever the word "boom" is
visible, so the command-line explainer's NaN handling is tested on a real ONNX graph.

    /usr/bin/python3 tests/explain_cli/data/make_nan_model.py
"""
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "nan-model")
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[MASK]", "calm", "boom"]


def build():
    weight = np.zeros(len(VOCAB), dtype=np.float32)
    weight[VOCAB.index("calm")] = 1.0
    weight[VOCAB.index("boom")] = np.nan  # NaN * 1 = NaN when attended; 0 * NaN too, so gate first
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])
    att = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])
    nodes = [
        helper.make_node("Gather", ["weight", "input_ids"], ["w"]),
        helper.make_node("Cast", ["attention_mask"], ["a"], to=TensorProto.BOOL),
        # Where(attended, w, 0): a masked "boom" contributes 0, a visible one NaN.
        helper.make_node("Where", ["a", "w", "zero"], ["kept"]),
        helper.make_node("ReduceSum", ["kept", "axes"], ["score"], keepdims=1),
        helper.make_node("Mul", ["score", "zero"], ["zeros"]),
        helper.make_node("Concat", ["zeros", "score"], ["logits"], axis=1),
    ]
    inits = [numpy_helper.from_array(weight, "weight"),
             numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")]
    graph = helper.make_graph(nodes, "nan_model", [ids, att], [logits], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="spexlens-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def main():
    os.makedirs(OUT, exist_ok=True)
    data = build()
    with open(os.path.join(OUT, "model.onnx"), "wb") as f:
        f.write(data)
    with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(VOCAB) + "\n")
    manifest = {
        "format": "spexlens.model", "format_version": 1, "name": "nan-model",
        "description": "Test fixture: the output is NaN whenever the word 'boom' is visible.",
        "files": {"onnx": "model.onnx", "vocab": "vocab.txt"},
        "onnx_sha256": hashlib.sha256(data).hexdigest(),
        "labels": ["other", "calm"],
        "inputs": [
            {"name": "input_ids", "role": "token_ids", "type": "int64", "shape": ["batch", "sequence"]},
            {"name": "attention_mask", "role": "attention_mask", "type": "int64", "shape": ["batch", "sequence"]},
        ],
        "output": {"name": "logits", "type": "float32", "shape": ["batch", 2]},
        "tokenizer": {"kind": "spexlens-words-v1", "max_length": 128,
                      "special_ids": {"pad": 0, "unk": 1, "cls": 2, "mask": 3}},
        "masking": "attention",
        "target": {"class": "calm", "measure": "log-odds"},
    }
    with open(os.path.join(OUT, "model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
