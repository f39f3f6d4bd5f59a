// inference_worker: the page's model work, off the main thread so the canvas stays smooth. It
// holds the text explainer core (C++ in wasm) and ONNX Runtime Web, opens models, runs the
// explain loop shared with the command-line explainer (explain_loop.mjs), answers what-if
// masks, scores a probe suite's texts (probe_scoring.mjs, shared with the command line) and runs
// the benchmark's ORT-only replay. Messages: see worker_client.mjs.
import * as ort from '../ort/ort.wasm.min.mjs';
import createSpexlensCore from '../wasm/spexlens_core.mjs';
import { Cancelled, makeFeeds, outputAtMask, runExplainer, runFeeds } from './explain_loop.mjs';
import { openExportedFiles, openInternals, openModel, openModelArchive } from './model_bundle.mjs';
import { scoreTexts } from './probe_scoring.mjs';
import { probeLayers as runLayerProbes } from './layer_probe_scoring.mjs';

const models = new Map();   // key -> opened model bundle
let core = null;
let lastRun = null;         // { explainer, model } of the last finished run: what-if asks it
const cancelled = new Set();  // run ids the page cancelled
let batchSize = 64;         // masked inputs per ORT call; see init

// Yields to the worker's message queue so a Cancel posted during a run is seen. A message to
// ourselves rather than setTimeout: nested timers are clamped to >= 4 ms and, measured, made a
// run up to 1 s slower.
// Only every ~100 ms: each hop costs the model time (measured ~5 ms per batch with two ORT
// threads), and a Cancel within 0.1 s is quick enough.
const yieldChannel = new MessageChannel();
const YIELD_EVERY_MS = 100;
let lastYield = 0;
const yieldToMessages = () => {
  if (performance.now() - lastYield < YIELD_EVERY_MS) return null;
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => { lastYield = performance.now(); resolve(); };
    yieldChannel.port2.postMessage(null);
  });
};

// batch: masked inputs per model call (64 measured best for the shipped model; the benchmark
// page passes ?batch= to compare). binaries: {core, ort} wasm bytes when the page carries them
// (the single spexlens.html, site_files_inline.mjs); else both are fetched beside this file.
async function init({ threads, batch, binaries }) {
  if (batch >= 1) batchSize = Math.floor(batch);
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;  // this worker is the proxy
  if (binaries) {
    ort.env.wasm.wasmBinary = new Uint8Array(binaries.ort);
    core = await createSpexlensCore({ wasmBinary: new Uint8Array(binaries.core) });
  } else {
    ort.env.wasm.wasmPaths = new URL('../ort/', import.meta.url).href;
    core = await createSpexlensCore({ locateFile: (file) => new URL(`../wasm/${file}`, import.meta.url).href });
  }
  return { version: core.version(), ortVersion: ort.env.versions?.web ?? '', threads, batchSize,
    isolated: self.crossOriginIsolated === true,
    pageDefaults: JSON.parse(core.pageDefaultOptions()) };
}

// A model.json bundle ({manifestText, vocabText, onnxBytes}) or a folder as transformers exports
// it ({exported: {name, files: [{path, file}]}}: files are Blobs, read here; the core derives the
// manifest, returned as derived: {manifestText, notes, targetAsked}), or either one as a .zip
// ({archive: {name, file}}: read in slices here, inflated by the core).
async function openBundle({ key, manifestText, vocabText, onnxBytes, exported, archive, where }) {
  const sessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  let model;
  if (archive) {
    const reader = new FileReaderSync();
    model = await openModelArchive({ core, ort, sessionOptions, where, name: archive.name, size: archive.file.size,
      readRange: (offset, length) => new Uint8Array(reader.readAsArrayBuffer(archive.file.slice(offset, offset + length))) });
  } else if (exported) {
    const byPath = new Map(exported.files.map((f) => [f.path, f.file]));
    model = await openExportedFiles({ core, ort, sessionOptions, where, name: exported.name, paths: [...byPath.keys()],
      read: async (path) => new Uint8Array(await byPath.get(path).arrayBuffer()) });
  } else {
    model = await openModel({ core, ort, manifestText, vocabText, onnxBytes, where, sessionOptions });
  }
  const old = models.get(key);
  if (old) await old.session.release?.();
  old?.internalsSession?.then((s) => s.release?.(), () => {});  // the attention view's graph, if opened
  models.set(key, model);
  return { key, name: model.name, labels: model.labels, sha256: model.sha256, manifestText: model.manifestText,
    derived: model.derived ?? null };
}

// Warm-up: a small explanation of `text` as soon as a model is opened, so ONNX Runtime's first
// session runs, its memory arena and the core's first fits happen while the user reads, not
// inside the first Run. Runs wait for it (one model session, one run at a time).
const warming = new Map();   // key -> promise of the warm-up
const WARM_OPTIONS = { method: 'auto', budget: 400, holdout: 100 };

function warm({ key, text }) {
  const model = models.get(key);
  if (!model) throw new Error(`the model "${key}" is not loaded`);
  // The speed is the model's steady one: ONNX Runtime's time on every batch but the first (which
  // pays for the session's first run). Timing the whole warm-up (the core, that first batch, the
  // fits of a tiny run) made a 20 s Run look like 70 s and asked the user to confirm it.
  let calls = 0;
  let ms = 0;
  let batches = 0;
  const onBatch = (batch, feeds, batchMs) => {
    if (batches++ > 0) { calls += batch.rows; ms += batchMs; }
  };
  const run = (async () => {
    const explainer = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify(WARM_OPTIONS));
    try {
      await runExplainer({ explainer, ort, model, batchSize, onBatch });
    } finally {
      explainer.delete();
    }
  })().catch(() => {});  // a text the model cannot explain warms nothing; the Run will say why
  warming.set(key, run);
  // calls / ms: this model's speed in this browser, for the estimate before a Run (0: unknown).
  return run.then(() => ({ ms, calls }));
}

async function explain({ id, key, text, options }, post) {
  const model = models.get(key);
  if (!model) throw new Error(`the model "${key}" is not loaded`);
  await warming.get(key);
  const explainer = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify(options));
  let ortMs = 0;
  let lastProgress = 0;
  const started = performance.now();
  // Until this run finishes, the page still shows (and what-if still asks about) the last one.
  // A Cancel after an early result stops the run and keeps that result (runExplainer's isStopped).
  let result;
  try {
    result = await runExplainer({
      explainer, ort, model, batchSize,
      pause: yieldToMessages,
      isStopped: () => cancelled.has(id),
      onProgress: ({ done, total }) => {
        // The page redraws progress a few times a second; more messages would only cost time.
        const now = performance.now();
        if (done === 0 || done === total || now - lastProgress >= YIELD_EVERY_MS) {
          lastProgress = now;
          post({ type: 'progress', id, done, total });
        }
      },
      onSnapshot: (early) => post({ type: 'early', id, json: JSON.stringify(early) }),
      onBatch: (batch, feeds, ms) => { ortMs += ms; },
    });
  } catch (e) {
    explainer.delete();
    throw e;
  }
  lastRun?.explainer.delete();
  lastRun = { explainer, model, text };
  return { json: JSON.stringify(result), ortMs, wallMs: performance.now() - started };
}

// A probe suite's texts (the core's plan, src/app/model/probe_run.h): each scored as an
// explanation's all-words-kept query, with progress after each batch and Cancel seen between
// batches. Resolves to the scores document as JSON and the model's name for the report.
async function score({ id, key, texts, target }, post) {
  const model = models.get(key);
  if (!model) throw new Error(`the model "${key}" is not loaded`);
  await warming.get(key);
  post({ type: 'progress', id, done: 0, total: texts.length });
  const scores = await scoreTexts({
    core, ort, model, texts, target, batchSize,
    pause: yieldToMessages,
    isStopped: () => cancelled.has(id),
    onProgress: ({ done, total }) => post({ type: 'progress', id, done, total }),
  });
  return { json: JSON.stringify(scores), model: model.name };
}

// The benchmark: one explanation as the page runs it, then ONNX Runtime alone on the very
// same masked batches (tensors built beforehand, so only session.run is timed).
async function bench({ key, text, options, repeats = 1 }) {
  const model = models.get(key);
  if (!model) throw new Error(`the model "${key}" is not loaded`);
  const runs = [];
  for (let r = 0; r < repeats; ++r) {
    const explainer = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify(options));
    const batches = [];
    const started = performance.now();
    let result;
    try {
      result = await runExplainer({ explainer, ort, model, batchSize,
        onBatch: (batch, feeds) => batches.push(feeds) });
    } finally {
      explainer.delete();
    }
    const fullMs = performance.now() - started;
    const ortStarted = performance.now();
    for (const feeds of batches) await runFeeds(model, feeds);
    const ortMs = performance.now() - ortStarted;
    runs.push({ fullMs, ortMs, queries: result.queries + result.holdout_queries + core.referenceQueries, n: result.n,
      r2: result.faithfulness.r2, b: result.b, batches: batches.length });
  }
  return { runs, threads: ort.env.wasm.numThreads, isolated: self.crossOriginIsolated === true };
}

async function whatIf({ keepBits }) {
  if (!lastRun) throw new Error('run an explanation first');
  return { value: await outputAtMask({ explainer: lastRun.explainer, ort, model: lastRun.model, keepBits }) };
}

// The attention view: the model's internals graph (opened on first use) on the last finished
// run's text with every word kept — the one-row input the explainer builds for that mask —
// in one forward pass, cached per model and text. The core maps the positions to players.
// Returns { attentions: Float32Array, dims: [layers, 1, heads, seq, seq], players: Int32Array }.
const internalsCache = new Map();  // sha256 + text -> { attentions, dims, hidden }
async function internals() {
  if (!lastRun) throw new Error('explain a text first');
  const { explainer, model, text } = lastRun;
  const declared = model.manifest.internals;
  if (!declared?.attentions) throw new Error(`${model.name} declares no attentions output (model.json "internals")`);
  const key = `${model.sha256}\n${text}`;
  let out = internalsCache.get(key);
  if (!out) {
    const session = await openInternals({ core, ort, model,
      sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } });
    const { n } = JSON.parse(explainer.info());
    const feeds = makeFeeds(ort, model, explainer.maskedInput('1'.repeat(n)));
    const names = [declared.attentions, declared.hidden_states].filter(Boolean);
    const outputs = await session.run(feeds, names)
      .catch((e) => { throw new Error(explainer.describeRuntimeError(e.message)); });
    const a = outputs[declared.attentions];
    // hidden_states are kept here for views to come (layer probes), not sent to the page.
    out = { attentions: a.data, dims: a.dims.map(Number), hidden: outputs[declared.hidden_states] ?? null };
    if (internalsCache.size >= 8) internalsCache.delete(internalsCache.keys().next().value);
    internalsCache.set(key, out);
  }
  return { attentions: out.attentions, dims: out.dims, players: explainer.tokenPlayers(out.dims[3] ?? 0) };
}

// The probing view: the model's internals graph (opened on first use) on every text of a layer
// probe set, and the core's probes on the hidden states (layer_probe_scoring.mjs, shared with
// scripts/spexlens-probe-layers). Returns the report as JSON.
async function probeLayers({ id, key, setText, options }, post) {
  const model = models.get(key);
  if (!model) throw new Error(`the model "${key}" is not loaded`);
  await warming.get(key);
  const declared = model.manifest.internals;
  if (!declared?.hidden_states) throw new Error(`${model.name} declares no hidden_states output (model.json "internals")`);
  const internalsSession = await openInternals({ core, ort, model,
    sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } });
  const report = await runLayerProbes({ core, ort, model, internals: internalsSession, output: declared.hidden_states,
    setText, options, pause: yieldToMessages, isStopped: () => cancelled.has(id),
    onProgress: ({ done, total }) => post({ type: 'progress', id, done, total }) });
  return { json: JSON.stringify(report) };
}

const handlers = {
  init: (m) => init(m),
  open: (m) => openBundle(m),
  warm: (m) => warm(m),
  explain: (m, post) => explain(m, post),
  whatif: (m) => whatIf(m),
  internals: () => internals(),
  probeLayers: (m, post) => probeLayers(m, post),
  score: (m, post) => score(m, post),
  bench: (m) => bench(m),
  // The core's reading of a model.json ({json}: name, labels, files, inputs); the benchmark page
  // has no app module to ask.
  checkManifest: ({ text }) => ({ json: core.checkManifest(text) }),
};

self.onmessage = async ({ data: m }) => {
  const post = (message) => self.postMessage(message);
  if (m.type === 'cancel') {
    cancelled.add(m.runId);
    return;
  }
  try {
    const handler = handlers[m.type];
    if (!handler) throw new Error(`unknown request ${m.type}`);
    post({ type: 'done', id: m.id, value: await handler(m, post) });
  } catch (e) {
    post({ type: 'failed', id: m.id, cancelled: e instanceof Cancelled, message: e?.message ?? String(e) });
  } finally {
    if (m.type === 'explain' || m.type === 'score') cancelled.delete(m.id);
  }
};
