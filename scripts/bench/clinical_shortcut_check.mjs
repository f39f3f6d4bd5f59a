// clinical_shortcut_check: does an explainer find the planted shortcut? Explains test notes that
// are on ward 7B (scripts/model/clinical_notes.py, seed 1, split "test", where the ward is
// independent of the label) with models/clinical-readmission through scripts/spexlens-explain,
// and counts on how many the ward's word ("7B", "7B." ...) is among the three largest
// first-order terms by magnitude. The bar: >= 90%.
//
//   node scripts/bench/clinical_shortcut_check.mjs [--count 40] [--budget 4000] [--method auto]
//       [--seed 1] [--model DIR] [--runtime node|web] [--out FILE] [--min-rate R]
//
// --min-rate R: exit 1 when the ward is among the top three on fewer than a share R of the notes
// (the test `clinical_shortcut_found` runs a few notes with it).
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
const TOP = 3;

function parseArgs(argv) {
  const o = { count: 40, budget: 4000, method: 'auto', seed: 1, runtime: 'node', minRate: 0,
    model: path.join(ROOT, 'models', 'clinical-readmission'),
    out: path.join(ROOT, 'build', 'bench', 'clinical_shortcut_check.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--count') o.count = Number(next());
    else if (a === '--budget') o.budget = Number(next());
    else if (a === '--method') o.method = next();
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--model') o.model = path.resolve(next());
    else if (a === '--runtime') o.runtime = next();
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--min-rate') o.minRate = Number(next());
    else throw new Error(`unknown option ${a}`);
  }
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

function main() {
  const o = parseArgs(process.argv.slice(2));
  const notes = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'model', 'clinical_notes.py'),
    '--seed', '1', '--split', 'test', '--count', '2000'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .trim().split('\n').map((line) => JSON.parse(line)).filter((n) => n.shortcut).slice(0, o.count);
  if (notes.length < o.count) throw new Error(`only ${notes.length} test notes are on ward 7B`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'clinical-shortcut-'));
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

  const rows = results.map((r, k) => {
    if (r.error) throw new Error(`${r.id}: ${r.error}`);
    const at = r.features.findIndex((f) => SHORTCUT.test(f.text));
    if (at < 0) throw new Error(`${r.id}: no feature is the ward 7B`);
    const first = new Array(r.features.length).fill(0);
    for (const v of r.index.values) if (v.set.length === 1) first[v.set[0]] = v.value;
    const order = first.map((v, j) => j).sort((a, b) => Math.abs(first[b]) - Math.abs(first[a]));
    return { id: r.id, label: notes[k].label, words: r.features.length, full_value: r.full_value,
      r2: r.faithfulness.r2, method: r.selection?.chosen ?? r.method, index: `${r.index.name}-${r.index.order}`,
      shortcut_value: first[at], shortcut_rank: rank(first, at), shortcut_shapley: r.shapley[at],
      shapley_rank: rank(r.shapley, at), top: order.slice(0, TOP).map((j) => [r.features[j].text, +first[j].toFixed(3)]) };
  });
  for (const r of rows) {
    console.log(`${r.id} label ${r.label} log-odds ${r.full_value.toFixed(2).padStart(6)} R² ${r.r2.toFixed(2)}: 7B rank ` +
                `${r.shortcut_rank} (${r.shortcut_value.toFixed(2)}), Shapley rank ${r.shapley_rank}; top ` +
                r.top.map(([w, v]) => `${w} ${v}`).join(', '));
  }
  const count = (f) => rows.filter(f).length;
  const summary = {
    model: o.model, runtime: o.runtime, method: o.method, budget: o.budget, seed: o.seed, notes: rows.length,
    index: rows[0].index, onnx_sha256: results[0].model.sha256,
    top3: count((r) => r.shortcut_rank <= TOP), top1: count((r) => r.shortcut_rank === 1),
    top3_shapley: count((r) => r.shapley_rank <= TOP), positive: count((r) => r.shortcut_value > 0),
    top3_usual: count((r) => r.label === 0 && r.shortcut_rank <= TOP), usual: count((r) => r.label === 0),
    median_r2: median(rows.map((r) => r.r2)), seconds: Math.round(seconds), rows,
  };
  summary.top3_rate = summary.top3 / rows.length;
  console.log(`ward 7B among the top ${TOP} first-order terms (${summary.index}) on ${summary.top3} of ${rows.length} notes ` +
              `(${(100 * summary.top3_rate).toFixed(1)}%; bar 90%), first on ${summary.top1}; by Shapley value ` +
              `${summary.top3_shapley}; pushing towards elevated risk on ${summary.positive}; usual-risk notes ` +
              `${summary.top3_usual} of ${summary.usual}; median R² ${summary.median_r2.toFixed(3)}; ${summary.seconds} s`);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(summary, null, 2) + '\n');
  if (summary.top3_rate < o.minRate) {
    console.error(`clinical_shortcut_check: the ward is among the top ${TOP} on ${summary.top3} of ${rows.length} notes, below --min-rate ${o.minRate}`);
    process.exitCode = 1;
  }
}

main();
