// faithfulness_benchmark: held-out R² against model calls for every method of the explainer, on
// the shipped spam model's held-out test e-mails (issue: "the most faithful explanation per model
// call"). Each method spends the same number of design calls (--calls; SPEX spends what its
// design fits in that budget, which is reported); R² is measured on 1,000 held-out uniform masks
// per e-mail, the same masks for every method (they follow from the seed).
//
//   node scripts/bench/faithfulness_benchmark.mjs [--words 40-80] [--emails N] [--shard I/K]
//       [--calls 250,500,1000,2000,4000,8000] [--methods auto,proxyspex,spex-soft,ridge-2,lime,kernelshap]
//       [--players components:group=8] [--out build/bench/faithfulness.json]
//   node scripts/bench/faithfulness_benchmark.mjs --merge OUT.json SHARD.json...
//
// --emails N takes N e-mails spread evenly over the word range (default: every one). The model
// runs in onnxruntime-node with one thread and a cache of masked inputs (uniform methods share
// their masks at one seed), so the wall time here is not model time; solve_ms is the fit alone.
// Prints a Markdown table; scripts/bench/plot_faithfulness.py draws the PNG.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';
import { explainText } from '../../web/js/explain_loop.mjs';
import { cachedSession } from './cached_session.mjs';

const DEFAULT_METHODS = ['auto', 'proxyspex', 'spex-soft', 'ridge-2', 'lime', 'kernelshap'];

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function loadTestEmails() {
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/model/spam_data.py'), '--split', 'test'],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

function emailsBetween(emails, lo, hi, count) {
  const words = (t) => t.split(/\s+/).filter(Boolean).length;
  const pool = emails.map((e) => ({ ...e, words: words(e.text) })).filter((e) => e.words >= lo && e.words <= hi)
    .sort((a, b) => a.words - b.words || String(a.id).localeCompare(String(b.id)));
  if (!count || count >= pool.length) return pool;
  return Array.from({ length: count }, (_, i) => pool[Math.round((i * (pool.length - 1)) / Math.max(1, count - 1))]);
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function table(rows) {
  const calls = [...new Set(rows.map((r) => r.calls))].sort((a, b) => a - b);
  const methods = [...new Set(rows.map((r) => r.method))];
  const lines = ['| method | ' + calls.map((c) => `${c} calls`).join(' | ') + ' |',
    '|---|' + calls.map(() => '---|').join('')];
  for (const method of methods) {
    const cells = calls.map((c) => {
      const sel = rows.filter((r) => r.method === method && r.calls === c);
      const ok = sel.filter((r) => !r.infeasible);
      if (!ok.length) return '–';
      const skipped = sel.length - ok.length;
      return mean(ok.map((r) => r.r2 ?? 0)).toFixed(3) + (skipped ? ` (${skipped} infeasible)` : '');
    });
    lines.push(`| ${method} | ${cells.join(' | ')} |`);
  }
  lines.push('', '| method | ' + calls.map((c) => `fit ms at ${c}`).join(' | ') + ' |',
    '|---|' + calls.map(() => '---|').join(''));
  for (const method of methods) {
    const cells = calls.map((c) => {
      const ok = rows.filter((r) => r.method === method && r.calls === c && !r.infeasible);
      return ok.length ? median(ok.map((r) => r.solve_ms)).toFixed(0) : '–';
    });
    lines.push(`| ${method} | ${cells.join(' | ')} |`);
  }
  const chosen = rows.filter((r) => r.method === 'auto' && r.chosen);
  if (chosen.length) {
    const counts = {};
    for (const r of chosen) counts[`${r.calls}:${r.chosen}`] = (counts[`${r.calls}:${r.chosen}`] ?? 0) + 1;
    lines.push('', 'auto chose: ' + Object.entries(counts).map(([k, v]) => `${k} ×${v}`).join(', '));
  }
  return lines.join('\n');
}

function finish(rows, outPath, meta) {
  mkdirSync(path.dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify({ meta, rows }, null, 1) + '\n');
  console.log(table(rows));
  console.log(`\nwrote ${path.relative(process.cwd(), outPath)}`);
}

function merge() {
  const i = process.argv.indexOf('--merge');
  const [outPath, ...inputs] = process.argv.slice(i + 1);
  const parts = inputs.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const rows = parts.flatMap((p) => p.rows);
  finish(rows, outPath, { ...parts[0].meta, emails: new Set(rows.map((r) => r.email)).size, shards: inputs.length });
}

async function main() {
  if (process.argv.includes('--merge')) return merge();
  const [lo, hi] = arg('--words', '40-80').split('-').map(Number);
  const calls = arg('--calls', '250,500,1000,2000,4000,8000').split(',').map(Number);
  const methods = arg('--methods', DEFAULT_METHODS.join(',')).split(',');
  const players = arg('--players', null);
  const count = Number(arg('--emails', '0'));
  const outPath = arg('--out', path.join(ROOT, 'build/bench/faithfulness.json'));
  const [shard, shards] = arg('--shard', '0/1').split('/').map(Number);
  const core = await loadCore();
  const { ort, sessionOptions } = await loadRuntime('node', 1);
  const model = await loadModelDir({ core, ort, sessionOptions, dir: path.join(ROOT, 'models/spam-transformer') });
  const picked = emailsBetween(loadTestEmails(), lo, hi, count);
  const emails = picked.filter((_, k) => k % shards === shard);
  const rowInputs = model.inputs.filter((i) => i.role === 'token_ids' || i.role === 'attention_mask').map((i) => i.name);

  const rows = [];
  for (const [k, email] of emails.entries()) {
    const seed = picked.indexOf(email) + 1;  // the same seed whatever the sharding
    // Component runs change the component inputs, not the tokens: no cache for them.
    const session = players ? model.session : cachedSession(ort, model.session, model.outputName, model.classes, rowInputs);
    const runModel = { ...model, session };
    for (const budget of calls) {
      for (const method of methods) {
        const options = { method, budget, seed, holdout: 1000 };
        if (players) options.players = players;
        try {
          const result = await explainText({ core, ort, model: runModel, text: email.text, options, batchSize: 1024 });
          rows.push({ email: email.id, words: email.words, n: result.n, calls: budget, method,
            queries: result.queries, r2: result.faithfulness.r2, chosen: result.chosen_method,
            candidates: result.selection?.candidates?.map((c) => [c.name, c.cv_r2]) ?? null,
            proxy_r2: result.proxy?.holdout_r2 ?? null, solve_ms: result.timing_ms.refine });
        } catch (e) {
          rows.push({ email: email.id, words: email.words, calls: budget, method, r2: null, infeasible: e.message });
        }
      }
    }
    const last = rows.filter((r) => r.email === email.id && r.calls === calls[Math.floor(calls.length / 2)]);
    process.stderr.write(`[${k + 1}/${emails.length}] ${email.words} words, n=${last[0]?.n ?? '?'}, ` +
      `${last[0]?.calls} calls: ` + last.map((r) => `${r.method} ${r.r2?.toFixed(3)}`).join(', ') + '\n');
  }
  finish(rows, outPath, { words: [lo, hi], emails: emails.length, calls, methods, players, holdout: 1000 });
}

await main();
