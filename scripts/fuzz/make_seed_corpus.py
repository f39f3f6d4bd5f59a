#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from
files of this repository and a few hand-made cases, so each target starts from valid inputs of
its format. Run it again when a format changes; scripts/fuzz.sh copies the seeds before fuzzing,
so fuzzing never rewrites them.

    python3 scripts/fuzz/make_seed_corpus.py
"""
import io
import json
import pathlib
import shutil
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fuzz" / "corpus"


def put(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def small_zip(files, method=zipfile.ZIP_DEFLATED, zip64=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method, allowZip64=True) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            with z.open(info, "w", force_zip64=zip64) as f:
                f.write(data.encode("utf-8"))
    return buf.getvalue()


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    config = (ROOT / "models/spam-bert/config.json").read_text()
    folder = [("m/config.json", config), ("m/tokenizer.json", '{"model": {"type": "WordLevel", "vocab": {}}}'),
              ("m/onnx/model.onnx", "not really onnx")]
    put("zip", "deflated", small_zip(folder))
    put("zip", "stored", small_zip(folder, zipfile.ZIP_STORED))
    put("zip", "zip64", small_zip(folder[:2], zip64=True))
    put("zip", "top-level", small_zip([("config.json", "{}"), ("model.json", "{}")]))

    for model in sorted((ROOT / "models").glob("*/model.json")):
        put("manifest", model.parent.name + ".model.json", model.read_text())
    put("manifest", "spam-bert.config.json", config)

    for tok in ("wordpiece-mini", "unigram-spam"):
        put("hf_tokenizer", tok, (ROOT / f"tests/text/data/hf/{tok}.tokenizer.json").read_text())
    put("hf_tokenizer", "bpe-byte-level", json.dumps({
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+|\\s+"},
             "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "ByteLevel", "trim_offsets": True},
        "added_tokens": [{"id": 5, "content": "<s>", "special": True, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False}],
        "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "\u0120": 3, "\u0120a": 4, "<s>": 5},
                  "merges": ["a b", "\u0120 a"]}}))
    put("hf_tokenizer", "sentencepiece-bpe", json.dumps({
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
                                                             {"type": "Replace", "pattern": {"String": " "},
                                                              "content": "\u2581"}]},
        "model": {"type": "BPE", "byte_fallback": True, "fuse_unk": True, "unk_token": "<unk>",
                  "vocab": {"<unk>": 0, "\u2581": 1, "a": 2, "\u2581a": 3, "<0x41>": 4},
                  "merges": [["\u2581", "a"]]}}))

    texts = {
        "email": (ROOT / "models/spam-bert/reference.json").read_text()[:2000],
        "unicode": "caf\u00e9 nai\u0308ve \u4e2d\u6587 \U0001F600\U0001F3FD \u05e9\u05dc\u05d5\u05dd \u0928\u092e\u0938\u094d\u0924\u0947",
        "controls": "free\u0000money\u0000now \u200b\u200d\ufeff end.",
        "sentences": "Not good. Really not good! Is it? Yes... Dr. Smith paid $9.99 on 2024-01-02.",
    }
    for name, text in texts.items():
        put("hf_encode", name, text)
        put("text", name, text)

    for name, opts in {
        "default": {},
        "spex": {"method": "spex", "b": 4, "t": 3, "seed": 7, "decoder": "hard"},
        "auto": {"method": "auto", "budget": 1000, "holdout": 100, "target_r2": 0.9, "index": "fsii", "max_order": 2},
        "components": {"players": "components:group=8", "ablation": "mean", "b": 3},
        "removal": {"masking": "remove", "features": "sentences", "long_text": "refuse", "target": "spam:log-odds"},
    }.items():
        put("explain_options", name, json.dumps(opts))

    for f in sorted((ROOT / "tests/cli/fixtures").glob("*.json")):
        put("function_json", f.stem, f.read_text())

    for f in ("tests/app/data/planted_and_result.json", "tests/app/data/planted_demo_solve.json",
              "tests/app_ui/data/truncated_text_result.json"):
        put("result", pathlib.Path(f).stem, (ROOT / f).read_text())

    # The page's hook request, window.spexlens.explain(options) (docs/page.md).
    for name, request in {
        "text_only": {"text": "Free money now, click here"},
        "every_key": {"text": "a b c", "model": "spam-transformer", "method": "proxyspex", "budget": 2000,
                      "holdout": 200, "seed": 7, "maxOrder": 3, "index": "FSII", "target": "spam:prob",
                      "granularity": "sentences", "masking": "remove"},
        "spex_b": {"text": "x y", "method": "spex", "b": 5},
        "components": {"model": "custom:folder", "players": "components:group=8", "ablation": "mean"},
        "bad_method": {"method": "nonsense"},
        "bad_b": {"b": "x"},
    }.items():
        put("run_request", name, json.dumps(request))

    # Behavioural probe suites (docs/probe-suites.md): the shipped ones.
    for name, f in (("spam-transformer", "models/spam-transformer/probe-suite.json"),
                    ("planted-and", "tests/probe/data/planted-and-suite.json")):
        put("probe_suite", name, (ROOT / f).read_text())


if __name__ == "__main__":
    main()
