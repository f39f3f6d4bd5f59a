// int8_benchmark: would an int8 model make each model call cheaper in the page? Quantises the
// shipped model's weight MatMuls to int8 (scripts/model/quantize_int8.py), then runs the very
// batches of the page's default explanation of the catalog's samples (recorded from real runs) through
// both models, interleaved, in onnxruntime-web's wasm backend (what the page runs, 1 thread) and
// onnxruntime-node; prints and writes the median time per batch and the largest change of the
// explained output (log-odds) the quantisation causes.
//
//   node scripts/bench/int8_benchmark.mjs [--rounds 15] [--out build/bench/int8.json]
//
// An experiment for issue 11 (faithfulness per call): the product does not ship the int8 model.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { explainText } from '../../web/js/explain_loop.mjs';
import { ROOT, loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const rounds = Number(arg('--rounds', 15));
const outPath = arg('--out', path.join(ROOT, 'build/bench/int8.json'));
const modelDir = path.join(ROOT, 'models/spam-transformer');
const int8Path = path.join(ROOT, 'build/bench/int8/model.onnx');

mkdirSync(path.dirname(int8Path), { recursive: true });
execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/model/quantize_int8.py'), path.join(modelDir, 'model.onnx'),
  int8Path], { stdio: 'inherit' });

const core = await loadCore();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The batches of one default run (the page's defaults, from C++), recorded with onnxruntime-node.
const recorder = await loadRuntime('node', 2);
const model = await loadModelDir({ core, ort: recorder.ort, sessionOptions: recorder.sessionOptions, dir: modelDir });
const recorded = [];
const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web/catalog.json'), 'utf8'));
for (const { text } of catalog.models.find((m) => m.key === 'spam-transformer').samples) {
  await explainText({ core, ort: recorder.ort, model, text, options: JSON.parse(core.pageDefaultOptions()),
    batchSize: 64, onBatch: (batch, feeds) => recorded.push(feeds) });
}

const results = {};
for (const kind of ['web', 'node']) {
  const { ort, sessionOptions } = await loadRuntime(kind, kind === 'web' ? 1 : 2);
  const sessions = {
    fp32: await ort.InferenceSession.create(path.join(modelDir, 'model.onnx'), { ...sessionOptions, graphOptimizationLevel: 'all' }),
    int8: await ort.InferenceSession.create(int8Path, { ...sessionOptions, graphOptimizationLevel: 'all' }),
  };
  // The recorded tensors, rebuilt for this runtime's Tensor class.
  const batches = recorded.map((feeds) => Object.fromEntries(Object.entries(feeds).map(([name, t]) =>
    [name, new ort.Tensor(t.type, t.data, t.dims)])));
  const times = { fp32: [], int8: [] };
  let worst = 0;
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 ? ['int8', 'fp32'] : ['fp32', 'int8']) {
      const started = performance.now();
      for (const feeds of batches) await sessions[which].run(feeds);
      times[which].push((performance.now() - started) / batches.length);
    }
  }
  for (const feeds of batches) {
    const [a, b] = [(await sessions.fp32.run(feeds)).logits.data, (await sessions.int8.run(feeds)).logits.data];
    for (let r = 0; r < a.length; r += 2) worst = Math.max(worst, Math.abs((a[r + 1] - a[r]) - (b[r + 1] - b[r])));
  }
  results[kind] = { fp32_ms_per_batch: median(times.fp32), int8_ms_per_batch: median(times.int8),
    speedup: median(times.fp32) / median(times.int8), max_abs_delta_log_odds: worst, batches: batches.length };
  console.log(`${kind}: fp32 ${median(times.fp32).toFixed(2)} ms/batch, int8 ${median(times.int8).toFixed(2)} ms/batch ` +
    `(×${results[kind].speedup.toFixed(2)}), max |Δ log-odds| ${worst.toExponential(2)} over ${batches.length} batches`);
}
mkdirSync(path.dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify({ date: new Date().toISOString(), rounds, load: (await import('node:os')).loadavg(),
  results }, null, 2));
console.log(`wrote ${path.relative(process.cwd(), outPath)}`);
