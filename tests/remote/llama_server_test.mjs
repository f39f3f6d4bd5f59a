// spexlens-explain --protocol openai-completions against a real llama-server (llama.cpp, built
// from the sources inside the npm package node-llama-cpp by scripts/remote/setup_llama_server.sh)
// serving a tiny seeded model (scripts/remote/make_tiny_gguf.py). Checks (docs/remote-inference.md):
//   - the explanation's reference values equal the same scores fetched one by one;
//   - --concurrency 4 and --concurrency 1 agree within 1e-3 (llama.cpp's batches differ);
//   - two runs with the prompt cache off are identical;
//   - killing the server mid-run and restarting it on the same port: the run completes and no
//     answered call is made twice (the cache's keys are unique, and a rerun sends nothing);
//   - a server still loading (503) is waited out.
// Skips (exit 0, saying so) when llama-server is not built. Usage:
//   node tests/remote/llama_server_test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ROOT, answerLogProbDiff, llamaServerBuilt, startLlamaServer } from './llama_server_fixture.mjs';

const CLI = path.join(ROOT, 'scripts', 'explain', 'main.mjs');
const PROMPT = 'Review: {text}\nIs the review positive? Answer:';
const TEXT = 'the plot was thin but the actors were wonderful and the music stayed with me long after';

function cli(args, { onStderr } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => {
      stderr += c;
      onStderr?.(stderr);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const args = (url, extra) => ['--endpoint', url, '--protocol', 'openai-completions', '--prompt', PROMPT,
  '--answers', ' yes, no', '--text', TEXT, '--budget', '400', '--holdout', '100', '--seed', '5', ...extra];
// (every run passes --cache DIR or --no-cache itself)

// The answers a run cached (one model, one text: cache/<model>/<text>.jsonl): key -> [log p(A), log p(B)].
function answersIn(dir) {
  const models = readdirSync(dir);
  assert.equal(models.length, 1);
  const texts = readdirSync(path.join(dir, models[0]));
  assert.equal(texts.length, 1);
  return new Map(readFileSync(path.join(dir, models[0], texts[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    .map(({ k, v }) => [k, v]));
}

async function tokenId(url, piece) {
  const r = await fetch(`${url}/tokenize`, { method: 'POST', body: JSON.stringify({ content: piece }) });
  return (await r.json()).tokens[0];
}

// The largest difference between two results' Möbius coefficients, a term missing from one
// counting as 0 there (a coefficient near a cut can be kept in one run and not the other).
function maxDiff(a, b) {
  const coefs = (r) => new Map(r.map((t) => [t.set.join(','), t.coef]));
  const [x, y] = [coefs(a), coefs(b)];
  return Math.max(0, ...[...new Set([...x.keys(), ...y.keys()])].map((k) => Math.abs((x.get(k) ?? 0) - (y.get(k) ?? 0))));
}

async function main() {
  if (!llamaServerBuilt('llama_server_test')) return;
  const tmp = mkdtempSync(path.join(tmpdir(), 'spexlens-llama-'));
  const server = await startLlamaServer({ slots: 4 });
  try {
    const { url } = server;
    // Each run keeps its answers in a cache of its own, so the model's outputs can be compared
    // call by call. ridge-2 is a least-squares fit, continuous in the outputs, so 1e-5 changes
    // in them stay 1e-5 changes in the coefficients (a tree ensemble could split differently).
    const run = async (name, concurrency) => {
      const r = await cli(args(url, ['--concurrency', String(concurrency), '--cache', path.join(tmp, name),
        '--method', 'ridge-2']));
      assert.equal(r.code, 0, r.stderr);
      return { ...r, result: JSON.parse(r.stdout), answers: answersIn(path.join(tmp, name)) };
    };
    const one = await run('one', 1);
    const four = await run('four', 4);
    const again = await run('again', 1);
    const [r1, r4] = [one.result, four.result];
    console.log(`ok   explained through llama-server: ${r1.n} words, ${r1.remote.calls_sent} calls, R² ` +
      `${r1.faithfulness.r2?.toFixed(3)}; --concurrency 1 ${(one.ms / 1000).toFixed(1)} s, 4: ${(four.ms / 1000).toFixed(1)} s`);

    // The reference values are the scores of the unmasked and the fully masked text, one by one.
    const [yes, no] = [await tokenId(url, ' yes'), await tokenId(url, ' no')];
    const full = await answerLogProbDiff(url, PROMPT.replace('{text}', TEXT), yes, no);
    const empty = await answerLogProbDiff(url, PROMPT.replace('{text}', ''), yes, no);
    assert.ok(Math.abs(r1.full_value - full.diff) < 1e-3, `full ${r1.full_value} vs ${full.diff}`);
    assert.ok(Math.abs(r1.baseline_value - empty.diff) < 1e-3, `baseline ${r1.baseline_value} vs ${empty.diff}`);
    assert.ok(Math.abs(r1.full_value - r1.baseline_value) > 1e-3, 'the words move the tiny model');
    console.log('ok   the reference values equal the scores fetched one by one');

    assert.deepEqual([...four.answers.keys()].sort(), [...one.answers.keys()].sort());
    const outputs = Math.max(...[...one.answers].map(([k, v]) => Math.abs((v[0] - v[1]) - (four.answers.get(k)[0] - four.answers.get(k)[1]))));
    const d = maxDiff(r1.mobius, r4.mobius);
    assert.ok(outputs < 1e-3 && d < 1e-3, `concurrency 4 vs 1: outputs ${outputs}, Möbius ${d}`);
    console.log(`ok   --concurrency 4 agrees with --concurrency 1 (${one.answers.size} outputs within ` +
      `${outputs.toExponential(1)}, Möbius within ${d.toExponential(1)})`);
    assert.deepEqual(again.answers, one.answers);
    assert.deepEqual(again.result.mobius, r1.mobius);
    console.log('ok   two runs with the prompt cache off are identical');

    // Kill the server once about a third of the calls are answered, restart it on the same port.
    const cache = path.join(tmp, 'cache');
    const interrupted = cli(args(url, ['--concurrency', '4', '--cache', cache, '--method', 'ridge-2']));
    const answered = () => {
      try {
        return answersIn(cache).size;
      } catch {
        return 0;  // not written yet
      }
    };
    for (let i = 0; i < 1500 && answered() < 120; i++) await new Promise((r) => setTimeout(r, 20));
    const before = answered();
    await server.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await server.restart({ wait: false });
    const resumed = await interrupted;
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /cannot connect|HTTP 503/);
    const models = readdirSync(cache);
    const file = path.join(cache, models[0], readdirSync(path.join(cache, models[0]))[0]);
    const keys = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).k);
    assert.equal(new Set(keys).size, keys.length, 'an answered call was made twice');
    const resumedAnswers = answersIn(cache);
    const worst = Math.max(...[...resumedAnswers].map(([k, v]) => Math.abs(v[0] - v[1] - (four.answers.get(k)[0] - four.answers.get(k)[1]))));
    assert.ok(worst < 1e-3, `the resumed run's outputs differ from the uninterrupted run's by ${worst}`);
    const rerun = await cli(args(url, ['--concurrency', '4', '--cache', cache, '--method', 'ridge-2']));
    assert.equal(JSON.parse(rerun.stdout).remote.calls_sent, 0, 'a rerun takes everything from the cache');
    console.log(`ok   killed after ${before} answers and restarted: the run completed, ` +
      `${keys.length} distinct answers, none twice; a rerun sent 0 calls`);
  } finally {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log('all llama-server tests passed');
}

main().catch((e) => {
  console.error(`FAIL ${e.stack || e.message}`);
  process.exit(1);
});
