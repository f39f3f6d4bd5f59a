// page_main: boots the page. The Dear ImGui app (C++, spexlens_app.wasm) draws the canvas; the
// inference worker runs the text explainer core and ONNX Runtime Web; this file connects them,
// handles files, downloads and the clipboard, and exposes window.spexlens for scripts and
// tests. The Run button and window.spexlens.explain take the same path: app.requestRun /
// the button -> C++ start_run -> spexlensPage.startRun -> worker -> app.onResult.
import createSpexlensApp from '../wasm/spexlens_app.mjs';
import { announce, summarize } from './accessible_summary.mjs';
import { canvasPngBytes, downloadBytes, downloadText } from './downloads.mjs';
import { fetchModelFiles, loadCatalog, modelCard, pickerEntry, readManifests, setDerived } from './model_catalog.mjs';
import { ortThreads } from './page_defaults.mjs';
import { droppedEntries, readUserFiles } from './user_files.mjs';
import { appModuleOptions, createInferenceWorker, SINGLE_FILE, siteFetch, workerBinaries } from './site_files.mjs';
import { WorkerClient } from './worker_client.mjs';

const canvas = document.getElementById('canvas');
const fileInput = document.getElementById('file-input');
const folderInput = document.getElementById('folder-input');
const summaryBox = document.getElementById('summary');
const alertBox = document.getElementById('alert');
const loading = document.getElementById('loading');

const params = new URLSearchParams(location.search);
const threads = ortThreads(params);

const worker = new WorkerClient(await createInferenceWorker());
const catalog = new Map();   // key -> {key, title, samples, manifest, custom, files?}
const opened = new Map();    // key -> Promise of the worker's open
let app = null;
let currentRun = null;       // { workerId, promise, settle }
let lastResult = null;

function showError(message) {
  app?.setError(message);
  announce(alertBox, message);
}

// Opens a model in the worker once; then warms it up on a text (its first sample, else a
// neutral sentence) so the first Run costs no more than later ones. window.spexlens.warm is the
// promise of the latest warm-up (the page benchmark measures a first Run before and after it).
const WARM_TEXT = 'A short neutral sentence to warm the model up before the first run.';
function openInWorker(key) {
  if (!opened.has(key)) {
    const entry = catalog.get(key);
    let warming = null;
    const promise = (async () => {
      const files = entry.files ?? await fetchModelFiles(entry);
      const where = entry.custom ? `your model (${entry.sourceName})` : `the shipped model ${key}`;
      const info = await worker.request('open', { key, where, ...files }).promise;
      if (info.derived) {
        // A folder with no model.json: show what the core derived (labels, masking, notes).
        setDerived(entry, info.derived, factsOf);
        publishModels();
      }
      warming = worker.request('warm', { key, text: entry.samples?.[0]?.text ?? WARM_TEXT }).promise;
      warming.then(({ ms, calls }) => { if (calls > 0 && ms > 0) app.setModelSpeed(key, calls / (ms / 1000)); }, () => {});
      return info;
    })();
    window.spexlens.warm = promise.then(() => warming, () => null);
    promise.catch(() => opened.delete(key));  // allow a retry
    opened.set(key, promise);
  }
  return opened.get(key);
}

// What the core's manifest parser reads from a model.json: its facts as JSON, or {error}.
const factsOf = (text) => app.manifestFacts(text);

// The manifest text goes along so the app can tell whether the model's heads and neurons can be
// ablated (component explanations, docs/components.md) and with which ablations.
function publishModels() {
  app.setModels(JSON.stringify([...catalog.values()].map((e) => ({
    ...pickerEntry(e), manifest_text: e.manifestText ?? '',
  }))));
}

// The DOM summary: for a component result, say first what the players were, so "L1.H2" reads
// as a part of the model and not a word of the text.
function summaryOf(result) {
  if (result.players !== 'components') return summarize(result);
  const c = result.components ?? {};
  const what = c.set === 'heads' ? 'attention heads' : c.set === 'mlp' ? 'MLP neuron groups' : 'attention heads and MLP neuron groups';
  return `Component explanation: ${result.n} ${what} of the model, ${c.ablation ?? 'zero'} ablation, on the whole text. ` +
    summarize(result);
}

// [SECTION] What the C++ app calls (browser_bridge.cpp)
async function startRun(requestJson) {
  const { model, text, options } = JSON.parse(requestJson);
  let settle;
  const outcome = new Promise((resolve) => { settle = resolve; });
  currentRun = { workerId: null, promise: outcome, settle };
  const run = currentRun;
  try {
    if (!catalog.has(model)) throw new Error(`unknown model "${model}"`);
    await openInWorker(model);
    const request = worker.request('explain', { key: model, text, options }, (m) => {
      if (m.type !== 'early') {
        app.onProgress(m.done, m.total);
        return;
      }
      const problem = app.onEarlyResult(m.json);
      if (problem) console.warn(problem);
      else announce(summaryBox, `Early result, still refining. ${summaryOf(JSON.parse(m.json))}`);
    });
    run.workerId = request.id;
    if (run.cancelRequested) worker.cancel(request.id);
    const { json } = await request.promise;
    lastResult = JSON.parse(json);
    const problem = app.onResult(json);
    if (problem) throw new Error(problem);
    announce(summaryBox, summaryOf(lastResult));
    announce(alertBox, '');
    run.settle({ ok: true });
  } catch (e) {
    if (e.cancelled) {
      app.onCancelled();
      run.settle({ ok: false, cancelled: true, message: 'cancelled' });
    } else {
      const message = `Could not explain this text: ${e.message}`;
      app.onError(message);
      announce(alertBox, message);
      run.settle({ ok: false, message });
    }
  }
}

function cancelRun() {
  if (!currentRun) return;
  currentRun.cancelRequested = true;
  if (currentRun.workerId !== null) worker.cancel(currentRun.workerId);
}

// [SECTION] Probe suites: the C++ panel plans and judges (src/app/model/probe_run.h); the worker
// scores the texts it asks for. Request ids are the app's; it ignores answers for old ones.
let currentProbe = null;     // { id, workerId, cancelRequested }

async function scoreProbeTexts(requestJson) {
  const { id, key, texts, target } = JSON.parse(requestJson);
  const run = { id, workerId: null, cancelRequested: false };
  currentProbe = run;
  try {
    if (!catalog.has(key)) throw new Error(`unknown model "${key}"`);
    await openInWorker(key);
    const request = worker.request('score', { key, texts, target }, (m) => app.onProbeProgress(id, m.done, m.total));
    run.workerId = request.id;
    if (run.cancelRequested) worker.cancel(request.id);
    const { json, model } = await request.promise;
    app.onProbeScores(id, json, model);
  } catch (e) {
    app.onProbeError(id, e.message, e.cancelled === true || run.cancelRequested);
  } finally {
    if (currentProbe === run) currentProbe = null;
  }
}

function cancelProbeScoring(id) {
  if (currentProbe?.id !== id) return;
  currentProbe.cancelRequested = true;
  if (currentProbe.workerId !== null) worker.cancel(currentProbe.workerId);
}

// A suite shipped with the site (its path, as the app composed it).
function loadProbeSuite(path) {
  siteFetch(path)
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((text) => app.onProbeSuite(text, path), (e) => app.onProbeSuiteError(`${path} could not be read (${e.message})`));
}

async function whatIf(requestId, keepBits) {
  try {
    const { value } = await worker.request('whatif', { keepBits }).promise;
    app.onWhatIf(requestId, value, '');
  } catch (e) {
    app.onWhatIf(requestId, 0, e.message);
  }
}

// The attention view (src/app/ui/attention_view.cpp) asks for the attention of the last run's
// text: the worker runs the model's internals graph; C++ reads the numbers.
async function requestAttention(requestId) {
  try {
    const { attentions, dims, players } = await worker.request('internals', {}).promise;
    app.onAttention(requestId, attentions, dims, players, '');
  } catch (e) {
    app.onAttention(requestId, new Float32Array(0), [], new Int32Array(0), e.message);
  }
}

// The probing view (src/app/ui/layer_probe_view.cpp) asks to probe the layers: the page reads
// the probe set (a file of the site), the worker runs the internals graph and the core's probes.
async function probeLayers(requestJson) {
  const { id, key, set, seed, folds } = JSON.parse(requestJson);
  try {
    if (!catalog.has(key)) throw new Error(`unknown model "${key}"`);
    const response = await siteFetch(set);
    if (!response.ok) throw new Error(`${set} could not be read (HTTP ${response.status})`);
    const setText = await response.text();
    await openInWorker(key);
    const { json } = await worker.request('probeLayers', { key, setText, options: { seed, folds } },
      (m) => app.onLayerProbeProgress(id, m.done, m.total)).promise;
    app.onLayerProbeReport(id, json, '');
  } catch (e) {
    app.onLayerProbeReport(id, '', e.message);
  }
}

// A model the user brought: model.json + files, a folder with no model.json (exported), or
// either one zipped (archive).
function customEntry(got) {
  if (got.kind === 'archive') {
    const key = `custom:${got.name}`;
    return { key, title: got.name, samples: [], manifest: { name: got.name }, custom: true,
      files: { archive: { name: got.name, file: got.file } }, sourceName: `${got.name}.zip` };
  }
  if (got.kind === 'exported') {
    const key = `custom:${got.name}`;
    return { key, title: got.name, samples: [], manifest: { name: got.name }, custom: true,
      files: { exported: { name: got.name, files: got.files } }, sourceName: `${got.name}/` };
  }
  const manifest = got.facts;  // read by the core's parser (app.manifestFacts)
  const key = `custom:${manifest.name || 'model'}`;
  const files = { manifestText: got.manifestText, vocabText: got.vocabText, onnxBytes: got.onnxBytes };
  return { key, title: `${manifest.name}`, samples: [], manifest, manifestText: got.manifestText, custom: true, files,
    sourceName: got.name };
}

async function acceptFiles(items) {
  try {
    const got = await readUserFiles(items, factsOf, (text) => app.isProbeSuite(text));
    if (got.kind === 'probe-suite') {
      app.onProbeSuite(got.text, got.name);
      return;
    }
    if (got.kind === 'text') {
      app.setText(got.text);
      app.setStatus(`Loaded the text of ${got.name} (read locally, not uploaded).`);
      return;
    }
    const entry = customEntry(got);
    const { key } = entry;
    const previous = catalog.get(key);
    catalog.set(key, entry);
    opened.delete(key);
    try {
      const info = await openInWorker(key);
      publishModels();
      app.selectModel(key);
      app.setStatus(info.derived
        ? `Loaded your model ${info.name} (sha256 ${info.sha256.slice(0, 12)}…). It has no model.json: spexlens ` +
          'derived one (see "how it was derived"; Download model.json pins it).'
        : `Loaded your model ${info.name} (sha256 ${info.sha256.slice(0, 12)}…), checked against its manifest.`);
    } catch (e) {
      if (previous) catalog.set(key, previous); else catalog.delete(key);
      throw e;
    }
  } catch (e) {
    showError(`Your files were not loaded: ${e.message}`);
  }
}

globalThis.spexlensPage = {
  startRun,
  cancelRun,
  whatIf,
  requestAttention,
  loadProbeSuite,
  pickProbeSuite: () => fileInput.click(),
  scoreProbeTexts,
  probeLayers,
  cancelProbeScoring,
  pickFiles: () => fileInput.click(),
  pickFolder: () => folderInput.click(),
  // The picker chose another model: open and warm it now (errors show when it is run).
  modelChosen: (key) => { if (catalog.has(key)) openInWorker(key).catch((e) => showError(e.message)); },
  requestModelCard: (key) => {
    const entry = catalog.get(key);
    if (!entry) return;
    modelCard(entry).then(
      (card) => app.setModelCard(key, card.text ?? card.missing, card.text !== undefined),
      (e) => app.setModelCard(key, `The model card could not be read: ${e.message}`, false));
  },
  // A text on screen needs Chinese, Japanese or Korean glyphs: the fallback fonts, once, in
  // the order the app merges them.
  loadFallbackFont: () => {
    for (const file of ['fonts/cjk-fallback.ttf', 'fonts/hangul-fallback.ttf']) {
      siteFetch(file)
        .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((bytes) => app.setFallbackFont(new Uint8Array(bytes), ''),
          (e) => app.setFallbackFont(new Uint8Array(0), `${file} could not be loaded (${e.message})`));
    }
  },
  downloadText,
  canvasPngBytes: () => canvasPngBytes(canvas),
  downloadBytes,
  copyText: (text) => navigator.clipboard?.writeText(text).catch(() => {}),
  nowIso: () => new Date().toISOString(),
};

// [SECTION] Boot
// The canvas fills the window by CSS (css/page.css); the app sizes its backing store and
// layout from that box and the pixel ratio every frame (src/app/web/main_web.cpp), so there is
// no resize handling here.
async function boot() {
  const binaries = await workerBinaries();
  const [workerInfo, entries, font, moduleOptions] = await Promise.all([
    worker.request('init', { threads, binaries }, null, binaries ? [binaries.core, binaries.ort] : []).promise,
    loadCatalog(),
    siteFetch('fonts/DejaVuSans.ttf').then((r) => (r.ok ? r.arrayBuffer() : new ArrayBuffer(0))),
    appModuleOptions(),
  ]);
  for (const e of entries) catalog.set(e.key, e);
  app = await createSpexlensApp({
    canvas,
    ...moduleOptions,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
  });
  await readManifests(entries, factsOf);
  publishModels();
  app.setBrowserFacts(workerInfo.threads, workerInfo.ortVersion, workerInfo.isolated, SINGLE_FILE);
  const problem = app.start(new Uint8Array(font));
  if (problem) throw new Error(problem);
  document.addEventListener('paste', (event) => app.setClipboardText(event.clipboardData?.getData('text/plain') ?? ''));
  fileInput.addEventListener('change', () => { acceptFiles(fileInput.files); fileInput.value = ''; });
  folderInput.addEventListener('change', () => { acceptFiles(folderInput.files); folderInput.value = ''; });
  document.addEventListener('dragover', (event) => event.preventDefault());
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    // A dropped folder is walked (its entries are only readable during this event's task).
    droppedEntries(event.dataTransfer).then(acceptFiles, (e) => showError(`Your files were not loaded: ${e.message}`));
  });
  openInWorker(entries[0].key).catch((e) => showError(e.message));
  loading.hidden = true;
  return workerInfo;
}

// A start this slow has met something it does not report (a stalled download): the loading
// message says so rather than waiting in silence.
const SLOW_START_MS = 30000;
const slowStart = setTimeout(() => {
  const note = document.createElement('p');
  note.textContent = 'Still loading after 30 seconds. The first visit downloads about 20 MB; if nothing ' +
    'changes, the browser\'s console (F12) says what failed.';
  loading.append(note);
}, SLOW_START_MS);

const ready = boot().then((info) => { clearTimeout(slowStart); return info; }, (e) => {
  clearTimeout(slowStart);
  if (location.protocol === 'file:' && !SINGLE_FILE) {
    // A browser that runs modules from file:// (Firefox) still refuses the worker and the
    // fetches: js/needs_server.js has already put up why and what to do; add what failed.
    const detail = document.createElement('p');
    detail.textContent = `(The browser said: ${e.message})`;
    loading.append(detail);
  } else {
    loading.textContent = `spexlens could not start: ${e.message}`;
  }
  announce(alertBox, loading.textContent);
  throw e;
});

// [SECTION] window.spexlens: the scriptable hook (same path as the Run button)
window.spexlens = {
  version: null,
  ready,
  warm: Promise.resolve(),
  // Explains `text` and resolves to the export JSON the Export button saves; rejects with the
  // message the canvas shows. budget (model calls) or b sizes the run (default: the page's
  // calls for auto / proxyspex / ridge-2, its b for SPEX and the baselines). players: 'text' (default),
  // 'components[:group=G]', 'heads' or 'neurons[:group=G]'; ablation: 'zero' (default) or 'mean'.
  // Every key the caller gives goes to C++ as given (apply_script_request checks names, types and
  // ranges, and refuses with a message naming the key); only includeText stays here.
  async explain(options = {}) {
    await ready;
    const { includeText = true, ...given } = options ?? {};
    // The keys left out take the page's defaults in C++ (apply_script_request, run_defaults.h).
    const refused = app.requestRun(JSON.stringify(given));
    if (refused) throw new Error(refused);
    const outcome = await currentRun.promise;
    if (!outcome.ok) throw new Error(outcome.message);
    return JSON.parse(app.exportJson(includeText));
  },
  cancel: () => cancelRun(),
  async whatIf(keepBits) {
    await ready;
    return (await worker.request('whatif', { keepBits }).promise).value;
  },
  state: () => (app ? JSON.parse(app.stateJson()) : { phase: 'loading' }),
  lastResult: () => lastResult,
  async bench(options) {
    await ready;
    await openInWorker(options.key);
    return worker.request('bench', options).promise;
  },
};
ready.then(() => { window.spexlens.version = app.version(); });
