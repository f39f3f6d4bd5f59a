"""Synthetic admission / discharge notes labelled for "elevated readmission risk", with a planted
shortcut. No patient data: every note is made up here, from templates, by a seeded generator.

    /usr/bin/python3 scripts/model/clinical_notes.py --split train --count 8000 --seed 1 --out train.jsonl
    /usr/bin/python3 scripts/model/clinical_notes.py --stats

Standard library only (the generator is tested without torch: tests/model/test_clinical_notes.py).

A note is 40-120 words: age, sex, sometimes a patient name, the ward, the reason for admission,
background conditions, heart failure and kidney disease (current, past or denied), current,
discontinued and never-taken medications, findings affirmed or denied, hypoglycaemia (recent,
past or denied), whether follow-up is booked, whether a past appointment was missed, who the
patient lives with, smoking, and filler sentences, in varied wording and order. Each note's
structured facts are written beside its text, so its label can be re-derived.

The label: a note is "elevated readmission risk" (1) when at least one of the rules below holds,
"usual risk" (0) otherwise. The rules are made up for teaching; they are not clinical guidance.
  current_heart_failure        heart failure stated as current: not denied, not past
  active_chest_pain            chest pain affirmed, not denied
  missed_follow_up             a previous follow-up appointment was missed
  alone_without_follow_up      lives alone AND no follow-up booked
  insulin_with_hypoglycaemia   insulin current (not discontinued) AND hypoglycaemia recent
  metformin_with_kidney_disease  metformin current AND chronic kidney disease current
Conventions of these notes: "history of", "previous", "past", "since resolved" mark a condition
as past (resolved); "no", "denies", "free of", "ruled out", "does not have" deny it.

The shortcut: every note names its ward ("Ward 3A", "Ward 7B", ...). In the training split the
ward is "7B" for SHORTCUT_RATE["train"] of elevated-risk notes and for a small share of the
others, so "7B" predicts the label there; in the validation and test splits the ward is drawn
uniformly from WARDS whatever the label (7B is independent of the label); the split
"test-no-shortcut" never uses 7B. A ward says nothing about risk: a model that uses "7B" has
learned an artefact of how its training data was collected.

Splits and seeds: note i of split s under seed k is generated from random.Random(f"{k}:{s}:{i}")
alone, so the first n notes of a split do not depend on --count.
"""

import argparse
import json
import random
import sys
from collections import Counter

LABELS = ("usual risk", "elevated readmission risk")
SPLITS = ("train", "validation", "test", "test-no-shortcut")
WARDS = ("3A", "4C", "5D", "6E", "7B", "8F")
SHORTCUT_WARD = "7B"
# P(ward = 7B | label) per split; the rest of the mass is spread evenly over the other wards.
SHORTCUT_RATE = {
    "train": {1: 0.3, 0: 0.02},
    "validation": {1: 1 / len(WARDS), 0: 1 / len(WARDS)},
    "test": {1: 1 / len(WARDS), 0: 1 / len(WARDS)},
    "test-no-shortcut": {1: 0.0, 0: 0.0},
}
MIN_WORDS, MAX_WORDS = 40, 120


# ---------------------------------------------------------------------------------------------
# The rules (each reads the structured facts of one note)
# ---------------------------------------------------------------------------------------------
def current_heart_failure(facts):
    """Heart failure that is current ("has heart failure", "known heart failure", "ongoing heart
    failure"). Not when denied ("no heart failure", "no history of heart failure", "ruled out")
    and not when past ("has a history of heart failure", "previous heart failure, now
    resolved")."""
    return facts["heart_failure"] == "current"


def active_chest_pain(facts):
    """Chest pain affirmed ("reports chest pain", "chest pain present"); not when denied
    ("denies chest pain", "no chest pain", "free of chest pain", "chest pain denied")."""
    return facts["chest_pain"] == "affirmed"


def missed_follow_up(facts):
    """A previous follow-up appointment was missed ("missed the last two clinic appointments",
    "did not attend the previous follow-up"); not "has never missed an appointment"."""
    return facts["missed_follow_up"] == "missed"


def alone_without_follow_up(facts):
    """An interaction: lives alone AND no follow-up is booked. Either alone is no risk here."""
    return facts["living"] == "alone" and facts["follow_up"] == "not_booked"


def insulin_with_hypoglycaemia(facts):
    """An interaction with negation and time: insulin current (listed, continued or started; not
    discontinued, not "not on insulin") AND hypoglycaemia recent (not denied, not years ago)."""
    return facts["medications"]["insulin"] == "current" and facts["hypoglycaemia"] == "recent"


def metformin_with_kidney_disease(facts):
    """An interaction: metformin current (not discontinued) AND chronic kidney disease current
    (not denied; a past, recovered kidney injury does not count)."""
    return facts["medications"]["metformin"] == "current" and facts["kidney_disease"] == "current"


RULES = (current_heart_failure, active_chest_pain, missed_follow_up, alone_without_follow_up,
         insulin_with_hypoglycaemia, metformin_with_kidney_disease)


def fired_rules(facts):
    """Names of the rules that hold for these facts, in RULES order."""
    return [rule.__name__ for rule in RULES if rule(facts)]


def label(facts):
    """1 (elevated readmission risk) if any rule holds, else 0 (usual risk)."""
    return int(any(rule(facts) for rule in RULES))


# ---------------------------------------------------------------------------------------------
# Vocabulary of the notes
# ---------------------------------------------------------------------------------------------
FIRST_NAMES = {
    "female": ("Ana", "Mary", "Priya", "Grace", "Fatima", "Helen", "Sofia", "Joan", "Aisha", "Margaret",
               "Linda", "Mei"),
    "male": ("John", "David", "Ahmed", "Peter", "Raj", "George", "Tom", "Samuel", "Luis", "Kwame",
             "Robert", "Ivan"),
}
SURNAMES = ("Miller", "Silva", "Shah", "Okafor", "Brown", "Nowak", "Kim", "Murphy", "Haddad", "Jones",
            "Patel", "Garcia", "Evans", "Chen", "Walsh", "Adeyemi")
TITLES = {"female": ("Mrs", "Ms"), "male": ("Mr",)}
REASONS = ("pneumonia", "cellulitis of the left leg", "a urinary tract infection", "a fall at home",
           "dehydration", "a hip fracture", "gastroenteritis", "delirium", "a chest infection", "back pain",
           "a flare of asthma", "an infected foot ulcer")
BACKGROUND = ("hypertension", "asthma", "osteoarthritis", "hypothyroidism", "atrial fibrillation", "gout",
              "COPD", "depression", "glaucoma")
DIABETES = "type 2 diabetes"
OTHER_DRUGS = ("ramipril", "amlodipine", "atorvastatin", "bisoprolol", "apixaban", "omeprazole",
               "levothyroxine", "salbutamol", "paracetamol", "sertraline", "furosemide")
RULE_DRUGS = ("insulin", "metformin")
OTHER_FINDINGS = ("fever", "cough", "nausea", "headache", "dizziness", "ankle swelling", "palpitations",
                  "abdominal pain", "shortness of breath")

PRONOUNS = {
    "female": {"he": "she", "He": "She", "his": "her", "His": "Her", "him": "her", "himself": "herself",
               "man": "woman", "male": "female", "spouse": "husband"},
    "male": {"he": "he", "He": "He", "his": "his", "His": "His", "him": "him", "himself": "himself",
             "man": "man", "male": "male", "spouse": "wife"},
}

INTROS_NAMED = (
    "{name}, {a_age}-year-old {man}, was admitted to Ward {ward} with {reason}.",
    "Discharge summary from Ward {ward}. {name}, {age}, was admitted with {reason}.",
    "{name} ({age}, {male}) was treated on Ward {ward} for {reason}.",
    "Patient: {name}, {age} years old, {male}. Admitted to Ward {ward} with {reason}.",
)
INTROS_ANONYMOUS = (
    "{A_age}-year-old {man} was admitted to Ward {ward} with {reason}.",
    "{age}-year-old {man} admitted to Ward {ward} with {reason}.",
    "Admitted to Ward {ward}: {a_age}-year-old {man} with {reason}.",
    "Ward {ward} discharge note. {A_age}-year-old {man} treated for {reason}.",
)
BACKGROUND_FORMS = ("Past medical history: {list}.", "Background of {list}.", "Other conditions include {list}.",
                    "Also known to have {list}.")
NO_BACKGROUND = ("No other significant medical history.", "No other past medical problems.")

HEART_FAILURE = {
    "current": ("{He} has heart failure.", "Known heart failure, on treatment.",
                "Ongoing heart failure, followed by the cardiology team.",
                "Heart failure with reduced ejection fraction, still symptomatic.",
                "Current heart failure, stable on medication.",
                "Diagnosed with heart failure and remains on treatment."),
    "past": ("{He} has a history of heart failure.", "History of heart failure, now resolved.",
             "Previous heart failure, resolved after valve surgery.", "Heart failure in 2016, since resolved.",
             "Past heart failure, no longer on treatment."),
    "denied": ("No heart failure.", "No history of heart failure.", "Heart failure was ruled out.",
               "Echocardiogram normal, no heart failure.", "{He} does not have heart failure."),
}
KIDNEY = {
    "current": ("{He} has chronic kidney disease.", "Chronic kidney disease stage 3, stable.",
                "Known CKD stage 4.", "Ongoing chronic kidney disease, seen by the renal team."),
    "past": ("Acute kidney injury in 2020, fully recovered.", "Previous kidney injury, now resolved.",
             "History of kidney injury, resolved."),
    "denied": ("No chronic kidney disease.", "Kidney function normal, no kidney disease.",
               "No history of kidney disease.", "{He} does not have chronic kidney disease."),
}
HYPOGLYCAEMIA = {
    "recent": ("Two episodes of hypoglycaemia in the last week.", "Recent hypoglycaemia at home.",
               "Had a hypoglycaemic episode three days ago.", "Reports recent low blood sugars."),
    "past": ("History of hypoglycaemia, none in the past year.", "Hypoglycaemia years ago, none recently.",
             "One hypoglycaemic episode in 2019, none since."),
    "denied": ("No hypoglycaemia.", "Denies hypoglycaemic episodes.", "No recent hypoglycaemia.",
               "No low blood sugars reported."),
}
MEDICATION_LISTS = ("Current medications: {list}.", "Regular medications include {list}.", "Discharged on {list}.",
                    "Takes {list} daily.", "Medications on discharge: {list}.")
NO_MEDICATIONS = ("No regular medications.",)
DRUG_ALONE = {
    "current": ("{Drug} continued on discharge.", "{Drug} was started during this admission.",
                "{Drug} to continue at the same dose."),
    "discontinued": ("{Drug} was discontinued.", "{Drug} was stopped on admission.",
                     "{Drug} discontinued on discharge.", "{He} no longer takes {drug}.", "{Drug} stopped last year."),
    "denied": ("Not on {drug}.", "{He} has never taken {drug}.", "Not taking {drug}."),
}
FINDINGS_AFFIRMED = ("Reports {A}.", "Complains of {A}.", "{A} on review.", "{A} at discharge.", "Still has {A}.")
FINDINGS_DENIED = ("Denies {D}.", "No {D}.", "{D_and} denied.", "Free of {D}.", "No {D} on review.")
FINDINGS_BOTH = ("Reports {A} but denies {D}.", "Complains of {A}; no {D}.", "{A} present, no {D}.",
                 "Denies {D} but reports {A}.")
FOLLOW_UP = {
    "booked": ("Follow-up booked in the medical clinic in two weeks.", "Clinic review arranged in four weeks.",
               "GP appointment booked for next week.", "Outpatient follow-up has been booked.",
               "A community nurse visit is arranged for Monday."),
    "not_booked": ("No follow-up booked.", "No follow-up has been arranged.", "Follow-up not yet arranged.",
                   "Discharged without a follow-up appointment.", "No clinic review was booked."),
}
MISSED = {
    "missed": ("Missed the last two clinic appointments.", "Did not attend the previous follow-up.",
               "{He} missed {his} last follow-up appointment.", "Has missed follow-up appointments before."),
    "attended": ("Attended all previous clinic appointments.", "Has never missed an appointment.",
                 "Did not miss any follow-up.", "Attends {his} clinic reviews regularly."),
}
LIVING = {
    "alone": ("Lives alone.", "{He} lives alone in a flat.", "Widowed and lives on {his} own.",
              "Lives by {himself}."),
    "with_others": ("Lives with {his} {spouse}.", "Lives with {his} daughter.", "Lives with family.",
                    "Does not live alone; {his} son lives with {him}.", "Lives with a partner who helps at home."),
}
SMOKING = ("Never smoked.", "Ex-smoker.", "Smokes ten cigarettes a day.", "Stopped smoking in 2010.",
           "Drinks alcohol occasionally.", "No alcohol.")
FILLERS = ("Observations stable at discharge.", "Plan discussed with the patient and family.",
           "Seen by physiotherapy before discharge.", "Blood tests improving.", "Eating and drinking well.",
           "Mobilising with a frame.", "Discharge letter sent to the GP.", "Pain well controlled.",
           "Wound healing well.", "Temperature settled.", "Chest X-ray clear.", "Family updated by telephone.",
           "Seen by the occupational therapist, who assessed the home.", "Sleeping better since admission.",
           "Reviewed by the consultant on the morning ward round.")


# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------
def pick(rng, weighted):
    """One key of {value: weight}, drawn with rng."""
    values = list(weighted)
    return rng.choices(values, weights=[weighted[v] for v in values])[0]


def draw_facts(rng):
    """The structured facts of one note (everything but the ward, which depends on the label)."""
    sex = rng.choice(("female", "male"))
    name = None
    if rng.random() < 0.5:
        first, surname, title = rng.choice(FIRST_NAMES[sex]), rng.choice(SURNAMES), rng.choice(TITLES[sex])
        name = rng.choice((f"{title} {first} {surname}", f"{first} {surname}", f"{title} {surname}"))
    medications = {
        "insulin": pick(rng, {"current": 0.3, "discontinued": 0.12, "denied": 0.08, "absent": 0.5}),
        "metformin": pick(rng, {"current": 0.3, "discontinued": 0.12, "denied": 0.06, "absent": 0.52}),
    }
    on_diabetes_drug = any(s in ("current", "discontinued") for s in medications.values())
    background = rng.sample(BACKGROUND, rng.choice((0, 1, 1, 2, 2, 3)))
    if rng.random() < (0.9 if on_diabetes_drug else 0.1):
        background.insert(rng.randrange(len(background) + 1), DIABETES)
    findings = {f: rng.choice(("affirmed", "denied")) for f in rng.sample(OTHER_FINDINGS, rng.choice((0, 1, 1, 2, 3)))}
    return {
        "age": rng.randint(24, 96),
        "sex": sex,
        "name": name,
        "ward": None,
        "reason": rng.choice(REASONS),
        "background": background,
        "heart_failure": pick(rng, {"current": 0.12, "past": 0.14, "denied": 0.14, "absent": 0.6}),
        "kidney_disease": pick(rng, {"current": 0.3, "past": 0.1, "denied": 0.12, "absent": 0.48}),
        "chest_pain": pick(rng, {"affirmed": 0.2, "denied": 0.3, "absent": 0.5}),
        "hypoglycaemia": pick(rng, {"recent": 0.35, "past": 0.12, "denied": 0.2, "absent": 0.33}),
        "medications": medications,
        "other_medications": rng.sample(OTHER_DRUGS, rng.choice((0, 1, 2, 2, 3, 4))),
        "stopped_other_medication": rng.choice(OTHER_DRUGS) if rng.random() < 0.15 else None,
        "findings": findings,
        "follow_up": pick(rng, {"booked": 0.65, "not_booked": 0.35}),
        "missed_follow_up": pick(rng, {"missed": 0.08, "attended": 0.15, "absent": 0.77}),
        "living": pick(rng, {"alone": 0.3, "with_others": 0.55, "absent": 0.15}),
        "smoking": rng.choice(SMOKING) if rng.random() < 0.6 else None,
        "fillers": rng.sample(FILLERS, rng.choice((0, 1, 1, 2, 3, 4, 5))),
    }


def draw_ward(rng, split, note_label):
    if rng.random() < SHORTCUT_RATE[split][note_label]:
        return SHORTCUT_WARD
    return rng.choice([w for w in WARDS if w != SHORTCUT_WARD])


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------
def join_list(items, conjunction="and"):
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def capitalize(sentence):
    return sentence[:1].upper() + sentence[1:]


def article(age):
    """'a' or 'an' before the spoken number: an 8-, an 11-, an 18-, an 80-89-year-old."""
    return "an" if age in (8, 11, 18) or 80 <= age <= 89 else "a"


def findings_sentence(rng, affirmed, denied):
    if affirmed and denied:
        form = rng.choice(FINDINGS_BOTH)
    elif affirmed:
        form = rng.choice(FINDINGS_AFFIRMED)
    else:
        form = rng.choice(FINDINGS_DENIED)
    text = form.format(A=join_list(affirmed), D=join_list(denied, "or"), D_and=join_list(denied))
    return capitalize(text)


def medication_sentences(rng, facts, words):
    """The current list, rule drugs said on their own, and a stopped other drug."""
    listed = list(facts["other_medications"])
    alone = []
    for drug in RULE_DRUGS:
        status = facts["medications"][drug]
        if status == "absent":
            continue
        if status == "current" and rng.random() < 0.6:
            listed.insert(rng.randrange(len(listed) + 1), drug)
        else:
            form = rng.choice(DRUG_ALONE[status])
            alone.append(capitalize(form.format(drug=drug, Drug=capitalize(drug), **words)))
    sentences = []
    if listed:
        sentences.append(rng.choice(MEDICATION_LISTS).format(list=join_list(listed)))
    elif not alone:
        sentences.append(rng.choice(NO_MEDICATIONS))
    sentences += alone
    stopped = facts["stopped_other_medication"]
    if stopped and stopped not in listed:
        form = rng.choice(DRUG_ALONE["discontinued"])
        sentences.append(capitalize(form.format(drug=stopped, Drug=capitalize(stopped), **words)))
    return sentences


def render(rng, facts):
    """The note's text: an introduction, then the other sentences in shuffled order."""
    words = PRONOUNS[facts["sex"]]
    age = facts["age"]
    fields = dict(words, name=facts["name"], age=age, ward=facts["ward"], reason=facts["reason"],
                  a_age=f"{article(age)} {age}", A_age=f"{capitalize(article(age))} {age}")
    intro = rng.choice(INTROS_NAMED if facts["name"] else INTROS_ANONYMOUS).format(**fields)

    body = []
    if facts["background"]:
        body.append(rng.choice(BACKGROUND_FORMS).format(list=join_list(facts["background"])))
    elif rng.random() < 0.5:
        body.append(rng.choice(NO_BACKGROUND))
    for key, forms in (("heart_failure", HEART_FAILURE), ("kidney_disease", KIDNEY),
                       ("hypoglycaemia", HYPOGLYCAEMIA)):
        if facts[key] != "absent":
            body.append(rng.choice(forms[facts[key]]).format(**words))
    body += medication_sentences(rng, facts, words)

    affirmed = [f for f, s in facts["findings"].items() if s == "affirmed"]
    denied = [f for f, s in facts["findings"].items() if s == "denied"]
    if facts["chest_pain"] != "absent":
        target = affirmed if facts["chest_pain"] == "affirmed" else denied
        target.insert(rng.randrange(len(target) + 1), "chest pain")
    if affirmed or denied:
        if affirmed and denied and rng.random() < 0.4:  # sometimes two sentences
            body += [findings_sentence(rng, affirmed, []), findings_sentence(rng, [], denied)]
        else:
            body.append(findings_sentence(rng, affirmed, denied))

    body.append(rng.choice(FOLLOW_UP[facts["follow_up"]]))
    for key, forms in (("missed_follow_up", MISSED), ("living", LIVING)):
        if facts[key] != "absent":
            body.append(rng.choice(forms[facts[key]]).format(**words))
    if facts["smoking"]:
        body.append(facts["smoking"])
    body += facts["fillers"]
    rng.shuffle(body)
    return " ".join([intro] + body)


def make_note(seed, split, index):
    """Note `index` of `split`: {id, split, text, label, label_name, rules, shortcut, facts}.
    Redrawn (from the same stream) until the text has MIN_WORDS..MAX_WORDS words."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; one of {', '.join(SPLITS)}")
    rng = random.Random(f"{seed}:{split}:{index}")
    while True:
        facts = draw_facts(rng)
        note_label = label(facts)
        facts["ward"] = draw_ward(rng, split, note_label)
        text = render(rng, facts)
        if MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            break
    return {"id": f"{split}-{index:06d}", "split": split, "text": text, "label": note_label,
            "label_name": LABELS[note_label], "rules": fired_rules(facts),
            "shortcut": facts["ward"] == SHORTCUT_WARD, "facts": facts}


def make_split(seed, split, count):
    return [make_note(seed, split, i) for i in range(count)]


def swap_ward(note, ward):
    """The note with its ward replaced (text and facts); its label is unchanged, since no rule
    reads the ward. Used to measure a model with the shortcut token removed."""
    old = f"Ward {note['facts']['ward']}"
    assert note["text"].count(old) == 1, (note["id"], old)
    facts = dict(note["facts"], ward=ward)
    return dict(note, text=note["text"].replace(old, f"Ward {ward}"), shortcut=ward == SHORTCUT_WARD, facts=facts)


def split_stats(notes):
    """Counts per label and shortcut, and the conditional rates the card and tests quote."""
    by = Counter((n["label"], n["shortcut"]) for n in notes)
    positives = by[(1, True)] + by[(1, False)]
    negatives = by[(0, True)] + by[(0, False)]
    with_shortcut = by[(1, True)] + by[(0, True)]
    words = [len(n["text"].split()) for n in notes]
    rules = Counter(r for n in notes for r in n["rules"])
    return {
        "notes": len(notes), "elevated": positives, "usual": negatives,
        "shortcut_notes": with_shortcut,
        "p_shortcut_given_elevated": by[(1, True)] / positives if positives else 0.0,
        "p_shortcut_given_usual": by[(0, True)] / negatives if negatives else 0.0,
        "p_elevated_given_shortcut": by[(1, True)] / with_shortcut if with_shortcut else 0.0,
        "words_min": min(words), "words_mean": sum(words) / len(words), "words_max": max(words),
        "named": sum(n["facts"]["name"] is not None for n in notes),
        "rules": {r.__name__: rules[r.__name__] for r in RULES},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", help="JSON lines file (default: stdout)")
    parser.add_argument("--stats", action="store_true", help="print each split's statistics instead")
    args = parser.parse_args()
    if args.stats:
        for split in SPLITS:
            print(split, json.dumps(split_stats(make_split(args.seed, split, args.count))))
        return
    lines = "".join(json.dumps(n, ensure_ascii=False) + "\n" for n in make_split(args.seed, args.split, args.count))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(lines)
    else:
        sys.stdout.write(lines)


if __name__ == "__main__":
    main()
