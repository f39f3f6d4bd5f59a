// bert_throughput: masked inputs per second of BERT-shaped classifiers of about 1 M, 5 M and
// 20 M parameters (random weights, scripts/bench/make_bert_bench_models.py) at a realistic
// sequence length, in every runtime a user may meet:
//   (a) onnxruntime-node, 1 and 2 intra-op threads;
//   (b) onnxruntime-web under Node (its wasm backend), 1 thread, and 2 threads (whether Node
//       really ran two is checked from the process's CPU time: see "cpu/wall");
//   (c) headless Chromium (Debian's, driven by playwright-core) in a dedicated worker, with the
//       ONNX Runtime Web bundle the site ships (build/wasm-release/site/ort/, the page's
//       ort.wasm.min.mjs), wasm backend with 1 and 2 threads (cross-origin isolated), and with
//       the WebGPU execution provider requested: when it fails the reason is recorded and the
//       run falls back to wasm (executionProviders ['webgpu', 'wasm']), as a page would.
// Prints a table and writes build/bench/bert_throughput.json.
//
//   NODE_PATH=/usr/share/nodejs node scripts/bench/bert_throughput.mjs [options]
//
// Inputs: batch x seq int64 input_ids / attention_mask / token_type_ids, as the page feeds a
// model.json-less Hugging Face export: [CLS] ids [SEP], ids drawn from spam-bert's vocabulary,
// about half of the positions replaced by [MASK] (a masked input), attention all ones (the
// compute of a BERT does not depend on the ids). Each (model, batch) gets one warm-up run,
// then --runs timed runs; inputs/s is batch / the median run time.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, openPage, waitFor } from '../../tests/web/browser_session.mjs';

const USAGE = `usage: NODE_PATH=/usr/share/nodejs node scripts/bench/bert_throughput.mjs [options]
  --models a,b      (default bert-1m,bert-5m,bert-20m; folders of --models-dir)
  --models-dir DIR  (default build/bench-models; make_bert_bench_models.py writes it)
  --seq N           sequence length in tokens (default 128)
  --batches a,b     masked inputs per model call (default 32,64)
  --runs N          timed runs per model and batch, after one warm-up (default 3)
  --only a,b        parts to run: node, web, browser (default all three)
  --site DIR        the built site whose ort/ is used (default build/wasm-release/site;
                    without it the same files from node_modules/onnxruntime-web/dist)
  --out FILE        (default build/bench/bert_throughput.json)`;

function parseArgs(argv) {
  const o = { models: ['bert-1m', 'bert-5m', 'bert-20m'], modelsDir: path.join(ROOT, 'build', 'bench-models'), seq: 128,
    batches: [32, 64], runs: 3, only: ['node', 'web', 'browser'], site: path.join(ROOT, 'build', 'wasm-release', 'site'),
    out: path.join(ROOT, 'build', 'bench', 'bert_throughput.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--models') o.models = next().split(',');
    else if (a === '--models-dir') o.modelsDir = path.resolve(next());
    else if (a === '--seq') o.seq = Number(next());
    else if (a === '--batches') o.batches = next().split(',').map(Number);
    else if (a === '--runs') o.runs = Math.max(1, Number(next()));
    else if (a === '--only') o.only = next().split(',');
    else if (a === '--site') o.site = path.resolve(next());
    else if (a === '--out') o.out = path.resolve(next());
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// The measurement, shared by Node and the browser worker (serialized with toString(): it must
// not use anything outside itself).
// ---------------------------------------------------------------------------------------------
async function measureSession(ort, session, { batches, seq, runs, seed, cpuTime }) {
  const CLS = 2, SEP = 3, MASK = 4, VOCAB = 4000;
  const feedsFor = (batch) => {
    let s = (seed + batch) >>> 0;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const n = batch * seq;
    const ids = new BigInt64Array(n);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < seq; j++) {
        let id = j === 0 ? CLS : j === seq - 1 ? SEP : 5 + Math.floor(rand() * (VOCAB - 5));
        if (j > 0 && j < seq - 1 && rand() < 0.5) id = MASK;
        ids[r * seq + j] = BigInt(id);
      }
    }
    const feeds = {};
    for (const name of session.inputNames) {
      let data = ids;
      if (name === 'attention_mask') data = new BigInt64Array(n).fill(1n);
      else if (name === 'token_type_ids') data = new BigInt64Array(n);
      feeds[name] = new ort.Tensor('int64', data, [batch, seq]);
    }
    return feeds;
  };
  const rows = [];
  for (const batch of batches) {
    const feeds = feedsFor(batch);
    let t0 = performance.now();
    await session.run(feeds);
    const warmMs = performance.now() - t0;
    const ms = [];
    const cpu0 = cpuTime ? cpuTime() : null;
    const wall0 = performance.now();
    for (let r = 0; r < runs; r++) {
      t0 = performance.now();
      await session.run(feeds);
      ms.push(performance.now() - t0);
    }
    const cpuRatio = cpuTime ? (cpuTime() - cpu0) / (performance.now() - wall0) : null;
    const sorted = [...ms].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    rows.push({ batch, seq, warm_up_ms: warmMs, runs_ms: ms, median_ms: median,
      inputs_per_second: (batch * 1000) / median, min_inputs_per_second: (batch * 1000) / sorted[sorted.length - 1],
      max_inputs_per_second: (batch * 1000) / sorted[0], cpu_per_wall: cpuRatio });
  }
  return rows;
}

const modelFile = (o, name) => path.join(o.modelsDir, name, 'onnx', 'model.onnx');
const params = (name) => ({ 'bert-1m': 942210, 'bert-5m': 5339906, 'bert-20m': 20209538 })[name] ?? null;
const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// ---------------------------------------------------------------------------------------------
// (a) onnxruntime-node, (b) onnxruntime-web under Node
// ---------------------------------------------------------------------------------------------
async function nodeRuns(o, report) {
  const ort = (await import('onnxruntime-node')).default;
  for (const threads of [1, 2]) {
    for (const name of o.models) {
      const session = await ort.InferenceSession.create(modelFile(o, name),
        { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
      const rows = await measureSession(ort, session, { batches: o.batches, seq: o.seq, runs: o.runs, seed: 1, cpuTime: processCpuMs });
      await session.release();
      report.results.push({ runtime: 'onnxruntime-node', backend: 'cpu', threads, model: name, rows });
      log(report.results.at(-1));
    }
  }
}

async function webInNodeRuns(o, report) {
  for (const threads of [1, 2]) {
    // onnxruntime-web initialises its wasm module once per process with the thread count of the
    // first session: each thread count runs in a child process of its own.
    const { spawnSync } = await import('node:child_process');
    const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child-web', String(threads),
      JSON.stringify({ models: o.models, modelsDir: o.modelsDir, seq: o.seq, batches: o.batches, runs: o.runs })],
    { encoding: 'utf8', env: process.env, maxBuffer: 1 << 26 });
    const last = (child.stdout || '').trim().split('\n').at(-1) || '';
    if (child.status !== 0 || !last.startsWith('{')) {
      const reason = `${(child.stderr || child.stdout || '').trim().split('\n').slice(-3).join(' / ')}`;
      report.results.push({ runtime: 'onnxruntime-web (Node)', backend: 'wasm', threads, model: null, error: reason });
      console.log(`onnxruntime-web (Node), ${threads} thread(s): failed: ${reason}`);
      continue;
    }
    for (const r of JSON.parse(last).results) {
      report.results.push(r);
      log(r);
    }
  }
}

// The process's OS threads (Linux): onnxruntime-web's pthreads are Node worker_threads, so a
// second ORT thread shows up here.
const osThreads = () => {
  try {
    return readdirSync('/proc/self/task').length;
  } catch {
    return null;
  }
};

async function childWeb(threads, o) {
  const threadsBefore = osThreads();
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const results = [];
  for (const name of o.models) {
    const session = await ort.InferenceSession.create(readFileSync(modelFile(o, name)),
      { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const threadsWithSession = osThreads();
    const rows = await measureSession(ort, session, { batches: o.batches, seq: o.seq, runs: o.runs, seed: 1, cpuTime: processCpuMs });
    await session.release();
    results.push({ runtime: 'onnxruntime-web (Node)', backend: 'wasm', threads, threads_reported: ort.env.wasm.numThreads,
      os_threads_before_ort: threadsBefore, os_threads_with_session: threadsWithSession, model: name, rows });
    process.stderr.write(`  web ${threads}T ${name} done\n`);
  }
  console.log(JSON.stringify({ results }));
}

// ---------------------------------------------------------------------------------------------
// (c) headless Chromium
// ---------------------------------------------------------------------------------------------
const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store',
};
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html',
  '.onnx': 'application/octet-stream', '.json': 'application/json' };

// The worker: opens ORT from `ortUrl`, then each model with the requested execution providers.
function workerSource() {
  return `${measureSession.toString()}
self.onmessage = async ({ data }) => {
  const { ortUrl, threads, providers, models, seq, batches, runs, probeWebgpuUrl } = data;
  const out = { isolated: self.crossOriginIsolated === true, results: [], notes: [] };
  try {
    const ort = await import(ortUrl);
    ort.env.wasm.wasmPaths = new URL('./', new URL(ortUrl, self.location.href)).href;
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    out.threads_reported = ort.env.wasm.numThreads;
    if (providers[0] === 'webgpu') {
      out.webgpu = { navigator_gpu: typeof navigator.gpu !== 'undefined' };
      if (navigator.gpu) {
        try {
          const adapter = await navigator.gpu.requestAdapter();
          out.webgpu.adapter = adapter ? (adapter.info?.description || adapter.info?.vendor || 'an adapter') : null;
        } catch (e) { out.webgpu.adapter_error = String(e.message || e); }
      }
      const bytes = new Uint8Array(await (await fetch('models/' + models[0] + '/onnx/model.onnx')).arrayBuffer());
      try {
        const s = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'] });
        out.webgpu.shipped_bundle = 'session created';
        await s.release();
      } catch (e) { out.webgpu.shipped_bundle_error = String(e.message || e).split('\\n')[0]; }
      if (probeWebgpuUrl) {
        try {
          const ortGpu = await import(probeWebgpuUrl);
          ortGpu.env.wasm.wasmPaths = new URL('./', new URL(probeWebgpuUrl, self.location.href)).href;
          ortGpu.env.wasm.numThreads = 1;
          const s = await ortGpu.InferenceSession.create(bytes, { executionProviders: ['webgpu'] });
          out.webgpu.webgpu_bundle = 'session created';
          await s.release();
        } catch (e) { out.webgpu.webgpu_bundle_error = String(e.message || e).split('\\n')[0]; }
      }
    }
    for (const name of models) {
      const bytes = new Uint8Array(await (await fetch('models/' + name + '/onnx/model.onnx')).arrayBuffer());
      const session = await ort.InferenceSession.create(bytes, { executionProviders: providers, graphOptimizationLevel: 'all' });
      const rows = await measureSession(ort, session, { batches, seq, runs, seed: 1, cpuTime: null });
      await session.release();
      out.results.push({ model: name, rows });
    }
  } catch (e) {
    out.error = String(e && e.message ? e.message : e);
  }
  self.postMessage(out);
};
`;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>bert throughput</title><pre id="out"></pre>
<script type="module">
window.runConfig = (config) => new Promise((resolve) => {
  const w = new Worker('bench_worker.mjs', { type: 'module' });
  w.onmessage = ({ data }) => { w.terminate(); resolve(data); };
  w.onerror = (e) => { w.terminate(); resolve({ error: 'worker error: ' + e.message }); };
  w.postMessage(config);
});
window.isolated = self.crossOriginIsolated;
</script>`;

function serve(o, ortDir) {
  const distDir = path.join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = decodeURIComponent(url.pathname);
    let body = null;
    let file = null;
    if (p === '/favicon.ico') {
      res.writeHead(204, HEADERS);
      res.end();
      return;
    }
    if (p === '/' || p === '/bench.html') body = PAGE;
    else if (p === '/bench_worker.mjs') body = workerSource();
    else if (p.startsWith('/ort/')) file = path.join(ortDir, p.slice(5));
    else if (p.startsWith('/ort-dist/')) file = path.join(distDir, p.slice(10));
    else if (p.startsWith('/models/')) file = path.join(o.modelsDir, p.slice(8));
    if (file && (file.includes('..') || !existsSync(file) || !statSync(file).isFile())) file = null;
    if (body === null && file === null) {
      res.writeHead(404, HEADERS);
      res.end('not found');
      return;
    }
    const ext = path.extname(body !== null ? (p === '/bench_worker.mjs' ? 'x.mjs' : 'x.html') : file);
    res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES[ext] || 'application/octet-stream' });
    res.end(body !== null ? body : readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => server.close() })));
}

async function browserRuns(o, report) {
  const siteOrt = path.join(o.site, 'ort');
  const shipped = existsSync(path.join(siteOrt, 'ort.wasm.min.mjs'));
  const ortDir = shipped ? siteOrt : path.join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');
  report.browser = { ort_dir: path.relative(ROOT, ortDir), bundle: 'ort.wasm.min.mjs',
    site_built: shipped, site_ort_files: shipped ? readdirSync(siteOrt) : null };
  report.browser.webgpu_bundle_shipped = shipped && report.browser.site_ort_files.some((f) => /webgpu|jsep|all/.test(f));
  const server = await serve(o, ortDir);
  const page = await openPage(`${server.origin}/bench.html`);
  try {
    report.browser.user_agent = await page.page.evaluate(() => navigator.userAgent);
    report.browser.cross_origin_isolated = await waitFor(page.page, () => window.runConfig && String(window.isolated), null, 'the bench page');
    const configs = [
      { label: 'wasm', threads: 1, providers: ['wasm'] },
      { label: 'wasm', threads: 2, providers: ['wasm'] },
      // WebGPU requested, wasm as the fallback, 2 threads (the page's default).
      { label: 'webgpu requested', threads: 2, providers: ['webgpu', 'wasm'], probe: true },
    ];
    for (const c of configs) {
      const out = await page.page.evaluate((cfg) => window.runConfig(cfg), {
        ortUrl: '/ort/ort.wasm.min.mjs', threads: c.threads, providers: c.providers, models: o.models, seq: o.seq,
        batches: o.batches, runs: o.runs, probeWebgpuUrl: c.probe ? '/ort-dist/ort.webgpu.min.mjs' : null });
      let backend = 'wasm';
      let note = null;
      if (c.probe) {
        const g = out.webgpu || {};
        const reason = g.shipped_bundle_error ? `the shipped bundle (ort.wasm.min.mjs) has no WebGPU backend: ${g.shipped_bundle_error}` : null;
        const device = !g.navigator_gpu ? 'navigator.gpu is undefined'
          : g.adapter === null ? 'navigator.gpu.requestAdapter() returned null (no GPU adapter in headless Chromium)'
          : g.adapter_error ? `requestAdapter failed: ${g.adapter_error}` : `adapter: ${g.adapter}`;
        const gpuBundle = g.webgpu_bundle_error ? `node_modules' ort.webgpu.min.mjs: ${g.webgpu_bundle_error}`
          : g.webgpu_bundle ? "node_modules' ort.webgpu.min.mjs: session created" : null;
        if (g.shipped_bundle === 'session created') note = `WebGPU session created (${device})`;
        else {
          backend = 'wasm (fallback)';
          note = `WebGPU unavailable: ${[reason, device, gpuBundle].filter(Boolean).join('; ')}, fell back to wasm`;
        }
        report.browser.webgpu = { ...g, note };
        console.log(`chromium: ${note}`);
      }
      if (out.error) {
        report.results.push({ runtime: 'chromium ORT Web', backend, threads: c.threads, model: null, error: out.error });
        console.log(`chromium ${c.label} ${c.threads} thread(s): failed: ${out.error}`);
        continue;
      }
      for (const r of out.results) {
        report.results.push({ runtime: 'chromium ORT Web', backend, requested: c.providers.join(','), threads: c.threads,
          threads_reported: out.threads_reported, cross_origin_isolated: out.isolated, model: r.model, rows: r.rows, note });
        log(report.results.at(-1));
      }
    }
    if (page.problems.length) report.browser.problems = page.problems;
  } finally {
    await page.close();
    server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
function log(r) {
  if (r.error) return;
  console.log(`${r.runtime} ${r.backend} ${r.threads}T ${r.model}: ` + r.rows.map((x) => `batch ${x.batch}: ` +
    `${x.inputs_per_second.toFixed(1)}/s (${x.median_ms.toFixed(0)} ms/call` +
    `${x.cpu_per_wall != null ? `, cpu/wall ${x.cpu_per_wall.toFixed(2)}` : ''})`).join('; '));
}

async function main() {
  if (process.argv[2] === '--child-web') {
    await childWeb(Number(process.argv[3]), JSON.parse(process.argv[4]));
    return;
  }
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bert_throughput: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (o.help) {
    console.log(USAGE);
    return;
  }
  for (const name of o.models) {
    if (!existsSync(modelFile(o, name))) {
      console.error(`${modelFile(o, name)} is missing; run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench/make_bert_bench_models.py`);
      process.exit(1);
    }
  }
  const started = performance.now();
  const report = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
    load_before: os.loadavg(), seq: o.seq, batches: o.batches, runs: o.runs,
    models: Object.fromEntries(o.models.map((m) => [m, { parameters: params(m), onnx_mb: +(statSync(modelFile(o, m)).size / 1e6).toFixed(1) }])),
    results: [] };
  if (o.only.includes('node')) await nodeRuns(o, report);
  if (o.only.includes('web')) await webInNodeRuns(o, report);
  if (o.only.includes('browser')) await browserRuns(o, report);
  report.load_after = os.loadavg();
  report.seconds = (performance.now() - started) / 1000;

  // Table: inputs/s (median of runs) per model and batch.
  const header = ['runtime', 'backend', 'threads', ...o.models.flatMap((m) => o.batches.map((b) => `${m} b${b} /s`))];
  console.log(`\nmasked inputs per second, seq ${o.seq}, median of ${o.runs} runs after a warm-up`);
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  const groups = new Map();
  for (const r of report.results) {
    const key = `${r.runtime}|${r.backend}|${r.threads}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  for (const [key, rs] of groups) {
    const [runtime, backend, threads] = key.split('|');
    const cells = o.models.flatMap((m) => o.batches.map((b) => {
      const r = rs.find((x) => x.model === m);
      const row = r?.rows?.find((x) => x.batch === b);
      return row ? row.inputs_per_second.toFixed(1) : (rs[0].error ? 'failed' : '—');
    }));
    console.log(`| ${runtime} | ${backend} | ${threads} | ${cells.join(' | ')} |`);
  }
  console.log(`\nload average before ${report.load_before.map((x) => x.toFixed(2)).join(', ')}, after ` +
    `${report.load_after.map((x) => x.toFixed(2)).join(', ')} (${report.cpus} cores); ${report.seconds.toFixed(0)} s in all`);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(report, null, 1) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), o.out)}`);
}

await main();
