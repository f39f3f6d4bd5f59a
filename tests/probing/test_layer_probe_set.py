"""Tests of the clinical layer probe set (scripts/model/make_layer_probe_set.py and the shipped
models/clinical-readmission/layer-probe-medication.json).

    python3 tests/probing/test_layer_probe_set.py

Standard library only. Each target's label is re-derived here from the TEXT of the sentence that
holds it (the medication sentence forms: lists and "continued" / "started" for current;
"discontinued", "stopped", "no longer" for discontinued), independently of the generator's facts,
and must agree on every target. The shipped file must be what the script writes, none of its
notes a training note of the model, and each drug name as often current as discontinued.
"""

import collections
import json
import os
import re
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "model"))
import clinical_notes as cn  # noqa: E402
import make_layer_probe_set as mk  # noqa: E402

SHIPPED = os.path.join(ROOT, "models", "clinical-readmission", "layer-probe-medication.json")

CURRENT = re.compile(r"^(current medications:|regular medications include|discharged on|takes .* daily\.|"
                     r"medications on discharge:)|\bcontinued on discharge|\bwas started\b|\bto continue at\b")
DISCONTINUED = re.compile(r"\bdiscontinued\b|\bstopped\b|\bno longer takes\b")
NEVER = re.compile(r"^not on\b|\bnever taken\b|^not taking\b")


def sentence_at(text, start):
    """The sentence of `text` holding code point `start` (notes end sentences with '. ')."""
    begin = 0
    for m in re.finditer(r"(?<=\.)\s+", text):
        if m.start() > start:
            break
        begin = m.end()
    end = text.find(". ", start)
    return text[begin:len(text) if end < 0 else end + 1].lower()


def label_from_text(text, start):
    s = sentence_at(text, start)
    assert not NEVER.search(s), s  # drugs never taken are not targets
    current, stopped = bool(CURRENT.search(s)), bool(DISCONTINUED.search(s))
    assert current != stopped, s  # every medication sentence says one or the other
    return "current" if current else "discontinued"


class ShippedSet(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(SHIPPED, encoding="utf-8") as f:
            cls.set = json.load(f)
        cls.targets = [(t, x) for x in cls.set["texts"] for t in x["targets"]]

    def test_is_what_the_script_writes(self):
        # Deterministic: the same bytes from the same seed, twice.
        self.assertEqual(mk.make_set(), mk.make_set())
        self.assertEqual(json.loads(json.dumps(mk.make_set(), ensure_ascii=False)), self.set)

    def test_format_and_size(self):
        self.assertEqual(self.set["format"], "spexlens-layer-probe-set/1")
        self.assertEqual(self.set["labels"], ["current", "discontinued"])
        self.assertTrue(150 <= len(self.set["texts"]) <= 300, len(self.set["texts"]))
        self.assertTrue(200 <= len(self.targets) <= 600, len(self.targets))

    def test_labels_follow_the_text(self):
        for t, x in self.targets:
            span = x["text"][t["start"]:t["end"]]
            self.assertEqual(span, t["word"])
            self.assertIn(span.lower(), cn.RULE_DRUGS + cn.OTHER_DRUGS)
            self.assertRegex(x["text"][max(0, t["start"] - 1):t["end"] + 1], r"^\W?\w+\W?$")  # a whole word
            self.assertEqual(label_from_text(x["text"], t["start"]), t["label"], (x["id"], span))

    def test_the_checker_can_fail(self):
        # The re-derivation is not a tautology: it tells the two kinds of sentence apart.
        self.assertEqual(label_from_text("Insulin was discontinued. Takes ramipril daily.", 0), "discontinued")
        self.assertEqual(label_from_text("Insulin was discontinued. Takes ramipril daily.", 32), "current")

    def test_each_drug_balanced(self):
        counts = collections.Counter((t["word"].lower(), t["label"]) for t, _ in self.targets)
        for drug in {d for d, _ in counts}:
            self.assertEqual(counts[(drug, "current")], counts[(drug, "discontinued")], drug)

    def test_no_training_notes(self):
        self.assertNotEqual(self.set["source"]["seed"], 1)
        self.assertTrue(all(x["id"].startswith("test-") for x in self.set["texts"]))
        ours = {x["text"] for x in self.set["texts"]}
        train = {cn.make_note(1, "train", i)["text"] for i in range(2000)}
        self.assertFalse(ours & train)

    def test_fits_the_window(self):
        for x in self.set["texts"]:
            self.assertLessEqual(mk.token_bound(x["text"]), mk.MAX_TOKENS)


if __name__ == "__main__":
    unittest.main()
