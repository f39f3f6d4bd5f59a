// planted_solve_benchmark: held-out R² against calls for auto, ProxySPEX and SPEX (and ridge-1)
// on planted functions of n = 1,000 players through `spexlens solve` — long inputs where order-2
// regression is infeasible. Each function: 150 words with an effect, 80 pairs, 20 triples and 3
// terms of order 5, in the Möbius basis (an AND of the words), noise sd 0.05, all seeded.
//
//   node scripts/bench/planted_solve_benchmark.mjs [--functions 3] [--n 1000]
//       [--calls 1000,2000,4000,8000] [--methods auto,proxyspex,spex,ridge-1]
//       [--cli build/native-release/bin/spexlens] [--out build/bench/planted_solve.json]
//
// Prints a Markdown table of mean held-out R² (1,000 masks) and the fit's median time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT } from '../explain/node_env.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const functions = Number(arg('--functions', '3'));
const n = Number(arg('--n', '1000'));
const calls = arg('--calls', '1000,2000,4000,8000').split(',').map(Number);
const methods = arg('--methods', 'auto,proxyspex,spex,ridge-1').split(',');
const cli = arg('--cli', path.join(ROOT, 'build/native-release/bin/spexlens'));
const outPath = arg('--out', path.join(ROOT, 'build/bench/planted_solve.json'));

// A small seeded generator (xorshift) so the functions are the same on every run.
function rng(seed) {
  let s = BigInt(seed) | 1n;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return Number(s & 0xfffffffffffffn) / 2 ** 52;
  };
}

function plantedFunction(seed) {
  const r = rng(seed);
  const pick = (k) => {
    const set = new Set();
    while (set.size < k) set.add(Math.floor(r() * n));
    return [...set].sort((a, b) => a - b);
  };
  const coef = (scale) => (r() < 0.5 ? -1 : 1) * scale * (0.5 + r());
  const terms = [{ set: [], coef: 0.5 }];
  for (let i = 0; i < 150; i++) terms.push({ set: pick(1), coef: coef(1.0) });
  for (let i = 0; i < 80; i++) terms.push({ set: pick(2), coef: coef(1.0) });
  for (let i = 0; i < 20; i++) terms.push({ set: pick(3), coef: coef(1.5) });
  for (let i = 0; i < 3; i++) terms.push({ set: pick(5), coef: coef(4.0) });
  // Merge repeated sets so the file is valid.
  const merged = new Map();
  for (const t of terms) merged.set(t.set.join(','), { set: t.set, coef: (merged.get(t.set.join(','))?.coef ?? 0) + t.coef });
  return { description: `planted benchmark function ${seed}`, n, basis: 'mobius', terms: [...merged.values()], noise_sd: 0.05 };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'spexlens-planted-'));
const rows = [];
for (let f = 1; f <= functions; f++) {
  const file = path.join(dir, `f${f}.json`);
  writeFileSync(file, JSON.stringify(plantedFunction(1000 + f)));
  for (const budget of calls) {
    for (const method of methods) {
      try {
        const out = execFileSync(cli, ['solve', '--function', file, '--method', method, '--budget', String(budget),
          '--seed', String(f), '--holdout', '1000', '--removal', '0'], { encoding: 'utf8', maxBuffer: 1 << 30 });
        const r = JSON.parse(out);
        rows.push({ function: f, calls: budget, method, queries: r.queries, r2: r.faithfulness.r2,
          chosen: r.chosen_method, fit_ms: r.timing_ms.total - r.timing_ms.sampling });
      } catch (e) {
        rows.push({ function: f, calls: budget, method, r2: null, error: String(e.stderr || e.message).trim() });
      }
    }
  }
  process.stderr.write(`function ${f}: ` + rows.filter((r) => r.function === f && r.calls === calls.at(-1))
    .map((r) => `${r.method} ${r.r2?.toFixed(3)}`).join(', ') + '\n');
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lines = [`| method (n = ${n}) | ` + calls.map((c) => `${c} calls`).join(' | ') + ' |', '|---|' + calls.map(() => '---|').join('')];
for (const method of methods) {
  lines.push(`| ${method} | ` + calls.map((c) => {
    const sel = rows.filter((r) => r.method === method && r.calls === c && r.r2 !== null);
    return sel.length ? `${mean(sel.map((r) => r.r2)).toFixed(3)} (${median(sel.map((r) => r.fit_ms)).toFixed(0)} ms)` : '–';
  }).join(' | ') + ' |');
}
console.log(lines.join('\n'));
mkdirSync(path.dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify({ n, functions, calls, methods, rows }, null, 1) + '\n');
console.log(`wrote ${path.relative(process.cwd(), outPath)}`);
