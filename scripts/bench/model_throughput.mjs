// model_throughput: masked inputs per second of the shipped model in each runtime the product
// uses (onnxruntime-node, onnxruntime-web's wasm backend), and the wall time of the
// command-line explainer on a 60-word e-mail at b = 6 (the bar: <= 3 s).
//
//   node scripts/bench/model_throughput.mjs [--out build/bench/throughput.json] [--quick]
//
// Inputs are random masks (about half the words kept) over real token ids, as in an explanation.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';

const quick = process.argv.includes('--quick');
const outPath = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]
  : path.join(ROOT, 'build/bench/throughput.json');
const MODEL_DIR = path.join(ROOT, 'models/spam-transformer');

// A 60-word e-mail-like text (ham-ish, with a URL and punctuation), fixed for reproducibility.
export const SIXTY_WORDS = 'Hi Tom, thanks for sending the draft agenda for Thursday. I read it on the train ' +
  'and have two small comments. Could we move the budget review before lunch, so that Maria can join ' +
  'before her flight? Also, the link to the slides (http://intranet.example.org/q3/slides) seems broken ' +
  'for me. Otherwise it all looks good, see you at nine. Best regards, Anna';

function feeds(ort, model, rows, seq, seed) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const ids = new BigInt64Array(rows * seq);
  const att = new BigInt64Array(rows * seq);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < seq; j++) {
      ids[r * seq + j] = BigInt(j === 0 ? 2 : 4 + Math.floor(rand() * 3000));
      att[r * seq + j] = j === 0 || rand() < 0.5 ? 1n : 0n;
    }
  }
  const out = {};
  for (const input of model.inputs) {
    if (input.role === 'token_ids') out[input.name] = new ort.Tensor('int64', ids, [rows, seq]);
    else if (input.role === 'attention_mask') out[input.name] = new ort.Tensor('int64', att, [rows, seq]);
    else out[input.name] = new ort.Tensor('float32', new Float32Array(input.shape.reduce((a, b) => a * b, 1)).fill(1), input.shape);
  }
  return out;
}

async function measure(ort, model, rows, seq) {
  const f = feeds(ort, model, rows, seq, rows * 1000 + seq);
  await model.session.run(f);  // warm-up
  const total = quick ? 2048 : 8192;
  const calls = Math.max(2, Math.ceil(total / rows));
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await model.session.run(f);
  const ms = performance.now() - t0;
  return { rows, seq, per_second: Math.round((calls * rows * 1000) / ms), ms_per_call: +(ms / calls).toFixed(3) };
}

function cliSeconds(runtime) {
  const times = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const t0 = performance.now();
    execFileSync(path.join(ROOT, 'scripts/spexlens-explain'), ['--model', MODEL_DIR, '--text', SIXTY_WORDS,
      '--b', '6', '--seed', '1', '--runtime', runtime, '--out', '/dev/null']);
    times.push((performance.now() - t0) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function main() {
  const core = await loadCore();
  const results = { model: JSON.parse(readFileSync(path.join(MODEL_DIR, 'model.json'))).name, runtimes: [] };
  for (const runtime of ['node', 'web']) {
    for (const threads of [1, 2]) {
      const { ort, sessionOptions } = await loadRuntime(runtime, threads);
      const model = await loadModelDir({ core, ort, sessionOptions, dir: MODEL_DIR });
      const rows = [];
      for (const seq of [32, 64, 128]) {
        for (const batch of quick ? [256] : [64, 256, 512]) rows.push(await measure(ort, model, batch, seq));
      }
      results.runtimes.push({ runtime: `onnxruntime-${runtime}`, threads, rows });
      console.log(`onnxruntime-${runtime}, ${threads} thread(s): ` +
        rows.map((r) => `seq ${r.seq} batch ${r.rows}: ${r.per_second}/s`).join('; '));
      await model.session.release?.();
      if (runtime === 'web') break;  // onnxruntime-web in Node runs one thread without cross-origin isolation
    }
  }
  const words = SIXTY_WORDS.split(/\s+/).length;
  results.cli = { words, b: 6, node_seconds: cliSeconds('node'), web_seconds: cliSeconds('web') };
  console.log(`spexlens-explain, ${words}-word e-mail, b=6: ${results.cli.node_seconds.toFixed(2)} s (node runtime), ` +
    `${results.cli.web_seconds.toFixed(2)} s (web runtime), wall time including start-up`);
  mkdirSync(path.dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify(results, null, 1) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), outPath)}`);
}

await main();
