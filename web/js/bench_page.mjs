// bench_page: the page's performance figures (scripts/bench/page_benchmark.mjs opens it in
// headless Chromium). One explanation of a sample at the page's default budget, in the page's
// worker; then ONNX Runtime alone on the same masked batches. Writes JSON into #results.
import { ortThreads } from './page_defaults.mjs';
import { fetchModelFiles, loadCatalog, readManifests } from './model_catalog.mjs';
import { createInferenceWorker } from './site_files.mjs';
import { WorkerClient } from './worker_client.mjs';

const params = new URLSearchParams(location.search);
const out = document.getElementById('results');

async function main() {
  const key = params.get('model') || 'spam-transformer';
  const threads = ortThreads(params);
  const repeats = Number(params.get('repeats') || 3);
  const entry = (await loadCatalog()).find((e) => e.key === key);
  if (!entry) throw new Error(`no shipped model ${key}`);
  const sample = entry.samples[Number(params.get('sample') || 0)];
  const worker = new WorkerClient(await createInferenceWorker());
  const info = await worker.request('init', { threads, batch: Number(params.get('batch') || 0) }).promise;
  const options = { ...info.pageDefaults };  // the page's default run, from C++ (run_defaults.h)
  if (params.has('b')) {
    options.b = Number(params.get('b'));
    delete options.budget;
    delete options.early_results;
    options.method = 'spex-soft';
  }
  if (params.has('budget')) options.budget = Number(params.get('budget'));
  if (params.has('holdout')) options.holdout = Number(params.get('holdout'));
  // Masked tokens fed at attention 0 instead of left out (docs/benchmarks.md: fewer tokens per call).
  if (params.has('keep_masked_tokens')) options.drop_masked_tokens = false;
  await readManifests([entry], async (text) => (await worker.request('checkManifest', { text }).promise).json);
  await worker.request('open', { key, where: key, ...(await fetchModelFiles(entry)) }).promise;
  // Warm-up: first-run compilation and allocation are not what a user waits for twice.
  const warmOptions = options.b ? { ...options, b: 3 } : { ...options, budget: 400, holdout: 100 };
  await worker.request('bench', { key, text: sample.text, options: warmOptions, repeats: 1 }).promise;
  const { runs } = await worker.request('bench', { key, text: sample.text, options, repeats }).promise;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fullMs = median(runs.map((r) => r.fullMs));
  const ortMs = median(runs.map((r) => r.ortMs));
  return {
    model: key, sample: sample.title, words: sample.text.split(/\s+/).filter(Boolean).length,
    options, threads: info.threads, batch: info.batchSize, cross_origin_isolated: info.isolated, user_agent: navigator.userAgent,
    runs, median_full_ms: fullMs, median_ort_ms: ortMs, overhead_fraction: (fullMs - ortMs) / ortMs,
  };
}

main().then(
  (r) => { out.textContent = JSON.stringify(r, null, 2); out.dataset.state = 'done'; },
  (e) => { out.textContent = `failed: ${e.message}`; out.dataset.state = 'failed'; },
);
