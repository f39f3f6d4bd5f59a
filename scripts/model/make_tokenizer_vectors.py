#!/usr/bin/env python3
"""Writes tests/text/data/tokenizer_vectors.json: inputs (as hex bytes) with the sanitized text,
tokens, code point and byte offsets and ids that scripts/model/spexlens_tokenizer.py produces.
The C++ tokenizer must reproduce every field (tests/text/test_tokenizer.cpp).

    python3 scripts/model/make_tokenizer_vectors.py [--check]

--check regenerates in memory and fails if the committed file differs (run by the test suite)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spexlens_tokenizer as tk  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "text", "data", "tokenizer_vectors.json")

VOCAB = tk.SPECIALS + ["hello", ",", "world", "!", "free", "money", "$", "100", "café", "naïve",
                       "http", ":", "/", "www", ".", "com", "@", "東", "👍", "'", "t", "don",
                       "click", "here", "subject", "re", "?"]

CASES = [
    ("ascii", b"Hello, World!"),
    ("punctuation", b"Don't stop!!! ...really?! (yes) [no] {x} a-b_c \"q\" ~`^|\\"),
    ("digits", b"Call 555-0199 now, win $100.00 or 3.5% off 2nd prize 1,000,000"),
    ("url", b"Visit http://www.example.com/a/b?c=1&d=2#top or https://x.org."),
    ("email_headers", b"From: Joe <joe@example.com>\r\nSubject: Re: [ILUG] FREE money\r\n\r\nClick here"),
    ("whitespace", b"  tabs\tand\nnewlines\r\n\r\n  \x0b\x0cvertical  "),
    ("accents", "Café CAFÉ naïve Ærø ÀÉÎÕÜ ß ÿ Žluťoučký".encode()),
    ("combining", "e\u0301 a\u0308b \u0301lead".encode()),
    ("greek_cyrillic", "Αθήνα Москва ΣΊΣΥΦΟΣ".encode()),
    ("emoji", "great 👍 👍🏽 👨\u200d👩\u200d👧 ok👍 ❤️ 🇫🇷".encode()),
    ("cjk", "東京は晴れ。今日は、いい天気！ 한국어 텍스트".encode()),
    ("fullwidth", "ＡＢＣ１２３！？".encode()),
    ("symbols", "© ® ™ € £ ¥ ± × ÷ → ≤ ∞ • … “quoted” ‘single’ – —".encode()),
    ("spaces_unicode", "a\u00a0b\u2003c\u3000d\u200be\ufefff\u2028g".encode()),
    ("controls", b"a\x00b\x07c\x7fd \xc2\xade\xc2\x85f"),
    ("invalid_utf8", b"ab\xffcd\xc3(\xe2\x82 \xed\xa0\x80z \xf0\x9f\x98 end \xc0\xaf \xf4\x90\x80\x80"),
    ("truncated_end", b"tail \xe6\x97"),
    ("lone_continuation", b"\x80\x81word\xbf"),
    ("empty", b""),
    ("only_space", b" \t\r\n "),
    ("long_word", b"a" * 300 + b" b"),
    ("mixed_case", b"FREE Free fReE MONEY!!! CLICK HERE"),
]


def byte_offsets(text):
    """code point index -> UTF-8 byte offset, for every index 0..len(text)."""
    out, pos = [], 0
    for ch in text:
        out.append(pos)
        pos += len(ch.encode("utf-8"))
    out.append(pos)
    return out


def build():
    vocab = {w: i for i, w in enumerate(VOCAB)}
    cases = []
    for name, raw in CASES:
        text = tk.sanitize(raw)
        toks = tk.tokenize(text)
        bo = byte_offsets(text)
        cases.append({
            "name": name,
            "input_hex": raw.hex(),
            "sanitized": text,
            "tokens": [{"text": t.text, "start": t.start, "end": t.end,
                        "byte_start": bo[t.start], "byte_end": bo[t.end], "word": t.word,
                        "id": vocab.get(t.text, tk.UNK_ID)} for t in toks],
        })
    return {"tokenizer": "spexlens-words-v1",
            "generator": "scripts/model/make_tokenizer_vectors.py",
            "vocab": VOCAB, "cases": cases}


def main():
    doc = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != doc:
                print(f"{OUT} is stale: run python3 {os.path.relpath(__file__, ROOT)}", file=sys.stderr)
                return 1
        print("tokenizer vectors are current")
        return 0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(doc)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
