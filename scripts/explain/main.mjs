// spexlens-explain: explains a text (or every line of a JSONL file) with a model folder, locally:
// the C++ explainer compiled to WebAssembly masks words, ONNX Runtime runs the model, SPEX fits
// the responses. Output: the result JSON of docs/result-schema.md with the text fields.
// See --help and docs/text-explainer.md.
import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { USAGE, parseArgs } from './cli_args.mjs';
import { commandLine, failer } from './cli_common.mjs';
import { loadCore, loadModelDir, loadRuntime } from './node_env.mjs';
import { explainText } from '../../web/js/explain_loop.mjs';
import { connectRemote } from './remote/remote_main.mjs';

// Texts explained at once through a server: their calls share the request window.
const REMOTE_TEXTS_IN_FLIGHT = 4;

const fail = failer('spexlens-explain');

function summary(result, core) {
  const r2 = result.faithfulness?.r2;
  const method = result.chosen_method && result.chosen_method !== result.method
    ? `${result.method} → ${result.chosen_method}` : result.method;
  return `${result.n} features, ${method}, ${result.queries + result.holdout_queries + core.referenceQueries} model calls` +
    `${result.partial ? ' (stopped early)' : ''}, R² ${r2 === null || r2 === undefined ? 'n/a' : r2.toFixed(3)}, ` +
    `${(result.timing_ms.total / 1000).toFixed(2)} s`;
}

// shapiq's InteractionValues JSON of the result's index, made by the C++ export the page's *shapiq*
// button uses (src/app/model/export_formats.h export_shapiq_json); throws its message.
function shapiqExport(env, result, args) {
  const runtime = { name: `onnxruntime-${args.runtime}`, version: env.ort.env?.versions?.[args.runtime] ?? '',
    backend: args.runtime === 'web' ? 'wasm' : 'cpu', threads: args.threads };
  const options = { app_version: env.core.version(), timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    include_text: true, runtime };
  return env.core.shapiqExport(JSON.stringify(result), JSON.stringify(options));
}

async function explainOne(env, text, args) {
  return explainText({ ...env, text, options: args.options, batchSize: args.batch });
}

function parseLine(line, number) {
  let value;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new Error(`line ${number}: not valid JSON (${e.message})`);
  }
  if (typeof value === 'string') return { id: number, text: value };
  if (value && typeof value.text === 'string') return { id: value.id ?? number, text: value.text };
  throw new Error(`line ${number}: expected a JSON string or an object with a "text" string`);
}

// Explains every line with explain(text); a bad line becomes an {"id", "error"} line and the run
// goes on. Up to `inFlight` texts at once (remote runs interleave their calls so the server stays
// busy); each line is written as soon as its text is done, so lines may come out of order.
async function explainJsonl(args, explain, describe, inFlight = 1) {
  const lines = [];
  const reader = createInterface({ input: createReadStream(args.input), crlfDelay: Infinity });
  try {
    for await (const line of reader) lines.push(line);
  } catch (e) {
    fail(`cannot read ${args.input} (${e.code || e.message})`, 1);
  }
  const items = lines.map((line, i) => [line, i + 1]).filter(([line]) => line.trim() !== '');
  if (items.length === 0) fail(`${args.input} has no lines to explain`, 1);
  const out = args.out ? createWriteStream(args.out) : process.stdout;
  let failed = 0;
  let finished = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const [line, number] = items[next++];
      let record;
      try {
        const { id, text } = parseLine(line, number);
        const result = await explain(text);
        record = { id, ...result };
        process.stderr.write(`[${++finished}/${items.length}] ${id}: ${describe(result)}\n`);
      } catch (e) {
        failed++;
        record = { id: number, error: e.message };
        process.stderr.write(`[${++finished}/${items.length}] line ${number}: error: ${e.message}\n`);
      }
      out.write(JSON.stringify(record) + '\n');
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
  if (args.out) await new Promise((resolve) => out.end(resolve));
  if (failed > 0) fail(`${failed} of ${items.length} lines failed (see their "error" fields)`, 1);
}

// --endpoint: the masked texts go to an inference server (scripts/explain/remote/).
async function mainRemote(core, args) {
  const remote = await connectRemote({ core, args });
  const timer = setInterval(() => process.stderr.write(`spexlens-explain: ${remote.stats.line()}\n`), 5000);
  timer.unref();
  const describe = (result) => `${summary(result, core)}, ${result.remote.calls_sent} sent, ` +
    `${result.remote.calls_from_cache} from the cache`;
  try {
    if (args.input !== undefined) {
      await explainJsonl(args, remote.run, describe, REMOTE_TEXTS_IN_FLIGHT);
      return;
    }
    const result = await remote.run(args.text);
    const json = JSON.stringify(result, null, 2) + '\n';
    if (args.out) writeFileSync(args.out, json);
    else process.stdout.write(json);
    process.stderr.write(`spexlens-explain: ${describe(result)}\n`);
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const args = commandLine(parseArgs, USAGE, fail);
  if (!args) return;
  try {
    const core = await loadCore();
    if (args.endpoint !== undefined) {
      await mainRemote(core, args);
      return;
    }
    const { ort, sessionOptions } = await loadRuntime(args.runtime, args.threads);
    const model = await loadModelDir({ core, ort, sessionOptions, dir: args.modelDir });
    if (args.showManifest) {
      process.stdout.write((model.derived ? model.derived.manifestText : model.manifestText).trimEnd() + '\n');
      return;
    }
    if (model.derived) {
      process.stderr.write(`spexlens-explain: ${args.modelDir} has no model.json; derived one from config.json and ` +
        `tokenizer.json (--show-manifest prints it):\n${model.derived.notes.map((n) => `  - ${n}`).join('\n')}\n`);
    }
    const env = { core, ort, model };
    if (args.input !== undefined) {
      await explainJsonl(args, (text) => explainOne(env, text, args), (result) => summary(result, core));
      return;
    }
    const result = await explainOne(env, args.text, args);
    let shapiq = null;
    let shapiqError = null;
    try {
      if (args.shapiq !== undefined) shapiq = shapiqExport(env, result, args);
    } catch (e) {
      shapiqError = e.message;
    }
    const json = JSON.stringify(result, null, 2) + '\n';
    if (args.out) writeFileSync(args.out, json);
    else process.stdout.write(json);
    // The result is written either way: a refused export costs no model calls to redo.
    if (shapiqError !== null) fail(`--shapiq: ${shapiqError} (the result JSON was written)`, 1);
    if (shapiq !== null) writeFileSync(args.shapiq, shapiq + '\n');
  } catch (e) {
    fail(e.message, 1);
  }
}

await main();
