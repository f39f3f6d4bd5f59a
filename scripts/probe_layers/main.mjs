// spexlens-probe-layers: probing classifiers on a model folder's layers, locally. The C++ core
// (WebAssembly) reads the probe set and prepares each text as the explainer does, ONNX Runtime runs
// the folder's internals graph on it (web/js/layer_probe_scoring.mjs), and the core averages each
// target word's hidden states, probes every layer and writes the report. See --help and
// docs/probing.md.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { USAGE, parseArgs } from './cli_args.mjs';
import { commandLine, failer } from '../explain/cli_common.mjs';
import { loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';
import { HIDDEN_STATES, probeLayers } from '../../web/js/layer_probe_scoring.mjs';

const fail = failer('spexlens-probe-layers');
const note = (message) => process.stderr.write(`spexlens-probe-layers: ${message}\n`);

// Where the standard export puts the internals graph (src/text/exported_folder.h).
const STANDARD_INTERNALS = 'onnx/model_internals.onnx';

function readProbeSet(core, file) {
  let size;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new Error(`cannot read the probe set ${file} (${e.code || e.message})`);
  }
  if (size > core.layerProbeMaxSetBytes) {
    throw new Error(`the probe set ${file} is ${size} bytes, more than the limit of ${core.layerProbeMaxSetBytes}; ` +
      'split it into several sets');
  }
  return readFileSync(file, 'utf8');
}

// The internals graph's file and hidden-states output: the manifest's "internals" section (a
// model.json's, or the one derived for an exported folder), else onnx/model_internals.onnx.
function internalsOf(dir, model) {
  if (statSync(dir).isFile()) {
    throw new Error(`${dir}: layer probes read a model folder, not a .zip; unzip it first`);
  }
  let declared = null;
  try {
    declared = JSON.parse(model.manifestText).internals ?? null;
  } catch {
    declared = null;
  }
  const file = declared?.onnx ?? STANDARD_INTERNALS;
  const output = declared?.hidden_states ?? HIDDEN_STATES;
  if (declared && !declared.hidden_states) {
    throw new Error(`${dir}: the model's internals graph ${file} declares no hidden_states output; layer probes need one`);
  }
  const full = path.join(dir, file);
  if (!existsSync(full)) {
    throw new Error(`${dir}: no internals graph (${file}): layer probes need a graph that also outputs ` +
      'hidden_states [layers + 1, batch, sequence, hidden] (docs/probing.md)');
  }
  return { file: full, output };
}

async function main() {
  const args = commandLine(parseArgs, USAGE, fail);
  if (!args) return;
  try {
    const core = await loadCore();
    const setText = readProbeSet(core, args.probeSet);
    const { ort, sessionOptions } = await loadRuntime(args.runtime, args.threads);
    const model = await loadModelDir({ core, ort, sessionOptions, dir: args.modelDir });
    const where = internalsOf(args.modelDir, model);
    let internals;
    try {
      internals = await ort.InferenceSession.create(readFileSync(where.file), sessionOptions);
    } catch (e) {
      throw new Error(`${where.file}: ONNX Runtime cannot load it (${e.message.split('\n')[0]})`);
    }
    const started = Date.now();
    const report = await probeLayers({ core, ort, model, internals, output: where.output, setText,
      options: { seed: args.seed, folds: args.folds } });
    const best = report.layers.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    note(`${report.probe_set} on ${model.name}: ${report.examples} words in ${report.texts} texts, ` +
      `best ${best.name} accuracy ${best.accuracy.toFixed(3)} (shuffled labels ${best.shuffled_accuracy.toFixed(3)}, ` +
      `word-type control ${best.control_accuracy.toFixed(3)}), ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`);
    const json = JSON.stringify(report, null, 2) + '\n';
    if (args.out) {
      try {
        writeFileSync(args.out, json);
      } catch (e) {
        throw new Error(`cannot write the report to ${args.out} (${e.code || e.message})`);
      }
    } else {
      process.stdout.write(json);
    }
  } catch (e) {
    fail(e.message, 1);
  }
}

await main();
