// page_benchmark: the page's bar, measured in headless Chromium on this machine.
//   0. The first Run after a page load (when the page is ready, and after its warm-up).
//   1. The page itself: window.spexlens.explain on the shipped 60-word e-mail at the page's
//      default budget, wall time from the call to the export JSON (the canvas drawing all along).
//   2. bench.html: the same explanation in the page's worker, then ONNX Runtime alone on the very
//      same masked batches, so the engine + glue share is (full - ORT) / ORT.
// Prints a table and writes build/bench/page_benchmark.json. With --single-file, 0 and 1 are
// measured on the one-file page (spexlens.html beside the site folder) opened from file://, where
// ONNX Runtime has one thread; written to build/bench/page_benchmark_single_file.json.
//
//   node scripts/bench/page_benchmark.mjs [--repeats 5] [--threads N] [--b B] [--batch N] [--site DIR]
//                                         [--keep-masked-tokens] [--single-file]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ROOT, openPage, serveSite, waitFor } from '../../tests/web/browser_session.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };
const repeats = Number(arg('repeats', 5));
const threads = arg('threads', null);  // null: the page's default
const b = arg('b', null);
const batch = arg('batch', null);  // null: the worker's default
// bench.html only: masked tokens fed at attention 0 instead of left out (the page's hook always drops them).
const keepMasked = argv.includes('--keep-masked-tokens');
const siteDir = path.resolve(arg('site', path.join(ROOT, 'build', 'wasm-release', 'site')));
const singleFile = argv.includes('--single-file');

const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web', 'catalog.json'), 'utf8'));
const sample = catalog.models.find((m) => m.key === 'spam-transformer').samples[0];
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const server = await serveSite(siteDir);
const pageUrl = () => (singleFile ? pathToFileURL(path.join(siteDir, '..', 'spexlens.html')).href
  : `${server.origin}/index.html${threads ? `?threads=${threads}` : ''}`);
const report = { date: new Date().toISOString(), machine: `${(await import('node:os')).cpus().length} cores`,
  page_url: singleFile ? 'spexlens.html (file://)' : 'index.html (served)' };
try {
  // 0. The first Run after a page load, as a user meets it: (a) the moment the page is ready
  //    (the warm-up may still be running: the Run waits for it), (b) after the warm-up, i.e.
  //    once the user has read the page for a second or two. Each on a fresh page.
  report.first_run = {};
  for (const when of ['at-ready', 'after-warm-up']) {
    const fresh = await openPage(pageUrl());
    try {
      const loadStarted = Date.now();
      await waitFor(fresh.page, () => !!window.spexlens, null, 'window.spexlens');
      await fresh.page.evaluate(() => window.spexlens.ready);
      const readyMs = Date.now() - loadStarted;
      const warmMs = when === 'after-warm-up'
        ? await fresh.page.evaluate(async () => (await window.spexlens.warm)?.ms ?? null) : null;
      const t = await fresh.page.evaluate(async ({ text, options }) => {
        const t0 = performance.now();
        const result = await window.spexlens.explain({ text, seed: 0, ...options });
        return { ms: performance.now() - t0, queries: result.queries + result.holdout_queries + 2, r2: result.faithfulness.r2 };
      }, { text: sample.text, options: b ? { b: Number(b) } : {} });
      report.first_run[when] = { ms: t.ms, ready_ms: readyMs, warm_up_ms: warmMs, model_calls: t.queries, r2: t.r2 };
    } finally {
      await fresh.close();
    }
  }

  // 1. The page, through its hook (the Run button's path), warm.
  const page = await openPage(pageUrl());
  try {
    await waitFor(page.page, () => !!window.spexlens, null, 'window.spexlens');
    await page.page.evaluate(() => window.spexlens.ready);
    await page.page.evaluate(() => window.spexlens.warm);
    const options = b ? { b: Number(b) } : {};
    const times = [];
    const firsts = [];
    let last;
    for (let r = 0; r < repeats; ++r) {
      const t = await page.page.evaluate(async ({ text, options, seed }) => {
        const t0 = performance.now();
        let firstMs = null;  // the first early result on screen (polled every 10 ms)
        const poll = setInterval(() => {
          if (firstMs === null && window.spexlens.state().early_result) firstMs = performance.now() - t0;
        }, 10);
        const result = await window.spexlens.explain({ text, seed, ...options });
        clearInterval(poll);
        return { ms: performance.now() - t0, first_ms: firstMs, n: result.n, b: result.b,
          queries: result.queries + result.holdout_queries + 2, r2: result.faithfulness.r2, method: result.chosen_method,
          fit_ms: result.timing_ms.refine };
      }, { text: sample.text, options, seed: r });
      times.push(t.ms);
      firsts.push(t.first_ms);
      last = t;
    }
    report.page = { sample: sample.title, n: last.n, b: last.b, model_calls: last.queries, runs_ms: times, median_ms: median(times),
      first_result_ms: firsts, median_first_result_ms: median(firsts.filter((x) => x !== null)),
      r2_last: last.r2, method_last: last.method, fit_ms_last: last.fit_ms, bar_warm_ms: 1500, bar_first_ms: 2000 };
  } finally {
    await page.close();
  }

  // 2. Engine + glue against ONNX Runtime alone, in the page's worker (the served folder only).
  if (!singleFile) {
    const bench = await openPage(`${server.origin}/bench.html?repeats=${repeats}${threads ? `&threads=${threads}` : ''}${b ? `&b=${b}` : ''}${batch ? `&batch=${batch}` : ''}${keepMasked ? '&keep_masked_tokens=1' : ''}`);
    try {
      await waitFor(bench.page, () => document.getElementById('results').dataset.state, null, 'the bench page', 600000);
      const text = await bench.page.locator('#results').textContent();
      if (!text.trim().startsWith('{')) throw new Error(text);
      report.worker = JSON.parse(text);
    } finally {
      await bench.close();
    }
  }
} finally {
  server.stop();
}

const w = report.worker;
console.log(`page: ${report.page.sample}, n = ${report.page.n}, ${report.page.model_calls} model calls, ` +
  `${report.page.method_last}, R² ${report.page.r2_last?.toFixed(3)}`);
for (const [when, f] of Object.entries(report.first_run)) {
  console.log(`  first Run after load (${when}): ${(f.ms / 1000).toFixed(2)} s (page ready after ${(f.ready_ms / 1000).toFixed(2)} s` +
    `${f.warm_up_ms !== null ? `, warm-up ${(f.warm_up_ms / 1000).toFixed(2)} s` : ''})  (bar: <= 2 s)`);
}
console.log(`  first (early) result on screen in a warm Run: ${(report.page.median_first_result_ms / 1000).toFixed(2)} s (median)`);
console.log(`  warm Runs via the page (median of ${repeats}): ${(report.page.median_ms / 1000).toFixed(2)} s, ` +
  `of which the fit ${(report.page.fit_ms_last / 1000).toFixed(2)} s  (bar: <= 1.5 s)`);
if (w) {
  console.log(`  in the worker: full ${(w.median_full_ms / 1000).toFixed(2)} s, ONNX Runtime alone on the same batches ` +
    `${(w.median_ort_ms / 1000).toFixed(2)} s -> engine + glue add ${(100 * w.overhead_fraction).toFixed(1)}% (bar: <= 50%)`);
  const pageOverhead = (report.page.median_ms - w.median_ort_ms) / w.median_ort_ms;
  report.page_overhead_fraction = pageOverhead;
  console.log(`  the whole page path (canvas, messages, result shown, export JSON) against ORT alone: ` +
    `+${(100 * pageOverhead).toFixed(1)}%`);
  console.log(`  ORT threads ${w.threads}, batch ${w.batch}, cross-origin isolated ${w.cross_origin_isolated}`);
}
const outDir = path.join(ROOT, 'build', 'bench');
mkdirSync(outDir, { recursive: true });
const outFile = path.join(outDir, singleFile ? 'page_benchmark_single_file.json' : 'page_benchmark.json');
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
console.log(`written: ${path.relative(process.cwd(), outFile)}`);
