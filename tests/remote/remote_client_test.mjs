// The remote backends of spexlens-explain against fake servers started here, one per protocol,
// that answer as the real ones do (shapes from llama-server, Text Embeddings Inference and the
// Open Inference Protocol's specification; docs/remote-inference.md) and inject the faults a
// real deployment has: 503 while loading, 429 with Retry-After, dropped connections, 413 on big
// batches, a server that dies mid-run. The fake LLM's log p(yes) - log p(no) is a planted sum
// of word terms, so the explanation has a known answer. Needs the wasm core
// (build/wasm-release/bin/spexlens_core.mjs or $SPEXLENS_CORE). Usage: node tests/remote/remote_client_test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'scripts', 'explain', 'main.mjs');
const TEXT = 'urgent : chest pain with no fever since monday';
const PROMPT = 'Note: {text}\nIs this urgent? Answer:';
const IDS = { ' yes': 9891, ' no': 912 };

// log p(yes) - log p(no) of the fake LLM for a note: the planted terms.
function planted(note) {
  const w = new Set(note.split(/\s+/).filter(Boolean));
  return 0.25 + (w.has('urgent') ? 1.5 : 0) + (w.has('fever') ? 0.75 : 0) + (w.has('no') && w.has('fever') ? -2 : 0) +
    (w.has('chest') && w.has('pain') ? 3 : 0);
}

function noteOf(prompt) {
  const m = /^Note: ([\s\S]*)\nIs this urgent\? Answer:$/.exec(prompt);
  assert.ok(m, `unexpected prompt ${JSON.stringify(prompt)}`);
  return m[1];
}

// A fake server: handler(req, body, res) decides; the test reads `requests`.
async function fakeServer(handler, port = 0) {
  const state = { requests: [], count: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      state.count++;
      const parsed = body ? JSON.parse(body) : undefined;
      state.requests.push({ method: req.method, url: req.url, body: parsed, headers: req.headers });
      handler(req, parsed, res, state);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
  return state;
}

const send = (res, status, value, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof value === 'string' ? value : JSON.stringify(value));
};

// llama-server's answers; `fault(state, body)` may answer first (returns true when it did).
function llamaHandler(fault = () => false) {
  return (req, body, res, state) => {
    if (req.url === '/v1/models') return send(res, 200, { object: 'list', data: [{ id: 'tiny-llama', object: 'model' }] });
    if (req.url === '/props') return send(res, 200, { total_slots: 4, build_info: 'b0-fake' });
    if (req.url === '/tokenize') {
      const id = IDS[body.content];
      return id === undefined ? send(res, 200, { tokens: [1, 2] }) : send(res, 200, { tokens: [id] });
    }
    if (req.url === '/v1/completions') {
      if (fault(state, body, res)) return undefined;
      assert.equal(body.max_tokens, 1);
      const d = planted(noteOf(body.prompt));
      // Equal biases: the top two are the answers, their difference the model's.
      const lpYes = -Math.log1p(Math.exp(-d));
      const lpNo = -Math.log1p(Math.exp(d));
      return send(res, 200, { choices: [{ text: ' yes', index: 0, logprobs: { content: [{ id: 9891, token: ' yes',
        logprob: lpYes, top_logprobs: [{ id: 9891, token: ' yes', logprob: lpYes }, { id: 912, token: ' no', logprob: lpNo }] }] } }] });
    }
    return send(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
  };
}

// Runs the CLI; resolves to {code, stdout, stderr, ms}.
function cli(args, env = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const tmp = mkdtempSync(path.join(tmpdir(), 'spexlens-remote-'));
const llamaArgs = (url, extra = []) => ['--endpoint', url, '--protocol', 'openai-completions', '--prompt', PROMPT,
  '--answers', ' yes, no', '--text', TEXT, '--budget', '600', '--seed', '3', '--no-cache', ...extra];

function coef(result, words) {
  const idx = words.map((w) => result.features.findIndex((f) => f.text === w)).sort((a, b) => a - b);
  const term = result.mobius.find((t) => t.set.length === idx.length && t.set.every((v, i) => v === idx[i]));
  return term ? term.coef : 0;
}

const tests = [];
const test = (name, fn) => tests.push([name, fn]);

test('openai-completions: the planted terms come back, with provenance', async () => {
  const s = await fakeServer(llamaHandler());
  try {
    const r = await cli(llamaArgs(s.url));
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.ok(Math.abs(result.full_value - planted(TEXT)) < 1e-5);
    assert.ok(Math.abs(coef(result, ['chest', 'pain']) - 3) < 0.05, `chest·pain ${coef(result, ['chest', 'pain'])}`);
    assert.ok(result.faithfulness.r2 > 0.99);
    assert.equal(result.remote.endpoint, s.url);
    assert.equal(result.remote.protocol, 'openai-completions');
    assert.equal(result.remote.server_model, 'tiny-llama');
    assert.equal(result.remote.concurrency, 4, 'the window is the server\'s slots');
    const completions = s.requests.filter((q) => q.url === '/v1/completions');
    assert.equal(completions.length, result.remote.calls_sent);
    assert.deepEqual(Object.keys(completions[0].body.logit_bias).sort(), ['912', '9891']);
    assert.ok(!r.stderr.includes('chest'), 'no text in the log');
  } finally {
    await s.close();
  }
});

test('503 while loading, 429 with Retry-After and dropped connections are waited out; same result', async () => {
  const clean = await fakeServer(llamaHandler());
  const faulty = await fakeServer(llamaHandler((state, body, res) => {
    const n = state.requests.filter((q) => q.url === '/v1/completions').length;
    if (n <= 3) { send(res, 503, { error: { message: 'Loading model' } }); return true; }
    if (n === 10) { send(res, 429, { error: { message: 'busy' } }, { 'retry-after': '1' }); return true; }
    if (n === 20) { res.socket.destroy(); return true; }
    return false;
  }));
  try {
    const [a, b] = await Promise.all([cli(llamaArgs(clean.url)), cli(llamaArgs(faulty.url))]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stderr, /HTTP 503.*retry 1/);
    assert.match(b.stderr, /HTTP 429/);
    assert.deepEqual(JSON.parse(b.stdout).mobius, JSON.parse(a.stdout).mobius);
  } finally {
    await clean.close();
    await faulty.close();
  }
});

test('a server that dies mid-run: the rerun takes every answered call from the cache and repeats none', async () => {
  const cache = path.join(tmp, 'cache');
  const answered = new Map();
  const record = (state, body) => { answered.set(body.prompt, (answered.get(body.prompt) ?? 0) + 1); return false; };
  const dying = await fakeServer(llamaHandler((state, body, res) => {
    if (state.requests.filter((q) => q.url === '/v1/completions').length > 250) {
      send(res, 400, { error: { message: 'the server is shutting down' } });
      return true;
    }
    return record(state, body);
  }));
  const args = (url) => llamaArgs(url).filter((a) => a !== '--no-cache').concat(['--cache', cache]);
  try {
    const first = await cli(args(dying.url));
    assert.equal(first.code, 1);
    assert.match(first.stderr, /HTTP 400: .*shutting down/);
    assert.equal(first.stderr.trim().split('\n').at(-1).startsWith('spexlens-explain: error:'), true);
  } finally {
    await dying.close();
  }
  // The same server back on the same port (the cache is per endpoint and model).
  const healthy = await fakeServer(llamaHandler(record), Number(new URL(dying.url).port));
  try {
    const second = await cli(args(healthy.url));
    assert.equal(second.code, 0, second.stderr);
    const result = JSON.parse(second.stdout);
    assert.ok(result.remote.calls_from_cache >= 240, `from cache: ${result.remote.calls_from_cache}`);
    const repeated = [...answered.values()].filter((n) => n > 1).length;
    assert.equal(repeated, 0, `${repeated} masked texts were scored twice`);
  } finally {
    await healthy.close();
  }
});

test('--input: several texts share the window, each result written as it is done', async () => {
  // Which text a masked text comes from: their words start with a, b and c.
  const words = (letter) => Array.from({ length: 10 }, (_, i) => `${letter}${i}`).join(' ');
  const inFlight = new Map();
  let mixed = false;
  const s = await fakeServer(llamaHandler((state, body, res) => {
    const who = noteOf(body.prompt).trim().charAt(0);
    inFlight.set(who, (inFlight.get(who) ?? 0) + 1);
    if ([...inFlight].filter(([k, n]) => k && n > 0).length > 1) mixed = true;
    setTimeout(() => {
      inFlight.set(who, inFlight.get(who) - 1);
      const d = planted(noteOf(body.prompt));
      send(res, 200, { choices: [{ logprobs: { content: [{ top_logprobs: [{ id: 9891, token: ' yes', logprob: -Math.log1p(Math.exp(-d)) },
        { id: 912, token: ' no', logprob: -Math.log1p(Math.exp(d)) }] }] } }] });
    }, 2);
    return true;
  }));
  const input = path.join(tmp, 'notes.jsonl');
  writeFileSync(input, [JSON.stringify({ id: 'a', text: words('a') }), JSON.stringify(words('b')),
    JSON.stringify({ id: 7, text: words('c') }), '{"text": 5}'].join('\n'));
  try {
    const r = await cli(llamaArgs(s.url).filter((a) => a !== '--text' && a !== TEXT).concat(['--input', input]));
    assert.equal(r.code, 1, 'the bad line fails the run after the others are written');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id).sort(), [2, 4, 7, 'a'].sort());
    assert.ok(lines.find((l) => l.id === 4).error.includes('"text"'));
    assert.ok(lines.filter((l) => !l.error).every((l) => l.remote.calls_sent > 0));
    assert.ok(mixed, 'requests of different texts were in flight together');
  } finally {
    await s.close();
  }
});

test('tei: labels from /info, a 413 halves the batch, rows in label order', async () => {
  let largest = 0;
  const s = await fakeServer((req, body, res) => {
    if (req.url === '/info') {
      return send(res, 200, { model_id: 'fake/bert-urgent', version: '1.5.0', max_client_batch_size: 32,
        model_type: { classifier: { id2label: { 0: 'routine', 1: 'urgent' } } } });
    }
    if (req.url === '/predict') {
      if (body.inputs.length > 8) return send(res, 413, { error: 'batch size 32 > maximum allowed batch size 8', error_type: 'Validation' });
      largest = Math.max(largest, body.inputs.length);
      return send(res, 200, body.inputs.map(([t]) => {
        const d = planted(t);  // scores in a shuffled label order
        return [{ label: 'urgent', score: d }, { label: 'routine', score: 0 }];
      }));
    }
    return send(res, 404, 'not found');
  });
  try {
    const r = await cli(['--endpoint', s.url, '--protocol', 'tei', '--text', TEXT, '--budget', '600', '--seed', '3',
      '--target', 'urgent:logit', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(largest, 8);
    assert.ok(Math.abs(result.full_value - planted(TEXT)) < 1e-5);
    assert.ok(Math.abs(coef(result, ['no', 'fever']) + 2) < 0.05);
    assert.deepEqual(result.remote.labels, ['routine', 'urgent']);
  } finally {
    await s.close();
  }
});

test('oip-v2: a BYTES input model, as in the protocol\'s examples', async () => {
  const s = await fakeServer((req, body, res) => {
    if (req.url === '/v2/health/ready') return send(res, 200, {});
    if (req.url === '/v2/models/urgency') {
      return send(res, 200, { name: 'urgency', versions: ['1'], platform: 'onnxruntime_onnx',
        inputs: [{ name: 'TEXT', datatype: 'BYTES', shape: [-1] }], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 2] }] });
    }
    if (req.url === '/v2/models/urgency/config') return send(res, 200, { max_batch_size: 16 });
    if (req.url === '/v2/models/urgency/infer') {
      const texts = body.inputs[0].data;
      return send(res, 200, { model_name: 'urgency', model_version: '1', outputs: [{ name: 'logits', datatype: 'FP32',
        shape: [texts.length, 2], data: texts.flatMap((t) => [0, planted(t)]) }] });
    }
    return send(res, 404, { error: 'Request for unknown model: \'' + req.url + '\' is not found' });
  });
  try {
    const r = await cli(['--endpoint', s.url, '--protocol', 'oip-v2', '--server-model', 'urgency', '--text', TEXT,
      '--budget', '600', '--seed', '3', '--target', '1:logit', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.ok(Math.abs(coef(result, ['urgent']) - 1.5) < 0.05);
    assert.ok(s.requests.filter((q) => q.url.endsWith('/infer')).every((q) => q.body.inputs[0].data.length <= 16));
    const missing = await cli(['--endpoint', s.url, '--protocol', 'oip-v2', '--server-model', 'nope', '--text', TEXT, '--no-cache']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /HTTP 404.*not found/);
  } finally {
    await s.close();
  }
});

test('oip-v2: the binary tensor extension when the server lists it', async () => {
  const s = await fakeServer((req, body, res) => {
    if (req.url === '/v2/health/ready') return send(res, 200, {});
    if (req.url === '/v2') return send(res, 200, { name: 'triton', version: '2.40.0', extensions: ['classification', 'binary_tensor_data'] });
    if (req.url === '/v2/models/urgency') {
      return send(res, 200, { name: 'urgency', versions: ['3'], platform: 'ensemble',
        inputs: [{ name: 'TEXT', datatype: 'BYTES', shape: [-1, 1] }], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 2] }] });
    }
    if (req.url === '/v2/models/urgency/infer') {
      assert.equal(body.outputs[0].parameters.binary_data, true);
      const texts = body.inputs[0].data.flat();
      const values = new Float32Array(texts.flatMap((t) => [0, planted(t)]));
      const header = Buffer.from(JSON.stringify({ model_name: 'urgency', model_version: '3', outputs: [{ name: 'logits',
        datatype: 'FP32', shape: [texts.length, 2], parameters: { binary_data_size: values.byteLength } }] }));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) });
      return res.end(Buffer.concat([header, Buffer.from(values.buffer)]));
    }
    return send(res, 404, { error: 'not found' });
  });
  try {
    const r = await cli(['--endpoint', s.url, '--protocol', 'oip-v2', '--server-model', 'urgency', '--text', TEXT,
      '--budget', '300', '--seed', '3', '--target', '1:logit', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.ok(Math.abs(result.full_value - planted(TEXT)) < 1e-5);
    assert.equal(result.remote.server_version, '3');
  } finally {
    await s.close();
  }
});

test('bad endpoints, protocols and answers get one clear line each, quickly', async () => {
  const s = await fakeServer(llamaHandler());
  const dead = await fakeServer(() => {});
  const deadUrl = dead.url;
  await dead.close();
  try {
    const cases = [
      [llamaArgs(deadUrl), /cannot connect/],
      [['--endpoint', s.url, '--protocol', 'tei', '--text', TEXT], /HTTP 404/],
      [llamaArgs(s.url).map((a) => (a === ' yes, no' ? ' yes, maybe' : a)), /maybe.*one token|single-token/i],
      [llamaArgs(s.url).map((a) => (a === PROMPT ? 'no placeholder' : a)), /\{text\}/],
      [llamaArgs(s.url.replace('http://', 'http://user:pw@')), /credentials|password/],
      [llamaArgs('ftp://127.0.0.1'), /http/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 1, `${args.join(' ')}\n${r.stderr}`);
      const last = r.stderr.trim().split('\n').at(-1);
      assert.match(last, message);
      assert.ok(r.ms < 20000, `${r.ms} ms`);
    }
    const usage = await cli(['--endpoint', s.url, '--text', TEXT]);
    assert.equal(usage.code, 2);
    // Servers that answer wrongly: a null log-probability, one row short, a NaN score.
    const nullLp = await fakeServer(llamaHandler((state, body, res) => {
      send(res, 200, { choices: [{ logprobs: { content: [{ top_logprobs: [{ id: 9891, token: ' yes', logprob: null },
        { id: 912, token: ' no', logprob: -1 }] }] } }] });
      return true;
    }));
    const tei = (answer) => fakeServer((req, body, res) => (req.url === '/info'
      ? send(res, 200, { model_id: 'm', model_type: { classifier: { id2label: { 0: 'a', 1: 'b' } } } })
      : send(res, 200, answer(body.inputs))));
    const huge = await fakeServer((req, body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = ' '.repeat(1 << 20);
      for (let i = 0; i < 65; i++) res.write(chunk);
      res.end('{}');
    });
    const short = await tei((inputs) => inputs.slice(1).map(() => [{ label: 'a', score: 1 }, { label: 'b', score: 0 }]));
    const nan = await tei((inputs) => inputs.map(() => [{ label: 'a', score: 'NaN' }, { label: 'b', score: 0 }]));
    try {
      for (const [args, message] of [
        [llamaArgs(nullLp.url), /neither "logprob" nor "prob"|not a finite|NaN/],
        [['--endpoint', short.url, '--protocol', 'tei', '--text', TEXT, '--no-cache'], /rows? for \d+ texts|\d+ rows/],
        [['--endpoint', nan.url, '--protocol', 'tei', '--text', TEXT, '--no-cache'], /score/],
        [['--endpoint', huge.url, '--protocol', 'tei', '--text', TEXT, '--no-cache'], /larger than 64 MiB/],
      ]) {
        const r = await cli(args);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr.trim().split('\n').at(-1), message);
      }
    } finally {
      await Promise.all([nullLp.close(), short.close(), nan.close(), huge.close()]);
    }
  } finally {
    await s.close();
  }
});

test('the API key is sent, never printed; the allow-list is honoured', async () => {
  const s = await fakeServer(llamaHandler());
  try {
    const secret = 'sk-test-0123456789';
    const r = await cli(llamaArgs(s.url, ['--api-key-env', 'SPEXLENS_TEST_KEY']), { SPEXLENS_TEST_KEY: secret });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(s.requests.every((q) => q.headers.authorization === `Bearer ${secret}`));
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    const allow = path.join(tmp, 'allow.txt');
    writeFileSync(allow, '# ours\nhttps://inference.example.org\n');
    const refused = await cli(llamaArgs(s.url, ['--allow-endpoints', allow]));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not in the allow-list/);
    writeFileSync(allow, `${s.url}\n`);
    const allowed = await cli(llamaArgs(s.url, ['--allow-endpoints', allow]));
    assert.equal(allowed.code, 0, allowed.stderr);
    const unset = await cli(llamaArgs(s.url, ['--api-key-env', 'SPEXLENS_TEST_UNSET']));
    assert.match(unset.stderr, /not set/);
  } finally {
    await s.close();
  }
});

let failed = 0;
const only = process.argv.includes('--only') ? new RegExp(process.argv[process.argv.indexOf('--only') + 1]) : null;
for (const [name, fn] of tests) {
  if (only && !only.test(name)) continue;
  const started = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}
rmSync(tmp, { recursive: true, force: true });
if (failed) {
  console.log(`${failed} failed`);
  process.exit(1);
}
console.log('all remote client tests passed');
