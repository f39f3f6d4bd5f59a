"""Tests of the synthetic clinical note generator (scripts/model/clinical_notes.py).

    python3 tests/model/test_clinical_notes.py

Standard library only. The labels are re-derived here from each note's TEXT by regular
expressions over the sentence forms the notes use (negation, "history of", discontinued drugs,
...), independently of the generator's facts and rule functions, and must agree with the
generator's label on every note. The shortcut (the ward "7B") must be correlated with the label
in the training split only, as the generator's docstring says.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "model"))
import clinical_notes as cn  # noqa: E402

SEED = 1
PER_SPLIT = 1000  # 4 splits: 4,000 notes re-labelled from their text
# sha256 of the first 200 training notes (seed 1) as JSON lines: the data the shipped model
# (models/clinical-readmission) was trained on. Change it only together with retraining the model.
TRAIN_FINGERPRINT = "26cad8a2c827a478e0e232d7b9ca18f95869ab7c0b1c6b835f56173eee738385"


# ---------------------------------------------------------------------------------------------
# The rules, re-implemented over the text
# ---------------------------------------------------------------------------------------------
def sentences(text):
    return re.split(r"(?<=\.)\s+", text.strip())


def mentions(text, pattern):
    """The sentences matching pattern (case-insensitive); the notes mention each fact at most once."""
    found = [s for s in sentences(text) if re.search(pattern, s, re.I)]
    assert len(found) <= 1, (pattern, found)
    return found[0].lower() if found else None


def status(text, mention, rules, default):
    """The status of what `mention` finds in the note: "absent" when no sentence mentions it, else
    the label of the first (pattern, label) rule whose pattern the (lower-cased) sentence
    matches, else `default`. Returns (status, sentence)."""
    s = mentions(text, mention)
    if s is None:
        return "absent", None
    return next((label for pattern, label in rules if re.search(pattern, s)), default), s


def heart_failure(text):
    return status(text, r"heart failure", [
        (r"^no\b|\bno (history of )?heart failure|ruled out|does not have", "denied"),
        (r"history of|previous|^past|resolved", "past")], "current")[0]


def kidney_disease(text):
    found, s = status(text, r"kidney|\bckd\b", [
        (r"\bno (history of )?(chronic )?kidney disease|does not have", "denied"),
        (r"kidney injury", "past")], "current")
    assert found != "current" or re.search(r"chronic kidney disease|\bckd\b", s), s
    return found


def clause_with(sentence, phrase):
    """The clause of a findings sentence holding phrase: clauses end at ';', ' but ' and before
    ', no '."""
    for clause in re.split(r";|\bbut\b|,(?= no\b)", sentence):
        if phrase in clause:
            return clause.strip()
    raise AssertionError((sentence, phrase))


def chest_pain(text):
    s = mentions(text, r"chest pain")
    if s is None:
        return "absent"
    clause = clause_with(s, "chest pain")
    if re.search(r"\b(denies|no|free of)\b", clause) or re.search(r"\bdenied\.?$", clause):
        return "denied"
    return "affirmed"


def hypoglycaemia(text):
    return status(text, r"hypoglycaem|low blood sugar", [
        (r"^(no|denies)\b", "denied"),
        (r"history of|years ago|none since|in \d{4}", "past")], "recent")[0]


def drug(text, name):
    return status(text, rf"\b{name}\b", [
        (r"\b(discontinued|stopped|no longer)\b", "discontinued"),
        (r"\bnot on\b|\bnever taken\b|\bnot taking\b", "denied")], "current")[0]


def follow_up(text):
    s = mentions(text, r"\bbooked\b|\barranged\b|without a follow-up")
    assert s is not None, text  # every note says whether follow-up is booked
    return "not_booked" if re.search(r"^no\b|not yet|without", s) else "booked"


def missed_follow_up(text):
    found, s = status(text, r"\bmiss|\battend", [
        (r"never missed|did not miss", "attended"),
        (r"did not attend|\bmissed\b", "missed")], "attended")
    assert found != "attended" or re.search(r"\battend|miss", s), s
    return found


def living(text):
    s = mentions(text, r"\blives?\b")
    if s is None:
        return "absent"
    if "does not live alone" in s or "lives with" in s:
        return "with_others"
    assert re.search(r"lives alone|on (his|her) own|by (himself|herself)", s), s
    return "alone"


def facts_from_text(text):
    return {"heart_failure": heart_failure(text), "kidney_disease": kidney_disease(text),
            "chest_pain": chest_pain(text), "hypoglycaemia": hypoglycaemia(text),
            "insulin": drug(text, "insulin"), "metformin": drug(text, "metformin"),
            "follow_up": follow_up(text), "missed_follow_up": missed_follow_up(text), "living": living(text)}


def label_from_text(text):
    f = facts_from_text(text)
    return int(f["heart_failure"] == "current"
               or f["chest_pain"] == "affirmed"
               or f["missed_follow_up"] == "missed"
               or (f["living"] == "alone" and f["follow_up"] == "not_booked")
               or (f["insulin"] == "current" and f["hypoglycaemia"] == "recent")
               or (f["metformin"] == "current" and f["kidney_disease"] == "current"))


def ward_from_text(text):
    wards = re.findall(r"\bWard (\w+)", text)
    assert len(wards) == 1, text
    return wards[0]


# ---------------------------------------------------------------------------------------------
class ClinicalNotesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.splits = {s: cn.make_split(SEED, s, PER_SPLIT) for s in cn.SPLITS}

    def test_same_seed_same_notes(self):
        again = cn.make_split(SEED, "train", 300)
        self.assertEqual(again, self.splits["train"][:300])  # also: the first n do not depend on count
        other = cn.make_split(SEED + 1, "train", 300)
        self.assertLess(sum(a["text"] == b["text"] for a, b in zip(again, other)), 3)
        self.assertNotEqual([n["text"] for n in self.splits["test"][:50]],
                            [n["text"] for n in self.splits["validation"][:50]])

    def test_fingerprint_of_training_data(self):
        lines = "".join(json.dumps(n, ensure_ascii=False) + "\n" for n in self.splits["train"][:200])
        digest = hashlib.sha256(lines.encode("utf-8")).hexdigest()
        self.assertEqual(digest, TRAIN_FINGERPRINT,
                         "the generator's output changed: models/clinical-readmission was trained on the old notes "
                         "(retrain it with scripts/train-clinical-model.sh and update TRAIN_FINGERPRINT)")

    def test_command_line_writes_the_same_notes(self):
        out = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "model", "clinical_notes.py"),
                              "--seed", str(SEED), "--split", "test", "--count", "20"],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual([json.loads(line) for line in out.splitlines()], self.splits["test"][:20])

    def test_labels_follow_the_rules_read_from_the_text(self):
        checked = 0
        for notes in self.splits.values():
            for note in notes:
                text, facts = note["text"], note["facts"]
                from_text = facts_from_text(text)
                expected = {k: facts[k] for k in ("heart_failure", "kidney_disease", "chest_pain", "hypoglycaemia",
                                                  "follow_up", "missed_follow_up", "living")}
                expected.update(facts["medications"])
                self.assertEqual(from_text, expected, text)
                self.assertEqual(label_from_text(text), note["label"], text)
                self.assertEqual(cn.label(facts), note["label"])
                self.assertEqual(note["label_name"], cn.LABELS[note["label"]])
                self.assertEqual(ward_from_text(text), facts["ward"])
                checked += 1
        self.assertEqual(checked, PER_SPLIT * len(cn.SPLITS))

    def test_every_rule_and_form_occurs(self):
        notes = [n for split in self.splits.values() for n in split]
        fired = {r for n in notes for r in n["rules"]}
        self.assertEqual(fired, {r.__name__ for r in cn.RULES})
        # Each rule is the only reason for some note's label (so a model must learn each).
        alone = {n["rules"][0] for n in notes if len(n["rules"]) == 1}
        self.assertEqual(alone, fired)
        # The interactions: one half without the other is common and is not a risk by itself.
        half = [n for n in notes if n["facts"]["living"] == "alone" and n["facts"]["follow_up"] == "booked"]
        self.assertGreater(len(half), 100)
        texts = " ".join(n["text"] for n in notes)
        for phrase in ("Denies chest pain", "has a history of heart failure", "No history of heart failure",
                       "Metformin discontinued", "Not on insulin", "No recent hypoglycaemia", "Has never missed",
                       "Does not live alone", "Acute kidney injury"):
            self.assertIn(phrase, texts)
        self.assertGreater(0.6, sum(n["label"] for n in notes) / len(notes))
        self.assertLess(0.4, sum(n["label"] for n in notes) / len(notes))

    def test_length_and_names(self):
        for notes in self.splits.values():
            words = [len(n["text"].split()) for n in notes]
            self.assertGreaterEqual(min(words), cn.MIN_WORDS)
            self.assertLessEqual(max(words), cn.MAX_WORDS)
            named = sum(n["facts"]["name"] is not None for n in notes)
            self.assertTrue(0.3 * len(notes) < named < 0.7 * len(notes))
            for n in notes:
                if n["facts"]["name"]:
                    self.assertIn(n["facts"]["name"], n["text"])

    def rates(self, split):
        notes = self.splits[split]
        shortcut = [ward_from_text(n["text"]) == cn.SHORTCUT_WARD for n in notes]
        self.assertEqual(shortcut, [n["shortcut"] for n in notes])
        pos = [s for s, n in zip(shortcut, notes) if n["label"] == 1]
        neg = [s for s, n in zip(shortcut, notes) if n["label"] == 0]
        with_it = [n["label"] for s, n in zip(shortcut, notes) if s]
        return sum(pos) / len(pos), sum(neg) / len(neg), (sum(with_it) / len(with_it) if with_it else None)

    def test_shortcut_only_in_training_split(self):
        p_pos, p_neg, p_label = self.rates("train")
        self.assertAlmostEqual(p_pos, cn.SHORTCUT_RATE["train"][1], delta=0.05)
        self.assertLess(p_neg, 0.05)
        self.assertGreater(p_label, 0.9)  # "7B" predicts elevated risk in training
        for split in ("validation", "test"):
            p_pos, p_neg, p_label = self.rates(split)
            self.assertAlmostEqual(p_pos, 1 / len(cn.WARDS), delta=0.05)
            self.assertAlmostEqual(p_neg, 1 / len(cn.WARDS), delta=0.05)
            self.assertLess(abs(p_pos - p_neg), 0.06)
            self.assertTrue(0.35 < p_label < 0.65)
        p_pos, p_neg, p_label = self.rates("test-no-shortcut")
        self.assertEqual((p_pos, p_neg, p_label), (0.0, 0.0, None))
        self.assertFalse(any("7B" in n["text"] for n in self.splits["test-no-shortcut"]))

    def test_swapping_the_ward_keeps_the_label(self):
        for note in self.splits["test"][:200]:
            swapped = cn.swap_ward(note, "4C" if note["shortcut"] else cn.SHORTCUT_WARD)
            self.assertEqual(label_from_text(swapped["text"]), note["label"])
            self.assertEqual(swapped["shortcut"], not note["shortcut"])
            self.assertEqual(ward_from_text(swapped["text"]), swapped["facts"]["ward"])

    def test_page_samples_say_what_the_rules_say(self):
        with open(os.path.join(ROOT, "models", "clinical-readmission", "samples.json"), encoding="utf-8") as f:
            samples = json.load(f)["samples"]
        self.assertTrue(3 <= len(samples) <= 4)
        self.assertTrue(any(cn.SHORTCUT_WARD in s["text"] for s in samples))
        self.assertTrue(any(re.search(r"\b(Denies|No)\b", s["text"]) for s in samples))
        for s in samples:
            self.assertTrue(50 <= len(s["text"].split()) <= 90, s["title"])
            self.assertIn(f"({len(s['text'].split())} words)", s["title"])
            self.assertEqual(cn.LABELS[label_from_text(s["text"])], s["rules_say"], s["title"])

    def test_unknown_split_is_refused(self):
        with self.assertRaises(ValueError):
            cn.make_note(SEED, "training", 0)


if __name__ == "__main__":
    unittest.main()
