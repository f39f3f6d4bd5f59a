// Component explanations through the whole command-line path (options -> wasm core -> ONNX
// Runtime with batched head/neuron masks -> engine -> JSON): exact recovery of the planted
// component interactions of models/planted-components for every player set and ablation its
// reference lists, and sanity on the shipped transformer (nothing ablated reproduces the
// normal output; everything ablated gives one text-independent output, the exporter's).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, check, explain, near, run, test } from './harness.mjs';

const PLANTED = path.join(ROOT, 'models/planted-components');
const SPAM = path.join(ROOT, 'models/spam-transformer');
const reference = (dir) => JSON.parse(readFileSync(path.join(dir, 'reference.json'), 'utf8'));

// Möbius terms keyed by sorted player names: "L0.H1+L1.H0".
function termsByName(result) {
  const out = new Map();
  for (const term of result.mobius) {
    out.set(term.set.map((i) => result.features[i].text).sort().join('+'), term.coef);
  }
  return out;
}

function checkExact(result, truth, what) {
  const got = termsByName(result);
  const want = new Map(truth.terms.map((t) => [[...t.players].sort().join('+'), t.coef]));
  for (const [key, coef] of want) near(got.get(key) ?? 0, coef, 1e-4, `${what}: term {${key}}`);
  for (const [key, coef] of got) {
    check(want.has(key) || Math.abs(coef) <= 1e-4, `${what}: a term {${key}} = ${coef} that was not planted`);
  }
  check(result.faithfulness.r2 > 0.9999, `${what}: R² ${result.faithfulness.r2}`);
}

const plantedText = 'Any text gives the same output: only the heads and neurons matter here.';

for (const truth of reference(PLANTED).truth) {
  test(`planted-components: ${truth.players}, ${truth.ablation} ablation: exactly the planted terms`, () => {
    const r = explain(['--model', PLANTED, '--text', plantedText, '--players', truth.players, '--ablation',
      truth.ablation, '--method', 'spex-soft', '--b', '5', '--seed', '4', '--index', 'mobius', '--max-order', '3']);
    check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
    check(r.json.players === 'components', `players ${r.json.players}`);
    check(JSON.stringify(r.json.features.map((f) => f.text)) === JSON.stringify(truth.player_names),
      `players named ${r.json.features.map((f) => f.text)}`);
    check(r.json.components.ablation === truth.ablation, 'ablation recorded');
    checkExact(r.json, truth, `${truth.players}/${truth.ablation}`);
  });
}

test('planted-components: the web runtime (the page\'s) recovers the same terms', () => {
  const truth = reference(PLANTED).truth.find((t) => t.players === 'components:group=4' && t.ablation === 'mean');
  const r = explain(['--model', PLANTED, '--text', plantedText, '--players', truth.players, '--ablation', 'mean',
    '--method', 'spex-soft', '--b', '5', '--seed', '9', '--index', 'mobius', '--max-order', '3', '--runtime', 'web']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  checkExact(r.json, truth, 'web runtime');
});

const spamTexts = [
  'Free lunch for everyone this Friday, click here to claim your voucher now',
  'Hi Tom, the meeting moved to 3pm tomorrow; can you bring the quarterly report?',
  'URGENT: your account has been selected for a cash prize, reply with your bank details',
];

test('spam-transformer: nothing ablated reproduces the normal output (the word run\'s full value)', () => {
  for (const text of spamTexts.slice(0, 2)) {
    const words = explain(['--model', SPAM, '--text', text, '--b', '3', '--holdout', '10']);
    const parts = explain(['--model', SPAM, '--text', text, '--players', 'components', '--b', '3', '--holdout', '10']);
    check(words.status === 0 && parts.status === 0, `${words.stderr}${parts.stderr}`);
    near(parts.json.full_value, words.json.full_value, 1e-5, 'full value, components against words');
  }
});

for (const ablation of ['zero', 'mean']) {
  test(`spam-transformer: everything ${ablation}-ablated gives one text-independent output, the exporter's`, () => {
    const expected = reference(SPAM).all_ablated[ablation].logits;
    const values = spamTexts.map((text) => {
      const r = explain(['--model', SPAM, '--text', text, '--players', 'components', '--ablation', ablation,
        '--b', '3', '--holdout', '10', '--target', 'spam:logit']);
      check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
      return r.json.baseline_value;
    });
    for (const v of values) near(v, expected[1], 1e-4, `all-${ablation}-ablated spam logit`);
  });
}

test('component options a model cannot serve fail with a message', () => {
  const planted = explain(['--model', path.join(ROOT, 'models/planted-and'), '--text', 'not good', '--players', 'heads']);
  check(planted.status === 1 && /no head_mask input/.test(planted.stderr), planted.stderr);
  const group = explain(['--model', SPAM, '--text', 'hello there', '--players', 'components:group=500']);
  check(group.status === 1 && /wider than a layer \(128 neurons\)/.test(group.stderr), group.stderr);
  const spec = explain(['--model', SPAM, '--text', 'hello there', '--players', 'layers']);
  check(spec.status === 1 && /players: expected text, components/.test(spec.stderr), spec.stderr);
  const ablation = explain(['--model', SPAM, '--text', 'hello there', '--ablation', 'mean']);
  check(ablation.status === 1 && /component players only/.test(ablation.stderr), ablation.stderr);
});

await run();
