// layer_probe_scoring: runs a model's internals graph on a layer probe set's texts and hands the
// hidden states to the C++ core, which finds the words, averages their tokens, probes every layer
// and writes the report (src/layer_probe, src/probing; docs/probing.md). Thin on purpose: the
// inputs are the core's (an explanation's every-word-kept query), the decisions all C++. Shared by
// the command line (scripts/probe_layers/main.mjs) and the page's worker (probeLayers).
import { Cancelled, makeFeeds } from './explain_loop.mjs';

// The standard name of the internals graph's output [layers + 1, batch, sequence, hidden]; a
// manifest's "internals": {"hidden_states": NAME} may name another (docs/model-manifest.md).
export const HIDDEN_STATES = 'hidden_states';

// core: the spexlens core; ort: ONNX Runtime; model: the loaded model (its manifest, vocabulary
// and inputs; model_bundle.mjs); internals: an ort.InferenceSession of the model's internals
// graph; output: the name of its hidden-states output; setText: the probe set file's text;
// options: {seed, folds}. Resolves to the report
// object. onProgress({done, total}) after each text; pause() awaited and isStopped() polled as in
// probe_scoring.mjs (true rejects with explain_loop's Cancelled).
export async function probeLayers({ core, ort, model, internals, output = HIDDEN_STATES, setText, options = {},
  onProgress, pause, isStopped }) {
  if (!internals.outputNames.includes(output)) {
    throw new Error(`the internals graph has no "${output}" output (it has ${internals.outputNames.join(', ')}); ` +
      'export the model with output_hidden_states (docs/probing.md)');
  }
  const run = new core.LayerProbe(setText, model.manifestText, model.vocabText);
  try {
    const total = run.texts();
    for (let i = 0; i < total; i++) {
      const all = makeFeeds(ort, model, run.input(i));
      const feeds = Object.fromEntries(internals.inputNames.map((name) => {
        if (!all[name]) throw new Error(`the internals graph needs the input "${name}", which the model's manifest does not name`);
        return [name, all[name]];
      }));
      const states = (await internals.run(feeds, [output]))[output];
      if (!states || states.type !== 'float32') throw new Error(`the internals graph's "${output}" is not float32`);
      run.submitHiddenStates(i, states.data, states.dims);
      onProgress?.({ done: i + 1, total });
      const paused = pause?.();
      if (paused) await paused;
      if (isStopped?.()) throw new Cancelled();
    }
    return JSON.parse(run.report(JSON.stringify(options), model.name));
  } finally {
    run.delete();
  }
}
