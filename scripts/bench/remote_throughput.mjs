// remote_throughput: issue 16's bar, measured. A 50-word text explained by spexlens-explain
// through a real llama-server (4 parallel slots, the tiny seeded model of
// scripts/remote/make_tiny_gguf.py) with --concurrency 1 and --concurrency 4, `--repeats` times
// each (alternating, so drift in the machine's load hits both); prints calls per second, the
// ratio of medians, the largest difference between the two runs' model outputs, and
// writes build/bench/remote_throughput.json. Needs scripts/remote/setup_llama_server.sh.
//
//   node scripts/bench/remote_throughput.mjs [--budget N] [--repeats R] [--threads T] [--model FILE.gguf] [--out FILE]
// --threads: llama-server's threads (default 1: on 2 cores two spinning server threads and the
// client stall each other).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

import { ROOT, startLlamaServer } from '../../tests/remote/llama_server_fixture.mjs';

const TEXT = 'Patient is a 67 year old man seen in the clinic today for follow up of his heart failure. ' +
  'He reports more shortness of breath when climbing stairs, mild ankle swelling in the evenings, no chest pain, ' +
  'and good adherence to his medication since the last visit two weeks ago.';
const PROMPT = 'Clinical note: {text}\nDoes the patient need urgent review? Answer:';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

// One explanation; its answers go to a fresh cache folder `cache` (read back to compare runs).
function explain(url, concurrency, budget, cache) {
  const args = [path.join(ROOT, 'scripts', 'explain', 'main.mjs'), '--endpoint', url, '--protocol', 'openai-completions',
    '--prompt', PROMPT, '--answers', ' yes, no', '--text', TEXT, '--budget', String(budget), '--seed', '1',
    '--concurrency', String(concurrency), '--cache', cache];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
  });
}

// The run's outputs log p(A) - log p(B), by cache key.
function outputsIn(dir) {
  const model = path.join(dir, readdirSync(dir)[0]);  // cache/<model>/<text>.jsonl
  const file = path.join(model, readdirSync(model)[0]);
  return new Map(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map(({ k, v }) => [k, v[0] - v[1]]));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const budget = Number(option('--budget', '2000'));
  const repeats = Number(option('--repeats', '3'));
  const out = option('--out', path.join(ROOT, 'build', 'bench', 'remote_throughput.json'));
  const threads = option('--threads', '1');
  const server = await startLlamaServer({ slots: 4, threads: Number(threads), model: option('--model') });
  const runs = { 1: [], 4: [] };
  const results = {};
  const outputs = {};
  const load = [loadavg()[0]];
  const tmp = mkdtempSync(path.join(tmpdir(), 'spexlens-bench-'));
  try {
    for (let r = 0; r < repeats; r++) {
      for (const c of [1, 4]) {
        const started = process.hrtime.bigint();
        const cache = path.join(tmp, `c${c}-r${r}`);
        const result = await explain(server.url, c, budget, cache);
        outputs[c] = outputsIn(cache);
        const secs = Number(process.hrtime.bigint() - started) / 1e9;
        const calls = result.remote.calls_sent;
        runs[c].push({ secs, calls, rate: calls / secs });
        results[c] = result;
        console.log(`concurrency ${c}: ${calls} calls in ${secs.toFixed(2)} s = ${(calls / secs).toFixed(1)} calls/s`);
        load.push(loadavg()[0]);
      }
    }
  } finally {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const rate1 = median(runs[1].map((x) => x.rate));
  const rate4 = median(runs[4].map((x) => x.rate));
  // The same masked texts were scored in both runs (same seed): compare the model's outputs.
  const diff = Math.max(...[...outputs[1]].map(([k, v]) => Math.abs(v - outputs[4].get(k))));
  const report = {
    text_words: results[1].n, budget, repeats, server_slots: 4, server_threads: Number(threads), cores: cpus().length, load_average_1min: load,
    runs, median_calls_per_s: { concurrency_1: rate1, concurrency_4: rate4 }, speedup: rate4 / rate1,
    max_abs_output_difference: diff, outputs_compared: outputs[1].size, r2: results[4].faithfulness.r2,
  };
  console.log(`median: ${rate1.toFixed(1)} calls/s at concurrency 1, ${rate4.toFixed(1)} at 4: x${(rate4 / rate1).toFixed(2)}; ` +
    `largest difference between the ${outputs[1].size} outputs ${diff.toExponential(2)}; load average ${load.map((l) => l.toFixed(2)).join(' ')}`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 1) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exit(1);
});
