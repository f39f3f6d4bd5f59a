// quality_benchmark: faithfulness of SPEX (soft, hard) against LIME, KernelSHAP and
// Faith-Banzhaf-2 at equal query counts on held-out e-mails, as the SPEX paper's faithfulness
// figure does. R² on 1,000 held-out random masks per explanation (the same masks for every
// method of one e-mail: they follow from the seed).
//
// Query level b is SPEX's t = 5 design at b (the paper's setting); every baseline spends exactly
// as many queries, and spex-soft-bins gets the same number as a budget, spent bins first.
//
//   node scripts/bench/quality_benchmark.mjs [--emails 50] [--bs 4,6,8] [--out build/bench/quality.json]
//       [--shard I/K]                      only every K-th e-mail from the I-th (run K at once on K cores)
//       [--words LO-HI --methods A,B]      every test e-mail of LO-HI words instead of 50 picked
//                                          by length, and only these methods (a bar on a larger sample)
//   node scripts/bench/quality_benchmark.mjs --merge OUT.json SHARD.json...   table of merged shards
//
// Needs the test split (written by scripts/model/spam_data.py) and the wasm core. Prints a
// Markdown table, writes the JSON; scripts/bench/plot_quality.py draws the PNG.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';
import { explainText } from '../../web/js/explain_loop.mjs';
import { cachedSession } from './cached_session.mjs';

const METHODS = ['spex-soft', 'spex-hard', 'spex-soft-bins', 'lime', 'kernelshap', 'faith-banzhaf-2',
  'spex-soft-t3', 'lime-t3'];
// spex-soft-bins: SPEX soft within the same budget, spent bins first (docs/text-explainer.md).
// spex-soft-t3: SPEX soft with t = 3 at b (fewer queries: the page's default design), and
// lime-t3: LIME with exactly those queries. Not in the default run (--methods picks them).
const OPTIONS = {
  'spex-soft-bins': { paperBudget: true, options: { method: 'spex-soft', design: 'bins-first' } },
  'spex-soft-t3': { options: { method: 'spex-soft', t: 3 } },
  'lime-t3': { budgetT: 3, options: { method: 'lime' } },
};
const DEFAULT_METHODS = METHODS.filter((m) => !m.endsWith('-t3'));

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function loadTestEmails() {
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/model/spam_data.py'), '--split', 'test'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

// `count` e-mails whose word counts spread evenly over [lo, hi], deterministically.
function pickEmails(emails, count, lo, hi) {
  const words = (t) => t.split(/\s+/).filter(Boolean).length;
  const pool = emails.map((e) => ({ ...e, words: words(e.text) }))
    .filter((e) => e.words >= lo && e.words <= hi)
    .sort((a, b) => a.words - b.words || String(a.id).localeCompare(String(b.id)));
  if (pool.length < count) throw new Error(`only ${pool.length} test e-mails have ${lo}-${hi} words`);
  return Array.from({ length: count }, (_, i) => pool[Math.round((i * (pool.length - 1)) / (count - 1))]);
}

// Queries of SPEX's design at b and t for this text (t = 5: what the SPEX paper's "b" means).
function paperQueries(core, model, text, b, t = 5) {
  const x = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify({ b, t }));
  try {
    return JSON.parse(x.info()).design_queries;
  } finally {
    x.delete();
  }
}

function allBetween(emails, lo, hi) {
  const words = (t) => t.split(/\s+/).filter(Boolean).length;
  return emails.map((e) => ({ ...e, words: words(e.text) })).filter((e) => e.words >= lo && e.words <= hi)
    .sort((a, b) => a.words - b.words || String(a.id).localeCompare(String(b.id)));
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function table(rows, bs) {
  const lines = ['| method | ' + bs.map((b) => `b=${b} all`).join(' | ') + ' | ' +
    bs.map((b) => `b=${b} 40–80 words`).join(' | ') + ' |', '|---|' + bs.map(() => '---|').join('').repeat(2)];
  for (const method of METHODS) {
    const cell = (b, filter) => {
      const sel = rows.filter((r) => r.method === method && r.b === b && filter(r));
      const r2 = sel.filter((r) => !r.infeasible).map((r) => r.r2 ?? 0);
      const skipped = sel.length - r2.length;
      return (r2.length ? mean(r2).toFixed(3) : '–') + (skipped ? ` (${skipped} infeasible)` : '');
    };
    lines.push(`| ${method} | ` + bs.map((b) => cell(b, () => true)).join(' | ') + ' | ' +
      bs.map((b) => cell(b, (r) => r.words >= 40 && r.words <= 80)).join(' | ') + ' |');
  }
  return lines.join('\n');
}

function summarize(rows, bs, emailCount, words, outPath) {
  const inBar = (r) => r.words >= 40 && r.words <= 80 && r.b === 6;
  const spex = mean(rows.filter((r) => inBar(r) && r.method === 'spex-soft').map((r) => r.r2 ?? 0));
  const lime = mean(rows.filter((r) => inBar(r) && r.method === 'lime').map((r) => r.r2 ?? 0));
  const summary = { emails: emailCount, words, bar: {
    description: 'mean R² at b=6 on e-mails of 40-80 words', spex_soft: spex, lime, difference: spex - lime,
    emails: new Set(rows.filter(inBar).map((r) => r.email)).size } };
  mkdirSync(path.dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify({ summary, rows }, null, 1) + '\n');
  console.log(table(rows, bs));
  console.log(`\nbar: ${summary.bar.description}: SPEX soft ${spex.toFixed(3)}, LIME ${lime.toFixed(3)}, ` +
    `difference ${(spex - lime).toFixed(3)} over ${summary.bar.emails} e-mails`);
  console.log(`wrote ${path.relative(process.cwd(), outPath)}`);
}

function merge() {
  const i = process.argv.indexOf('--merge');
  const [outPath, ...inputs] = process.argv.slice(i + 1);
  const rows = inputs.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')).rows);
  const bs = [...new Set(rows.map((r) => r.b))].sort((a, b) => a - b);
  const words = rows.map((r) => r.words);
  summarize(rows, bs, new Set(rows.map((r) => r.email)).size, [Math.min(...words), Math.max(...words)], outPath);
}

async function main() {
  if (process.argv.includes('--merge')) return merge();
  const count = Number(arg('--emails', '50'));
  const bs = arg('--bs', '4,6,8').split(',').map(Number);
  const outPath = arg('--out', path.join(ROOT, 'build/bench/quality.json'));
  const [shard, shards] = arg('--shard', '0/1').split('/').map(Number);
  const core = await loadCore();
  const { ort, sessionOptions } = await loadRuntime('node', 1);
  const model = await loadModelDir({ core, ort, sessionOptions, dir: path.join(ROOT, 'models/spam-transformer') });
  const range = arg('--words', null);
  const methods = arg('--methods', DEFAULT_METHODS.join(',')).split(',');
  const picked = range ? allBetween(loadTestEmails(), ...range.split('-').map(Number))
    : pickEmails(loadTestEmails(), count, 20, 150);
  const emails = picked.filter((_, k) => k % shards === shard);

  const rows = [];
  for (const [k, email] of emails.entries()) {
    const seed = picked.indexOf(email) + 1;  // the same seed whatever the sharding
    const session = cachedSession(ort, model.session, model.outputName, model.classes,
      model.inputs.filter((i) => i.role === 'token_ids' || i.role === 'attention_mask').map((i) => i.name));
    const cachedModel = { ...model, session };
    for (const b of bs) {
      for (const method of methods) {
        try {
          // Level b: SPEX's t = 5 design at b; the bins-first variant gets its query count as a
          // budget, lime-t3 the count of the t = 3 design.
          const variant = OPTIONS[method];
          const level = !variant ? { b, method }
            : variant.paperBudget ? { budget: paperQueries(core, model, email.text, b), ...variant.options }
              : variant.budgetT ? { budget: paperQueries(core, model, email.text, b, variant.budgetT), ...variant.options }
                : { b, ...variant.options };
          const result = await explainText({ core, ort, model: cachedModel, text: email.text,
            options: { ...level, seed }, batchSize: 1024 });
          rows.push({ email: email.id, label: email.label, words: email.words, n: result.n, b, method,
            queries: result.queries, r2: result.faithfulness.r2,
            solve_ms: result.timing_ms.total - result.timing_ms.sampling });
        } catch (e) {
          // e.g. Faith-Banzhaf-2 has more coefficients than a small budget has queries.
          rows.push({ email: email.id, label: email.label, words: email.words, b, method, r2: null,
            infeasible: e.message });
        }
      }
    }
    const last = rows.slice(-methods.length * bs.length).filter((r) => r.b === bs[Math.floor(bs.length / 2)]);
    process.stderr.write(`[${k + 1}/${emails.length}] ${email.words} words, n=${last[0].n ?? '?'}, b=${last[0].b}: ` +
      last.map((r) => `${r.method} ${r.r2?.toFixed(3)}`).join(', ') + '\n');
  }
  summarize(rows, bs, emails.length, [emails[0].words, emails.at(-1).words], outPath);
}

await main();
