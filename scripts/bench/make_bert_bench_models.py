"""Writes random-weight BERT classifiers of about 1 M, 5 M and 20 M parameters for throughput
benchmarks, in the same Hugging Face layout as models/spam-bert (benchmark only: the weights are
untrained, the outputs mean nothing, and nothing here is committed).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench/make_bert_bench_models.py [--out build/bench-models]

Writes OUT/bert-1m/, OUT/bert-5m/, OUT/bert-20m/, each with config.json, tokenizer.json,
tokenizer_config.json, special_tokens_map.json and onnx/model.onnx: the architecture, export and
graph signature of scripts/model/train_bert.py (input_ids, attention_mask, token_type_ids, int64
[batch_size, sequence_length] -> logits [batch_size, 2]), with the sizes in SIZES and weights
drawn as transformers initialises them (normal, std 0.02; seeded). The tokenizer files are
models/spam-bert's (its 4,000 ids are valid in every vocabulary here, the extra embedding rows
are never read), with model_max_length set to the model's max_position_embeddings.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "model"))
import train_bert as tb  # noqa: E402

# name -> (vocab_size, hidden_size, layers, heads, intermediate_size, max_position_embeddings)
SIZES = {
    "bert-1m": (4000, 128, 2, 4, 512, 128),
    "bert-5m": (8000, 256, 4, 4, 1024, 256),
    "bert-20m": (24000, 384, 6, 6, 1536, 512),
}
SEED = 20240
TOKENIZER_DIR = REPO / "models" / "spam-bert"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(REPO / "build" / "bench-models"))
    args = parser.parse_args()
    torch.set_num_threads(2)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if not (TOKENIZER_DIR / name).exists():
            sys.exit(f"{TOKENIZER_DIR / name} is missing (scripts/train-bert-model.sh writes it)")
    tokenizer_vocab = len(json.loads((TOKENIZER_DIR / "tokenizer.json").read_text())["model"]["vocab"])

    for name, (vocab, hidden, layers, heads, ff, positions) in SIZES.items():
        assert vocab >= tokenizer_vocab, (name, vocab, tokenizer_vocab)
        torch.manual_seed(SEED)
        config = tb.BertConfig(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers,
                               num_attention_heads=heads, intermediate_size=ff,
                               max_position_embeddings=positions)
        model = tb.BertForSequenceClassification(config).eval()
        out = Path(args.out) / name
        out.mkdir(parents=True, exist_ok=True)
        tb.write_json(out / "config.json", tb.config_json(config))
        for file in ("tokenizer.json", "special_tokens_map.json"):
            shutil.copyfile(TOKENIZER_DIR / file, out / file)
        tokenizer_config = json.loads((TOKENIZER_DIR / "tokenizer_config.json").read_text())
        tb.write_json(out / "tokenizer_config.json", {**tokenizer_config, "model_max_length": positions})
        onnx_path = out / "onnx" / "model.onnx"
        tb.export_onnx(model, onnx_path)
        graph = tb.check_onnx_graph(onnx_path)
        print(f"{name}: {tb.parameter_count(model):,} parameters, vocab {vocab}, d {hidden}, {layers} layers, "
              f"{heads} heads, ff {ff}, positions {positions}; {onnx_path} "
              f"{onnx_path.stat().st_size / 1e6:.1f} MB, opset {graph['opset']}", flush=True)


if __name__ == "__main__":
    main()
