// A real llama.cpp llama-server for the remote-scoring tests (issue 16; docs/remote-llama-server.md).
// startLlamaServer() runs third_party/llama/build/bin/llama-server (built by
// scripts/remote/setup_llama_server.sh) on 127.0.0.1 with the tiny seeded model of
// scripts/remote/make_tiny_gguf.py (written on first use), waits until GET /health answers 200
// (bounded; the error carries the server's last log lines) and hands back handles to stop it
// (SIGTERM, then SIGKILL), kill it (SIGKILL, as a crash) and restart it on the same port.
// Any server still running when the Node process exits is killed.
//
//   const server = await startLlamaServer({ slots: 4 });
//   ... fetch(`${server.url}/v1/completions`, ...) ...
//   await server.stop();
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where scripts/remote/setup_llama_server.sh puts the server binary. */
export const LLAMA_SERVER_BIN = path.join(ROOT, 'third_party', 'llama', 'build', 'bin', 'llama-server');
/** Where scripts/remote/make_tiny_gguf.py writes the tiny model by default. */
export const TINY_MODEL = path.join(ROOT, 'third_party', 'llama', 'tiny-llama.gguf');

const LOG_LINES = 40;
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * True when llama-server is built. When it is not: throws if SPEXLENS_REQUIRE_LLAMA_SERVER=1
 * (scripts/test.sh sets it after building the server, so CI cannot skip), else prints why
 * `test` is skipped and returns false.
 */
export function llamaServerBuilt(test) {
  if (existsSync(LLAMA_SERVER_BIN)) return true;
  const why = `${LLAMA_SERVER_BIN} is not built (run scripts/remote/setup_llama_server.sh)`;
  if (process.env.SPEXLENS_REQUIRE_LLAMA_SERVER === '1') throw new Error(why);
  console.log(`${test}: skipped: ${why}`);
  return false;
}

/** Writes the tiny model with make_tiny_gguf.py unless it exists; returns its path. */
export function ensureTinyModel(model = TINY_MODEL) {
  if (existsSync(model)) return model;
  const script = path.join(ROOT, 'scripts', 'remote', 'make_tiny_gguf.py');
  try {
    execFileSync('/usr/bin/python3', [script, model], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(`could not write the tiny model ${model}: ${String(err.stderr || err.message).trim()}`);
  }
  return model;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `child` has exited (at once when it already has). */
function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns the server and keeps its last LOG_LINES output lines in `tail`. */
function spawnServer(args, tail) {
  const child = spawn(LLAMA_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > LOG_LINES) tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

/** Polls GET /health until 200, the child exits or `timeoutMs` passes (then throws). */
async function waitHealthy(url, child, tail, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  let spawnError = null;
  child.once('error', (err) => { spawnError = err; });
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`llama-server could not start: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`llama-server exited (code ${child.exitCode}, signal ${child.signalCode}) before ` +
        `it was ready; its last lines:\n${tail.join('\n')}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = err.cause?.code || err.message;
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`llama-server at ${url} not ready after ${timeoutMs} ms (last /health: ${last}); ` +
    `its last lines:\n${tail.join('\n')}`);
}

/**
 * Starts llama-server on 127.0.0.1 and waits until it is ready.
 * @param {object} [opts]
 * @param {number} [opts.port] TCP port (default: a free one); restart() reuses it.
 * @param {number} [opts.slots=4] parallel slots (-np); the context is slots × ctxPerSlot tokens.
 * @param {number} [opts.ctxPerSlot=512] context tokens per slot.
 * @param {string[]} [opts.extraArgs=[]] more llama-server arguments (e.g. ['--no-cache-prompt']).
 * @param {string} [opts.model] a GGUF model (default: the tiny model, written when missing).
 * @param {number} [opts.readyTimeoutMs=60000] how long to wait for /health 200.
 * @param {number} [opts.threads=1] server threads (-t, -tb). One by default: llama.cpp's threads
 *   spin while they wait, and on a 2-core machine shared with the client two of them stall
 *   each other (80 requests took 0.85 to 11.8 s with the default; docs/remote-llama-server.md).
 * @returns {Promise<{url: string, port: number, pid: () => number, logs: () => string[],
 *   stop: () => Promise<void>, kill: () => Promise<void>, restart: (o?: {wait?: boolean}) => Promise<void>}>}
 */
export async function startLlamaServer({ port, slots = 4, ctxPerSlot = 512, extraArgs = [], model,
  readyTimeoutMs = 60000, threads = 1 } = {}) {
  if (!existsSync(LLAMA_SERVER_BIN)) {
    throw new Error(`llama-server is not built (${LLAMA_SERVER_BIN} is missing); ` +
      'run scripts/remote/setup_llama_server.sh');
  }
  const modelPath = ensureTinyModel(model || TINY_MODEL);
  const usePort = port || await freePort();
  const url = `http://127.0.0.1:${usePort}`;
  const args = ['-m', modelPath, '--host', '127.0.0.1', '--port', String(usePort), '-np', String(slots),
    '-c', String(slots * ctxPerSlot), '--no-warmup', '-t', String(threads), '-tb', String(threads), ...extraArgs];
  const tail = [];
  let child = spawnServer(args, tail);
  await waitHealthy(url, child, tail, readyTimeoutMs);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
  };
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  // Restarts on the same port; with wait: false it returns once the process is spawned (its
  // /health answers 503 while the model loads, then 200).
  const restart = async ({ wait = true } = {}) => {
    await stop();
    tail.length = 0;
    child = spawnServer(args, tail);
    if (wait) await waitHealthy(url, child, tail, readyTimeoutMs);
  };
  return { url, port: usePort, pid: () => child.pid, logs: () => [...tail], stop, kill, restart };
}

/**
 * log p(A) − log p(B) for the next token after `prompt` (a string or an array of token ids),
 * exactly, by the request documented in docs/remote-llama-server.md: both answers get the same
 * +100 logit bias and the sampler chain is only top-k 2 (then the softmax), so their
 * post-sampling probabilities keep the raw ratio. Returns { diff, probA, probB, model }.
 */
export async function answerLogProbDiff(url, prompt, idA, idB, { cachePrompt = false } = {}) {
  const body = {
    prompt, max_tokens: 1, n_probs: 2, post_sampling_probs: true, samplers: ['top_k'], top_k: 2,
    backend_sampling: false, logit_bias: [[idA, 100], [idB, 100]], cache_prompt: cachePrompt,
  };
  const res = await fetch(`${url}/v1/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`llama-server answered ${res.status}: ${JSON.stringify(json)}`);
  const top = json.choices[0].logprobs.content[0].top_probs;
  const probOf = (id) => top.find((t) => t.id === id)?.prob;
  const probA = probOf(idA);
  const probB = probOf(idB);
  if (!(probA > 0) || !(probB > 0)) {
    throw new Error(`answer tokens ${idA}/${idB} missing from top_probs: ${JSON.stringify(top)}`);
  }
  return { diff: Math.log(probA) - Math.log(probB), probA, probB, model: json.model };
}
