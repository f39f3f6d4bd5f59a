// early_results_benchmark: what the page's early results cost. The page's default explanation
// (web/js/page_defaults.mjs: auto, 4,000 calls + 500 held out, max_order 2, FSII, seed 0) of the
// shipped 60-word sample e-mail, run through the shared explain loop (web/js/explain_loop.mjs
// runExplainer) on the WebAssembly core with onnxruntime-node, with early results on and off.
// Each snapshot is timed in parts:
//   core      the core's snapshot() call as JS sees it (fit + explanations + JSON + the string
//             crossing into JS)
//   engine    the engine's fit (timing_ms.total - timing_ms.sampling of the snapshot's JSON)
//   explain   explanations derived from the surrogate (timing_ms.explain)
//   rest      core - engine - explain: building and serialising the JSON, the embind string
//   parse     JSON.parse of the string in JS (what runExplainer does next)
// plus the length of each snapshot's JSON. Medians over --repeats runs (after one warm-up run of
// each mode); writes build/bench/early_results_benchmark.json (or --out).
//
//   node scripts/bench/early_results_benchmark.mjs [--build build/wasm-perf] [--repeats 7]
//       [--threads 2] [--batch 64] [--out FILE]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';
import { runExplainer } from '../../web/js/explain_loop.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };
const build = path.resolve(ROOT, arg('build', 'build/wasm-perf'));
const repeats = Number(arg('repeats', 7));
const threads = Number(arg('threads', 2));
const batchSize = Number(arg('batch', 64));  // the page worker's batch
const outFile = path.resolve(ROOT, arg('out', 'build/bench/early_results_benchmark.json'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Math.round(x * 100) / 100;

process.env.SPEXLENS_CORE = path.join(build, 'bin', 'spexlens_core.mjs');
const core = await loadCore();
const { ort, sessionOptions } = await loadRuntime('node', threads);
const pageDefaults = JSON.parse(core.pageDefaultOptions());  // the page's default run (run_defaults.h)
const model = await loadModelDir({ core, ort, sessionOptions, dir: path.join(ROOT, 'models', 'spam-transformer') });
const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web', 'catalog.json'), 'utf8'));
const text = catalog.models.find((m) => m.key === 'spam-transformer').samples[0].text;

// One run; the explainer's snapshot() is timed through a thin wrapper, JSON.parse from its
// return to onSnapshot (runExplainer parses in between and does nothing else).
async function oneRun(earlyResults) {
  const options = { ...pageDefaults, early_results: earlyResults };
  const inner = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify(options));
  const snapshots = [];
  let pending = null;
  const explainer = {
    info: () => inner.info(),
    totalQueries: () => inner.totalQueries(),
    queriesDone: () => inner.queriesDone(),
    nextBatch: (n) => inner.nextBatch(n),
    submitLogits: (...a) => inner.submitLogits(...a),
    describeRuntimeError: (m) => inner.describeRuntimeError(m),
    snapshotDue: () => inner.snapshotDue(),
    targetReached: () => inner.targetReached(),
    finish: () => inner.finish(),
    snapshot: () => {
      const t0 = performance.now();
      const json = inner.snapshot();
      const t1 = performance.now();
      pending = { core: t1 - t0, bytes: json.length, returned: t1 };
      return json;
    },
  };
  const started = performance.now();
  let result;
  try {
    result = await runExplainer({ explainer, ort, model, batchSize,
      onSnapshot: (r) => {
        const parse = performance.now() - pending.returned;
        const engine = r.timing_ms.total - r.timing_ms.sampling;
        const explain = r.timing_ms.explain;
        snapshots.push({ queries: r.queries, core: pending.core, engine, explain,
          rest: pending.core - engine - explain, parse, total: pending.core + parse, bytes: pending.bytes,
          fourier_terms: r.fourier.length, chosen: r.chosen_method, r2: r.faithfulness.r2 });
      } });
  } finally {
    inner.delete();
  }
  const wall = performance.now() - started;
  return { wall, snapshots, result };
}

const summary = (runs) => {
  const out = { wall_ms: round(median(runs.map((r) => r.wall))), wall_ms_all: runs.map((r) => round(r.wall)) };
  const count = runs[0].snapshots.length;
  out.snapshots = [];
  for (let k = 0; k < count; ++k) {
    const s = {};
    for (const key of ['queries', 'core', 'engine', 'explain', 'rest', 'parse', 'total', 'bytes', 'fourier_terms']) {
      s[key] = round(median(runs.map((r) => r.snapshots[k][key])));
    }
    s.chosen = runs[0].snapshots[k].chosen;
    s.total_all = runs.map((r) => round(r.snapshots[k].total));
    out.snapshots.push(s);
  }
  out.snapshots_total_ms = round(median(runs.map((r) => r.snapshots.reduce((a, s) => a + s.total, 0))));
  return out;
};

const load0 = os.loadavg();
await oneRun(true);  // warm-up: ORT's arena, the core's first fits
await oneRun(false);
const on = [], off = [];
let finalOn = null, finalOff = null;
for (let r = 0; r < repeats; ++r) {  // interleaved, so drift in the machine's load hits both
  const a = await oneRun(true);
  const b = await oneRun(false);
  on.push(a);
  off.push(b);
  finalOn ??= JSON.stringify({ ...a.result, timing_ms: null });
  finalOff ??= JSON.stringify({ ...b.result, timing_ms: null });
  process.stderr.write(`[${r + 1}/${repeats}] early on ${a.wall.toFixed(0)} ms ` +
    `(snapshots ${a.snapshots.map((s) => s.total.toFixed(0)).join(' + ')} ms), off ${b.wall.toFixed(0)} ms\n`);
}
const report = {
  build: path.relative(ROOT, build), repeats, threads, batch: batchSize, options: pageDefaults,
  cpus: os.cpus().length, loadavg_before: load0.map(round), loadavg_after: os.loadavg().map(round),
  early_on: summary(on), early_off: summary(off),
  final_identical_on_off: finalOn === finalOff,
};
report.early_cost_ms = round(report.early_on.wall_ms - report.early_off.wall_ms);
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');

console.log(`build ${report.build}, ${repeats} runs, ORT ${threads} threads, batch ${batchSize}; load ` +
  `${report.loadavg_before[0]} -> ${report.loadavg_after[0]}`);
console.log('snapshot  queries   core  engine explain   rest  parse  total   bytes  terms  chosen');
for (const s of report.early_on.snapshots) {
  console.log(`          ${String(s.queries).padStart(7)} ${[s.core, s.engine, s.explain, s.rest, s.parse, s.total]
    .map((x) => x.toFixed(1).padStart(7)).join('')} ${String(s.bytes).padStart(7)} ${String(s.fourier_terms)
    .padStart(6)}  ${s.chosen}`);
}
console.log(`snapshots together: ${report.early_on.snapshots_total_ms} ms (median of per-run sums)`);
console.log(`run wall: early on ${report.early_on.wall_ms} ms, off ${report.early_off.wall_ms} ms ` +
  `(difference ${report.early_cost_ms} ms); final result identical on/off: ${report.final_identical_on_off}`);
console.log(`wrote ${path.relative(process.cwd(), outFile)}`);
