// clinical_shortcut_check: does an explainer find the planted shortcut, and the negation
// interaction? Explains test notes (scripts/model/clinical_notes.py, seed 1, split "test") with
// models/clinical-readmission through scripts/spexlens-explain.
//
// --check shortcut (default): notes on ward 7B (in the test split the ward is independent of the
// label); counts on how many the ward's word ("7B", "7B." ...) is among the three largest
// first-order terms by magnitude. The issue's bar: >= 90%.
// --check negation: notes with the sentence "Chest pain denied."; counts on how many the pair
// ("Chest", "denied.") is among the five largest pair terms by magnitude. (The notes' other
// negated forms, "No chest pain." and "Denies chest pain.", move this model's output little:
// docs in the model card.)
//
//   node scripts/bench/clinical_shortcut_check.mjs [--check shortcut|negation] [--count 40]
//       [--budget 4000] [--method auto] [--seed 1] [--model DIR] [--runtime node|web] [--out FILE]
//       [--min-rate R]
//
// --min-rate R: exit 1 when the term is found on fewer than a share R of the notes (the tests
// `clinical_shortcut_found` and `clinical_negation_found` run a few notes with it).
//
// "First-order terms" are the result's interaction index values of single words (FSII at order
// 2 by default, the page's default index); the Shapley values' ranks are reported beside them.
// Needs the WebAssembly core (build/wasm-release/bin/spexlens_core.mjs). Prints one line per
// note and a summary, and writes JSON (default build/bench/clinical_shortcut_check.json).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHORTCUT = /^\(?7B\W*$/i;  // the ward's word as a whitespace-delimited feature
const NEGATED = /(^|\. )Chest pain denied\./;  // the negated sentence the negation check looks for
const TOP = { shortcut: 3, negation: 5 };

function parseArgs(argv) {
  const o = { check: 'shortcut', count: 40, budget: 4000, method: 'auto', seed: 1, runtime: 'node', minRate: 0,
    model: path.join(ROOT, 'models', 'clinical-readmission'),
    out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--check') o.check = next();
    else if (a === '--count') o.count = Number(next());
    else if (a === '--budget') o.budget = Number(next());
    else if (a === '--method') o.method = next();
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--model') o.model = path.resolve(next());
    else if (a === '--runtime') o.runtime = next();
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--min-rate') o.minRate = Number(next());
    else throw new Error(`unknown option ${a}`);
  }
  if (!(o.check in TOP)) throw new Error(`--check must be shortcut or negation, not ${o.check}`);
  if (o.out === null) o.out = path.join(ROOT, 'build', 'bench', `clinical_${o.check}_check.json`);
  return o;
}

// 1-based rank of feature `i` among values by magnitude (ties count against it).
function rank(values, i) {
  return values.filter((v, j) => j !== i && Math.abs(v) >= Math.abs(values[i])).length + 1;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Explains `notes` with the CLI; returns the results (one per note, in order) and the seconds.
function explainNotes(notes, o) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'clinical-check-'));
  const input = path.join(tmp, 'notes.jsonl');
  const output = path.join(tmp, 'results.jsonl');
  writeFileSync(input, notes.map((n) => JSON.stringify({ id: n.id, text: n.text })).join('\n') + '\n');
  const started = performance.now();
  execFileSync(path.join(ROOT, 'scripts', 'spexlens-explain'), ['--model', o.model, '--input', input, '--out', output,
    '--budget', String(o.budget), '--method', o.method, '--seed', String(o.seed), '--runtime', o.runtime],
  { stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  const results = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  rmSync(tmp, { recursive: true, force: true });
  for (const r of results) if (r.error) throw new Error(`${r.id}: ${r.error}`);
  return { results, seconds };
}

// The ward among the first-order terms of one result.
function shortcutRow(r, note) {
  const at = r.features.findIndex((f) => SHORTCUT.test(f.text));
  if (at < 0) throw new Error(`${r.id}: no feature is the ward 7B`);
  const first = new Array(r.features.length).fill(0);
  for (const v of r.index.values) if (v.set.length === 1) first[v.set[0]] = v.value;
  const order = first.map((v, j) => j).sort((a, b) => Math.abs(first[b]) - Math.abs(first[a]));
  return { id: r.id, label: note.label, words: r.features.length, full_value: r.full_value,
    r2: r.faithfulness.r2, method: r.selection?.chosen ?? r.method, index: `${r.index.name}-${r.index.order}`,
    value: first[at], rank: rank(first, at), shortcut_shapley: r.shapley[at],
    shapley_rank: rank(r.shapley, at), top: order.slice(0, TOP.shortcut).map((j) => [r.features[j].text, +first[j].toFixed(3)]) };
}

// The pair ("Chest", "denied.") of the negated sentence among the pair terms of one result.
function negationRow(r, note) {
  const words = r.features.map((f) => f.text);
  const chest = words.findIndex((w, j) => w === 'Chest' && words[j + 1] === 'pain' && words[j + 2] === 'denied.');
  if (chest < 0) throw new Error(`${r.id}: no "Chest pain denied." among the features`);
  const pairs = r.index.values.filter((v) => v.set.length === 2);
  const values = pairs.map((v) => v.value);
  const at = pairs.findIndex((v) => v.set[0] === chest && v.set[1] === chest + 2);
  const order = values.map((v, j) => j).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]));
  return { id: r.id, label: note.label, words: words.length, full_value: r.full_value, r2: r.faithfulness.r2,
    method: r.selection?.chosen ?? r.method, index: `${r.index.name}-${r.index.order}`,
    value: at < 0 ? 0 : values[at], rank: at < 0 ? Infinity : rank(values, at), pairs: pairs.length,
    top: order.slice(0, TOP.negation).map((j) => [pairs[j].set.map((k) => words[k]).join(' \u2227 '), +values[j].toFixed(3)]) };
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const top = TOP[o.check];
  const wanted = o.check === 'shortcut' ? (n) => n.shortcut : (n) => NEGATED.test(n.text);
  const notes = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'model', 'clinical_notes.py'),
    '--seed', '1', '--split', 'test', '--count', '2000'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .trim().split('\n').map((line) => JSON.parse(line)).filter(wanted).slice(0, o.count);
  if (notes.length < o.count) throw new Error(`only ${notes.length} test notes are what --check ${o.check} looks for`);
  const { results, seconds } = explainNotes(notes, o);
  const rows = results.map((r, k) => (o.check === 'shortcut' ? shortcutRow(r, notes[k]) : negationRow(r, notes[k])));
  const what = o.check === 'shortcut' ? `the ward 7B among the top ${top} first-order terms`
    : `"Chest \u2227 denied." among the top ${top} pair terms`;
  for (const r of rows) {
    console.log(`${r.id} label ${r.label} log-odds ${r.full_value.toFixed(2).padStart(6)} R² ${r.r2.toFixed(2)}: rank ` +
                `${r.rank} (${r.value.toFixed(2)})${r.shapley_rank ? `, Shapley rank ${r.shapley_rank}` : ''}; top ` +
                r.top.map(([w, v]) => `${w} ${v}`).join(', '));
  }
  const count = (f) => rows.filter(f).length;
  const summary = {
    check: o.check, model: o.model, runtime: o.runtime, method: o.method, budget: o.budget, seed: o.seed,
    notes: rows.length, index: rows[0].index, onnx_sha256: results[0].model.sha256, top,
    found: count((r) => r.rank <= top), first: count((r) => r.rank === 1),
    median_r2: median(rows.map((r) => r.r2)), seconds: Math.round(seconds), rows,
  };
  if (o.check === 'shortcut') {
    Object.assign(summary, { top3_shapley: count((r) => r.shapley_rank <= top), positive: count((r) => r.value > 0),
      top3_usual: count((r) => r.label === 0 && r.rank <= top), usual: count((r) => r.label === 0) });
  } else {
    summary.negative = count((r) => r.value < 0);
  }
  summary.rate = summary.found / rows.length;
  console.log(`${what} (${summary.index}) on ${summary.found} of ${rows.length} notes ` +
              `(${(100 * summary.rate).toFixed(1)}%${o.check === 'shortcut' ? '; bar 90%' : ''}), first on ${summary.first}; ` +
              (o.check === 'shortcut'
                ? `by Shapley value ${summary.top3_shapley}; pushing towards elevated risk on ${summary.positive}; ` +
                  `usual-risk notes ${summary.top3_usual} of ${summary.usual}; `
                : `lowering the risk on ${summary.negative}; `) +
              `median R² ${summary.median_r2.toFixed(3)}; ${summary.seconds} s`);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(summary, null, 2) + '\n');
  if (summary.rate < o.minRate) {
    console.error(`clinical_shortcut_check: ${what} on ${summary.found} of ${rows.length} notes, below --min-rate ${o.minRate}`);
    process.exitCode = 1;
  }
}

main();
