#!/usr/bin/env python3
"""Dynamic int8 quantisation of an ONNX model's weight MatMuls, for the int8 benchmark.

Every MatMul whose second input is a constant weight W [in, out] becomes
    DynamicQuantizeLinear(x) -> (xq uint8, x_scale, x_zero)
    MatMulInteger(xq, Wq int8, x_zero) -> int32
    Cast(float) * (x_scale * w_scale)
with W quantised symmetrically per output column (w_scale = max|W[:, j]| / 127). This is what
ONNX Runtime's own dynamic quantisation does for MatMul; written here because the onnxruntime
Python package (and its quantisation tools) is not installable on this machine. Activations
times activations (attention scores) stay float32.

    /usr/bin/python3 scripts/model/quantize_int8.py IN.onnx OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize(model):
    graph = model.graph
    weights = {t.name: t for t in graph.initializer}
    nodes = []
    count = 0
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
        if w.ndim != 2:
            nodes.append(node)
            continue
        scale = np.abs(w).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        wq = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        p = f"{node.output[0]}_int8"
        graph.initializer.extend([numpy_helper.from_array(wq, p + "_w"),
                                  numpy_helper.from_array(scale.astype(np.float32), p + "_wscale")])
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [node.input[0]], [p + "_x", p + "_xscale", p + "_xzero"]),
            helper.make_node("MatMulInteger", [p + "_x", p + "_w", p + "_xzero"], [p + "_acc"]),
            helper.make_node("Cast", [p + "_acc"], [p + "_accf"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [p + "_xscale", p + "_wscale"], [p + "_scale"]),
            helper.make_node("Mul", [p + "_accf", p + "_scale"], [node.output[0]]),
        ]
        count += 1
    del graph.node[:]
    graph.node.extend(nodes)
    used = {name for node in graph.node for name in node.input}
    kept = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    return count


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    model = onnx.load(sys.argv[1])
    count = quantize(model)
    onnx.save(model, sys.argv[2])
    print(f"quantize_int8: {count} weight MatMuls to int8 -> {sys.argv[2]}")


if __name__ == "__main__":
    main()
