// component_benchmark: the component-explanation bar (docs/components.md), measured.
//   1. Faithfulness: on every test e-mail of 40–80 words, the shipped model's heads + neuron
//      groups of 8 (n = 40) as players, SPEX soft at b = 6 against LIME with exactly as many
//      queries: held-out R² on 500 random ablations each (the page's setting). onnxruntime-node,
//      one thread; the bar is SPEX's mean R² >= 0.9.
//   2. Time: the same explanation of the shipped sample e-mail through the page in headless
//      Chromium (window.spexlens.explain, the Run button's path), median of --repeats runs; the
//      bar is <= 5 s.
// Prints both and writes build/bench/component_benchmark.json.
//
//   node scripts/bench/component_benchmark.mjs [--emails N] [--b 6] [--ablation zero|mean]
//       [--players components:group=8] [--t T] [--repeats 5] [--skip-page] [--skip-quality]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';
import { explainText } from '../../web/js/explain_loop.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };
const b = Number(arg('b', 6));
const players = arg('players', 'components:group=8');
const ablation = arg('ablation', 'zero');
const t = arg('t', null);  // null: the explainer's default
const repeats = Number(arg('repeats', 5));
const emailLimit = Number(arg('emails', 0));  // 0: all of them
const HOLDOUT = 500;

const mean = (xs) => xs.reduce((a, v) => a + v, 0) / xs.length;
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

function testEmails(lo, hi) {
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/model/spam_data.py'), '--split', 'test'],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  const words = (t) => t.split(/\s+/).filter(Boolean).length;
  return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
    .map((e) => ({ ...e, words: words(e.text) })).filter((e) => e.words >= lo && e.words <= hi)
    .sort((x, y) => x.words - y.words || String(x.id).localeCompare(String(y.id)));
}

async function quality() {
  const core = await loadCore();
  const { ort, sessionOptions } = await loadRuntime('node', 1);
  const model = await loadModelDir({ core, ort, sessionOptions, dir: path.join(ROOT, 'models/spam-transformer') });
  let emails = testEmails(40, 80);
  if (emailLimit > 0) emails = emails.filter((_, k) => k % Math.ceil(emails.length / emailLimit) === 0);
  const rows = [];
  for (const [k, email] of emails.entries()) {
    const seed = k + 1;
    const common = { players, ablation, holdout: HOLDOUT, seed };
    const design = t ? { b, t: Number(t) } : { b };
    const spex = await explainText({ core, ort, model, text: email.text, options: { ...common, ...design }, batchSize: 256 });
    const lime = await explainText({ core, ort, model, text: email.text,
      options: { ...common, method: 'lime', budget: spex.queries }, batchSize: 256 });
    rows.push({ email: email.id, words: email.words, n: spex.n, queries: spex.queries, t: spex.t,
      spex_r2: spex.faithfulness.r2, lime_r2: lime.faithfulness.r2,
      full_value: spex.full_value, baseline_value: spex.baseline_value,
      spex_terms: spex.fourier.length });
    process.stderr.write(`[${k + 1}/${emails.length}] ${email.words} words: SPEX ${spex.faithfulness.r2.toFixed(3)}, ` +
      `LIME ${lime.faithfulness.r2.toFixed(3)} (${spex.queries} queries)\n`);
  }
  const spexR2 = rows.map((r) => r.spex_r2 ?? 0);
  return { players, ablation, b, holdout: HOLDOUT, emails: rows.length, n: rows[0].n, queries_per_email: rows[0].queries,
    spex_mean_r2: mean(spexR2), spex_median_r2: median(spexR2), spex_min_r2: Math.min(...spexR2),
    spex_share_at_least_0_9: spexR2.filter((r) => r >= 0.9).length / spexR2.length,
    lime_mean_r2: mean(rows.map((r) => r.lime_r2 ?? 0)), bar_r2: 0.9, rows };
}

async function pageTime() {
  const { openPage, serveSite } = await import('../../tests/web/browser_session.mjs');
  const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web', 'catalog.json'), 'utf8'));
  const sample = catalog.models.find((m) => m.key === 'spam-transformer').samples[0];
  const server = await serveSite(path.join(ROOT, 'build', 'wasm-release', 'site'));
  try {
    const page = await openPage(`${server.origin}/index.html`);
    try {
      await page.page.evaluate(() => window.spexlens.ready);
      const options = { players, ablation, b, ...(t ? { t: Number(t) } : {}) };
      await page.page.evaluate(({ text, options }) => window.spexlens.explain({ text, ...options, b: 3 }),
        { text: sample.text, options });  // warm-up: compiles wasm paths, opens the model
      const runs = [];
      for (let r = 0; r < repeats; ++r) {
        runs.push(await page.page.evaluate(async ({ text, options, seed }) => {
          const t0 = performance.now();
          const result = await window.spexlens.explain({ text, seed, ...options });
          return { ms: performance.now() - t0, n: result.n, calls: result.queries + result.holdout_queries + 2,
            r2: result.faithfulness.r2, players: result.players };
        }, { text: sample.text, options, seed: r + 1 }));
      }
      if (runs[0].players !== 'components') throw new Error('the page did not run a component explanation');
      return { sample: sample.title, n: runs[0].n, model_calls: runs[0].calls, runs_ms: runs.map((r) => r.ms),
        median_ms: median(runs.map((r) => r.ms)), r2: runs.map((r) => r.r2), bar_ms: 5000 };
    } finally {
      await page.close();
    }
  } finally {
    server.stop();
  }
}

const report = { date: new Date().toISOString(), machine: `${(await import('node:os')).cpus().length} cores` };
if (!argv.includes('--skip-quality')) {
  report.quality = await quality();
  const q = report.quality;
  console.log(`faithfulness: ${players}, ${ablation} ablation, n = ${q.n}, b = ${b} (${q.queries_per_email} queries ` +
    `+ ${HOLDOUT} held out), ${q.emails} test e-mails of 40–80 words`);
  console.log(`  SPEX soft mean R² ${q.spex_mean_r2.toFixed(3)} (median ${q.spex_median_r2.toFixed(3)}, ` +
    `min ${q.spex_min_r2.toFixed(3)}, ${(100 * q.spex_share_at_least_0_9).toFixed(0)}% >= 0.9)  bar: mean >= 0.9`);
  console.log(`  LIME at the same queries: mean R² ${q.lime_mean_r2.toFixed(3)}`);
}
if (!argv.includes('--skip-page')) {
  report.page = await pageTime();
  const p = report.page;
  console.log(`page: ${p.sample}, n = ${p.n}, ${p.model_calls} model calls: median ${(p.median_ms / 1000).toFixed(2)} s ` +
    `over ${repeats} runs (bar: <= 5 s)`);
}
const out = path.join(ROOT, 'build', 'bench', `component_benchmark${ablation === 'mean' ? '_mean' : ''}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 1) + '\n');
console.log(`written: ${path.relative(process.cwd(), out)}`);
