// Checks a model's internals outputs against the values its exporter computed with torch:
// `attentions` [layers, batch, heads, seq, seq] (softmax probabilities) and `hidden_states`
// [layers + 1, batch, seq, hidden] (the embeddings' output, then each layer's), from the graph
// the fixture names (onnx/model_internals.onnx for models/clinical-readmission), in
// onnxruntime-node or onnxruntime-web. The fixture's text runs alone and as the second row of a
// padded batch (its own positions must not change, and no query may attend to padding), and the
// graph's logits must equal onnx/model.onnx's for the same rows.
//
//   node scripts/model/check_internals.mjs models/clinical-readmission \
//       [--fixture tests/model/data/clinical_internals.json] [--runtime node|web]
//
// The fixture (written by scripts/model/train_clinical.py): {onnx_file, onnx_sha256, text,
// input_ids, logits, attentions [layer][head][query][key], hidden_states [layer][token][unit]}.
// Prints the largest |Δ| of each output; exits 1 if one exceeds TOLERANCE, if the ids differ
// from the tokenizer's, if a shape disagrees with config.json, or if the sha256 is not the file's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { encodeWithWords, loadTokenizer } from './hf_encode.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const TOLERANCE = 1e-4;
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNTIME = option('--runtime', 'node');
const FIXTURE = option('--fixture', join(ROOT, 'tests', 'model', 'data', 'clinical_internals.json'));

function fail(message) {
  console.error(`check_internals: ${message}`);
  process.exit(1);
}

if (!['node', 'web'].includes(RUNTIME)) fail(`--runtime must be node or web, got ${RUNTIME}`);
const ortModule = await import(RUNTIME === 'node' ? 'onnxruntime-node' : 'onnxruntime-web');
const ort = ortModule.default ?? ortModule;

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

// rows of ids padded with padId (attention 0, position 0) -> the four int64 inputs.
function feedsFor(rows, padId) {
  const width = Math.max(...rows.map((r) => r.length));
  const make = (value, pad) => {
    const data = new BigInt64Array(rows.length * width).fill(BigInt(pad));
    rows.forEach((ids, r) => ids.forEach((id, k) => { data[r * width + k] = BigInt(value(id, k)); }));
    return new ort.Tensor('int64', data, [rows.length, width]);
  };
  return { input_ids: make((id) => id, padId), attention_mask: make(() => 1, 0), token_type_ids: make(() => 0, 0),
    position_ids: make((_, k) => k, 0) };
}

// A tensor's value at a multi-index.
const at = (t, index) => t.data[index.reduce((flat, i, axis) => flat * t.dims[axis] + i, 0)];

async function main() {
  const dir = args[0];
  if (!dir || dir.startsWith('--')) fail('usage: node scripts/model/check_internals.mjs MODEL_DIR [--fixture FILE] [--runtime node|web]');
  const config = readJson(join(dir, 'config.json'));
  const fixture = readJson(FIXTURE);
  const maxLength = readJson(join(dir, 'tokenizer_config.json')).model_max_length;
  const bytes = readFileSync(join(dir, fixture.onnx_file));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== fixture.onnx_sha256) fail(`${fixture.onnx_file} sha256 ${sha} != the fixture's ${fixture.onnx_sha256}`);
  const { ids } = encodeWithWords(loadTokenizer(dir), fixture.text, maxLength);
  if (ids.join() !== fixture.input_ids.join()) fail('the tokenizer gives other input_ids than the fixture');

  const layers = config.num_hidden_layers;
  const heads = config.num_attention_heads;
  const hidden = config.hidden_size;
  const internals = await ort.InferenceSession.create(bytes);
  const plain = await ort.InferenceSession.create(readFileSync(join(dir, 'onnx', 'model.onnx')));
  for (const name of ['logits', 'attentions', 'hidden_states']) {
    if (!internals.outputNames.includes(name)) fail(`${fixture.onnx_file} has no output ${name}`);
  }

  const worst = { logits: 0, attentions: 0, hidden_states: 0, padding_attention: 0, files_logits: 0, row_sums: 0 };
  const note = (key, delta) => { worst[key] = Number.isNaN(delta) ? NaN : Math.max(worst[key], delta); };
  const n = ids.length;
  // The fixture's row alone (row 0 of 1) and as row 1 under a longer text (padded).
  const longer = encodeWithWords(loadTokenizer(dir), `${fixture.text} ${fixture.text} Follow-up booked.`, maxLength).ids;
  for (const [rows, row] of [[[ids], 0], [[longer, ids], 1]]) {
    const feeds = feedsFor(rows, config.pad_token_id);
    const out = await internals.run(feeds);
    const logits = (await plain.run(feeds, ['logits'])).logits;
    const seq = feeds.input_ids.dims[1];
    const want = { attentions: [layers, rows.length, heads, seq, seq], hidden_states: [layers + 1, rows.length, seq, hidden] };
    for (const [name, dims] of Object.entries(want)) {
      if (out[name].dims.join() !== dims.join()) fail(`${name} dims [${out[name].dims}], expected [${dims}]`);
    }
    fixture.logits.forEach((v, j) => {
      note('logits', Math.abs(at(out.logits, [row, j]) - v));
      note('files_logits', Math.abs(at(out.logits, [row, j]) - at(logits, [row, j])));
    });
    for (let l = 0; l < layers; l++) {
      for (let h = 0; h < heads; h++) {
        for (let q = 0; q < n; q++) {
          let sum = 0;
          for (let k = 0; k < seq; k++) {
            const p = at(out.attentions, [l, row, h, q, k]);
            sum += p;
            if (k < n) note('attentions', Math.abs(p - fixture.attentions[l][h][q][k]));
            else note('padding_attention', Math.abs(p));
          }
          note('row_sums', Math.abs(sum - 1));
        }
      }
    }
    for (let l = 0; l <= layers; l++) {
      for (let t = 0; t < n; t++) {
        for (let u = 0; u < hidden; u++) note('hidden_states', Math.abs(at(out.hidden_states, [l, row, t, u]) - fixture.hidden_states[l][t][u]));
      }
    }
  }
  const summary = Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ');
  console.log(`${fixture.model} internals (onnxruntime-${RUNTIME}, ${fixture.onnx_file}): "${fixture.text}" alone and ` +
              `in a padded batch, max |Δ|: ${summary}; tolerance ${TOLERANCE}`);
  if (!Object.values(worst).every((v) => v <= TOLERANCE)) process.exit(1);
}

await main();
