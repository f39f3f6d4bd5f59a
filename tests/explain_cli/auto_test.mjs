// The default method (auto: ProxySPEX or ridge regression on uniform masks, chosen by
// cross-validation) through the whole command-line pipeline: it recovers the planted-and model's
// known terms, reports every candidate's score and the proxy, is deterministic, and --target-r2
// stops as soon as the cross-validated R² is reached with the result so far.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, check, explain, near, run, test } from './harness.mjs';

const PLANTED = path.join(ROOT, 'models/planted-and');
const SPAM = path.join(ROOT, 'models/spam-transformer');
const bare = (text) => text.toLowerCase().replace(/[^a-z]+$/, '');
const plantedText = () => JSON.parse(readFileSync(path.join(PLANTED, 'model.json'), 'utf8')).sample_text;

function mobiusByWords(result) {
  const out = new Map();
  for (const term of result.mobius) {
    const words = term.set.map((i) => bare(result.features[i].text)).sort().join('+');
    out.set(words, (out.get(words) ?? 0) + term.coef);
  }
  return out;
}

test('auto is the default: planted-and terms recovered, candidates and proxy reported', () => {
  const r = explain(['--model', PLANTED, '--text', plantedText(), '--budget', '3000', '--seed', '3',
    '--index', 'mobius', '--max-order', '3']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  const j = r.json;
  check(j.method === 'auto', `method ${j.method}`);
  check(j.design === 'uniform', `design ${j.design}`);
  check(j.queries === 3000, `queries ${j.queries}`);
  check(j.partial === false, 'a complete run is not partial');
  const names = j.selection.candidates.map((c) => c.name);
  check(names.includes('proxyspex') && names.includes('ridge-1'), `candidates ${names}`);
  check(names.includes(j.chosen_method), `chosen ${j.chosen_method} is one of ${names}`);
  const best = Math.max(...j.selection.candidates.map((c) => c.cv_r2));
  near(j.selection.candidates.find((c) => c.name === j.chosen_method).cv_r2, best, 0, 'the chosen candidate has the best score');
  check(j.proxy && j.proxy.trees > 0 && j.proxy.holdout_r2 > 0.9, `proxy ${JSON.stringify(j.proxy)}`);
  check(j.faithfulness.r2 >= 0.99, `R² ${j.faithfulness.r2}`);
  const truth = JSON.parse(readFileSync(path.join(PLANTED, 'model.json'), 'utf8')).known_answer;
  const got = mobiusByWords(j);
  for (const t of truth.and_terms) {
    const key = [...t.words].sort().join('+');
    if (t.words.every((w) => j.features.some((f) => bare(f.text) === w))) near(got.get(key) ?? 0, t.coef, 0.05, `{${key}}`);
  }
});

test('auto: the same seed gives the same result; proxyspex and ridge-2 run on their own', () => {
  const args = ['--model', PLANTED, '--text', 'not good , never again , not very good', '--budget', '800', '--seed', '9'];
  const a = explain(args);
  const b = explain(args);
  check(a.status === 0 && b.status === 0, a.stderr + b.stderr);
  check(JSON.stringify(a.json.fourier) === JSON.stringify(b.json.fourier), 'Fourier terms differ between runs');
  check(a.json.faithfulness.r2 === b.json.faithfulness.r2, 'R² differs between runs');
  for (const method of ['proxyspex', 'ridge-2']) {
    const r = explain([...args, '--method', method]);
    check(r.status === 0, `${method}: ${r.stderr}`);
    check(r.json.method === method && r.json.chosen_method === method, `${method}: ${r.json.method}/${r.json.chosen_method}`);
    check(r.json.selection.candidates.length === 1, `${method}: one candidate`);
  }
});

test('--target-r2 stops early with the result so far, and says so', () => {
  const text = 'Free lunch for everyone who replies today, click the link now to claim your prize. ' +
    'Bob, are we still on for the meeting about the quarterly report tomorrow?';
  const r = explain(['--model', SPAM, '--text', text, '--budget', '8000', '--target-r2', '0.5', '--seed', '1']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  check(r.json.partial === true, 'the result should be an early one');
  check(r.json.queries < 8000, `queries ${r.json.queries} should be below the 8,000 cap`);
  check(r.json.notes.some((n) => n.includes('stopped early')), `notes ${JSON.stringify(r.json.notes)}`);
  const chosen = r.json.selection.candidates.find((c) => c.name === r.json.chosen_method);
  check(chosen.cv_r2 >= 0.5, `cross-validated R² ${chosen.cv_r2} below the target`);
  const bad = explain(['--model', SPAM, '--text', text, '--target-r2', '0.9', '--method', 'spex-soft']);
  check(bad.status === 1 && bad.stderr.includes('target_r2'), `spex with a target: ${bad.status} ${bad.stderr}`);
});

await run();
