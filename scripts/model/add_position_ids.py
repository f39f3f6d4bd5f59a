"""Gives an exported spexlens model an explicit position_ids input, weights unchanged.

The shipped spam transformer was exported reading its position embeddings as
positions.weight[:sequence] (a Slice). With position_ids [batch, sequence] as an input, the
explainer can leave masked words out of a row while every kept token keeps its position
(src/text/model_batch.h: dropped tokens), so a model call runs on about half the tokens and
gives the same output as hiding them with attention 0. This script rewrites that one Slice into
Gather(positions.weight, position_ids), removes the nodes only the Slice used, adds the input to
the graph and to model.json (right after attention_mask), and updates the sha256 in model.json
and reference.json. Retraining (scripts/train-model.sh) exports the input directly; this is for a
folder exported before that, and it leaves every weight as it was.

    /usr/bin/python3 scripts/model/add_position_ids.py models/spam-transformer

Then `node scripts/model/check_reference.mjs models/spam-transformer` checks the outputs are
still the reference's, and that leaving hidden words out gives the same logits. Needs
python3-onnx (scripts/setup.sh --train).
"""
import argparse
import hashlib
import json
import sys
from pathlib import Path

import onnx
from onnx import TensorProto, helper

INPUT_NAME = "position_ids"


def fail(message):
    print(f"add_position_ids: {message}", file=sys.stderr)
    sys.exit(1)


def position_slice(graph, weight):
    """The one Slice node reading `weight` from its start: positions.weight[:sequence]."""
    slices = [n for n in graph.node if n.op_type == "Slice" and n.input and n.input[0] == weight]
    if len(slices) != 1:
        fail(f"expected one Slice of {weight}, found {len(slices)}")
    return slices[0]


def remove_dead_nodes(graph):
    """Drops nodes whose outputs nothing reads (graph outputs count as read), until none is left."""
    while True:
        wanted = {o.name for o in graph.output}
        for node in graph.node:
            wanted.update(node.input)
        dead = [n for n in graph.node if not any(o in wanted for o in n.output)]
        if not dead:
            return
        for node in dead:
            graph.node.remove(node)


def rewrite(model, weight):
    graph = model.graph
    if any(i.name == INPUT_NAME for i in graph.input):
        fail(f"the graph already has an input named {INPUT_NAME}")
    names = [i.name for i in graph.input]
    if "attention_mask" not in names:
        fail("the graph has no attention_mask input")
    if weight not in {t.name for t in graph.initializer}:
        fail(f"no initializer named {weight}")
    node = position_slice(graph, weight)
    gather = helper.make_node("Gather", [weight, INPUT_NAME], list(node.output), name="/model/positions/Gather", axis=0)
    graph.node.insert(list(graph.node).index(node), gather)
    graph.node.remove(node)
    remove_dead_nodes(graph)
    value = helper.make_tensor_value_info(INPUT_NAME, TensorProto.INT64, ["batch", "sequence"])
    graph.input.insert(names.index("attention_mask") + 1, value)
    onnx.checker.check_model(model)
    onnx.shape_inference.infer_shapes(model, strict_mode=True)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="a spexlens model folder (model.json, model.onnx)")
    parser.add_argument("--weight", default="model.positions.weight", help="the position embedding initializer")
    args = parser.parse_args()
    folder = Path(args.folder)
    manifest_path = folder / "model.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    onnx_path = folder / manifest["files"]["onnx"]
    if manifest["onnx_sha256"] != sha256(onnx_path):
        fail(f"{onnx_path} does not match model.json's onnx_sha256")
    if any(i["role"] == INPUT_NAME for i in manifest["inputs"]):
        fail("model.json already declares a position_ids input")

    model = onnx.load(str(onnx_path))
    rewrite(model, args.weight)
    onnx.save(model, str(onnx_path))
    digest = sha256(onnx_path)

    inputs = manifest["inputs"]
    at = next(k for k, i in enumerate(inputs) if i["role"] == "attention_mask") + 1
    inputs.insert(at, {"name": INPUT_NAME, "role": INPUT_NAME, "type": "int64", "shape": ["batch", "sequence"]})
    manifest["onnx_sha256"] = digest
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    reference_path = folder / "reference.json"
    if reference_path.exists():
        text = reference_path.read_text(encoding="utf-8")
        reference = json.loads(text)
        old = reference.get("onnx_sha256")
        if old:  # replace the hash in place: the file's own layout (compact samples) stays as it is
            reference_path.write_text(text.replace(old, digest), encoding="utf-8")
    print(f"{onnx_path}: position_ids added, sha256 {digest}")


if __name__ == "__main__":
    main()
