// internals_fetch_benchmark: does a graph that also outputs attentions and hidden states cost
// anything when only its logits are fetched? Times, on the same batches, (a) a logits-only graph,
// (b) the graph with internals fetching ["logits"], (c) the same fetching every output, and (d)
// the graph with internals run with no fetch list (what `session.run(feeds)` does).
//
//   node scripts/bench/internals_fetch_benchmark.mjs [--model DIR] [--runtime node|web]
//       [--batch 64] [--runs 300] [--notes 8] [--threads 1] [--out FILE]
//       [--internals FILE] [--logits-only FILE]
//
// The graphs: with onnx/model_internals.onnx in the folder, that one and onnx/model.onnx;
// otherwise onnx/model.onnx (with internals) and build/clinical-readmission/model_logits_only.onnx,
// which scripts/model/train_clinical.py writes from the same weights.
//
// Batches are what the explainer feeds a model with position_ids: 64 masked copies of one test
// note (scripts/model/clinical_notes.py, seed 1), each word hidden with p = 0.5 and its tokens
// left out, every kept token at its own position, padded to the longest row. The variants run
// interleaved (a, b, c, d, a, b, ...) over --notes different notes after a warm-up, so a shared
// machine's load hits them alike; each time is the median of --runs runs. Prints a table and
// writes JSON (default build/bench/internals_fetch_benchmark.json).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { encodeWithWords, loadTokenizer } from '../model/hf_encode.mjs';
import { mulberry32 } from './seeded_random.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseArgs(argv) {
  const o = { model: path.join(ROOT, 'models', 'clinical-readmission'), runtime: 'node', batch: 64, runs: 300,
    notes: 8, threads: 1, out: path.join(ROOT, 'build', 'bench', 'internals_fetch_benchmark.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--model') o.model = path.resolve(next());
    else if (a === '--runtime') o.runtime = next();
    else if (a === '--batch') o.batch = Number(next());
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--notes') o.notes = Number(next());
    else if (a === '--threads') o.threads = Number(next());
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--internals') o.internals = path.resolve(next());
    else if (a === '--logits-only') o.logitsOnly = path.resolve(next());
    else throw new Error(`unknown option ${a}`);
  }
  if (!['node', 'web'].includes(o.runtime)) throw new Error('--runtime must be node or web');
  return o;
}


// One batch: `rows` masked copies of the note, hidden words' tokens left out, positions kept.
function maskedBatch(ort, ids, words, rows, rand) {
  const nWords = Math.max(...words) + 1;
  const kept = [];
  for (let r = 0; r < rows; r++) {
    const hidden = new Set([...Array(nWords).keys()].filter(() => rand() < 0.5));
    kept.push(words.map((w, k) => (w >= 0 && hidden.has(w) ? -1 : k)).filter((k) => k >= 0));
  }
  const width = Math.max(...kept.map((k) => k.length));
  const tensor = (fill) => new BigInt64Array(rows * width).fill(BigInt(fill));
  const feeds = { input_ids: tensor(0), attention_mask: tensor(0), token_type_ids: tensor(0), position_ids: tensor(0) };
  kept.forEach((keep, r) => keep.forEach((k, j) => {
    feeds.input_ids[r * width + j] = BigInt(ids[k]);
    feeds.attention_mask[r * width + j] = 1n;
    feeds.position_ids[r * width + j] = BigInt(k);
  }));
  const out = {};
  for (const [name, data] of Object.entries(feeds)) out[name] = new ort.Tensor('int64', data, [rows, width]);
  return { feeds: out, width };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const ortModule = await import(o.runtime === 'node' ? 'onnxruntime-node' : 'onnxruntime-web');
  const ort = ortModule.default ?? ortModule;
  let options = { intraOpNumThreads: o.threads, interOpNumThreads: 1 };
  if (o.runtime === 'web') {
    ort.env.wasm.numThreads = o.threads;
    options = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  }
  const separate = path.join(o.model, 'onnx', 'model_internals.onnx');
  const internalsFile = o.internals ?? (existsSync(separate) ? separate : path.join(o.model, 'onnx', 'model.onnx'));
  const logitsFile = o.logitsOnly ?? (existsSync(separate) ? path.join(o.model, 'onnx', 'model.onnx')
    : path.join(ROOT, 'build', 'clinical-readmission', 'model_logits_only.onnx'));
  const logitsOnly = await ort.InferenceSession.create(readFileSync(logitsFile), options);
  const internals = await ort.InferenceSession.create(readFileSync(internalsFile), options);
  if (logitsOnly.outputNames.join() !== 'logits') throw new Error(`${logitsFile} is not logits-only`);
  if (!internals.outputNames.includes('attentions')) throw new Error(`${internalsFile} has no attentions output`);

  const maxLength = JSON.parse(readFileSync(path.join(o.model, 'tokenizer_config.json'), 'utf8')).model_max_length;
  const tokenizer = loadTokenizer(o.model);
  const jsonl = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'model', 'clinical_notes.py'),
    '--seed', '1', '--split', 'test', '--count', String(o.notes)], { encoding: 'utf8' });
  const rand = mulberry32(7);
  const batches = jsonl.trim().split('\n').map((line) => {
    const { ids, words } = encodeWithWords(tokenizer, JSON.parse(line).text, maxLength);
    return maskedBatch(ort, ids, words, o.batch, rand);
  });

  const variants = {
    logits_only: (feeds) => logitsOnly.run(feeds),
    internals_fetch_logits: (feeds) => internals.run(feeds, ['logits']),
    internals_fetch_all: (feeds) => internals.run(feeds, ['logits', 'attentions', 'hidden_states']),
    internals_no_fetch_list: (feeds) => internals.run(feeds),
  };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const b of batches) for (const run of Object.values(variants)) await run(b.feeds);  // warm-up
  for (let i = 0; i < o.runs; i++) {
    const b = batches[i % batches.length];
    for (const [name, run] of Object.entries(variants)) {
      const t0 = performance.now();
      await run(b.feeds);
      times[name].push(performance.now() - t0);
    }
  }
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const ratio = medians.internals_fetch_logits / medians.logits_only;
  const result = {
    runtime: `onnxruntime-${o.runtime}`, threads: o.threads, batch: o.batch, runs: o.runs, notes: o.notes,
    graphs: { internals: path.relative(ROOT, internalsFile), logits_only: path.relative(ROOT, logitsFile) },
    mean_width: batches.reduce((s, b) => s + b.width, 0) / batches.length, medians_ms: medians,
    ratio_fetch_logits_vs_logits_only: ratio, ratio_no_fetch_list_vs_logits_only: medians.internals_no_fetch_list / medians.logits_only,
    verdict: ratio > 1.05 ? 'slower: ship the internals graph as a second file' : 'as fast: one file with every output will do',
  };
  console.log(`${result.runtime}, ${o.threads} thread(s), batch ${o.batch} (mean width ${result.mean_width.toFixed(1)} ` +
              `tokens), medians of ${o.runs} interleaved runs:`);
  for (const [name, ms] of Object.entries(medians)) {
    console.log(`  ${name.padEnd(26)} ${ms.toFixed(3).padStart(8)} ms  (${(100 * (ms / medians.logits_only - 1)).toFixed(1)}%)`);
  }
  console.log(`verdict: ${result.verdict}`);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(result, null, 2) + '\n');
}

await main();
